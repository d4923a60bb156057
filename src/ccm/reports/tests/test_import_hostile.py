"""Hostile and careless register files (issue #7, items 7–10 and 17): each is refused with its
row and reason — never a traceback, a 500 or a silent loss — and nothing is written."""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.models import AuditEvent
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.registry.models import State
from ccm.reports import imports, services
from ccm.reports.choices import Relation
from ccm.reports.models import Submission

HEADER = "iso3,kind,period,received_on,channel,languages,un_link,note,source\n"
GOOD = "CHL,annual,2023,2024-04-20,email_un,es,,,ISU register\n"


def refused(name: str, data: bytes) -> list[str]:
    """The import's error lines; asserts that nothing at all was written."""
    before = (Submission.objects.count(), AuditEvent.objects.count())
    with pytest.raises(imports.ImportError_) as caught:
        services.import_reports(name, data, by=None)
    assert (Submission.objects.count(), AuditEvent.objects.count()) == before
    return [str(e) for e in caught.value.errors]


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The same workbook with some of its parts replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, replace.get(item.filename, src.read(item.filename)))
    return out.getvalue()


VALID_XLSX_ROWS: list[list[object]] = [
    ["iso3", "kind", "period", "received_on", "source"],
    ["CHL", "annual", 2023, "2024-04-20", "ISU register"],
]


@pytest.mark.parametrize("period", ["0", "-1", "10000", "99999999999999999999"])
def test_a_period_out_of_range_is_a_row_error(registry_reference: None, period: str) -> None:
    errors = refused("r.csv", (HEADER + f"CHL,annual,{period},2024-04-20,,,,,src\n").encode())
    assert errors == [f"r.csv, line 2: period {period} is not a year from 2010 to 2026"] or (
        len(errors) == 1 and "period" in errors[0]
    )


def test_a_formula_in_a_workbook_is_refused(registry_reference: None) -> None:
    rows = [*VALID_XLSX_ROWS, ["CHL", "annual", "=2020+4", "2025-04-20", "src"]]
    errors = refused("r.xlsx", xlsx(rows))
    assert errors == [
        "r.xlsx, line 3: a cell holds a formula: formulas are not accepted, paste the values"
    ]


def test_a_huge_csv_field_is_a_clear_error(registry_reference: None) -> None:
    errors = refused(
        "r.csv", (HEADER + "CHL,annual,2023,2024-04-20,,,,," + "x" * 200_000 + "\n").encode()
    )
    assert errors == [
        "r.csv, line 1: cannot be read: line 2: field larger than field limit (131072)"
    ]


@pytest.mark.parametrize(
    ("what", "sheet"),
    [
        ("corrupt XML", b"<worksheet><sheetData><row><c r='A1'><v>1</v></row>"),
        (
            "external entity",
            b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData><row r='1'><c r='A1' t='inlineStr'><is><t>&x;</t></is></c></row>"
            b"</sheetData></worksheet>",
        ),
        (
            "billion laughs",
            b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData><row r='1'><c r='A1' t='inlineStr'><is><t>&c;</t></is></c></row>"
            b"</sheetData></worksheet>",
        ),
    ],
)
def test_a_damaged_or_malicious_workbook_is_unreadable_not_a_crash(
    registry_reference: None, what: str, sheet: bytes
) -> None:
    data = rezip(xlsx(VALID_XLSX_ROWS), {"xl/worksheets/sheet1.xml": sheet})
    errors = refused("r.xlsx", data)
    assert len(errors) == 1 and "cannot be read: not a readable XLSX workbook" in errors[0], what


def test_a_workbook_with_no_sheet_is_refused(registry_reference: None) -> None:
    base = xlsx(VALID_XLSX_ROWS)
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        workbook = z.read("xl/workbook.xml")
    no_sheets = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", workbook, flags=re.S)
    errors = refused("r.xlsx", rezip(base, {"xl/workbook.xml": no_sheets}))
    assert len(errors) == 1 and "cannot be read" in errors[0]


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ("es" + ",en" * 30, "languages is"),
        ("es,https://example.org/" + "a" * 300, "un_link is"),
    ],
)
def test_over_long_cells_are_row_errors_on_every_database(
    registry_reference: None, cells: str, reason: str
) -> None:
    row = "CHL,annual,2023,2024-04-20,email_un," + (
        f'"{cells}",,,src\n' if reason == "languages is" else f"{cells},,src\n"
    )
    errors = refused("r.csv", (HEADER + row).encode())
    assert any(reason in e for e in errors), errors


