"""The dashboard, its downloads and the command-line contracts on 15 January 2017 (issue #24):
overdue only when certain, the rest unknown, figures and rates as ranges, in English and
French; on a record marked complete the ranges close."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from ccm.compliance.tests.factories import complete_record
from ccm.core.testing.commands import output

pytestmark = pytest.mark.django_db

DAY = "2017-01-15"
# Named as missing by the circular of the time, though the public evidence cannot tell
NOT_KNOWN_MISSING = {"AUS", "FRA", "JPN", "GBR"}


def _rows(html: str, list_id: str) -> set[str]:
    if f'id="{list_id}"' not in html:
        return set()
    table = html.split(f'id="{list_id}"')[1].split("</table>")[0]
    return set(re.findall(r'<tr data-iso3="(\w+)"', table))


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_the_dashboard_gives_ranges_and_keeps_the_unknown_apart(
    client: Client, reference: None, prefix: str
) -> None:
    html = client.get(f"{prefix}/reporting/?as_of={DAY}").content.decode()
    # Headline figure: between 19 and 88, the rate between 10 % and 81 %
    assert 'data-figure="initial_overdue">19<' in html
    assert 'data-figure="initial_overdue_max">88<' in html
    assert "(10–81%)" in html
    overdue, unknown = _rows(html, "overdue-initial"), _rows(html, "unknown-initial")
    assert len(overdue) == 19 and len(unknown) == 69 and not overdue & unknown
    assert unknown >= NOT_KNOWN_MISSING
    # Every row of the overdue list says overdue, every unknown row says unknown, with days
    # only when certain
    table = html.split('id="unknown-initial"')[1].split("</table>")[0]
    assert table.count('data-status="unknown"') == 69 and 'data-status="overdue"' not in table
    assert "#evidence" in table  # each unknown State linked to its evidence
    # The map: a distinct colour and legend entry for the unknown
    assert "#cc79a7" in html
    france = re.search(r'aria-label="France: [^"]*"><path d="[^"]*" fill="(#\w+)"', html)
    assert france and france.group(1) == "#cc79a7"
    if prefix == "/fr":
        assert "Entre 19 et 88 États parties" in html
    else:
        assert "Between 19 and 88 States Parties" in html
        assert "between 10 and 79 of 98 due submitted" in html
        assert "not in our record (unknown)" in table


def test_the_map_colours_the_unknown_apart(reference: None) -> None:
    from datetime import date

    from ccm.compliance import dashboard
    from ccm.compliance.selectors import engine_inputs

    board = dashboard.build(engine_inputs(), date(2017, 1, 15))
    assert all(board.standings[iso3] is dashboard.Standing.UNKNOWN for iso3 in NOT_KNOWN_MISSING)
    assert board.standings["BOL"] is dashboard.Standing.OVERDUE  # named by a list
    drawn = dashboard.standing_map(board)
    legend = [entry["colour"] for entry in drawn["legend"]]  # type: ignore[union-attr]
    assert dashboard.STANDING_COLOURS[dashboard.Standing.UNKNOWN] in legend
    assert len(set(dashboard.STANDING_COLOURS.values())) == len(dashboard.Standing)


def test_the_rates_chart_draws_the_range(client: Client, reference: None) -> None:
    html = client.get(f"/reporting/?as_of={DAY}").content.decode()
    chart = html.split('id="rates-title"')[1].split("</svg>")[0]
    assert 'data-part="unknown"' in chart  # the pale part above the certain bar
    table = html.split('id="rates-table"')[1].split("</table>")[0]
    assert re.search(r"<td>\d+–\d+%</td>", table)


def test_the_downloads_say_the_same(client: Client, reference: None) -> None:
    url = f"/reporting/?as_of={DAY}"
    data = json.loads(client.get(url + "&format=json").content)
    initial = data["initial"]
    assert (initial["overdue"], initial["overdue_min"], initial["overdue_max"]) == (19, 19, 88)
    assert (initial["rate"], initial["rate_max"]) == (0.102, 0.8061)
    assert len(data["lists"]["unknown_initial"]) == 69
    rows = list(csv.DictReader(io.StringIO(client.get(url + "&format=csv").content.decode())))
    unknown = [r for r in rows if r["list"] == "unknown_initial"]
    assert {r["iso3"] for r in unknown} == set(initial["unknown_iso3"])
    assert all(r["status"] == "unknown" and r["days_overdue"] == "" for r in unknown)
    assert not NOT_KNOWN_MISSING & {r["iso3"] for r in rows if r["list"] == "overdue_initial"}
    for prefix in ("", "/fr"):
        book = load_workbook(io.BytesIO(client.get(f"{prefix}{url}&format=xlsx").content))
        summary = book[book.sheetnames[0]]
        headers = [c.value for c in summary[5]]
        first = {h: c.value for h, c in zip(headers, summary[6], strict=True)}
        values = list(first.values())
        assert 19 in values and 69 in values  # overdue, and not in our record
        assert 0.102 in [round(v, 3) for v in values if isinstance(v, float)]
        unknown_sheet = book[book.sheetnames[4]]
        assert unknown_sheet.max_row - 1 == 69


def test_the_compliance_command_contract(reference: None) -> None:
    data = json.loads(output("compliance", "--as-of", DAY, "--format", "json"))
    initial = data["initial"]
    assert initial["overdue"] == initial["overdue_min"] == 19 and initial["overdue_max"] == 88
    assert initial["overdue_iso3"] == initial["overdue_certain_iso3"]
    assert not NOT_KNOWN_MISSING & set(initial["overdue_iso3"])
    assert set(initial["unknown_iso3"]) >= NOT_KNOWN_MISSING
    assert (initial["rate"], initial["rate_max"]) == (0.102, 0.8061)
    assert initial["on_time_rate"] <= initial["on_time_rate_max"]
    table = output("compliance", "--as-of", DAY).splitlines()
    header = table[0].split()
    for column in ("rate", "rate_max", "on_time_rate", "on_time_rate_max", "overdue_min"):
        assert column in header
    initial_row = table[1].split()
    assert initial_row[header.index("overdue")] == "19"
    assert initial_row[header.index("rate_max")] == "0.8061"


def test_the_obligations_command_says_unknown_with_no_days(reference: None) -> None:
    rows = json.loads(
        output("obligations", "--as-of", DAY, "--kind", "initial", "--format", "json")
    )
    by_iso3 = {r["iso3"]: r for r in rows}
    for iso3 in NOT_KNOWN_MISSING:
        assert by_iso3[iso3]["status"] == "unknown" and by_iso3[iso3]["days_overdue"] is None
    assert by_iso3["BOL"]["status"] == "overdue" and by_iso3["BOL"]["days_overdue"] > 0
    assert sum(r["status"] == "overdue" for r in rows) == 19
    assert sum(r["status"] == "unknown" for r in rows) == 69
    table = output("obligations", "--as-of", DAY, "--kind", "initial").splitlines()
    assert table[-1].endswith("; 19 overdue; 69 unknown")


def test_a_record_marked_complete_closes_every_range(client: Client, reference: None) -> None:
    call_command("mark_record_complete", stdout=io.StringIO())
    data = json.loads(output("compliance", "--as-of", DAY, "--format", "json"))
    for t in [data["initial"], *data["annual"]]:
        assert t["overdue_min"] == t["overdue_max"] == t["overdue"] and t["unknown_iso3"] == []
        assert (t["rate"], t["on_time_rate"]) == (t["rate_max"], t["on_time_rate_max"])
    rows = json.loads(output("obligations", "--as-of", DAY, "--format", "json"))
    assert not [r for r in rows if r["status"] == "unknown"]
    assert {"AUS", "FRA"} <= {r["iso3"] for r in rows if r["status"] == "overdue"}
    html = client.get(f"/reporting/?as_of={DAY}").content.decode()
    assert 'data-figure="initial_overdue_max"' not in html and 'id="unknown-initial"' not in html
    assert 'data-part="unknown"' not in html


def test_one_state_complete_leaves_the_others_unknown(reference: None) -> None:
    complete_record("FRA")
    data = json.loads(output("compliance", "--as-of", DAY, "--format", "json"))
    initial = data["initial"]
    assert "FRA" in initial["overdue_iso3"] and "FRA" not in initial["unknown_iso3"]
    assert {"AUS", "JPN", "GBR"} <= set(initial["unknown_iso3"])
    assert (initial["overdue_min"], initial["overdue_max"]) == (20, 88)
