"""An amendment is recorded beside its original and never changes the deadline it met (moved
from the record's tests, issue #8)."""

from __future__ import annotations

from datetime import date

from ccm.compliance.rules import Compliance, Kind
from ccm.compliance.selectors import engine_inputs
from ccm.reports import services
from ccm.reports.choices import Relation
from ccm.reports.tests.factories import Submission

HEADER = "iso3,kind,period,received_on,channel,languages,un_link,note,source\n"
GOOD = "CHL,annual,2023,2024-04-20,email_un,es,,,ISU register\n"


def test_an_amendment_is_recorded_beside_the_original_and_never_replaces_it(
    registry_reference: None,
) -> None:
    services.import_reports("a.csv", (HEADER + GOOD).encode(), by=None)
    amendment = "CHL,annual,2023,2024-03-01,email_un,es,,,corrected table,amendment\n"
    services.import_reports("b.csv", (HEADER.strip() + ",relation\n" + amendment).encode(), by=None)
    assert Submission.objects.filter(relation=Relation.AMENDMENT).count() == 1
    o = next(
        o
        for o in engine_inputs().obligations(date(2024, 12, 31), state="CHL")
        if o.kind is Kind.ANNUAL and o.period == 2023
    )
    assert o.satisfied_on == date(2024, 4, 20)  # the original's date
    assert o.status is Compliance.ON_TIME