def test_a_nul_byte_is_a_row_error(registry_reference: None) -> None:
    errors = refused("r.csv", (HEADER + "CHL,annual,2023,2024-04-20,,,,no\x00te,src\n").encode())
    assert len(errors) == 1 and "control characters" in errors[0]


def test_an_unbalanced_quote_loses_no_row_silently(registry_reference: None) -> None:
    data = HEADER + 'CHL,annual,2023,2024-04-20,,,,"a note left open,src\n' + GOOD + GOOD
    errors = refused("r.csv", data.encode())
    assert len(errors) == 1
    assert errors[0].startswith("r.csv, line 2: the row runs on to line 4")


def test_a_cell_with_a_line_break_is_refused(registry_reference: None) -> None:
    data = HEADER + 'CHL,annual,2023,2024-04-20,,,,"two\nlines",src\n'
    assert refused("r.csv", data.encode())[0].startswith("r.csv, line 2: the row runs on")


def test_too_many_rows_are_refused_before_reading_them_all(registry_reference: None) -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["iso3", "kind", "period", "received_on", "source"])
    for i in range(1, 20_001):
        sheet.write_row(i, 0, ["CHL", "annual", 2023, "2024-04-20", "s"])
    book.close()
    errors = refused("big.xlsx", buffer.getvalue())
    assert errors == [
        "big.xlsx, line 1: cannot be read: more than 5000 rows: split the file "
        "(setting CCM_IMPORT_MAX_ROWS)"
    ]


def test_a_zip_bomb_is_refused_by_its_unpacked_size(registry_reference: None) -> None:
    base = xlsx(VALID_XLSX_ROWS)
    padding = b"<!--" + b" " * 60_000_000 + b"-->"
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            data = (
                sheet + padding if item.filename == "xl/worksheets/sheet1.xml" else src.read(item)
            )
            dst.writestr(item.filename, data)
    assert len(out.getvalue()) < 1_000_000
    errors = refused("bomb.xlsx", out.getvalue())
    assert len(errors) == 1 and "over the limit of 50 MB" in errors[0]  # the setting's figure


def _many_bad_rows(n: int) -> bytes:
    return (HEADER + "ZZZ,annual,2023,2024-04-20,,,,,src\n" * n).encode()


