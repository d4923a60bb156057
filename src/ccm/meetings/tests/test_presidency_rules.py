"""Presidencies by the rules (issue #25): only a State Party on the day may offer to preside or
be designated (the United States is refused, by every way in); a Presidency's records are
changed by that Presidency and the ISU, never by another Presidency's account, whatever ids
are forged; the chain of Presidencies is complete from the shipped facts (the Netherlands,
6th Meeting)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.tables import RowsRefused
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.meetings import selectors, services
from ccm.meetings.admin import PresidencyAdminForm
from ccm.meetings.models import (
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
FLAG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 30 20">'
        b'<rect width="30" height="20" fill="#c00"/></svg>')  # fmt: skip


@pytest.fixture
def meetings(registry_reference: None, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    services.load_meetings()


def state(iso3: str) -> State:
    return State.objects.get(iso3=iso3)


def signed_in(*states: str) -> Client:
    client = Client()
    client.force_login(make_user(Role.PRESIDENCY, *states))
    return client


# Only a State Party on the day ------------------------------------------------------------


def test_a_state_not_party_is_refused_as_volunteer_and_as_designated(meetings: None) -> None:
    succession = services.open_succession(opens_on=date(2026, 1, 1), by=None, number=14)
    with pytest.raises(services.Refused, match="United States of America was not a State "
                       "Party on 1 February 2026"):  # fmt: skip
        services.add_volunteer(succession, state=state("USA"), offered_on=date(2026, 2, 1),
                               letter=None, revision=1, by=None)  # fmt: skip
    with pytest.raises(services.Refused, match="only a State Party may offer to preside"):
        services.designate(succession, state=state("USA"),
                           by_meeting=Meeting.objects.get(code="13MSP"), revision=1,
                           by=None)  # fmt: skip
    # On the day: Sri Lanka acceded on 1 March 2018; Lithuania's withdrawal took effect in 2025
    with pytest.raises(services.Refused, match="Sri Lanka was not a State Party on"):
        services.check_may_preside(state("LKA"), date(2017, 6, 1))
    services.check_may_preside(state("LKA"), date(2018, 3, 1))
    with pytest.raises(services.Refused, match="Lithuania was not a State Party"):
        services.add_volunteer(succession, state=state("LTU"), offered_on=date(2026, 2, 1),
                               letter=None, revision=1, by=None)  # fmt: skip
    assert not Volunteer.objects.exists() and not Presidency.objects.filter(
        meeting__code="14MSP").exists()  # fmt: skip
    assert Succession.objects.get().revision == 1  # nothing written, not even the revision
    offer = services.add_volunteer(succession, state=state("AUT"), offered_on=date(2026, 2, 1),
                                   letter=None, revision=1, by=None)  # fmt: skip
    assert offer.state_id == "AUT"


def test_the_forms_say_why_a_state_not_party_is_refused(
    personas: dict[str, Client], meetings: None
) -> None:
    services.open_succession(opens_on=date(2026, 1, 1), by=None, number=14)
    url = "/staff/meetings/14MSP/succession/"
    lao = personas["presidency"]  # the Presidency in office runs its successor's consultations
    offer = lao.post(url, {"action": "volunteer", "state": "USA", "offered_on": "2026-02-01",
                           "revision": "1"})  # fmt: skip
    assert offer.status_code == 400
    assert "United States of America was not a State Party on 1 February 2026" in (
        offer.content.decode())  # fmt: skip
    designated = personas["staff"].post(url, {"action": "designate", "state": "USA",
                                              "by_meeting": "13MSP", "revision": "1"})  # fmt: skip
    assert designated.status_code == 400 and "only a State Party" in designated.content.decode()
    assert not Volunteer.objects.exists()
    assert not Presidency.objects.filter(meeting__code="14MSP").exists()


def test_the_admin_refuses_a_state_not_party(meetings: None) -> None:
    meeting = services.open_succession(opens_on=date(2026, 1, 1), by=None, number=14).meeting
    thirteenth = Meeting.objects.get(code="13MSP")
    form = PresidencyAdminForm(data={"meeting": meeting.pk, "state": "USA",
                                     "designated_by": thirteenth.pk, "source": "typed",
                                     "revision": 1})  # fmt: skip
    assert not form.is_valid()
    assert "was not a State Party on 19 September 2025" in str(form.errors["state"])
    good = PresidencyAdminForm(data={"meeting": meeting.pk, "state": "AUT",
                                     "designated_by": thirteenth.pk, "source": "typed",
                                     "revision": 1})  # fmt: skip
    assert good.is_valid(), good.errors


def test_the_loader_refuses_a_president_not_party_and_writes_nothing(
    registry_reference: None, tmp_path: Path
) -> None:
    rows = services.MEETINGS_CSV.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "meetings.csv"
    bad.write_text("\n".join([*rows, "14MSP,MSP,14,2026-09-01,2026-09-03,Geneva,Switzerland,,"
                              "United States of America,Someone,,a source"]) + "\n",
                   encoding="utf-8")  # fmt: skip
    facts = tmp_path / "facts.csv"
    facts.write_text(services.FACTS_CSV.read_text(encoding="utf-8")
                     + "5MSP,president,Atlantis; Amb. Nobody,,a source\n",
                     encoding="utf-8")  # fmt: skip
    with pytest.raises(RowsRefused) as refused:
        services.load_meetings(bad, facts)
    said = "\n".join(str(e) for e in refused.value.errors)
    assert "United States of America was not a State Party on 2026-09-01" in said
    assert "president 'Atlantis' is not a known State" not in said  # 5MSP names Costa Rica
    assert not Meeting.objects.exists() and not Presidency.objects.exists()


# The chain of Presidencies ----------------------------------------------------------------


def test_the_chain_is_complete_from_the_shipped_facts(meetings: None) -> None:
    sixth = Presidency.objects.get(meeting__code="6MSP")
    assert (sixth.state_id, sixth.president, sixth.president_title) == (
        "NLD", "Henk Cor van der Kwast", "Ambassador")  # fmt: skip
    assert "paperzz.com/doc/7610753" in sixth.source and "ccm_meeting_facts.csv" in sixth.source
    # Every Meeting the shipped data gives a President has its Presidency: no gap in 1MSP..
    with services.MEETINGS_CSV.open(encoding="utf-8") as fh:
        named = {r["code"] for r in csv.DictReader(fh) if r["president_state"]}
    with services.FACTS_CSV.open(encoding="utf-8") as fh:
        named |= {r["meeting"] for r in csv.DictReader(fh) if r["field"] == "president"}
    chain = [t.until.code for t in selectors.terms()]
    assert named <= set(chain), named - set(chain)
    formal = [m.code for m in selectors.formal_meetings()]
    assert chain == formal[: len(chain)] and chain[0] == "1MSP" and chain[-1] == "3RC"
    assert [m for m in formal if m not in chain] == []  # every formal Meeting is presided
    assert selectors.in_office(date(2016, 6, 1)).presidency.state_id == "NLD"  # type: ignore[union-attr]
    assert selectors.term("7MSP").since.code == "6MSP"  # type: ignore[union-attr]
    page = Client().get("/presidencies/").content.decode()
    assert 'data-meeting="6MSP"' in page and "Netherlands" in page
    again = services.load_meetings()
    assert again.presidencies == 0  # loading twice adds nothing


def test_a_facts_president_naming_no_known_state_is_refused(
    registry_reference: None, tmp_path: Path
) -> None:
    facts = tmp_path / "facts.csv"
    text = services.FACTS_CSV.read_text(encoding="utf-8")
    facts.write_text(text.replace("6MSP,president,Netherlands;", "6MSP,president,Nederland;"),
                     encoding="utf-8")  # fmt: skip
    with pytest.raises(RowsRefused, match="president 'Nederland' is not a known State"):
        services.load_meetings(facts_csv=facts)
    assert not Meeting.objects.exists()


# A Presidency's records, changed by that Presidency and the ISU only ---------------------


@pytest.fixture
def two_presidencies(meetings: None) -> dict[str, object]:
    """Lao's Presidency of the 3rd Review Conference (in office) with a letter, a theme, a
    coordination meeting and a work-plan item; Austria designated for the 14th Meeting, whose
    own consultations on the 15th are open."""
    lao = Presidency.objects.get(meeting__code="3RC")
    succession = services.open_succession(opens_on=date(2026, 1, 1), by=None, number=14)
    austria = services.designate(succession, state=state("AUT"),
                                 by_meeting=Meeting.objects.get(code="13MSP"), revision=1,
                                 by=None)  # fmt: skip
    services.open_succession(opens_on=date(2026, 2, 1), by=None, number=15)
    letter = services.save_letter(lao, {"dated": date(2026, 3, 1), "subject_en": "Lao's",
                                        "body_en": "Text"}, by=None)  # fmt: skip
    theme = services.add_theme(lao, theme="Universalization", coordinators=[state("CHL")],
                               by=None)  # fmt: skip
    cc = services.add_coordination_meeting(lao, on=date(2026, 3, 12), city="Geneva", venue="",
                                           mode="in_person", by=None)  # fmt: skip
    item = services.add_work_plan_item(lao.meeting, title="Lao's item", theme="", owner="isu",
                                       owner_state=None, due_date=date(2026, 6, 1), notes="",
                                       by=None)  # fmt: skip
    return {"lao": lao, "austria": austria, "letter": letter, "theme": theme, "cc": cc,
            "item": item}  # fmt: skip


def test_the_permission_matrix_of_a_presidencys_records(
    personas: dict[str, Client], two_presidencies: dict[str, object]
) -> None:
    people = {**personas, "other_presidency": signed_in("AUT"), "no_state": signed_in()}
    letter, cc, item = (two_presidencies[k] for k in ("letter", "cc", "item"))
    reads = {"anonymous": LOGIN, "other_focal_point": 403, "focal_point": 403, "presidency": 200,
             "staff": 200, "other_presidency": 200, "no_state": 200}  # fmt: skip

    def writes(allowed: int) -> dict[str, int | str]:
        return {"anonymous": LOGIN, "other_focal_point": 403, "focal_point": 403,
                "presidency": allowed, "staff": allowed, "other_presidency": 403,
                "no_state": 403}  # fmt: skip

    for url, allowed in (  # an empty form: past the door, it is refused as incomplete
        ("/staff/meetings/3RC/desk/", 400),
        ("/staff/meetings/3RC/coordination/", 404),
        ("/staff/meetings/3RC/letters/", 400),
        (f"/staff/meetings/letters/{letter.pk}/", 400),  # type: ignore[attr-defined]
        ("/staff/meetings/3RC/work-plan/", 400),
        (f"/staff/meetings/work-plan/{item.pk}/status/", 302),  # type: ignore[attr-defined]
        (f"/staff/meetings/coordination/{cc.code}/", 404),  # type: ignore[attr-defined]
        ("/staff/meetings/3RC/succession/open/", 302),
    ):
        if not url.endswith(("/status/", "/open/")):
            assert_matrix(people, url, reads)
        assert_matrix(people, url, writes(allowed), method="post")
    # The consultations on the 15th Meeting are Austria's (the Presidency before it): Lao's
    # account is the other Presidency there
    url = "/staff/meetings/15MSP/succession/"
    assert_matrix(people, url, reads)
    assert_matrix(people, url, {**writes(404), "presidency": 403, "other_presidency": 404},
                  method="post")  # fmt: skip


def test_another_presidency_changes_nothing_whatever_the_ids(
    personas: dict[str, Client], two_presidencies: dict[str, object]
) -> None:
    lao_client, austria_client = personas["presidency"], signed_in("AUT")
    lao = two_presidencies["lao"]
    letter, theme, cc, item = (two_presidencies[k] for k in ("letter", "theme", "cc", "item"))
    assert isinstance(letter, Letter) and isinstance(theme, Coordination)
    assert isinstance(cc, Meeting) and isinstance(item, WorkPlanItem)
    refused = (
        ("/staff/meetings/3RC/desk/", {"president": "Forged", "revision": "1"}),
        ("/staff/meetings/3RC/desk/", {"president": "", "revision": "1", "national_logo":
                                       SimpleUploadedFile("f.svg", FLAG, "image/svg+xml")}),
        ("/staff/meetings/3rc/coordination/", {"action": "theme", "theme": "Forged"}),
        ("/staff/meetings/3RC/coordination/", {"action": "coordinators", "theme": str(theme.pk),
                                               "coordinators": ["AUT"],
                                               "seen": services.coordinators_seen(theme)}),
        ("/staff/meetings/3RC/letters/", {"dated": "2026-03-02", "subject_en": "Forged",
                                          "body_en": "x", "revision": "0"}),
        (f"/staff/meetings/letters/{letter.pk}/", {"dated": "2026-03-02", "subject_en": "Forged",
                                                   "body_en": "x", "revision": "1"}),
        (f"/staff/meetings/work-plan/{item.pk}/status/", {"status": "done", "revision": "1"}),
        ("/staff/meetings/3RC/work-plan/", {"title": "Forged", "owner": "isu",
                                            "due_date": "2026-06-01"}),
        (f"/staff/meetings/coordination/{cc.code}/", {"action": "minutes", "summary": "Forged",
                                                      "revision": "0"}),
    )  # fmt: skip
    for url, data in refused:
        assert austria_client.post(url, data).status_code == 403, url
    # Austria's own desk and Committee take no id of Lao's: a forged theme is not found there
    mine = austria_client.post("/staff/meetings/14MSP/coordination/", {
        "action": "coordinators", "theme": str(theme.pk), "coordinators": ["AUT"],
        "seen": services.coordinators_seen(theme)}, follow=True)  # fmt: skip
    assert "Nothing was changed" in mine.content.decode()
    # Lao's account, in turn, leaves Austria's records alone: its letterhead and its logo
    assert (
        lao_client.post(
            "/staff/meetings/14MSP/desk/",
            {
                "president": "Forged",
                "revision": "1",
                "national_logo": SimpleUploadedFile("f.svg", FLAG, "image/svg+xml"),
            },
        ).status_code
        == 403
    )
    assert lao_client.post("/staff/meetings/15MSP/succession/", {
        "action": "volunteer", "state": "LAO", "offered_on": "2026-03-01",
        "revision": "1"}).status_code == 403  # fmt: skip
    lao.refresh_from_db()  # type: ignore[attr-defined]
    theme.refresh_from_db()
    item.refresh_from_db()
    letter.refresh_from_db()
    assert lao.president == "" and not lao.national_logo  # type: ignore[attr-defined]
    assert list(theme.coordinators.values_list("iso3", flat=True)) == ["CHL"]
    assert not Coordination.objects.filter(theme="Forged").exists()
    assert item.status == "planned" and not WorkPlanItem.objects.filter(title="Forged").exists()
    assert letter.subject_en == "Lao's" and not Letter.objects.filter(subject_en="Forged").exists()
    assert not Minutes.objects.filter(meeting=cc).exists()
    austria = Presidency.objects.get(meeting__code="14MSP")
    assert austria.president == "" and not austria.national_logo
    assert not Volunteer.objects.exists()
    # ...while each Presidency changes its own: Austria its letterhead and logo, Lao its own
    done = austria_client.post("/staff/meetings/14MSP/desk/", {
        "president": "Ambassador of Austria", "revision": "1",
        "national_logo": SimpleUploadedFile("f.svg", FLAG, "image/svg+xml")})  # fmt: skip
    assert done.status_code == 302
    austria.refresh_from_db()
    assert austria.president == "Ambassador of Austria" and austria.national_logo
    assert austria_client.post("/staff/meetings/15MSP/succession/", {
        "action": "volunteer", "state": "NZL", "offered_on": "2026-03-01",
        "revision": "1"}).status_code == 302  # fmt: skip
    assert lao_client.post(f"/staff/meetings/work-plan/{item.pk}/status/",
                           {"status": "done", "revision": "1"}).status_code == 302  # fmt: skip
    item.refresh_from_db()
    assert item.status == "done"
    # A Presidency account given no State changes nothing, and staff change any
    assert signed_in().post("/staff/meetings/3RC/desk/", {"president": "x", "revision": "1"}
                            ).status_code == 403  # fmt: skip
    assert personas["staff"].post("/staff/meetings/3RC/desk/", {
        "president": "Corrected by the ISU", "revision": "1"}).status_code == 302  # fmt: skip


def test_may_change_is_the_one_rule(two_presidencies: dict[str, object]) -> None:
    lao_user, austria_user = make_user(Role.PRESIDENCY, "LAO"), make_user(Role.PRESIDENCY, "AUT")
    staff = make_user(Role.ISU_STAFF)
    third, fourteenth = Meeting.objects.get(code="3RC"), Meeting.objects.get(code="14MSP")
    cc = two_presidencies["cc"]
    assert selectors.may_change(lao_user, third) and not selectors.may_change(lao_user, fourteenth)
    assert selectors.may_change(austria_user, fourteenth)  # designated: its records are its own
    assert not selectors.may_change(austria_user, third)
    assert selectors.may_change(lao_user, cc) and not selectors.may_change(austria_user, cc)  # type: ignore[arg-type]
    assert not selectors.may_change(lao_user, None) and selectors.may_change(staff, None)
    # A past year stays as it was, even for its own State's account
    assert not selectors.may_change(make_user(Role.PRESIDENCY, "PHL"),
                                    Meeting.objects.get(code="13MSP"))  # fmt: skip
    assert selectors.may_change(staff, Meeting.objects.get(code="13MSP"))
