"""The ISU records meetings and their documents without the Django admin (issue #26): a new
meeting with its Presidency and deadlines, a change to it (refused when made from an older copy),
its documents with their UN symbols and a file per language, shown on the public page. Every
refusal is tested, and the permission matrix with forged ids."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ccm.core.models import AuditEvent
from ccm.core.testing.files import PDF
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.core.testing.queries import queries
from ccm.meetings import services
from ccm.meetings.models import Deadline, Document, DocumentFile, Meeting, Presidency

pytestmark = pytest.mark.django_db
STAFF_ONLY: dict[str, int | str] = {
    "anonymous": LOGIN, "other_focal_point": 403, "focal_point": 403, "presidency": 403,
    "staff": 200,
}  # fmt: skip


@pytest.fixture
def meetings(registry_reference: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    services.load_meetings()


def pdf(name: str = "doc.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def new_meeting(**changes: Any) -> dict[str, Any]:
    data = {
        "code": "14MSP", "kind": "MSP", "name": "", "number": "14", "start_date": "2027-09-14",
        "end_date": "2027-09-16", "city": "Geneva", "venue": "Palais des Nations",
        "host": "CHE", "mode": "in_person", "sponsor": "", "presidency_state": "AUT",
        "president": "Alexander Kmentt", "deadline_notes_verbales": "2027-08-13",
        "deadline_registration": "2027-08-27", "deadline_documents": "",
        "deadline_side_events": "", "notes": "",
    }  # fmt: skip
    data.update(changes)
    return data


def edit_of(meeting: Meeting, **changes: Any) -> dict[str, Any]:
    data = new_meeting(**{"revision": str(meeting.revision), **changes})
    data.pop("code")
    return data


# Create -----------------------------------------------------------------------------------


def test_staff_record_a_meeting_with_its_presidency_and_deadlines(
    personas: dict[str, Client], meetings: None
) -> None:
    response = personas["staff"].post("/staff/meetings/new/", new_meeting())
    assert response.status_code == 302 and response["Location"] == "/staff/meetings/14MSP/"
    made = Meeting.objects.get(code="14MSP")
    assert (made.kind, made.number, str(made.start_date), made.host_id, made.revision) == (
        "MSP", 14, "2027-09-14", "CHE", 1)  # fmt: skip
    assert made.title == "14th Meeting of States Parties"
    assert made.presidency.state_id == "AUT" and made.presidency.president == "Alexander Kmentt"
    assert {d.what: str(d.due_on) for d in made.deadlines.all()} == {
        "notes_verbales": "2027-08-13", "registration": "2027-08-27"}  # fmt: skip
    assert AuditEvent.objects.filter(verb="meeting.created").count() == 1
    public = Client().get("/meetings/14MSP/").content.decode()
    assert "14th Meeting of States Parties" in public and "Austria" in public
    assert 'data-deadline="registration"' in public


def test_an_informal_meeting_with_its_title_and_sponsor(
    personas: dict[str, Client], meetings: None
) -> None:
    data = new_meeting(code="REG-LIM-2027", kind="REG", name="Regional workshop in Lima",
                       number="", presidency_state="", president="", host="PER", city="Lima",
                       sponsor="Peru and the ISU", deadline_notes_verbales="",
                       deadline_registration="")  # fmt: skip
    assert personas["staff"].post("/staff/meetings/new/", data).status_code == 302
    made = Meeting.objects.get(code="REG-LIM-2027")
    assert made.title == "Regional workshop in Lima" and made.sponsor == "Peru and the ISU"
    assert not Presidency.objects.filter(meeting=made).exists()


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"end_date": "2027-09-10"}, "closes before it opens"),
        ({"start_date": "", "end_date": "2027-09-10"}, "has an opening day"),
        ({"presidency_state": "USA"}, "was not a State Party on"),
        ({"presidency_state": "XXX"}, "Select a valid choice"),  # a forged State
        ({"host": "ZZZ"}, "Select a valid choice"),
        ({"kind": "CC"}, "Select a valid choice"),  # the Committee's are recorded elsewhere
        ({"kind": "REG", "name": "Seminar"}, "A Presidency presides over"),
        ({"code": "7MSP"}, "already taken"),
        ({"code": "new"}, "The code is 2 to 20"),
        ({"code": "a b/c"}, "The code is 2 to 20"),
        ({"mode": "telepathy"}, "Select a valid choice"),
        ({"start_date": "14/09/2027"}, "Enter a valid date"),
    ],
)  # fmt: skip
def test_a_refused_meeting_writes_nothing_and_says_why(
    personas: dict[str, Client], meetings: None, changes: dict[str, str], said: str
) -> None:
    before = (Meeting.objects.count(), Presidency.objects.count(), Deadline.objects.count())
    response = personas["staff"].post("/staff/meetings/new/", new_meeting(**changes))
    assert response.status_code == 400
    assert said in response.content.decode()
    assert 'value="Alexander Kmentt"' in response.content.decode()  # what was typed is kept
    assert (Meeting.objects.count(), Presidency.objects.count(), Deadline.objects.count()) == before


def test_the_service_refuses_a_non_party_presidency_and_an_end_before_the_start(
    meetings: None,
) -> None:
    from datetime import date

    from ccm.registry.models import State

    values = {"kind": "MSP", "name": "", "number": 14, "start_date": None, "end_date": None,
              "city": "", "venue": "", "host": None, "mode": "in_person", "sponsor": "",
              "notes": ""}  # fmt: skip
    with pytest.raises(services.Refused, match="not a State Party"):
        services.create_meeting(code="14MSP", values=values, by=None,
                                presidency_state=State.objects.get(iso3="USA"))  # fmt: skip
    with pytest.raises(services.Refused, match="closes before it opens"):
        services.create_meeting(code="14MSP", by=None, values={
            **values, "start_date": date(2027, 9, 2), "end_date": date(2027, 9, 1)})  # fmt: skip
    assert not Meeting.objects.filter(code="14MSP").exists()


# Edit --------------------------------------------------------------------------------------


def test_staff_change_a_meeting_and_an_older_copy_is_refused(
    personas: dict[str, Client], meetings: None
) -> None:
    personas["staff"].post("/staff/meetings/new/", new_meeting())
    made = Meeting.objects.get(code="14MSP")
    page = personas["staff"].get("/staff/meetings/14MSP/").content.decode()
    assert 'name="revision" value="1"' in page and 'value="2027-09-14"' in page
    seen = edit_of(made, venue="Palais des Nations, Room XIX", deadline_registration="")
    assert personas["staff"].post("/staff/meetings/14MSP/", seen).status_code == 302
    made.refresh_from_db()
    assert made.venue == "Palais des Nations, Room XIX" and made.revision == 2
    assert set(made.deadlines.values_list("what", flat=True)) == {"notes_verbales"}
    # a colleague's copy, opened at revision 1, is refused: nothing is overwritten
    stale = edit_of(made, revision="1", venue="CICG", city="Lausanne")
    response = personas["staff"].post("/staff/meetings/14MSP/", stale)
    assert response.status_code == 409
    assert "changed this meeting meanwhile" in response.content.decode()
    made.refresh_from_db()
    assert (made.venue, made.city, made.revision) == ("Palais des Nations, Room XIX", "Geneva", 2)
    # refusals on a change, as on a new meeting
    for changes, status in (
        ({"end_date": "2027-09-01"}, 400),
        ({"presidency_state": "USA"}, 400),
        ({"presidency_state": ""}, 400),
        ({"revision": "x"}, 400),
    ):
        response = personas["staff"].post("/staff/meetings/14MSP/", edit_of(made, **changes))
        assert response.status_code == status, changes
    made.refresh_from_db()
    assert made.revision == 2 and made.presidency.state_id == "AUT"
    assert AuditEvent.objects.filter(verb="meeting.changed").count() == 1


def test_staff_meeting_pages_permission_matrix_with_forged_ids(
    personas: dict[str, Client], meetings: None
) -> None:
    assert_matrix(personas, "/staff/meetings/", STAFF_ONLY)
    assert_matrix(personas, "/staff/meetings/new/", STAFF_ONLY)
    assert_matrix(personas, "/staff/meetings/7MSP/", STAFF_ONLY)
    assert_matrix(personas, "/staff/meetings/7MSP/documents/", STAFF_ONLY)
    refused = {**STAFF_ONLY, "staff": 400}
    assert_matrix(personas, "/staff/meetings/new/", refused, method="post",
                  data=new_meeting(end_date="2020-01-01"))  # fmt: skip
    posting = {k: (v if v != 200 else 302) for k, v in STAFF_ONLY.items()}
    seventh = Meeting.objects.get(code="7MSP")
    assert_matrix(personas, "/staff/meetings/7MSP/", {**posting, "staff": 400}, method="post",
                  data=edit_of(seventh, presidency_state="XXX"))  # fmt: skip
    # forged codes: an unknown meeting, and a Committee meeting (recorded elsewhere)
    for url in ("/staff/meetings/99MSP/", "/staff/meetings/99MSP/documents/"):
        assert personas["staff"].get(url).status_code == 404
    assert Meeting.objects.filter(code="7MSP", revision=1).exists()  # nobody changed it
    assert queries(personas["staff"], "/staff/meetings/") <= 8


# Documents ---------------------------------------------------------------------------------


def document(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"action": "document", "symbol": "CCM/MSP/2017/1",
                            "title": "Provisional agenda", "kind": "agenda",
                            "issued_on": "2017-06-01", "file_en": pdf("agenda-en.pdf"),
                            "file_fr": pdf("agenda-fr.pdf")}  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_upload_a_document_and_the_public_sees_it(
    personas: dict[str, Client], meetings: None
) -> None:
    Client().get("/meetings/7MSP/")  # the public page, cached before the upload
    response = personas["staff"].post("/staff/meetings/7MSP/documents/",
                                      document(symbol=" CCM/MSP/2017/1 "))  # fmt: skip
    assert response.status_code == 302
    made = Document.objects.get()
    assert (made.symbol, made.meeting.code, made.kind, str(made.issued_on)) == (
        "CCM/MSP/2017/1", "7MSP", "agenda", "2017-06-01")  # fmt: skip
    assert sorted(made.files.values_list("language", flat=True)) == ["en", "fr"]
    assert AuditEvent.objects.filter(verb="document.added").count() == 1
    public = Client().get("/meetings/7MSP/").content.decode()
    assert "CCM/MSP/2017/1" in public and "Provisional agenda" in public
    link = f"/meetings/7MSP/documents/{made.pk}/fr/"
    assert link in public
    assert Client().get(link).status_code == 200
    # one more language, then the same language again is refused
    more = {"action": "file", "document": str(made.pk), "language": "es", "file": pdf()}
    assert personas["staff"].post("/staff/meetings/7MSP/documents/", more).status_code == 302
    again = {"action": "file", "document": str(made.pk), "language": "es", "file": pdf()}
    response = personas["staff"].post("/staff/meetings/7MSP/documents/", again)
    assert response.status_code == 400 and "already has its file in this language" in (
        response.content.decode())  # fmt: skip
    assert made.files.count() == 3
    # the staff pages' queries do not grow with the documents and their files
    first = queries(personas["staff"], "/staff/meetings/7MSP/documents/")
    second = document(symbol="CCM/MSP/2017/2")
    assert personas["staff"].post("/staff/meetings/7MSP/documents/", second).status_code == 302
    assert queries(personas["staff"], "/staff/meetings/7MSP/documents/") == first <= 12
    assert queries(personas["staff"], "/staff/meetings/7MSP/") <= 14


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"symbol": "CCM/XYZ/2017/1"}, "the body is MSP or CONF"),
        ({"symbol": "MSP/2017/1"}, "is not a document symbol"),
        ({"symbol": "CCM/MSP/1999/1"}, "outside 2008"),
        ({"kind": "poem"}, "Select a valid choice"),
        ({"title": ""}, "This field is required"),
        ({"file_en": None, "file_fr": None}, "at least one language"),
        ({"file_en": pdf("agenda.pdf", b"%PDF-1.4 <html>not a pdf</html>")}, "not a readable PDF"),
        ({"file_en": pdf("agenda.exe", PDF)}, "File extension"),
        ({"file_en": pdf("agenda.pdf", b"MZ\x90\x00")}, "content is not a PDF"),
        ({"issued_on": "1/6/2017"}, "Enter a valid date"),
    ],
)  # fmt: skip
def test_a_refused_document_writes_nothing_and_says_why(
    personas: dict[str, Client], meetings: None, changes: dict[str, Any], said: str
) -> None:
    response = personas["staff"].post("/staff/meetings/7MSP/documents/", document(**changes))
    assert response.status_code == 400
    assert said in response.content.decode()
    assert not Document.objects.exists() and not DocumentFile.objects.exists()


def test_a_duplicate_symbol_and_forged_document_ids_are_refused(
    personas: dict[str, Client], meetings: None
) -> None:
    staff = personas["staff"]
    assert staff.post("/staff/meetings/7MSP/documents/", document()).status_code == 302
    response = staff.post("/staff/meetings/8MSP/documents/", document(title="Other"))
    assert response.status_code == 400
    assert "The symbol CCM/MSP/2017/1 is already recorded" in response.content.decode()
    assert Document.objects.count() == 1 and DocumentFile.objects.count() == 2
    made = Document.objects.get()
    # a document of the 7th Meeting, posted to the 8th's page, or an id that does not exist
    for code, pk in (("8MSP", made.pk), ("7MSP", made.pk + 999), ("7MSP", "x")):
        forged = {"action": "file", "document": str(pk), "language": "es", "file": pdf()}
        got = staff.post(f"/staff/meetings/{code}/documents/", forged).status_code
        assert got in (400, 404), (code, pk, got)
    assert staff.post("/staff/meetings/7MSP/documents/", {"action": "nope"}).status_code == 404
    assert DocumentFile.objects.count() == 2
    forged = {"action": "file", "document": str(made.pk), "language": "xx", "file": pdf()}
    assert staff.post("/staff/meetings/7MSP/documents/", forged).status_code == 400
    # nobody but staff may post a document
    posting = {**STAFF_ONLY, "staff": 302}
    for persona, want in posting.items():
        if persona == "staff":
            continue
        answer = personas[persona].post("/staff/meetings/7MSP/documents/",
                                        document(symbol="CCM/MSP/2017/2"))  # fmt: skip
        assert answer.status_code == (302 if want == LOGIN else want), persona
    assert Document.objects.count() == 1
