"""A structured report the ISU records satisfies the obligation at once (issue #9): one source
of truth for compliance, the record of reports received."""

from __future__ import annotations

import io
import json
from datetime import date

from django.core.management import call_command

from ccm.compliance.rules import Compliance, Kind
from ccm.compliance.selectors import engine_inputs
from ccm.reports import services
from ccm.reports.tests.factories import example_report_document


def test_an_imported_report_satisfies_the_annual_obligation(reference: None) -> None:
    day = date(2025, 5, 1)
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
