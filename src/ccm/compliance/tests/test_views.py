"""The public dashboard, its downloads, the State page's obligations and the iCalendar feed."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.test import Client
from icalendar import Calendar
from openpyxl import load_workbook

from ccm.compliance.choices import Decision
from ccm.compliance.models import ExtensionRequest, Holding
from ccm.compliance.tests.factories import complete_record
from ccm.core.testing.permissions import assert_matrix
from ccm.core.testing.queries import assert_queries_do_not_grow
from ccm.registry.choices import ActionKind
from ccm.registry.tests import factories
from ccm.reports.choices import Origin
from ccm.reports.tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db


def _states(n: int) -> None:
    """States in force with reports of every kind of status."""
    for i in range(n):
        s = factories.StateFactory()
        factories.TreatyActionFactory(state=s, kind=ActionKind.SIGNATURE, date=date(2008, 12, 3))
        factories.TreatyActionFactory(state=s, kind=ActionKind.RATIFICATION, date=date(2011, 1, 1))
        if i % 3 == 0:
            SubmissionFactory(
                state=s, kind="initial", received_on=date(2011, 12, 1), source="t", origin="staff"
            )
        if i % 5 == 0:
            Holding.objects.create(state=s, kind="clearance", source="t")


@pytest.mark.parametrize(
    "url",
    [
        "/reporting/?as_of=2016-06-01",
        "/reporting/?as_of=2016-06-01&format=json",
        "/reporting/?as_of=2016-06-01&format=csv",
        "/reporting/?as_of=2016-06-01&format=xlsx",
    ],
)
def test_dashboard_queries_do_not_grow_with_the_number_of_states(client: Client, url: str) -> None:
    # 6, and 3 for the evidence that reports had not arrived (issue #15): the statements, the
    # published lists and the complete records
    assert_queries_do_not_grow(client, url, _states, most=9)


def test_public_pages_are_open_to_everyone(personas: dict[str, Client]) -> None:
    for url in ["/reporting/", "/states/CHL/deadlines.ics", "/reporting/?format=json"]:
        assert_matrix(
            personas,
            url,
            {
                "anonymous": 200,
                "other_focal_point": 200,
                "focal_point": 200,
                "presidency": 200,
                "staff": 200,
            },
        )


def test_unknown_state_calendar_is_404(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/states/XXX/deadlines.ics").status_code == 404


def test_dashboard_answers_for_a_date_from_the_history(client: Client, reference) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/reporting/?as_of=2019-08-01").content.decode()
    assert "Key figures on 1 August 2019" in html
    assert 'data-figure="in_force">' in html
    # Namibia's initial report, due 31 Jul 2019, arrived by then: not in the overdue list.
    overdue = html.split('id="overdue-initial"')[1].split("</table>")[0]
    unknown = html.split('id="unknown-initial"')[1].split("</table>")[0]
    # Issue #24: the list is of the certainly overdue. Cabo Verde is named by the list of
    # 11 Jun 2019; Afghanistan is not, and that list is complete: its report had arrived.
    assert 'data-iso3="NAM"' not in overdue and 'data-iso3="CPV"' in overdue
    assert 'data-iso3="AFG"' not in overdue + unknown
    # The Gambia's (due 28 Nov 2019) is not yet due on that day.
    assert 'data-iso3="GMB"' not in overdue + unknown
    assert "data-demo-banner" not in html


def test_downloads_hold_exactly_what_is_shown(client: Client, reference) -> None:  # type: ignore[no-untyped-def]
    url = "/reporting/?as_of=2019-08-01"
    html = client.get(url).content.decode()
    shown = html.count('<tr data-iso3="')
    data = json.loads(client.get(url + "&format=json").content)
    listed = sum(len(v) for v in data["lists"].values())
    assert listed == shown
    assert data["initial"]["overdue"] == len(data["lists"]["overdue_initial"])
    assert f'data-figure="initial_overdue">{data["initial"]["overdue"]}<' in html
    rows = list(csv.DictReader(io.StringIO(client.get(url + "&format=csv").content.decode())))
    assert len(rows) == shown
    assert {r["iso3"] for r in rows if r["list"] == "overdue_initial"} == set(
        data["initial"]["overdue_iso3"]
    )
    response = client.get(url + "&format=xlsx")
    assert response["Content-Disposition"].endswith('2019-08-01.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    lists = ["Initial reports overdue", "Annual reports missing", "Reports due soon"]
    lists += ["Initial reports unknown", "Annual reports unknown"]  # issue #24
    assert book.sheetnames == ["Summary", *lists]  # one sheet per list (issue item 16)
    assert sum(book[name].max_row - 1 for name in lists) == shown


def test_demonstration_data_is_labelled_wherever_it_shows(client: Client, reference) -> None:  # type: ignore[no-untyped-def]
    SubmissionFactory(
        state_id="AFG", kind="initial", received_on=date(2012, 9, 1), source="generated",
        origin=Origin.DEMO,
    )  # fmt: skip
    dashboard = client.get("/reporting/?as_of=2013-01-01").content.decode()
    assert "data-demo-banner" in dashboard
    page = client.get("/states/AFG/?as_of=2013-01-01").content.decode()
    assert "data-demo-banner" in page and "demo</span>" in page
    data = json.loads(client.get("/reporting/?as_of=2013-01-01&format=json").content)
    assert data["includes_demonstration_data"] is True


def test_state_page_shows_obligations_received_reports_and_flags(client: Client, reference) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/states/CHE/?as_of=2014-01-01").content.decode()
    assert 'data-flag="source-differs"' in html  # the Monitor's 28 Jun 2013
    assert "30 Jun 2013" in html and "28 Jun 2013" in html
    assert "deadlines.ics" in html
    ltu = client.get("/states/LTU/?as_of=2026-01-01").content.decode()
    assert "the withdrawal has taken effect" in ltu


def test_state_page_shows_extensions_and_the_nine_month_check(client: Client, reference) -> None:  # type: ignore[no-untyped-def]
    for iso3 in ("CHL", "AFG"):
        Holding.objects.create(state_id=iso3, kind="clearance", source="test")
    ExtensionRequest.objects.create(
        state_id="CHL", kind="clearance", submitted_on=date(2020, 12, 1),
        requested_until=date(2026, 6, 1), meeting="Second Review Conference",
        meeting_opens=date(2021, 9, 20), decision=Decision.GRANTED, decided_on=date(2021, 9, 21),
        new_deadline=date(2026, 6, 1), source="test",
    )  # fmt: skip
    ExtensionRequest.objects.create(
        state_id="AFG", kind="clearance", submitted_on=date(2021, 2, 1),
        requested_until=date(2028, 3, 1), meeting="Second Review Conference",
        meeting_opens=date(2021, 9, 20), source="test",
    )  # fmt: skip
    chl = client.get("/states/CHL/?as_of=2022-01-01").content.decode()
    assert 'data-check="in-time"' in chl and "1 Jun 2026" in chl
    # Arts. 4(5): five years beyond the deadline then in force (1 Jun 2021) at most.
    assert 'data-check="within-limit"' in chl and "deadline then in force (1 Jun 2021)" in chl
    assert "extended; the treaty's deadline was 1 Jun 2021" in chl
    afg = client.get("/states/AFG/?as_of=2022-01-01").content.decode()
    assert 'data-check="late"' in afg
    # Afghanistan (in force 1 Mar 2012, deadline 1 Mar 2022) asking until 1 Mar 2028: too long.
    assert 'data-check="beyond-limit"' in afg


def test_calendar_feed_lists_each_deadline_once_with_stable_ids(client: Client, reference) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/states/ITA/deadlines.ics")
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    uids = [str(e["uid"]) for e in events]
    assert len(uids) == len(set(uids))
    initial = next(e for e in events if str(e["uid"]) == "ITA-initial-0@ccm-isu")
    assert initial.decoded("dtstart") == date(2012, 8, 28)
    assert "ITA-stockpile_destruction-0@ccm-isu" in uids
    french = Calendar.from_ical(client.get("/fr/states/ITA/deadlines.ics").content)
    assert "rapport initial" in str(next(iter(french.walk("VEVENT")))["summary"])


def test_map_shows_where_each_state_stands_now_not_its_old_gaps(reference) -> None:  # type: ignore[no-untyped-def]
    from ccm.compliance import dashboard
    from ccm.compliance.selectors import engine_inputs

    # Germany: initial report on time (2011) and the 2015 annual report on time (2016); the
    # 2010–2014 annual reports are not in the record.
    # Without a complete record, a report missing from it is unknown, never overdue (issue #24)
    board = dashboard.build(engine_inputs(), date(2016, 8, 1))
    assert board.standings["DEU"] is dashboard.Standing.UP_TO_DATE
    assert board.standings["AFG"] is dashboard.Standing.UNKNOWN  # no initial report recorded
    assert board.standings["BOL"] is dashboard.Standing.OVERDUE  # named as missing by lists
    later = dashboard.build(engine_inputs(), date(2017, 6, 1))  # the 2016 report is not recorded
    assert later.standings["DEU"] is dashboard.Standing.UNKNOWN
    # The ISU holds these records complete: what is missing from them is overdue
    complete_record("AFG", "DEU")
    board = dashboard.build(engine_inputs(), date(2016, 8, 1))
    assert board.standings["DEU"] is dashboard.Standing.UP_TO_DATE
    assert board.standings["AFG"] is dashboard.Standing.OVERDUE  # no initial report recorded
    later = dashboard.build(engine_inputs(), date(2017, 6, 1))  # the 2016 report is not recorded
    assert later.standings["DEU"] is dashboard.Standing.OVERDUE


def test_old_admin_addresses_of_the_records_compliance_took_over_redirect(
    personas: dict[str, Client],
) -> None:
    """Issue #8 moved four models from the reporting app: bookmarks keep working."""
    staff = personas["staff"]
    response = staff.get("/admin/reporting/holding/?kind=clearance")
    assert response.status_code == 301
    assert response["Location"] == "/admin/compliance/holding/?kind=clearance"
    assert staff.get(response["Location"]).status_code == 200
    assert staff.get("/admin/reporting/reminderlog/").status_code == 301
    assert staff.get("/admin/reporting/submission/").status_code == 200  # stays where it was


def test_a_bad_holdings_file_is_refused_whole_with_its_lines(tmp_path, registry_reference) -> None:  # type: ignore[no-untyped-def]
    """The shipped holdings are read like every other table (core.tables): all rows or none."""
    from ccm.compliance import services
    from ccm.core.tables import RowsRefused

    bad = tmp_path / "holdings.csv"
    bad.write_text(
        "iso3,kind,source,completed_on\n"
        "ITA,stockpile_destruction,a source,2015-10-31\n"
        "XXX,stockpile_destruction,a source,\n"
        "ITA,clearance,,31/10/2015\n",
        encoding="utf-8",
    )
    with pytest.raises(RowsRefused) as refused:
        services.load_holdings(bad)
    assert [str(e) for e in refused.value.errors] == [
        "holdings.csv, line 3: iso3 'XXX' is not a known State",
        "holdings.csv, line 4: source is empty",
        "holdings.csv, line 4: completed_on '31/10/2015' is not a date (YYYY-MM-DD)",
    ]
    assert not Holding.objects.exists()
