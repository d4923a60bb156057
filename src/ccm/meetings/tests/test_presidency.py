"""The Presidency (issue #11): its term, its successor chosen by consultations, its letterhead
and letters to all States, the Coordination Committee, and the progress report on the work
plan. Public pages for everyone; the desk for the Presidency and the ISU only."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from ccm.core.models import AuditEvent
from ccm.core.testing.files import PDF as TINY_PDF
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.core.testing.queries import queries
from ccm.meetings import letters, rules, selectors, services
from ccm.meetings.models import (
    Attendance,
    Coordination,
    Letter,
    Meeting,
    Minutes,
    Presidency,
    Succession,
    Volunteer,
    WorkPlanItem,
)
from ccm.registry.models import State

pytestmark = pytest.mark.django_db
PUBLIC: dict[str, int | str] = {
    "anonymous": 200, "other_focal_point": 200, "focal_point": 200, "presidency": 200,
    "staff": 200,
}  # fmt: skip
DESK: dict[str, int | str] = {
    "anonymous": LOGIN, "other_focal_point": 403, "focal_point": 403, "presidency": 200,
    "staff": 200,
}  # fmt: skip
PDF = TINY_PDF  # a real PDF: uploads are checked by structure (issue #32)


@pytest.fixture
def meetings(registry_reference: None, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    services.load_meetings()


def pdf(name: str = "letter.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# Pure rules ------------------------------------------------------------------------------


def test_succession_stages_are_a_rule() -> None:
    day = date(2026, 2, 15)
    assert rules.succession_stage(None, day, 0, 0, False) == "not_open"
    assert rules.succession_stage(date(2026, 3, 1), day, 2, 1, False) == "not_open"
    assert rules.succession_stage(day, day, 0, 0, False) == "open"
    assert rules.succession_stage(day, day, 1, 0, False) == "volunteered"
    assert rules.succession_stage(day, day, 1, 2, False) == "consulting"
    assert rules.succession_stage(day, day, 0, 2, False) == "consulting"
    assert rules.succession_stage(None, day, 0, 0, True) == "designated"


def test_placeholders_are_filled_as_plain_text() -> None:
    text = "To [State]: the [meeting] meets on [dates] in [place]. [Stat] {{ x }} [x]"
    assert rules.unknown_placeholders(text) == ["Stat", "x"]
    filled = rules.fill(text, {"State": "<b>Chile</b>", "meeting": "7th Meeting"})
    assert filled.startswith("To <b>Chile</b>: the 7th Meeting meets on [dates]")
    assert "{{ x }}" in filled  # never a template: the page escapes it as text
    assert rules.paragraphs("One\nline\n\n\n Two \r\n\r\nThree") == ["One\nline", "Two", "Three"]


def test_progress_counts_and_rounds_down() -> None:
    today = date(2026, 6, 1)
    past, later = date(2026, 5, 1), date(2026, 7, 1)
    done = rules.progress([(past, "done"), (past, "planned"), (later, "in_progress"),
                           (past, "dropped")], today)  # fmt: skip
    assert (done.total, done.overdue, done.done_percent) == (4, 1, 33)
    assert rules.progress([], today).done_percent == 0
    assert rules.progress([(past, "done"), (past, "dropped")], today).done_percent == 100


# Presidencies over time -------------------------------------------------------------------


def test_terms_run_from_one_meeting_to_the_next(meetings: None) -> None:
    seventh = selectors.term("7MSP")
    assert seventh.presidency.state_id == "DEU"
    assert seventh.since is not None and seventh.since.code == "6MSP"
    assert selectors.term("2RC-2").since.code == "2RC-1"  # type: ignore[union-attr]
    assert selectors.in_office(date(2017, 5, 1)).presidency.state_id == "DEU"  # type: ignore[union-attr]
    assert selectors.in_office(date(2017, 9, 6)).until.code == "7MSP"  # type: ignore[union-attr]
    assert selectors.in_office(date(2017, 9, 7)).until.code == "8MSP"  # type: ignore[union-attr]
    assert selectors.in_office(date(2026, 11, 29)).until.code == "3RC"  # type: ignore[union-attr]
    assert selectors.next_meeting(Meeting.objects.get(code="13MSP")).code == "3RC"  # type: ignore[union-attr]
    assert selectors.next_meeting(Meeting.objects.get(code="3RC")) is None


def test_public_presidency_pages(personas: dict[str, Client], meetings: None) -> None:
    assert_matrix(personas, "/presidencies/", PUBLIC)
    assert_matrix(personas, "/presidencies/7MSP/", PUBLIC)
    page = Client().get("/presidencies/").content.decode()
    assert 'data-meeting="7MSP"' in page and "Germany" in page
    seventh = Client().get("/presidencies/7MSP/").content.decode()
    assert "From the 6th Meeting of States Parties to the 7th Meeting of States Parties" in seventh
    assert 'data-stage="not_open"' in seventh or 'data-stage="designated"' in seventh
    assert "desk" not in seventh.lower()  # the public sees no door to the desk
    assert Client().get("/presidencies/99MSP/").status_code == 404
    assert queries(Client(), "/presidencies/") <= 4
    assert queries(Client(), "/presidencies/7MSP/") <= 10
    french = Client().get("/fr/presidencies/7MSP/").content.decode()
    assert "Présidence de la 7e Assemblée des États parties" in french


# The succession -------------------------------------------------------------------------


def test_the_consultations_on_the_next_presidency(
    personas: dict[str, Client], meetings: None
) -> None:
    staff = personas["staff"]
    assert_matrix(personas, "/staff/meetings/3RC/desk/", DESK)
    assert_matrix(personas, "/staff/meetings/3RC/succession/open/", {**DESK, "presidency": 302,
                  "staff": 302}, method="post", data={"opens_on": "2026-13-01"})  # fmt: skip
    assert not Succession.objects.exists()  # a day that does not exist opens nothing
    desk = staff.get("/staff/meetings/3RC/desk/").content.decode()
    assert 'data-stage="not_open"' not in desk  # no next Meeting yet: the form opens one
    assert "/staff/meetings/3RC/work-plan/report/?lang=fr&amp;format=pdf" in desk
    opened = staff.post("/staff/meetings/3RC/succession/open/", {"opens_on": "2026-02-15"})
    assert opened.status_code == 302 and opened["Location"].endswith("/14MSP/succession/")
    succession = Succession.objects.get()
    assert (succession.meeting.code, succession.meeting.number) == ("14MSP", 14)
    assert staff.post("/staff/meetings/3RC/succession/open/",
                      {"opens_on": "2026-02-15"}, follow=True).status_code == 200  # fmt: skip
    assert Succession.objects.count() == 1  # opening twice opens nothing more
    url = "/staff/meetings/14MSP/succession/"
    assert_matrix(personas, url, DESK)
    offer = staff.post(url, {"action": "volunteer", "state": "AUT", "offered_on": "2026-03-02",
                             "letter": pdf(), "revision": "1"})  # fmt: skip
    assert offer.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.letter.name.endswith(".pdf")
    assert_matrix(personas, f"/staff/meetings/succession/volunteer/{volunteer.pk}/letter/", DESK)
    # Refused: a letter that is not what it says, a stale copy, a consultation before opening
    fake = staff.post(
        url,
        {
            "action": "volunteer",
            "state": "NZL",
            "offered_on": "2026-03-03",
            "letter": pdf("x.pdf", b"MZ\x90 not a pdf"),
            "revision": "2",
        },
    )
    assert fake.status_code == 400
    stale = staff.post(url, {"action": "volunteer", "state": "NZL", "offered_on": "2026-03-03",
                             "revision": "1"})  # fmt: skip
    assert stale.status_code == 409 and "Someone changed this meanwhile" in stale.content.decode()
    early = staff.post(url, {"action": "consultation", "held_on": "2026-01-01",
                             "summary": "A long summary typed", "revision": "2"})  # fmt: skip
    assert early.status_code == 400
    assert "once the consultations are open" in early.content.decode()
    assert "A long summary typed</textarea>" in early.content.decode()  # what was typed stays
    assert Volunteer.objects.count() == 1
    staff.post(
        url,
        {
            "action": "consultation",
            "held_on": "2026-04-10",
            "summary": "Austria's offer welcomed by the Committee.",
            "revision": "2",
        },
    )
    page = staff.get(url).content.decode()
    assert 'data-stage="consulting"' in page and "welcomed by the Committee" in page
    assert queries(staff, url) <= 13 and queries(staff, "/staff/meetings/3RC/desk/") <= 10
    # The Presidency designates; the designated State is the President-designate
    presidency = personas["presidency"]
    done = presidency.post(url, {"action": "designate", "state": "AUT", "by_meeting": "13MSP",
                                 "president": "", "revision": "3"})  # fmt: skip
    assert done.status_code == 302
    designate = Presidency.objects.get(meeting__code="14MSP")
    assert (designate.state_id, designate.designated_by.code) == ("AUT", "13MSP")  # type: ignore[union-attr]
    assert "Designated by the 13MSP" in designate.source
    public = Client().get("/presidencies/3RC/").content.decode()
    assert 'data-stage="designated"' in public and "Austria" in public
    assert "welcomed by the Committee" not in public  # the consultations stay private
    again = staff.post(url, {"action": "designate", "state": "NZL", "by_meeting": "13MSP",
                             "revision": "4"})  # fmt: skip
    assert again.status_code == 400 and "already designated" in again.content.decode()
    late = staff.post(url, {"action": "consultation", "held_on": "2026-06-01", "summary": "more",
                            "revision": "4"})  # fmt: skip
    assert late.status_code == 400 and "the consultations are over" in late.content.decode()
    assert Presidency.objects.get(meeting__code="14MSP").state_id == "AUT"
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"succession.opened", "succession.volunteer", "succession.consultation",
            "succession.designated"} <= verbs  # fmt: skip


def test_forged_ids_in_the_succession(personas: dict[str, Client], meetings: None) -> None:
    staff = personas["staff"]
    first = services.open_succession(opens_on=date(2026, 1, 1), by=None, number=14)
    other = services.open_succession(opens_on=date(2026, 1, 1), by=None, number=15)
    alien = services.add_volunteer(
        other,
        state=State.objects.get(iso3="AUT"),
        offered_on=date(2026, 2, 1),
        letter=None,
        revision=1,
        by=None,
    )
    forged = staff.post("/staff/meetings/14MSP/succession/",
                        {"action": "withdraw", "volunteer": str(alien.pk),
                         "revision": str(first.revision)}, follow=True)  # fmt: skip
    assert "no such volunteer" in forged.content.decode()
    alien.refresh_from_db()
    assert alien.withdrawn_on is None
    assert staff.post("/staff/meetings/14MSP/succession/", {"action": "burn"}).status_code == 404
    assert staff.get("/staff/meetings/99MSP/succession/").status_code == 404
    assert staff.get("/staff/meetings/succession/volunteer/999/letter/").status_code == 404
    assert staff.get(f"/staff/meetings/succession/volunteer/{alien.pk}/letter/").status_code == 404
    with pytest.raises(ValueError):  # a Meeting that has met takes no consultations
        services.open_succession(opens_on=date(2026, 1, 1), by=None,
                                 meeting=Meeting.objects.get(code="7MSP"))  # fmt: skip
    with pytest.raises(ValueError):  # designated by a later Meeting, or by itself
        services.designate(
            first,
            state=State.objects.get(iso3="AUT"),
            by_meeting=Meeting.objects.get(code="14MSP"),
            revision=1,
            by=None,
        )


# The Coordination Committee -----------------------------------------------------------------


def test_themes_coordinators_meetings_attendance_and_minutes(
    personas: dict[str, Client], meetings: None
) -> None:
    staff = personas["staff"]  # a past year: staff may still correct it
    url = "/staff/meetings/13MSP/coordination/"
    assert_matrix(personas, url, DESK)
    staff.post(url, {"action": "theme", "theme": "Universalization",
                     "theme_fr": "Universalisation", "coordinators": ["CHL", "GBR"]})  # fmt: skip
    staff.post(url, {"action": "theme", "theme": "Risk education"})
    twice = staff.post(url, {"action": "theme", "theme": "universalization"})
    assert twice.status_code == 400 and "already in this year" in twice.content.decode()
    assert Coordination.objects.count() == 2  # a theme once a year
    theme = Coordination.objects.get(theme="Risk education")
    seen = services.coordinators_seen(theme)
    staff.post(url, {"action": "coordinators", "theme": str(theme.pk), "coordinators": ["AUT"],
                     "seen": seen})  # fmt: skip
    stale = staff.post(url, {"action": "coordinators", "theme": str(theme.pk),
                             "coordinators": ["NZL"], "seen": seen}, follow=True)  # fmt: skip
    assert "Someone changed this meanwhile" in stale.content.decode()
    assert list(theme.coordinators.values_list("iso3", flat=True)) == ["AUT"]
    page = Client().get("/presidencies/13MSP/").content.decode()
    assert "Universalization" in page and "Chile" in page and "Austria" in page
    assert "Universalisation" in Client().get("/fr/presidencies/13MSP/").content.decode()
    # A new year copies the themes, not the coordinators (they change every year)
    lao = Presidency.objects.get(meeting__code="3RC")
    assert services.copy_themes(lao, source=theme.presidency, by=None) == 2
    assert not lao.coordination.filter(coordinators__isnull=False).exists()
    # The Committee meets; attendance and minutes are recorded
    made = staff.post(
        url,
        {
            "action": "meeting",
            "on": "2025-03-12",
            "city": "Geneva",
            "venue": "Mission of the Philippines",
            "mode": "in_person",
        },
    )
    assert made.status_code == 302
    cc = Meeting.objects.get(kind="CC")
    assert (cc.code, cc.held_under.meeting.code) == ("CC-2025-03-12", "13MSP")  # type: ignore[union-attr]
    cc_url = f"/staff/meetings/coordination/{cc.code}/"
    assert_matrix(personas, cc_url, DESK)
    bad = staff.post(cc_url, {"action": "attendance", "present": ["CHL"], "apologies": ["CHL"]})
    assert bad.status_code == 400 and not Attendance.objects.exists()
    staff.post(cc_url, {"action": "attendance", "present": ["PHL", "CHL"], "apologies": ["GBR"],
                        "organisations": "ICRC\nCMC\n\nICRC",
                        "seen": services.attendance_seen(cc)})  # fmt: skip
    assert Attendance.objects.filter(presence="present").count() == 4  # PHL, CHL, ICRC, CMC
    page = staff.get(cc_url).content.decode()
    assert queries(staff, cc_url) <= 9 and queries(staff, url) <= 13  # whatever the themes
    assert "United Kingdom" in page.split('id="apologies"')[1].split("</p>")[0]
    assert (
        staff.post(
            cc_url,
            {
                "action": "minutes",
                "summary": "Agreed the letters.",
                "revision": "0",
                "file": pdf("m.docx"),
            },
        ).status_code
        == 400
    )
    staff.post(cc_url, {"action": "minutes", "summary": "Agreed the letters.", "revision": "0",
                        "file": pdf("minutes.pdf")})  # fmt: skip
    minutes = Minutes.objects.get()
    assert minutes.file.name.endswith(".pdf")
    assert staff.get(f"{cc_url}minutes/").status_code == 200
    assert_matrix(personas, f"{cc_url}minutes/", DESK)
    stale = staff.post(cc_url, {"action": "minutes", "summary": "Other", "revision": "0"},
                       follow=True)  # fmt: skip
    assert "Someone changed this meanwhile" in stale.content.decode()
    assert Minutes.objects.get().summary == "Agreed the letters."
    # An item of the work plan agreed at that meeting
    plan = "/staff/meetings/13MSP/work-plan/"
    assert f'value="{cc.code}" selected' in staff.get(f"{plan}?from={cc.code}").content.decode()
    staff.post(
        plan,
        {
            "title": "Letters to States not party",
            "theme": "Universalization",
            "owner": "presidency",
            "due_date": "2025-05-01",
            "from_meeting": cc.code,
        },
    )
    assert WorkPlanItem.objects.get().from_meeting == cc
    assert "Letters to States not party" in staff.get(cc_url).content.decode()
    # Coordination meetings are not public
    assert Client().get(f"/meetings/{cc.code}/").status_code == 404
    assert cc.code not in Client().get("/meetings/").content.decode()
    assert cc.code not in Client().get("/meetings/calendar.ics").content.decode()
    assert staff.get("/staff/meetings/coordination/7MSP/").status_code == 404  # not a CC meeting


# Letters to all States ------------------------------------------------------------------


def _letter(presidency: Presidency) -> Letter:
    return services.save_letter(presidency, {
        "dated": date(2025, 6, 2), "reference": "PHL/CCM/2025/7",
        "subject_en": "The [meeting]", "body_en": "Excellency,\n\nThe [meeting] meets on "
        "[dates] at the [place].\n\n[State] is warmly invited.",
        "subject_fr": "La [meeting]", "body_fr": "Excellence,\n\nLa [meeting] se tiendra du "
        "[dates] au [place].\n\n[State] y est cordialement invité.",
    }, by=None)  # fmt: skip


def test_letters_to_all_states_on_the_letterhead(
    personas: dict[str, Client], meetings: None
) -> None:
    presidency = Presidency.objects.get(meeting__code="13MSP")
    staff = personas["staff"]
    url = "/staff/meetings/13MSP/letters/"
    assert_matrix(personas, url, DESK)
    for refused in (
        {"dated": "2025-06-02", "subject_en": "x", "body_en": "To [Sate]"},  # typo
        {"dated": "2025-06-02", "subject_en": "x", "body_en": "y", "subject_fr": "z"},  # no text
        {"dated": "02/06/2025", "subject_en": "x", "body_en": "y"},
        {"dated": "2025-06-02", "subject_en": "", "body_en": "y"},
    ):
        assert staff.post(url, {**refused, "revision": "0"}).status_code == 400, refused
    assert not Letter.objects.exists()
    started = staff.get(f"{url}?start=announcement").content.decode()
    assert "La [meeting] : dates, lieu et participation" in started  # all three languages
    assert "Excelencia:" in started and "I have the honour" in started
    assert "I have the honour" not in staff.get(f"{url}?start=nothing").content.decode()
    for key in letters.starting_points():  # every model letter is complete and valid
        assert services.save_letter(presidency, {"dated": date(2025, 6, 1),
                                    **letters.starting_point(key)}, by=None).languages == [
            "en", "fr", "es"]  # fmt: skip
    Letter.objects.all().delete()
    staff.post("/staff/meetings/13MSP/desk/", {
        "president": "Carlos D. Sorreta", "president_title": "Ambassador, Permanent Representative",
        "address": "Avenue Blanc 47\n1202 Geneva", "revision": "1",
    })  # fmt: skip
    letter = _letter(Presidency.objects.get(pk=presidency.pk))
    assert letter.languages == ["en", "fr"]
    assert_matrix(personas, f"/staff/meetings/letters/{letter.pk}/", DESK)
    assert_matrix(personas, f"/staff/meetings/letters/{letter.pk}/fr/", DESK)
    english = staff.get(f"/staff/meetings/letters/{letter.pk}/en/").content.decode()
    assert (
        'class="letterhead"' in english
        and "Presidency of the 13th Meeting of States Parties" in english
    )
    assert "Carlos D. Sorreta" in english and "Ambassador, Permanent Representative" in english
    assert "16 September 2025 – 19 September 2025" in english and "[State]" in english
    french = staff.get(f"/staff/meetings/letters/{letter.pk}/fr/").content.decode()
    assert "Présidence de la 13e Assemblée des États parties" in french
    assert staff.get(f"/staff/meetings/letters/{letter.pk}/es/").status_code == 404  # not written
    assert staff.get(f"/staff/meetings/letters/{letter.pk}/de/").status_code == 404
    assert_matrix(personas, f"/staff/meetings/letters/{letter.pk}/states/?to=all", DESK)
    parties = letters.audience("parties", letter.dated)
    assert len(parties) > 100 and all(isinstance(s, State) for s in parties)
    bundle = staff.get(f"/staff/meetings/letters/{letter.pk}/states/?to=parties&format=pdf")
    assert bundle["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(bundle.content))
    assert len(reader.pages) >= len(parties)
    text = "\n".join(page.extract_text() for page in reader.pages)
    france = State.objects.get(iso3="FRA")
    assert france.language == "fr" and "France y est cordialement invité" in text
    assert "Chile is warmly invited" in text  # Spanish not written: English for Chile
    assert staff.get(f"/staff/meetings/letters/{letter.pk}/states/?to=kings").status_code == 404
    # A change from an older copy is refused
    edit = f"/staff/meetings/letters/{letter.pk}/"
    fields = {"dated": "2025-06-02", "subject_en": "New", "body_en": "Text", "revision": "1"}
    assert staff.post(edit, fields).status_code == 302
    stale = staff.post(edit, {**fields, "subject_en": "Older"}, follow=True)
    assert "Someone changed this meanwhile" in stale.content.decode()
    assert Letter.objects.get().subject_en == "New"
    assert staff.get("/staff/meetings/letters/9999/").status_code == 404


def test_the_circular_is_printed_on_the_presidencys_letterhead(
    personas: dict[str, Client], meetings: None
) -> None:
    circular = personas["staff"].get("/staff/reporting/letters/circular/?as_of=2017-05-02")
    html = circular.content.decode()
    assert (
        'class="letterhead"' in html and "Presidency of the 7th Meeting of States Parties" in html
    )
    assert 'class="sign signature"' in html and "President of the 7th Meeting" in html


def test_an_unsafe_national_logo_is_refused_at_the_desk(
    personas: dict[str, Client], meetings: None
) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = personas["staff"].post("/staff/meetings/13MSP/desk/", {
        "president": "x", "president_title": "", "address": "", "revision": "1",
        "national_logo": SimpleUploadedFile("flag.svg", svg, content_type="image/svg+xml"),
    })  # fmt: skip
    assert response.status_code == 400 and "refused" in response.content.decode()
    assert not Presidency.objects.get(meeting__code="13MSP").national_logo
    good = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
            b'<rect width="10" height="10"/></svg>')  # fmt: skip
    personas["staff"].post("/staff/meetings/13MSP/desk/", {
        "president": "x", "president_title": "", "address": "", "revision": "1",
        "national_logo": SimpleUploadedFile("flag.svg", good, content_type="image/svg+xml"),
    })  # fmt: skip
    head = selectors.letterhead_of(Presidency.objects.get(meeting__code="13MSP"), "es")
    assert head.logo.startswith("data:image/svg+xml;base64,")
    assert head.signs_as == "Presidente de la 13.ª Reunión de los Estados Partes"


# The progress report --------------------------------------------------------------------


def test_the_progress_report_on_the_work_plan(personas: dict[str, Client], meetings: None) -> None:
    meeting = Meeting.objects.get(code="13MSP")
    today = timezone.localdate()
    for title, theme, status, due in (
        ("Letters to States not party", "Universalization", "done", today - timedelta(days=9)),
        ("Regional seminar", "Universalization", "planned", today - timedelta(days=1)),
        ("Reporting guide", "Transparency", "in_progress", today + timedelta(days=30)),
        ("Old idea", "", "dropped", today - timedelta(days=90)),
    ):
        item = services.add_work_plan_item(
            meeting,
            title=title,
            theme=theme,
            owner="isu",
            owner_state=None,
            due_date=due,
            notes="",
            by=None,
        )
        if status != "planned":
            services.set_item_status(item, status=status, revision=1, by=None)
    url = "/staff/meetings/13MSP/work-plan/report/"
    assert_matrix(personas, url, DESK)
    html = personas["presidency"].get(url).content.decode()
    assert "4 items in the work plan; 33% done." in html and "1 item is overdue." in html
    assert html.index("Transparency") < html.index("Universalization") < html.index("Other items")
    assert '<td data-status="done">1</td>' in html
    spanish = personas["presidency"].get(f"{url}?lang=es&format=pdf")
    reader = PdfReader(io.BytesIO(spanish.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Informe sobre la marcha" in text or "marcha" in text
    assert "Regional seminar" in text
    assert personas["staff"].get(f"{url}?lang=de").status_code == 404
    assert personas["staff"].get("/staff/meetings/99MSP/work-plan/report/").status_code == 404


def test_deadlines_load_with_their_source_and_twice_is_once(meetings: None) -> None:
    deadline = Meeting.objects.get(code="7MSP").deadlines.get()
    assert (deadline.what, deadline.due_on) == ("notes_verbales", date(2017, 8, 18))
    assert deadline.source == "www.clusterconvention.org/"
    assert services.load_meetings().deadlines == 0


def test_what_the_review_found_is_refused(
    personas: dict[str, Client],
    meetings: None,
    settings,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    staff, presidency = personas["staff"], personas["presidency"]
    # Who recorded a row is in the audit log, never on a public page
    staff.post("/staff/meetings/3RC/succession/open/", {"opens_on": "2026-02-15"})
    succession = Succession.objects.get()
    services.designate(
        succession,
        state=State.objects.get(iso3="AUT"),
        by_meeting=Meeting.objects.get(code="13MSP"),
        revision=1,
        by=None,
    )
    for public in ("/meetings/14MSP/", "/presidencies/14MSP/"):
        page = Client().get(public).content.decode()
        assert "@" not in page.split("<main", 1)[1].split("</main>")[0], public
    # A Meeting already presided takes no consultations; a later Meeting designates no one
    with pytest.raises(services.Refused):
        services.open_succession(opens_on=date(2026, 1, 1), by=None,
                                 meeting=Meeting.objects.get(code="3RC"))  # fmt: skip
    fifteenth = services.open_succession(opens_on=date(2026, 1, 1), by=None, number=15)
    with pytest.raises(services.Refused):  # the 14th has not met: it cannot designate yet
        services.designate(
            fifteenth,
            state=State.objects.get(iso3="NZL"),
            by_meeting=Meeting.objects.get(code="14MSP"),
            revision=1,
            by=None,
        )
    offer = services.add_volunteer(
        fifteenth,
        state=State.objects.get(iso3="NZL"),
        offered_on=date(2026, 2, 1),
        letter=None,
        revision=1,
        by=None,
    )
    services.withdraw_volunteer(offer, on=date(2026, 3, 1), revision=2, by=None)
    with pytest.raises(services.Refused):  # withdrawn once, not twice
        services.withdraw_volunteer(offer, on=date(2026, 6, 1), revision=3, by=None)
    offer.refresh_from_db()
    assert offer.withdrawn_on == date(2026, 3, 1)
    # A Presidency account changes its own year, not a past one; staff may correct any
    assert presidency.get("/staff/meetings/13MSP/desk/").status_code == 200  # it reads
    for url, data in (
        ("/staff/meetings/13MSP/desk/", {"president": "x", "revision": "1"}),
        ("/staff/meetings/13MSP/coordination/", {"action": "theme", "theme": "x"}),
        ("/staff/meetings/13MSP/letters/", {"dated": "2025-01-01", "subject_en": "x",
                                            "body_en": "y", "revision": "0"}),
        ("/staff/meetings/13MSP/work-plan/", {"title": "x", "owner": "isu",
                                              "due_date": "2025-01-01"}),
        ("/staff/meetings/13MSP/succession/open/", {"opens_on": "2025-01-01"}),
    ):  # fmt: skip
        assert presidency.post(url, data).status_code == 403, url
    assert Presidency.objects.get(meeting__code="13MSP").president == "Carlos D. Sorreta"
    assert presidency.post("/staff/meetings/3RC/coordination/", {
        "action": "theme", "theme": "Victim assistance"}).status_code == 302  # fmt: skip
    # The letterhead: a stale copy is refused and keeps what was typed
    desk = "/staff/meetings/3RC/desk/"
    assert presidency.post(desk, {"president": "A", "revision": "1"}).status_code == 302
    stale = presidency.post(desk, {"president": "B typed", "revision": "1"})
    assert stale.status_code == 409 and 'value="B typed"' in stale.content.decode()
    assert Presidency.objects.get(meeting__code="3RC").president == "A"
    # The Committee: a day outside the term; attendance changed meanwhile; minutes replaced
    lao = Presidency.objects.get(meeting__code="3RC")
    with pytest.raises(services.Refused):
        services.add_coordination_meeting(lao, on=date(2025, 3, 1), city="Geneva", venue="",
                                          mode="in_person", by=None)  # fmt: skip
    cc = services.add_coordination_meeting(lao, on=date(2026, 3, 1), city="Geneva", venue="",
                                           mode="in_person", by=None)  # fmt: skip
    seen = services.attendance_seen(cc)
    services.record_attendance(cc, present=[lao.state], apologies=[], organisations=["ICRC"],
                               seen=seen, by=None)  # fmt: skip
    with pytest.raises(services.ConflictError):
        services.record_attendance(cc, present=[], apologies=[], organisations=[], seen=seen,
                                   by=None)  # fmt: skip
    assert cc.attendance.count() == 2
    theme = lao.coordination.get()
    with pytest.raises(services.ConflictError):
        services.set_coordinators(theme, coordinators=[lao.state], seen="stale", by=None)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        first = services.record_minutes(cc, summary="One", file=pdf("a.pdf"), revision=0, by=None)
    old = first.file.name
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.record_minutes(cc, summary="Two", file=pdf("b.pdf"), revision=1, by=None)
    assert not first.file.storage.exists(old)  # the replaced file is gone
    cc.minutes.refresh_from_db()
    assert cc.minutes.file.storage.exists(cc.minutes.file.name)
    cc.minutes.file.storage.delete(cc.minutes.file.name)  # a file lost from the disk: 404
    assert staff.get(f"/staff/meetings/coordination/{cc.code}/minutes/").status_code == 404
