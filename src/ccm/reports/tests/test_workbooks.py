"""The offline workbook (issue #10): download, fill cell by cell (openpyxl, as a person would in
a spreadsheet), upload; what was typed is what is saved. Broken workbooks are refused with the
sheet and cell of every problem and nothing written; another report's workbook is refused."""

from __future__ import annotations

import copy
import io
import json
from datetime import date, datetime
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import Workbook, load_workbook

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.testing.commands import output
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.reports import definition, services, workbooks
from ccm.reports.models import Draft, Report, ReportVersion
from ccm.reports.tests.factories import typed

pytestmark = pytest.mark.django_db
TEMPLATE = definition.load(services.CURRENT_TEMPLATE)
EXAMPLE = definition.example_document(TEMPLATE)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def report(chile: Any) -> Report:
    return services.start_report(
        state=chile, kind="annual", period=2024, by=make_user(Role.FOCAL_POINT, "CHL")
    )


def fill(data: bytes, forms: dict[str, Any], lang: str = "en") -> bytes:
    """Type `forms` into a downloaded workbook, cell by cell: choices by their label in the
    workbook's language, dates as dates, numbers as numbers."""
    book = load_workbook(io.BytesIO(data))
    for form in TEMPLATE.forms:
        values = forms.get(form.code) or {}
        capacities = {t.name: workbooks.EXTRA_ROWS for t in form.tables}
        place = workbooks.layout(form, capacities)
        sheet = book[place.sheet]

        def put(
            row: int, col: int, f: definition.Field | None, value: Any, sheet: Any = sheet
        ) -> None:
            if value in (None, ""):
                return
            if f is not None and f.choices:
                value = next(label[lang] for v, label in f.choices if v == value)
            elif f is not None and f.type == "date":
                value = datetime.fromisoformat(value)
            sheet.cell(row=row + 1, column=col + 1, value=value)

        for name in ("status", "unchanged_since", "explanation"):
            if name in values:
                value = values[name]
                if name == "status":
                    value = TEMPLATE.statuses[value][lang]
                put(*place.cells[name], None, value)
        for f in form.fields:
            put(*place.cells[f.name], f, values.get(f.name))
        for table in form.tables:
            grid = place.grids[table.name]
            for index, row in enumerate(values.get(table.name) or []):
                for col, c in enumerate(table.columns):
                    put(grid.first_row + index, col, c, row.get(c.name))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: Client, report: Report, data: bytes, name: str = "filled.xlsx") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/my/reports/report/{report.pk}/workbook/",
                       {"workbook": SimpleUploadedFile(name, data, content_type=XLSX)})  # fmt: skip


