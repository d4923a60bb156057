"""ISU staff enter a report a State sent by e-mail on its behalf (issue #9): they transcribe it
into the same forms, then record it with the day it arrived and the file attached. The version
says it was entered by the ISU; the record's entry holds the file; the focal points get the
receipt. Every rejected input is refused with nothing written."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.models import AuditEvent
from ccm.core.testing.files import DOC, DOCX, doc, docx
from ccm.core.testing.files import PDF as TINY_PDF
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.registry.tests.factories import ContactFactory
from ccm.reports import definition, services
from ccm.reports.models import Report, ReportVersion, Submission

pytestmark = pytest.mark.django_db
EXAMPLE = definition.example_document(definition.load(services.CURRENT_TEMPLATE))
PDF = TINY_PDF  # a real PDF: uploads are checked by structure (issue #32)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def transcribed(chile: Any) -> Report:
    """Chile's annual report for 2024, every form transcribed by ISU staff."""
    staff = make_user(Role.ISU_STAFF)
    report = services.start_report(state=chile, kind="annual", period=2024, by=staff)
    for code, values in EXAMPLE["forms"].items():
        services.save_form(report, code, copy.deepcopy(values), revision=None, by=staff)
    return report


def upload(content: bytes = PDF, name: str = "chile-2024.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def post(client: Client, report: Report, **changes: Any) -> Any:
    data: dict[str, Any] = {
        "received_on": "2025-04-28",
        "channel": "email_un",
        "languages": ["es", "en"],
        "file": upload(),
    }
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"/my/reports/report/{report.pk}/record/", data)


def test_staff_choose_any_state_and_the_state_page_links_to_it(
    personas: dict[str, Client], chile: Any
) -> None:
    staff = personas["staff"]
    page = staff.get("/my/reports/").content.decode()
    assert '<option value="CHL">Chile</option>' in page and '<option value="PER">' in page
    response = staff.get("/my/reports/", {"state": "chl"})
    assert response.status_code == 302 and response["Location"] == "/my/reports/CHL/"
    assert staff.get("/my/reports/", {"state": "XXX"}).status_code == 404
    # A focal point cannot use the chooser to open another State.
    assert personas["focal_point"].get("/my/reports/", {"state": "PER"})["Location"] == (
        "/my/reports/CHL/"
    )
    link = "Enter a report the State sent by e-mail"
    assert link in staff.get("/states/CHL/").content.decode()
    for name in ("anonymous", "focal_point", "presidency"):
        assert link not in personas[name].get("/states/CHL/").content.decode(), name


