"""What the record of reports received means for compliance: shipped facts against the rules,
imports, voluntary reports, published rates (moved from the record's tests, issue #8)."""

from __future__ import annotations

import io
import json
from datetime import date

from openpyxl import Workbook

from ccm.compliance.rules import Compliance, Kind
from ccm.compliance.selectors import engine_inputs
from ccm.compliance.tests.factories import complete_record
from ccm.core.models import AuditEvent
from ccm.core.testing.commands import output
from ccm.reports import services
from ccm.reports.tests.factories import Submission

HEADER = "iso3,kind,period,received_on,received_by,channel,languages,un_link,note,source\n"


def test_shipped_facts_agree_with_the_rules_except_the_flagged_swiss_deadline(reference):
    items = engine_inputs().obligations(date(2020, 1, 1), kind=Kind.INITIAL)
    by_iso3 = {o.iso3: o for o in items}
    # "All four initial reports due in 2019 arrived on time; received_by is the due date".
    for iso3, due in {"LKA": "2019-02-28", "NAM": "2019-07-31", "GMB": "2019-11-28"}.items():
        o = by_iso3[iso3]
        assert o.due_date == date.fromisoformat(due) and o.status is Compliance.ON_TIME
        assert o.satisfied_by_only
    # The Philippines: "submitted 17 days before its deadline".
    phl = by_iso3["PHL"]
    assert phl.satisfied_on is not None and (phl.due_date - phl.satisfied_on).days == 17
    assert by_iso3["ITA"].status is Compliance.ON_TIME  # filed on the deadline day, 28 Aug 2012
    che = by_iso3["CHE"]
    assert (che.due_date, che.source_due_date, che.source_differs) == (
        date(2013, 6, 30),
        date(2013, 6, 28),
        True,
    )


def test_an_annual_report_whose_year_is_unknown_satisfies_no_year(reference):
    # Uruguay: "one annual update received in 2013 (year covered not stated)".
    # On the public record alone its earlier years are unknown, not satisfied (issue #24) ...
    ury = engine_inputs().obligations(date(2014, 6, 1), state="URY", kind=Kind.ANNUAL)
    earlier = [o for o in ury if o.period and o.period < 2013]
    assert earlier and all(o.status is Compliance.UNKNOWN for o in earlier)
    # ... and overdue once the ISU holds the record complete.
    complete_record("URY")
    ury = engine_inputs().obligations(date(2014, 6, 1), state="URY", kind=Kind.ANNUAL)
    assert all(o.status is Compliance.OVERDUE for o in ury if o.period and o.period < 2013)
    assert Submission.objects.filter(state_id="URY", kind="annual", period=None).count() == 1


def test_xlsx_import_is_idempotent_and_audited(reference):
    book = Workbook()
    sheet = book.active
    sheet.append(["iso3", "kind", "period", "received_on", "received_by", "channel", "source"])
    sheet.append(["FRA", "annual", 2012, date(2013, 5, 2), None, "email_un", "ISU register"])
    sheet.append(["USA", "voluntary", None, date(2012, 3, 1), None, None, "ISU register"])
    buffer = io.BytesIO()
    book.save(buffer)
    first = services.import_reports("register.xlsx", buffer.getvalue(), by=None)
    second = services.import_reports("register.xlsx", buffer.getvalue(), by=None)
    assert (first.created, second.created, second.unchanged) == (2, 0, 2)
    assert AuditEvent.objects.filter(verb="reports.imported", actor_label="").count() == 1
    fra = engine_inputs().obligations(date(2014, 1, 1), state="FRA", kind=Kind.ANNUAL)
    assert next(o for o in fra if o.period == 2012).status is Compliance.LATE


def test_a_voluntary_report_never_counts_as_compliance(reference):
    services.import_reports(
        "v.csv", (HEADER + "DEU,voluntary,,2011-01-01,,,,,,ISU register\n").encode(), by=None
    )
    Submission.objects.filter(state_id="DEU", kind="initial").delete()
    deu = engine_inputs().obligations(date(2012, 1, 1), state="DEU", kind=Kind.INITIAL)
    assert deu[0].status is Compliance.UNKNOWN  # not satisfied; not in our record (issue #24)
    complete_record("DEU")  # the ISU's complete record: certainly overdue
    deu = engine_inputs().obligations(date(2012, 1, 1), state="DEU", kind=Kind.INITIAL)
    assert deu[0].status is Compliance.OVERDUE


def test_published_2015_initial_report_rate_is_consistent_with_the_rules(reference):
    # reporting.md: "on 18 June 2015, 68 States Parties had submitted an initial report (80% of
    # those for which it had fallen due)". The rules must give about 85 States whose initial
    # report had fallen due by then (68 / 0.80).
    data = json.loads(output("compliance", "--as-of", "2015-06-18", "--format", "json"))
    assert round(68 / data["initial"]["due"] * 100) in (80, 81)
