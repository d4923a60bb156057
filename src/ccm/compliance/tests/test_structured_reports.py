"""A structured report the ISU records satisfies the obligation at once (issue #9): one source
of truth for compliance, the record of reports received."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.compliance.rules import Compliance, Kind
from ccm.compliance.selectors import engine_inputs
from ccm.compliance.tests.factories import complete_record
from ccm.core.testing.files import PDF
from ccm.registry.models import State
from ccm.reports import services
from ccm.reports.tests.factories import example_report_document


def test_an_imported_report_satisfies_the_annual_obligation(reference: None) -> None:
    day = date(2025, 5, 1)
    before = engine_inputs().obligations(day, state="CHL", kind=Kind.ANNUAL)
    # Not in the public record, and nothing shows it never came: unknown (issue #24) ...
    assert next(o for o in before if o.period == 2024).status is Compliance.UNKNOWN
    complete_record("CHL")  # ... overdue once the ISU holds Chile's record complete
    before = engine_inputs().obligations(day, state="CHL", kind=Kind.ANNUAL)
    assert next(o for o in before if o.period == 2024).status is Compliance.OVERDUE
    document = example_report_document()
    services.import_report_document(document, received_on=date(2025, 4, 28), by=None)
    after = engine_inputs().obligations(day, state="CHL", kind=Kind.ANNUAL)
    assert next(o for o in after if o.period == 2024).status is Compliance.ON_TIME
    out = io.StringIO()
    call_command("obligations", "--as-of", "2025-05-01", "--state", "CHL", "--kind", "annual",
                 "--format", "json", stdout=out)  # fmt: skip
    row = next(r for r in json.loads(out.getvalue()) if r["period"] == 2024)
    assert (row["status"], row["satisfied_on"]) == ("on_time", "2025-04-28")


def test_a_report_the_isu_entered_from_an_email_counts_from_the_day_it_arrived(
    reference: None, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    staff = make_user(Role.ISU_STAFF)
    report = services.start_report(
        state=State.objects.get(iso3="CHL"), kind="annual", period=2024, by=staff
    )
    for code, values in example_report_document()["forms"].items():
        services.save_form(report, code, values, revision=None, by=staff)
    pdf = SimpleUploadedFile("chile.pdf", PDF)  # a real one: uploads are checked (issue #32)
    with mock.patch.object(services, "html_to_pdf", return_value=b"%PDF-1.7 test"):
        services.record_received_report(
            report, received_on=date(2025, 5, 20), channel="email_un", file=pdf,
            languages=["es"], by=staff, today=date(2025, 5, 22),
        )  # fmt: skip
    after = engine_inputs().obligations(date(2025, 6, 1), state="CHL", kind=Kind.ANNUAL)
    row = next(o for o in after if o.period == 2024)
    assert (row.status, row.satisfied_on) == (Compliance.LATE, date(2025, 5, 20))