def test_staff_record_not_submit_and_others_cannot_record(
    personas: dict[str, Client], transcribed: Report
) -> None:
    url = f"/my/reports/report/{transcribed.pk}/record/"
    page = personas["staff"].get(f"/my/reports/report/{transcribed.pk}/").content.decode()
    assert "Record the report the State sent" in page
    assert "Check your answers and submit" not in page
    own = personas["focal_point"].get(f"/my/reports/report/{transcribed.pk}/").content.decode()
    assert "Check your answers and submit" in own and "Record the report the State sent" not in own
    # Staff never submit online in the State's name.
    refused = personas["staff"].post(f"/my/reports/report/{transcribed.pk}/submit/")
    assert refused.status_code == 302 and not ReportVersion.objects.exists()
    assert_matrix(
        personas,
        url,
        {"anonymous": LOGIN, "other_focal_point": 404, "focal_point": 404, "presidency": 404,
         "staff": 400},
        method="post",
    )  # fmt: skip
    forged = personas["staff"].post(f"/my/reports/report/{transcribed.pk + 99}/record/")
    assert forged.status_code == 404
    assert not ReportVersion.objects.exists() and not Submission.objects.exists()


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"file": None}, "This field is required."),
        (
            {"file": upload(b"just text, not a PDF")},
            "The file&#x27;s content is not a PDF document.",
        ),
        ({"file": upload(PDF, "report.txt")}, "File extension “txt” is not allowed."),
        # Issue #32: checked by structure, not by the first bytes.
        (
            {"file": upload(b"%PDF-1.4\n<html><script>alert(1)</script></html>")},
            "The file is not a readable PDF document: export or print it to PDF again.",
        ),
        (
            {"file": upload(b"PK\x03\x04 and anything", "report.docx")},
            "The file is not a readable Word (.docx) document: save it again as .docx.",
        ),
        (
            {"file": upload(docx(extra={"word/vbaProject.bin": b"macro"}), "report.docx")},
            "The Word document holds macros: save it as a .docx document without macros.",
        ),
        (
            {"file": upload(doc(streams=("Workbook",)), "report.doc")},
            "The file is not a readable Word (.doc) document: save it again as .docx.",
        ),
        ({"received_on": (date.today() + timedelta(days=2)).isoformat()}, "in the future"),
        ({"received_on": "28/04/2025"}, "Enter a valid date."),
        ({"languages": None}, "This field is required."),
        ({"languages": ["xx"]}, "Select a valid choice."),
        ({"channel": "online"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_nothing_written(
    personas: dict[str, Client], transcribed: Report, changes: dict[str, Any], said: str
) -> None:
    response = post(personas["staff"], transcribed, **changes)
    assert response.status_code == 400
    assert said in response.content.decode()
    assert not ReportVersion.objects.exists() and not Submission.objects.exists()
    assert transcribed.drafts.count() == len(EXAMPLE["forms"])  # the transcription is kept


def test_an_oversized_file_is_refused(
    personas: dict[str, Client], transcribed: Report, settings: Any
) -> None:
    settings.CCM_REPORT_FILE_MAX_MB = 1
    big = upload(PDF + b"0" * (1024 * 1024 + 1))
    response = post(personas["staff"], transcribed, file=big)
    assert response.status_code == 400 and "the limit is 1 MB" in response.content.decode()
    assert not ReportVersion.objects.exists()


def test_an_unfinished_transcription_is_refused_with_every_problem(
    personas: dict[str, Client], transcribed: Report
) -> None:
    transcribed.drafts.filter(form="J").delete()
    response = post(personas["staff"], transcribed)
    assert response.status_code == 400
    assert "$.forms.J" in response.content.decode()
    assert not ReportVersion.objects.exists() and not Submission.objects.exists()


def test_recorded_as_entered_by_the_isu_with_the_file_and_the_receipt(
    personas: dict[str, Client], transcribed: Report, fast_pdf: None
) -> None:
    focal = ContactFactory(state_id="CHL", email="focal@minrel.example")
    response = post(personas["staff"], transcribed, file=upload(PDF, "Chile 2024 Art7.pdf"))
    assert response.status_code == 302
    version = ReportVersion.objects.get()
    assert (version.number, version.received_on, version.entered_by_isu) == (
        1, date(2025, 4, 28), True,
    )  # fmt: skip
    assert version.forms == EXAMPLE["forms"]
    record = version.record
    assert (record.channel, record.origin, record.languages) == ("email_un", "staff", "en,es")
    assert record.received_on == date(2025, 4, 28) and record.relation == "original"
    with record.file.open("rb") as f:
        assert f.read() == PDF
    assert "entered by the ISU" in record.source
    assert not transcribed.drafts.exists()
    # The focal points receive the receipt, dated the day the State's e-mail arrived.
    (sent,) = mail.outbox
    assert sent.to == [focal.email] and "CCM-A7-CHL-annual-2024-v1" in sent.subject
    assert "2025-04-28" in sent.body and sent.attachments[0][0].endswith(".pdf")
    event = AuditEvent.objects.get(verb="report.version_submitted")
    assert event.actor_id == version.submitted_by_id and "Chile_2024_Art7" in event.summary
    # The public page says so.
    page = Client().get("/reports/CHL/annual/2024/").content.decode()
    assert "Entered by the ISU on the State" in page
    # A second e-mailed report is an amendment: version 2, beside the original.
    services.start_amendment(transcribed, by=version.submitted_by)
    post(personas["staff"], transcribed, received_on="2025-06-02")
    second = ReportVersion.objects.get(number=2)
    assert second.record.relation == "amendment" and second.received_on == date(2025, 6, 2)


@pytest.mark.parametrize(("content", "name"), [(DOCX, "chile-2024.docx"), (DOC, "chile-2024.doc")])
def test_word_documents_are_recorded(
    personas: dict[str, Client], transcribed: Report, content: bytes, name: str
) -> None:
    response = post(personas["staff"], transcribed, file=upload(content, name))
    assert response.status_code == 302
    assert ReportVersion.objects.get().record.file.name.endswith("." + name.rsplit(".", 1)[1])