def test_the_command_shows_the_first_hundred_errors_then_a_count(
    registry_reference: None, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(_many_bad_rows(300))
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_reports", str(path), stderr=err)
    assert failed.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert len(lines) == 101 and lines[-1] == "... and 200 more error(s)"
    assert str(failed.value).startswith("300 error(s)")


def test_the_page_lists_the_first_hundred_errors_then_a_count(registry_reference: None) -> None:
    client = Client()
    client.force_login(make_user(Role.ISU_STAFF))
    upload = io.BytesIO(_many_bad_rows(300))
    upload.name = "bad.csv"
    response = client.post("/staff/reporting/import/", {"file": upload, "source": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("is not a known State") == 100
    assert "300 errors: nothing was imported." in html
    assert "200 more errors, not shown" in html
    assert len(html) < 200_000


@pytest.mark.parametrize(
    "data",
    [
        (HEADER + "CHL,annual,0,2024-04-20,,,,,src\n").encode(),
        b"\xff\xfe not utf-8",
        (HEADER + 'CHL,annual,2023,2024-04-20,,,,"open,src\n').encode(),
    ],
)
def test_hostile_files_through_the_staff_page_give_errors_not_500(
    registry_reference: None, data: bytes
) -> None:
    client = Client()
    client.force_login(make_user(Role.ISU_STAFF))
    upload = io.BytesIO(data)
    upload.name = "hostile.csv"
    response = client.post("/staff/reporting/import/", {"file": upload, "source": ""})
    assert response.status_code == 200
    assert 'id="import-errors"' in response.content.decode()
    assert not Submission.objects.exists()


# Item 10: a second report for the same State, kind and year.


def test_a_second_original_is_refused_naming_the_one_recorded(registry_reference: None) -> None:
    services.import_reports("a.csv", (HEADER + GOOD).encode(), by=None)
    second = "CHL,annual,2023,2024-06-01,email_un,es,,,Mission note\n"
    errors = refused("b.csv", (HEADER + second).encode())
    assert len(errors) == 1
    assert "This report is already recorded: CHL annual 2023 (2024-04-20)" in errors[0]
    assert "ISU register" in errors[0]


def test_an_amendment_needs_its_original(registry_reference: None) -> None:
    row = "CHL,annual,2023,2024-04-20,email_un,es,,,src,amendment\n"
    errors = refused("b.csv", (HEADER.strip() + ",relation\n" + row).encode())
    assert "No original of this report is recorded" in errors[0]


def test_two_originals_in_one_file_are_refused(registry_reference: None) -> None:
    other = "CHL,annual,2023,2024-05-02,email_un,es,,,another source\n"
    errors = refused("b.csv", (HEADER + GOOD + other).encode())
    assert errors == [
        "b.csv, line 3: This report is already recorded: line 2 of this file. Record the new "
        "one as an amendment or a further part of it, or correct the one recorded."
    ]


def test_the_admin_refuses_a_second_original_and_names_the_first(registry_reference: None) -> None:
    services.import_reports("a.csv", (HEADER + GOOD).encode(), by=None)
    client = Client()
    client.force_login(make_user(Role.ISU_STAFF))
    form = {
        "state": "CHL", "kind": "annual", "period": "2023", "relation": "original",
        "received_on": "2024-06-01", "received_by": "", "channel": "email_un",
        "languages": "es", "un_link": "", "stated_due_date": "", "notes": "", "source": "x",
    }  # fmt: skip
    response = client.post("/admin/reporting/submission/add/", form)
    assert response.status_code == 200
    assert (
        "This report is already recorded: CHL annual 2023 (2024-04-20)" in response.content.decode()
    )
    assert Submission.objects.count() == 1
    ok = client.post("/admin/reporting/submission/add/", {**form, "relation": "further_part"})
    assert ok.status_code == 302
    assert Submission.objects.count() == 2


# Item 17: the import accepts the names the admin shows, lists them, offers a template.


def test_the_import_accepts_codes_and_the_names_the_admin_shows(registry_reference: None) -> None:
    rows = (
        "CHL,Annual report,2022,2023-04-20,E-mail to the UN,es,,,src\n"
        "PER,annual,2022,2023-04-20,via_isu,es,,,src\n"
        "ECU,Rapport  annuel,2022,2023-04-20,par l’intermédiaire de l’UAI,es,,,src\n"
    )
    try:
        report = services.import_reports("r.csv", (HEADER + rows).encode(), by=None)
    except imports.ImportError_ as exc:  # pragma: no cover - shows the errors
        raise AssertionError([str(e) for e in exc.errors]) from None
    assert report.created == 3
    assert set(Submission.objects.values_list("channel", flat=True)) == {"email_un", "via_isu"}


def test_the_import_page_lists_columns_and_codes_before_anything_fails(
    registry_reference: None,
) -> None:
    client = Client()
    client.force_login(make_user(Role.ISU_STAFF))
    html = client.get("/staff/reporting/import/").content.decode()
    for code in ("email_un", "via_isu", "online", "unknown", "initial", "retention", "amendment"):
        assert f"<code>{code}</code>" in html, code
    assert "<code>ar, en, es, fr, ru, zh</code>" in html  # not the site's language switcher
    assert "/staff/reporting/import/template.csv" in html


def test_the_template_is_for_staff_and_imports_as_it_is(
    personas: dict[str, Client], registry_reference: None
) -> None:
    matrix = {
        "anonymous": LOGIN,
        "other_focal_point": 403,
        "focal_point": 403,
        "presidency": 403,
        "staff": 200,
    }
    assert_matrix(personas, "/staff/reporting/import/template.csv", matrix)
    assert_matrix(personas, "/staff/reporting/import/template.xlsx", matrix)
    assert personas["staff"].get("/staff/reporting/import/template.exe").status_code == 404
    for fmt in ("csv", "xlsx"):
        data = personas["staff"].get(f"/staff/reporting/import/template.{fmt}").content
        report = services.import_reports(f"template.{fmt}", data, by=None)
        assert report.created + report.unchanged == 1


def test_the_admin_add_form_offers_no_internal_field_and_explains_a_missing_date(
    registry_reference: None,
) -> None:
    client = Client()
    client.force_login(make_user(Role.ISU_STAFF))
    html = client.get("/admin/reporting/submission/add/").content.decode()
    for internal in ("change_reason", "loaded_version", 'name="origin"', "id_version"):
        assert internal not in html, internal
    empty = {"state": "CHL", "kind": "initial", "channel": "unknown", "source": "x"}
    html = client.post("/admin/reporting/submission/add/", empty).content.decode()
    assert "submission_has_a_date" not in html
    assert "Give the date the report was received" in html


# Fuzz: thousands of generated registers, none escapes as a crash, none refused writes anything.

HOSTILE_CELLS = st.one_of(
    st.sampled_from(
        ["CHL", "PER", "zzz", "", "annual", "initial", "retention", "voluntary", "Annual report",
         "amendment", "further_part", "2023", "0", "-1", "10000", "2024-04-20", "2024-02-30",
         "9999-12-31", "email_un", "via_isu", "es,en", "xx", "=HYPERLINK(\"http://x\")",
         "+1", "@SUM(A1)", '"', '"unclosed', "a\nb", "\x00", "https://undocs.org/x", "src"]
    ),
    st.text(max_size=30),
    st.text(min_size=200, max_size=400).map(lambda t: t * 3),
)  # fmt: skip
COLUMNS = st.lists(
    st.sampled_from([*imports.REQUIRED, *imports.OPTIONAL, "bogus", ""]), min_size=1, max_size=8
)


def _csv(columns: list[str], rows: list[list[str]]) -> bytes:
    lines = [",".join(columns)] + [",".join(row) for row in rows]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@settings(
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(columns=COLUMNS, rows=st.lists(st.lists(HOSTILE_CELLS, max_size=9), max_size=6))
def test_fuzzed_registers_are_checked_without_a_crash(
    registry_reference: None, columns: list[str], rows: list[list[str]]
) -> None:
    try:
        data = _csv(columns, rows)
    except UnicodeEncodeError:
        return
    try:
        services.validate_table("fuzz.csv", data)
    except imports.ImportError_ as exc:
        assert exc.errors and all(str(e).startswith("fuzz.csv, line ") for e in exc.errors)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(st.lists(HOSTILE_CELLS, min_size=9, max_size=9), min_size=1, max_size=4))
def test_fuzzed_imports_write_nothing_when_refused(
    registry_reference: None, rows: list[list[str]]
) -> None:
    try:
        data = _csv(HEADER.strip().split(","), rows)
    except UnicodeEncodeError:
        return
    before = (Submission.objects.count(), AuditEvent.objects.count())
    try:
        services.import_reports("fuzz.csv", data, by=None)
    except imports.ImportError_:
        assert (Submission.objects.count(), AuditEvent.objects.count()) == before


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(st.lists(HOSTILE_CELLS, min_size=5, max_size=5), min_size=1, max_size=4),
    formula=st.booleans(),
    damage=st.sampled_from([None, "truncate", "no sheet part"]),
)
def test_fuzzed_workbooks_are_refused_cleanly_and_write_nothing(
    registry_reference: None, rows: list[list[str]], formula: bool, damage: str | None
) -> None:
    cells: list[list[object]] = [list(r) for r in rows]
    if formula:
        cells[0][2] = "=2020+3"
    try:
        data = xlsx([VALID_XLSX_ROWS[0], *cells])
    except IllegalCharacterError:
        return  # openpyxl itself cannot write such a workbook
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "no sheet part":
        data = rezip(data, {"xl/worksheets/sheet1.xml": b""})
    before = (Submission.objects.count(), AuditEvent.objects.count())
    try:
        services.import_reports("fuzz.xlsx", data, by=None)
    except imports.ImportError_ as exc:
        assert exc.errors and all(str(e).startswith("fuzz.xlsx, line ") for e in exc.errors)
        assert (Submission.objects.count(), AuditEvent.objects.count()) == before
    else:
        assert not formula and damage is None


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("r.csv", (HEADER + "CHL,annual,0,2024-04-20,,,,,src\n").encode(), "line 2: period 0"),
        (
            "r.csv",
            (HEADER + 'CHL,annual,2023,2024-04-20,,,,"open,src\n' + GOOD).encode(),
            "line 2: the row runs on to line 3",
        ),
        (
            "r.xlsx",
            xlsx([*VALID_XLSX_ROWS, ["CHL", "annual", "=2020+4", "2025-04-20", "src"]]),
            "line 3: a cell holds a formula",
        ),
        ("r.xlsx", b"PK\x03\x04 not really a zip", "line 1: cannot be read"),
    ],
)
def test_the_command_refuses_a_hostile_file_with_its_row_error_and_exit_1(
    registry_reference: None, tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_reports", str(path), stderr=err)
    assert failed.value.returncode == 1
    assert reason in err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert not Submission.objects.exists()


@override_settings(CCM_IMPORT_MAX_ROWS=10)
def test_too_many_csv_rows_are_refused(registry_reference: None) -> None:
    errors = refused("big.csv", (HEADER + GOOD * 11).encode())
    assert errors == [
        "big.csv, line 1: cannot be read: more than 10 rows: split the file "
        "(setting CCM_IMPORT_MAX_ROWS)"
    ]


def test_the_service_refuses_a_second_original_and_records_a_further_part(
    registry_reference: None,
) -> None:
    staff = make_user(Role.ISU_STAFF)
    chile = State.objects.get(iso3="CHL")
    values = {"state": chile, "kind": "annual", "period": 2023, "source": "mission note"}
    services.record_submission(by=staff, received_on=date(2024, 4, 20), **values)
    with pytest.raises(ValidationError) as refused_:
        services.record_submission(by=staff, received_on=date(2024, 6, 1), **values)
    assert "This report is already recorded: CHL annual 2023 (2024-04-20)" in str(refused_.value)
    services.record_submission(
        by=staff, received_on=date(2024, 6, 1), relation=Relation.FURTHER_PART, **values
    )
    assert Submission.objects.filter(relation=Relation.FURTHER_PART).count() == 1


# Issue #32, findings 5 and 6: hostile report workbooks and JSON documents. Each is refused with
# a named problem through the focal point's upload, the ISU's register page and the command
# line; none is a 500 or a traceback, and nothing is written.

REPORT_SHEET = "xl/worksheets/sheet2.xml"  # Form A


def _report_workbook() -> bytes:
    from ccm.reports import definition, workbooks

    identity = workbooks.Identity("CHL", "annual", 2024, "2010")
    return workbooks.build(definition.load("2010"), identity, {}, title="Chile 2024")


def _in_form_a(cell: bytes) -> bytes:
    """The report workbook with Form A's first input cell (B5) replaced by `cell`."""
    data = _report_workbook()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read(REPORT_SHEET)
    assert b'<c r="B5" s="5"/>' in sheet
    return rezip(data, {REPORT_SHEET: sheet.replace(b'<c r="B5" s="5"/>', cell)})


def _truncated_sheet() -> bytes:
    data = _report_workbook()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read(REPORT_SHEET)
    return rezip(data, {REPORT_SHEET: sheet[: len(sheet) // 2]})


def _big_shared_strings() -> bytes:
    data = _report_workbook()
    padding = b"".join(b"<si><t>%08d%s</t></si>" % (n, b"z" * 200) for n in range(210_000))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        strings = z.read("xl/sharedStrings.xml")
    return rezip(data, {"xl/sharedStrings.xml": strings.replace(b"</sst>", padding + b"</sst>")})


HOSTILE_REPORT_WORKBOOKS = {
    "nan": (lambda: _in_form_a(b'<c r="B5"><v>NaN</v></c>'), "Form A!B5: NaN is not a number"),
    "truncated": (_truncated_sheet, "(not a readable XLSX workbook (the sheet Form A is damaged"),
    "date": (lambda: _in_form_a(b'<c r="B5" t="d"><v>2024-13-45</v></c>'),
             "Form A!B5: 2024-13-45 is not a date"),
    "reference": (lambda: _in_form_a(b'<c r="ZZZZZ12"><v>1</v></c>'),
                  "Form A: ZZZZZ12 is not a cell reference"),
    "shared string": (lambda: _in_form_a(b'<c r="B5" t="s"><v>4000</v></c>'),
                      "Form A!B5: the cell names text 4000, which the workbook does not hold"),
    "damaged zip": (lambda: _report_workbook()[:5000], "(not an XLSX workbook ("),
    "shared strings": (_big_shared_strings, "its text unpacks to 44 MB, over the limit of 5 MB"),
}  # fmt: skip


@pytest.mark.parametrize("what", HOSTILE_REPORT_WORKBOOKS)
def test_hostile_report_workbooks_are_named_problems_on_the_focal_points_page(
    personas: dict[str, Client], chile: State, what: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.html import escape

    from ccm.reports.models import Draft

    make, said = HOSTILE_REPORT_WORKBOOKS[what]
    report = services.start_report(
        state=chile, kind="annual", period=2024, by=make_user(Role.FOCAL_POINT, "CHL")
    )
    upload = SimpleUploadedFile("filled.xlsx", make())
    start = time.perf_counter()
    response = personas["focal_point"].post(
        f"/my/reports/report/{report.pk}/workbook/", {"workbook": upload}
    )
    assert response.status_code == 400
    assert escape(said) in response.content.decode()
    assert time.perf_counter() - start < 5
    assert not Draft.objects.exists()


@pytest.mark.parametrize("what", HOSTILE_REPORT_WORKBOOKS)
def test_hostile_report_workbooks_exit_1_with_their_problem_from_import_report(
    chile: State, tmp_path: Path, what: str
) -> None:
    from ccm.reports.models import ReportVersion

    make, said = HOSTILE_REPORT_WORKBOOKS[what]
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(make())
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_report", str(path), "--received-on", "2025-04-28", stderr=err)
    assert failed.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hostile.xlsx: ") and said in lines[0]
    assert str(failed.value) == "1 error(s) in the workbook; nothing was recorded."
    assert not ReportVersion.objects.exists()


HOSTILE_REGISTERS = {
    "nan": (b'<c r="C2"><v>NaN</v></c>', "Sheet!C2: NaN is not a number"),
    "date": (b'<c r="C2" t="d"><v>2024-02-30</v></c>', "Sheet!C2: 2024-02-30 is not a date"),
    "reference": (b'<c r="ZZZZZ12"><v>1</v></c>', "Sheet: ZZZZZ12 is not a cell reference"),
    "shared string": (
        b'<c r="C2" t="s"><v>7</v></c>',
        "Sheet!C2: the cell names text 7, which the workbook does not hold",
    ),
}


@pytest.mark.parametrize("what", HOSTILE_REGISTERS)
def test_hostile_register_workbooks_are_named_on_the_staff_page(
    registry_reference: None, what: str
) -> None:
    cell, said = HOSTILE_REGISTERS[what]
    data = xlsx(VALID_XLSX_ROWS)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    assert b'<c r="C2" t="n"><v>2023</v></c>' in sheet
    data = rezip(data, {"xl/worksheets/sheet1.xml": sheet.replace(
        b'<c r="C2" t="n"><v>2023</v></c>', cell)})  # fmt: skip
    assert refused("r.xlsx", data) == [f"r.xlsx, line 1: cannot be read: {said}"]
    client = Client()
    client.force_login(make_user(Role.ISU_STAFF))
    upload = io.BytesIO(data)
    upload.name = "hostile.xlsx"
    response = client.post("/staff/reporting/import/", {"file": upload, "source": ""})
    assert response.status_code == 200
    assert said in response.content.decode()
    assert not Submission.objects.exists()


HOSTILE_DOCUMENTS = {
    "brackets": (b"[" * 100_000 + b"]" * 100_000, "nested deeper than 32 levels"),
    "count": (b'{"state": "CHL", "forms": {"B": {"total": 1%s}}}' % (b"0" * 40),
              "has more than 15 digits: no count is that large"),
    "nan": (b'{"state": "CHL", "forms": {"I": {"amount": NaN}}}', "NaN is not a number JSON has"),
    "infinity": (b'{"amount": Infinity}', "Infinity is not a number JSON has"),
    "exponent": (b'{"amount": 1e400}', "the number 1e400 is larger than 15 digits allow"),
    "truncated": (b'{"state": "CHL", "forms": {', "not a JSON document (Expecting"),
    "binary": (b"\x89PNG\r\n\x1a\n", "not UTF-8 text (byte 0)"),
}  # fmt: skip


@pytest.mark.parametrize("what", HOSTILE_DOCUMENTS)
def test_hostile_json_documents_exit_1_with_one_line_and_no_traceback(
    db: None, tmp_path: Path, what: str
) -> None:
    data, said = HOSTILE_DOCUMENTS[what]
    path = tmp_path / "hostile.json"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_report", str(path), "--received-on", "2025-04-28", stderr=err)
    assert failed.value.returncode == 1
    message = str(failed.value)
    assert message.startswith("hostile.json: ") and said in message and "\n" not in message
    assert "Traceback" not in err.getvalue()
