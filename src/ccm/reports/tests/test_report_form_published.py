"""The report form as published (issue #25): the 2010 format's header has national point(s) of
contact, a date of submission and a reporting period from a day to a day; submunition counts
are optional; a form answered "changed" with nothing in it is a warning to explain, never a
refusal. Template 2010r2 carries this; reports made with template 2010 read as they were."""

from __future__ import annotations

import copy
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.reports import checks, definition, rules, services, workbooks
from ccm.reports.models import Draft, Report, ReportVersion
from ccm.reports.tests.factories import submit_from_check
from ccm.reports.tests.test_workbooks import fill as fill_workbook
from ccm.reports.tests.test_workbooks import upload

pytestmark = pytest.mark.django_db
NEW = definition.load("2010r2")
OLD = definition.load("2010")
EXAMPLE = definition.example_document(NEW)
TWO = [
    {"name": "A. Focal", "position": "Head of section", "organisation": "Ministry of Foreign "
     "Affairs", "address": "Teatinos 180, Santiago", "telephone": "+56 2 1", "email": "a@x.cl"},
    {"organisation": "Ministry of Defence", "email": "b@x.cl", "fax": "+56 2 2"},
]  # fmt: skip


@pytest.fixture
def report(chile: Any) -> Report:
    return services.start_report(
        state=chile, kind="annual", period=2024, by=make_user(Role.FOCAL_POINT, "CHL")
    )


def fill(report: Report, forms: dict[str, Any], by: Any) -> None:
    for code, values in forms.items():
        services.save_form(report, code, copy.deepcopy(values), revision=None, by=by)


# --- The template --------------------------------------------------------------------------


def test_new_reports_use_the_published_header_and_the_2010_template_is_unchanged(
    report: Report,
) -> None:
    assert report.template == services.CURRENT_TEMPLATE == "2010r2"
    cover = NEW.form("cover")
    assert [f.name for f in cover.fields] == ["period_from", "period_to", "submission_date"]
    assert all(f.required for f in cover.fields)
    (contacts,) = cover.tables
    assert contacts.required and [c.name for c in contacts.columns] == [
        "name", "position", "organisation", "address", "telephone", "fax", "email"
    ]  # fmt: skip
    # The published template stays as reports made with it were validated.
    assert [f.name for f in OLD.form("cover").fields] == [
        "period_from", "period_to", "contact_organisation", "contact_name", "contact_telephone",
        "contact_email",
    ]  # fmt: skip
    old_b = OLD.form("B").tables[0].columns
    assert next(c for c in old_b if c.name == "submunitions").required


def test_submunitions_are_optional_wherever_munitions_are_counted() -> None:
    counted = [
        (form.code, table.name, column)
        for form in NEW.forms
        for table in form.tables
        for column in table.columns
        if column.name == "submunitions"
    ]
    assert {(code, name) for code, name, _c in counted} == {
        ("B", "stockpiles"), ("B", "destroyed"), ("B", "discovered"), ("D", "retained"),
        ("D", "transferred"),
    }  # fmt: skip
    assert not any(c.required for _code, _name, c in counted)


def test_the_schema_asks_for_at_least_one_point_of_contact_each_with_its_address() -> None:
    document = copy.deepcopy(EXAMPLE)
    del document["forms"]["cover"]["contacts"]
    assert definition.validate(NEW, document, plain=True) == [
        ("$.forms.cover.contacts", "Required.")
    ]
    document["forms"]["cover"]["contacts"] = []
    assert definition.validate(NEW, document, plain=True) == [
        ("$.forms.cover.contacts", "Give at least one row.")
    ]
    document["forms"]["cover"]["contacts"] = [{"name": "A. Focal", "email": "not an address"}]
    assert definition.validate(NEW, document, plain=True) == [
        ("$.forms.cover.contacts[0].organisation", "Required."),
        ("$.forms.cover.contacts[0].email", "An e-mail address."),
    ]
    schema = definition.json_schema(NEW)["properties"]["forms"]["properties"]["cover"]
    assert "contacts" in schema["required"] and "submission_date" in schema["required"]
    assert schema["properties"]["contacts"]["minItems"] == 1


# --- The dates of the cover page ----------------------------------------------------------