def test_download_fill_cell_by_cell_upload_and_what_was_typed_is_saved(
    personas: dict[str, Client], report: Report
) -> None:
    client = personas["focal_point"]
    response = client.get(f"/my/reports/report/{report.pk}/workbook/", {"lang": "fr"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "ccm-article7-CHL-annual-2024-fr.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert (
        book.sheetnames[:3] == ["Cover", "Form A", "Form B"] and book["ccm"].sheet_state == "hidden"
    )
    assert book["Form B"]["A1"].value == "B: Stocks et leur destruction"  # the chosen language
    assert book["Form B"].protection.sheet  # only the input cells are open
    filled = fill(response.content, EXAMPLE["forms"], lang="fr")
    done = upload(client, report, filled)
    assert done.status_code == 302
    saved = {d.form: d.values for d in report.drafts.all()}
    assert saved == typed(EXAMPLE["forms"])  # every form, every field type, cell by cell


def test_a_workbook_is_prefilled_with_the_draft_and_reads_back_the_same(report: Report) -> None:
    user = make_user(Role.FOCAL_POINT, "CHL")
    for code, values in EXAMPLE["forms"].items():
        services.save_form(report, code, copy.deepcopy(values), revision=None, by=user)
    read = workbooks.read(services.workbook_of(report, "es"))
    assert read.forms == typed(EXAMPLE["forms"]) and read.left_out == []
    assert (read.identity.state, read.identity.period, read.identity.language) == (
        "CHL",
        2024,
        "es",
    )


def test_a_broken_workbook_is_refused_with_sheet_and_cell_and_nothing_written(
    personas: dict[str, Client], report: Report
) -> None:
    data = services.workbook_of(report, "en")
    forms = copy.deepcopy(EXAMPLE["forms"])
    filled = load_workbook(io.BytesIO(fill(data, forms)))
    b = workbooks.layout(TEMPLATE.form("B"), {t.name: 50 for t in TEMPLATE.form("B").tables})
    grid = b.grids["stockpiles"]
    filled["Form B"].cell(row=grid.first_row + 1, column=3, value="a lot")  # munitions
    filled["Form B"].cell(row=grid.first_row + 2, column=4, value="=1+1")  # a formula
    filled["Form B"].cell(row=grid.first_row + 2, column=1, value="BLU-63")
    filled["Form B"].cell(row=grid.first_row + 2, column=3, value=5)
    g = workbooks.layout(TEMPLATE.form("G"), {})
    filled["Form G"].cell(row=g.cells["status"][0] + 1, column=2, value="perhaps")
    out = io.BytesIO()
    filled.save(out)
    response = upload(personas["focal_point"], report, out.getvalue())
    assert response.status_code == 400
    html = response.content.decode()
    first = grid.first_row + 1
    assert f"Form B!C{first}: A whole number, without spaces or separators." in html
    assert f"Form B!D{first + 1}: a formula: type the value itself." in html
    assert f"Form G!B{g.cells['status'][0] + 1}: Choose one of the options." in html
    assert "3 problems in the workbook: nothing was saved." in html
    assert not Draft.objects.exists()


def test_a_missing_required_cell_is_named_by_its_cell(report: Report) -> None:
    forms = copy.deepcopy(EXAMPLE["forms"])
    del forms["B"]["stockpiles"][0]["munitions"]
    data = fill(services.workbook_of(report, "en"), forms)
    with pytest.raises(workbooks.WorkbookRefused) as refused:
        workbooks.read(data)
    b = workbooks.layout(TEMPLATE.form("B"), {t.name: 50 for t in TEMPLATE.form("B").tables})
    assert refused.value.problems == [f"Form B!C{b.grids['stockpiles'].first_row + 1}: Required."]


def test_another_states_or_reports_workbook_and_files_that_are_not_ours_are_refused(
    personas: dict[str, Client], report: Report, peru: Any
) -> None:
    client = personas["focal_point"]
    staff = make_user(Role.ISU_STAFF)
    other = services.start_report(state=peru, kind="annual", period=2024, by=staff)
    theirs = fill(services.workbook_of(other, "en"), EXAMPLE["forms"])
    html = upload(client, report, theirs).content.decode()
    assert "This workbook is of another report (PER annual 2024, template 2010r2)" in html
    earlier = services.start_report(state=report.state, kind="annual", period=2023, by=staff)
    html = upload(client, report, services.workbook_of(earlier, "en")).content.decode()
    assert "another report (CHL annual 2023" in html
    older = load_workbook(io.BytesIO(services.workbook_of(report, "en")))
    meta = older["ccm"]
    template_row = next(r for r in meta.iter_rows() if r[0].value == "template")
    template_row[1].value = "2022"  # a workbook made with another template version
    changed = io.BytesIO()
    older.save(changed)
    html = upload(client, report, changed.getvalue()).content.decode()
    assert "The workbook&#x27;s template 2022 is not known." in html
    plain = io.BytesIO()
    Workbook().save(plain)
    assert (
        "not a report workbook of this system"
        in upload(client, report, plain.getvalue()).content.decode()
    )
    assert (
        "not an XLSX workbook" in upload(client, report, b"PK\x03\x04 not a zip").content.decode()
    )
    assert (
        "Choose an .xlsx workbook" in upload(client, report, theirs, "report.xls").content.decode()
    )
    assert not Draft.objects.filter(report=report).exists()


def test_a_form_saved_online_since_the_download_is_not_overwritten(
    personas: dict[str, Client], report: Report
) -> None:
    user = make_user(Role.FOCAL_POINT, "CHL")
    services.save_form(
        report, "G", {"status": "changed", "measures": "one"}, revision=None, by=user
    )
    data = services.workbook_of(report, "en")  # downloaded at revision 1
    services.save_form(report, "G", {"status": "changed", "measures": "two"}, revision=1, by=user)
    mine = fill(data, {"G": {"status": "changed", "measures": "three"}})
    html = upload(personas["focal_point"], report, mine).content.decode()
    print(html[html.find("workbook-problems") :][:800])
    assert "Form G: saved by someone else since this workbook was downloaded" in html
    assert report.drafts.get(form="G").values["measures"] == "two"


def test_the_workbook_pages_are_for_the_states_focal_points_and_the_isu(
    personas: dict[str, Client], report: Report
) -> None:
    url = f"/my/reports/report/{report.pk}/workbook/"
    own: dict[str, int | str] = {
        "anonymous": LOGIN, "other_focal_point": 404, "focal_point": 200, "presidency": 404,
        "staff": 200,
    }  # fmt: skip
    assert_matrix(personas, url, own)
    assert_matrix(personas, url, {**own, "focal_point": 400, "staff": 400}, method="post")
    assert personas["focal_point"].get(url, {"lang": "de"}).status_code == 404
    assert (
        personas["focal_point"].get(f"/my/reports/report/{report.pk + 9}/workbook/").status_code
        == 404
    )


def test_import_report_takes_a_workbook_with_the_same_exit_codes(
    report: Report, tmp_path: Any
) -> None:
    good = tmp_path / "chile.xlsx"
    good.write_bytes(fill(services.workbook_of(report, "en"), EXAMPLE["forms"]))
    printed = output("import_report", str(good), "--received-on", "2025-04-28", "--format", "json")
    assert json.loads(printed)["version"] == 1
    assert ReportVersion.objects.get().forms == typed(EXAMPLE["forms"])
    forms = copy.deepcopy(EXAMPLE["forms"])
    forms["G"]["people_reached"] = "many"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(fill(services.workbook_of(report, "en"), forms))
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_report", str(bad), "--received-on", "2025-04-28", stderr=err)
    g = workbooks.layout(TEMPLATE.form("G"), {})
    row = g.cells["people_reached"][0] + 1
    assert refused.value.returncode == 1
    assert f"bad.xlsx: Form G!B{row}: A whole number, without spaces or separators." in (
        err.getvalue()
    )
    assert ReportVersion.objects.count() == 1


def test_cells_are_read_as_people_type_them() -> None:
    f = next(c for c in TEMPLATE.form("I").tables[0].columns if c.name == "amount")
    read = workbooks._cell_value
    assert read("250 000,5", f, "decimal", "en", "yes", "no") == (250000.5, "")
    assert read(" 12 000 ", None, "integer", "en", "yes", "no") == (12000, "")
    assert read(3.0, None, "integer", "en", "yes", "no") == (3, "")
    assert read(True, None, "integer", "en", "yes", "no")[1]  # a tick is not a number
    assert read("oui", None, "boolean", "fr", "oui", "non") == (True, "")
    assert read("peut-être", None, "boolean", "fr", "oui", "non")[1]
    assert read(datetime(2024, 5, 10), None, "date", "en", "yes", "no") == ("2024-05-10", "")
    assert read("10/05/2024", None, "date", "en", "yes", "no")[1]
    assert read(date(2024, 5, 10), None, "date", "en", "yes", "no") == ("2024-05-10", "")


def test_a_sheet_declaring_the_last_cell_of_excel_is_read_at_once(report: Report) -> None:
    """Found in review: openpyxl pads every row up to the size a sheet declares, so a 5 KB
    file with a value in XFD1048576 kept a worker busy for minutes per sheet."""
    import time

    book = load_workbook(io.BytesIO(services.workbook_of(report, "en")))
    for sheet in ("Form B", "Form F"):
        book[sheet].cell(row=1048576, column=16384, value=1)
    data = io.BytesIO()
    book.save(data)
    start = time.monotonic()
    read = workbooks.read(data.getvalue())
    assert time.monotonic() - start < 5 and "B" in read.left_out  # the far cell is no input


def test_numbers_that_only_look_like_numbers_are_refused() -> None:
    read = workbooks._cell_value
    for text in ("²", "1" * 40, "--5", "١٢"):
        assert read(text, None, "integer", "en", "yes", "no")[1], text
    for value in ("nan", "inf", "-Infinity", float("nan"), "1e400"):
        assert read(value, None, "decimal", "en", "yes", "no")[1], value


def test_a_workbook_downloaded_before_a_submission_is_refused_after_it(
    personas: dict[str, Client], report: Report
) -> None:
    user = make_user(Role.FOCAL_POINT, "CHL")
    for code, values in EXAMPLE["forms"].items():
        services.save_form(report, code, copy.deepcopy(values), revision=None, by=user)
    old = services.workbook_of(report, "en")
    from unittest import mock

    with mock.patch.object(services, "html_to_pdf", return_value=b"%PDF-1.7 test"):
        services.submit_report(report, by=user)
    html = upload(personas["focal_point"], report, old).content.decode()
    assert "The report was submitted (version 1) since this workbook was downloaded" in html
    assert not Draft.objects.exists()
