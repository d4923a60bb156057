"""Staff record and correct reports in the admin: audited, with a reason, conflicts refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from ccm.core.models import AuditEvent
from ccm.reports.models import Submission

pytestmark = pytest.mark.django_db

FORM = {
    "state": "CHL", "kind": "initial", "period": "", "received_on": "2011-11-20",
    "received_by": "", "channel": "email_un", "languages": "es", "un_link": "",
    "stated_due_date": "", "notes": "", "source": "ISU register",
}  # fmt: skip


def test_admin_of_reports_is_for_staff_only(personas: dict[str, Client]) -> None:
    for url in ["/admin/reporting/submission/", "/admin/reporting/submission/add/"]:
        for name, client in personas.items():
            response = client.get(url)
            if name == "staff":
                assert response.status_code == 200, url
            else:  # the admin sends everyone else to its own sign-in page
                assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_record_then_correct_a_report_with_a_reason(personas: dict[str, Client]) -> None:
    staff = personas["staff"]
    response = staff.post("/admin/reporting/submission/add/", FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Submission.objects.get()
    assert (record.origin, record.version) == ("staff", 1)
    assert AuditEvent.objects.filter(verb="submission.recorded").exists()
    url = f"/admin/reporting/submission/{record.pk}/change/"
    no_reason = staff.post(url, {**FORM, "received_on": "2011-11-21", "loaded_version": 1})
    assert (
        no_reason.status_code == 200
        and "Say why the record is corrected." in no_reason.content.decode()
    )
    ok = staff.post(
        url, {**FORM, "received_on": "2011-11-21", "loaded_version": 1, "change_reason": "typo"}
    )
    assert ok.status_code == 302
    record.refresh_from_db()
    assert (record.received_on, record.version) == (date(2011, 11, 21), 2)
    event = AuditEvent.objects.get(verb="submission.corrected")
    assert event.before is not None and event.summary.endswith("typo")
    assert event.before["received_on"] == "2011-11-20"
    # A second form opened before that correction carries version 1: refused, nothing lost.
    stale = staff.post(
        url, {**FORM, "received_on": "2011-12-01", "loaded_version": 1, "change_reason": "late"}
    )
    assert stale.status_code == 200 and "Someone else changed this record" in stale.content.decode()
    record.refresh_from_db()
    assert record.received_on == date(2011, 11, 21)


def test_a_file_that_is_not_what_its_name_says_is_refused(personas: dict[str, Client]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = personas["staff"].post("/admin/reporting/submission/add/", {**FORM, "file": fake})
    assert "The file&#x27;s content is not a PDF document." in response.content.decode()
    exe = SimpleUploadedFile("report.exe", b"MZ", content_type="application/octet-stream")
    response = personas["staff"].post("/admin/reporting/submission/add/", {**FORM, "file": exe})
    assert "File extension “exe” is not allowed" in response.content.decode()
    assert Submission.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(personas: dict[str, Client], settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.CCM_REPORT_FILE_MAX_MB = 1
    big = SimpleUploadedFile("report.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))
    response = personas["staff"].post("/admin/reporting/submission/add/", {**FORM, "file": big})
    assert "the limit is 1 MB" in response.content.decode()
    assert Submission.objects.count() == 0