TODAY = date(2025, 5, 2)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"period_from": "2024-12-31", "period_to": "2024-01-01"}, [("period_to", "period_order")]),
        ({"period_from": "2009-12-31"}, [("period_from", "period_dates")]),
        ({"period_to": "2026-01-01"}, [("period_to", "period_dates")]),
        ({"submission_date": "2025-05-03"}, [("submission_date", "submission_future")]),
        ({"submission_date": "2023-12-31"}, [("submission_date", "submission_before_period")]),
        ({"period_to": "24/12/2024"}, []),  # not a date: the schema's to say
        ({}, []),
    ],
)
def test_the_cover_dates_are_checked(changes: dict[str, str], expected: list[Any]) -> None:
    values = EXAMPLE["forms"]["cover"] | changes
    found = rules.cover_problems(values, TODAY)
    assert [(p.field, p.code) for p in found] == expected
    for p in found:  # each said in a person's words and in the register's
        assert rules.form_message(p) and rules.import_message(p)


def test_an_annual_report_starts_with_its_calendar_year() -> None:
    assert rules.cover_defaults("annual", 2024) == {
        "period_from": "2024-01-01", "period_to": "2024-12-31"
    }  # fmt: skip
    assert rules.cover_defaults("initial", None) == {}


def test_a_period_ending_before_it_begins_is_named_beside_the_field_and_stops_submission(
    report: Report, fast_pdf: None
) -> None:
    user = make_user(Role.FOCAL_POINT, "CHL")
    forms = copy.deepcopy(EXAMPLE["forms"])
    forms["cover"].update(period_from="2024-12-31", period_to="2024-01-01")
    fill(report, forms, user)
    _draft, problems = services.save_form(
        report, "cover", forms["cover"], revision=1, by=user
    )  # saved as typed, and what is wrong said
    assert problems == [("$.forms.cover.period_to", str(rules.FORM_MESSAGES["period_order"]))]
    with pytest.raises(services.NotReady) as refused:
        services.submit_report(report, by=user)
    assert ("$.forms.cover.period_to", str(rules.FORM_MESSAGES["period_order"])) in (
        refused.value.problems
    )
    assert not ReportVersion.objects.exists()


def test_a_document_with_a_bad_period_is_refused_and_nothing_written(chile: Any) -> None:
    document = copy.deepcopy(EXAMPLE)
    document["forms"]["cover"]["period_to"] = "2023-06-30"
    with pytest.raises(services.InvalidDocument) as refused:
        services.import_report_document(document, received_on=date(2025, 5, 2), by=None)
    assert [path for path, _r in refused.value.problems] == ["$.forms.cover.period_to"]
    assert not Report.objects.exists()


# --- The online form ----------------------------------------------------------------------


def test_the_cover_page_offers_the_calendar_year_and_takes_two_contacts(
    personas: dict[str, Client], report: Report
) -> None:
    client = personas["focal_point"]
    url = f"/my/reports/report/{report.pk}/form/cover/"
    html = client.get(url).content.decode()
    assert 'value="2024-01-01"' in html and 'value="2024-12-31"' in html
    assert f'value="{timezone.localdate().isoformat()}"' in html  # the date of submission
    assert "National point(s) of contact" in html and "(at least one row)" in html
    assert not Draft.objects.exists()  # shown, not saved unseen
    post = {"period_from": "2024-01-01", "period_to": "2024-12-31",
            "submission_date": "2025-04-28", "contacts-rows": "3"}  # fmt: skip
    for index, contact in enumerate(TWO):
        post |= {f"contacts-{index}-{k}": v for k, v in contact.items()}
    assert client.post(url, post).status_code == 200
    assert Draft.objects.get(form="cover").values["contacts"] == TWO
    # None left: said beside the table.
    post = {k: v for k, v in post.items() if not k.startswith("contacts-")}
    html = client.post(url, post | {"revision": "1"}).content.decode()
    assert 'id="contacts-problems"' in html and "Required." in html


def test_munitions_alone_are_accepted_and_the_check_does_not_count_a_missing_number(
    report: Report, chile: Any, fast_pdf: None
) -> None:
    user = make_user(Role.FOCAL_POINT, "CHL")
    forms = copy.deepcopy(EXAMPLE["forms"])
    for table in ("stockpiles", "destroyed", "discovered"):
        for row in forms["B"][table]:
            row.pop("submunitions")
    _draft, problems = services.save_form(report, "B", forms["B"], revision=None, by=user)
    assert problems == []
    fill(report, {k: v for k, v in forms.items() if k != "B"}, user)
    last_year = services.submit_report(report, by=user)
    assert "submunitions" not in last_year.forms["B"]["stockpiles"][0]
    # Next year: 120 − 50 destroyed should leave 70; 100 is reported. The submunitions, never
    # given, are not compared (a count not given is not zero).
    forms["cover"].update(period_from="2025-01-01", period_to="2025-12-31")
    forms["B"]["stockpiles"][0]["munitions"] = 100
    forms["B"]["destroyed"] = [{"year": 2025, "munition_type": "M26 rocket", "munitions": 50}]
    forms["B"]["discovered"] = []
    found = checks.stockpile(last_year.forms, forms, 2025)
    assert [(f.about, f.params["reported"], f.params["expected"]) for f in found] == [
        ("m26 rocket/munitions", "100", "70")
    ]


# --- "Changed" with nothing in it ----------------------------------------------------------


def test_a_changed_form_with_nothing_is_a_warning_everywhere_never_a_refusal(
    personas: dict[str, Client], report: Report, fast_pdf: None
) -> None:
    client = personas["focal_point"]
    user = make_user(Role.FOCAL_POINT, "CHL")
    forms = copy.deepcopy(EXAMPLE["forms"]) | {"E": {"status": "changed"}}
    fill(report, forms, user)
    message = "Form E is answered “changed” but holds nothing"
    # The form's own page, after saving it.
    html = client.post(
        f"/my/reports/report/{report.pk}/form/E/", {"status": "changed", "revision": "1"}
    ).content.decode()
    assert 'id="form-warnings"' in html and message in html
    assert 'class="invalid-feedback"' not in html  # not an error
    # "Check your answers" (issue #26), with the explanation to give.
    html = client.get(f"/my/reports/report/{report.pk}/submit/").content.decode()
    assert message in html and 'name="explain:changed_empty:E:E"' in html
    response = submit_from_check(
        client, report, {"explain:changed_empty:E:E": "The facility's status is in Form J."}
    )
    assert response.status_code == 302  # submitted: a warning does not refuse
    version = report.versions.get()
    assert [(c["id"], c["explanation"]) for c in version.checks] == [
        ("changed_empty:E:E", "The facility's status is in Form J.")
    ]
    # The ISU's review of every finding.
    html = personas["staff"].get("/staff/reporting/checks/").content.decode()
    assert message in html and "The facility&#x27;s status is in Form J." in html
    # The public page shows the form as answered.
    public = client.get("/reports/CHL/annual/2024/").content.decode()
    assert 'id="form-E"' in public


def test_a_form_that_is_not_changed_or_holds_something_raises_nothing() -> None:
    assert checks.changed_empty({
        "cover": {}, "A": {"status": "unchanged", "unchanged_since": 2022},
        "B": {"status": "not_applicable", "explanation": "none"},
        "G": {"status": "changed", "people_reached": 0},
        "J": {"status": "changed", "other": "New law."},
    }) == []  # fmt: skip
    (found,) = checks.changed_empty({"J": {"status": "changed", "other": "", "explanation": ""}})
    assert found.id == "changed_empty:J:J" and checks.from_record(found.as_record()) == found


def test_an_imported_document_keeps_the_warning_with_its_version(chile: Any) -> None:
    document = copy.deepcopy(EXAMPLE)
    document["forms"]["H"] = {"status": "changed"}
    version = services.import_report_document(document, received_on=date(2025, 5, 2), by=None)
    assert [c["id"] for c in version.checks] == ["changed_empty:H:H"]


# --- The workbook -------------------------------------------------------------------------


def _cover_place() -> workbooks.Layout:
    cover = NEW.form("cover")
    return workbooks.layout(cover, {t.name: workbooks.EXTRA_ROWS for t in cover.tables})


def test_the_workbook_has_the_new_fields_prefilled_with_the_calendar_year(report: Report) -> None:
    book = load_workbook(io.BytesIO(services.workbook_of(report, "en")))
    sheet, place = book["Cover"], _cover_place()
    labels = [sheet.cell(row=r + 1, column=1).value for r, _c in place.cells.values()]
    assert labels == ["Reporting period from *", "Reporting period to *", "Date of submission *"]
    row, col = place.cells["period_from"]
    assert sheet.cell(row=row + 1, column=col + 1).value.date() == date(2024, 1, 1)
    row, col = place.cells["period_to"]
    assert sheet.cell(row=row + 1, column=col + 1).value.date() == date(2024, 12, 31)
    grid = place.grids["contacts"]
    assert [sheet.cell(row=grid.header_row + 1, column=i + 1).value for i in range(7)] == [
        "Name", "Title or position", "Organisation *", "Address", "Telephone", "Fax", "E-mail *"
    ]  # fmt: skip
    # Untouched, the cover holds only its default: left out, not refused for its contacts.
    read = workbooks.read(services.workbook_of(report, "en"))
    assert read.forms == {} and "cover" in read.left_out


def test_the_workbook_reads_two_contacts_and_warns_of_an_empty_changed_form(
    personas: dict[str, Client], report: Report
) -> None:
    forms = {"cover": EXAMPLE["forms"]["cover"] | {"contacts": TWO}, "E": {"status": "changed"}}
    filled = fill_workbook(services.workbook_of(report, "en"), forms)
    response = upload(personas["focal_point"], report, filled)
    assert response.status_code == 302
    assert Draft.objects.get(form="cover").values["contacts"] == TWO
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any("Form E is answered “changed” but holds nothing" in m for m in shown)


def test_bad_cover_values_in_the_workbook_are_named_by_sheet_and_cell(
    personas: dict[str, Client], report: Report
) -> None:
    place = _cover_place()
    grid = place.grids["contacts"]
    cover = EXAMPLE["forms"]["cover"] | {
        "period_from": "2024-12-31", "period_to": "2024-01-01",
        "contacts": [{"name": "No organisation", "email": "focal@example.org"},
                     {"organisation": "MFA", "email": "not an address"}],
    }  # fmt: skip
    filled = fill_workbook(services.workbook_of(report, "en"), {"cover": cover})
    with pytest.raises(workbooks.WorkbookRefused) as refused:
        workbooks.read(filled)
    first, second = grid.first_row + 1, grid.first_row + 2
    assert sorted(refused.value.problems) == sorted([
        f"Cover!C{first}: Required.",
        f"Cover!G{second}: An e-mail address.",
        f"Cover!B{place.cells['period_to'][0] + 1}: "
        + str(rules.FORM_MESSAGES["period_order"]),
    ])  # fmt: skip
    html = upload(personas["focal_point"], report, filled).content.decode()
    assert f"Cover!C{first}: Required." in html and not Draft.objects.exists()
    # No contact at all: named at the table's first row.
    cover = EXAMPLE["forms"]["cover"] | {"contacts": []}
    with pytest.raises(workbooks.WorkbookRefused) as refused:
        workbooks.read(fill_workbook(services.workbook_of(report, "en"), {"cover": cover}))
    assert refused.value.problems == [f"Cover!A{first}: Required."]


# --- Reports made with template 2010 ---------------------------------------------------------


OLD_COVER = {
    "period_from": "2023-01-01", "period_to": "2023-12-31",
    "contact_organisation": "Ministry of Foreign Affairs", "contact_name": "A. Focal",
    "contact_telephone": "+56 2 0000 0000", "contact_email": "focal@example.org",
}  # fmt: skip


def _old_version(chile: Any) -> ReportVersion:
    """A version stored before issue #25: template 2010, one contact in four fields, a form
    with its submunitions."""
    document = definition.example_document(OLD) | {"period": 2023}
    document["forms"]["cover"] = dict(OLD_COVER)
    return services.import_report_document(document, received_on=date(2024, 4, 2), by=None)


def test_an_old_shape_report_still_validates_renders_and_keeps_its_template(
    client: Client, chile: Any
) -> None:
    version = _old_version(chile)
    assert version.report.template == "2010"
    document = services.report_document(version)
    keys = ("state", "kind", "period", "template", "forms")
    assert definition.validate(OLD, {k: document[k] for k in keys}) == []
    html = client.get("/reports/CHL/annual/2023/").content.decode()
    assert "Point of contact: organisation" in html and "focal@example.org" in html
    assert "National point(s) of contact" not in html
    assert client.get("/reports/CHL/annual/2023/?format=pdf").status_code == 200
    # An amendment of it stays with its template and its rules.
    staff = make_user(Role.ISU_STAFF)
    services.start_amendment(version.report, by=staff)
    _d, problems = services.save_form(
        version.report, "cover", dict(OLD_COVER), revision=1, by=staff
    )  # fmt: skip
    assert problems == []


def test_next_years_cover_carried_from_an_old_report_takes_its_contact_as_a_row(
    chile: Any,
) -> None:
    _old_version(chile)
    staff = make_user(Role.ISU_STAFF)
    report = services.start_report(state=chile, kind="annual", period=2024, by=staff)
    draft = services.carry_forward(report, "cover", by=staff)
    assert draft.values == {
        "period_from": "2023-01-01", "period_to": "2023-12-31",
        "contacts": [{"name": "A. Focal", "organisation": "Ministry of Foreign Affairs",
                      "telephone": "+56 2 0000 0000", "email": "focal@example.org"}],
    }  # fmt: skip


def test_a_submission_date_in_the_future_is_refused_today(report: Report) -> None:
    user = make_user(Role.FOCAL_POINT, "CHL")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    _d, problems = services.save_form(
        report, "cover", EXAMPLE["forms"]["cover"] | {"submission_date": tomorrow},
        revision=None, by=user,
    )  # fmt: skip
    assert problems == [
        ("$.forms.cover.submission_date", str(rules.FORM_MESSAGES["submission_future"]))
    ]
