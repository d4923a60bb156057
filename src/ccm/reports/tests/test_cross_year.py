"""Cross-year checks at submission (issue #10): run against the State's report of the year
before, shown before submitting with room to explain, kept with the version with the State's
explanations, run as well for what the ISU enters or imports, and listed for the ISU."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from django.test import Client

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.reports import definition, services
from ccm.reports.models import Report, ReportVersion
from ccm.reports.tests.factories import submit_from_check

pytestmark = pytest.mark.django_db
EXAMPLE = definition.example_document(definition.load(services.CURRENT_TEMPLATE))
STOCK_ID = "stockpile:B:m26 rocket/munitions"


def fill(report: Report, forms: dict[str, Any], by: Any) -> None:
    for code, values in forms.items():
        services.save_form(report, code, copy.deepcopy(values), revision=None, by=by)


@pytest.fixture
def last_year(chile: Any, fast_pdf: None) -> ReportVersion:
    """Chile's report for 2024: 120 M26 rockets (77,280 submunitions) in stock; 125,000 m²
    contaminated in the Village of Example."""
    user = make_user(Role.FOCAL_POINT, "CHL")
    report = services.start_report(state=chile, kind="annual", period=2024, by=user)
    fill(report, EXAMPLE["forms"], user)
    return services.submit_report(report, by=user, today=date(2025, 4, 20))


def this_year(chile: Any) -> tuple[Report, dict[str, Any]]:
    """The 2025 report: 50 rockets destroyed, but 100 still reported; 25,000 m² cleared and
    100,000 m² left (right); the risk education form now "not applicable"."""
    forms = copy.deepcopy(EXAMPLE["forms"])
    forms["cover"].update(period_from="2025-01-01", period_to="2025-12-31")
    forms["B"]["stockpiles"][0].update(munitions=100, submunitions=45080)
    forms["B"]["destroyed"] = [{"year": 2025, "munition_type": "M26 rocket", "munitions": 50,
                                "submunitions": 32200}]  # fmt: skip
    forms["B"]["discovered"] = []
    forms["F"]["contaminated"][0]["area_m2"] = 100000
    forms["F"]["cleared"] = [{"year": 2025, "location": "Village of Example", "area_m2": 25000,
                              "remnants_destroyed": 30}]  # fmt: skip
    forms["G"] = {"status": "not_applicable", "explanation": "The programme ended."}
    report = services.start_report(
        state=chile, kind="annual", period=2025, by=make_user(Role.FOCAL_POINT, "CHL")
    )
    return report, forms


def test_findings_are_shown_explained_and_kept_with_the_version(
    personas: dict[str, Client], chile: Any, last_year: ReportVersion
) -> None:
    report, forms = this_year(chile)
    fill(report, forms, make_user(Role.FOCAL_POINT, "CHL"))
    client = personas["focal_point"]
    # Issue #26: the findings to explain are on "check your answers", before submitting.
    page = client.get(f"/my/reports/report/{report.pk}/submit/").content.decode()
    assert "Checks against the report of the year before" in page
    assert "is not last year&#x27;s 120 − 50 destroyed + 0 discovered = 70." in page
    assert "Form G is answered “not applicable”" in page
    assert f'name="explain:{STOCK_ID}"' in page
    found = page.split('id="cross-year-checks"')[1].split("</section>")[0]  # the summary names it
    assert "Village of Example" not in found  # 125,000 − 25,000 = 100,000: nothing to say
    response = submit_from_check(client, report, {
        f"explain:{STOCK_ID}": "  30 rockets were transferred for training (Form D).  ",
        "explain:forged:X:Y": "ignored",
    })  # fmt: skip
    assert response.status_code == 302
    version = report.versions.get()
    assert [(c["id"], c["explanation"]) for c in version.checks] == [
        (STOCK_ID, "30 rockets were transferred for training (Form D)."),
        ("not_applicable:G:G", ""),  # the submunitions add up: 77,280 − 32,200 = 45,080
    ]
    after = client.get(f"/my/reports/report/{report.pk}/").content.decode()
    assert 'id="version-findings"' in after and "30 rockets were transferred" in after


def test_the_isu_lists_every_finding_with_the_explanation(
    personas: dict[str, Client], chile: Any, last_year: ReportVersion
) -> None:
    report, forms = this_year(chile)
    staff = make_user(Role.ISU_STAFF)
    fill(report, forms, staff)
    services.submit_report(report, by=staff, explanations={STOCK_ID: "Transferred."})
    url = "/staff/reporting/checks/"
    assert_matrix(personas, url, {"anonymous": LOGIN, "other_focal_point": 403,
                                  "focal_point": 403, "presidency": 403, "staff": 200})  # fmt: skip
    html = personas["staff"].get(url).content.decode()
    assert "2 findings; 1 without explanation." in html and "Transferred." in html
    assert "Chile: annual report 2025, version 1" in html
    assert "0 findings" in personas["staff"].get(url, {"state": "PER"}).content.decode()


def test_what_the_isu_imports_is_checked_too_and_a_first_report_has_nothing_to_compare(
    chile: Any, last_year: ReportVersion
) -> None:
    assert last_year.checks == []  # no report of 2023, no initial report: nothing to compare
    _report, forms = this_year(chile)
    document = {**EXAMPLE, "period": 2025, "forms": forms}
    version = services.import_report_document(document, received_on=date(2026, 5, 2), by=None)
    assert {c["check"] for c in version.checks} == {"stockpile", "not_applicable"}


def test_the_initial_report_is_the_baseline_of_the_first_annual_report(
    chile: Any, fast_pdf: None
) -> None:
    staff = make_user(Role.ISU_STAFF)
    initial = services.start_report(state=chile, kind="initial", period=None, by=staff)
    forms = copy.deepcopy(EXAMPLE["forms"])
    forms["cover"].update(period_from="2011-06-01", period_to="2011-12-31")
    fill(initial, forms, staff)
    services.submit_report(initial, by=staff)
    first = services.start_report(state=chile, kind="annual", period=2012, by=staff)
    assert services.baseline(first) == (initial.versions.get().forms, None)
    # Once an annual report stands between, a missing year has no baseline.
    annual = services.start_report(state=chile, kind="annual", period=2012, by=staff)
    fill(annual, {**forms, "cover": {**forms["cover"], "period_from": "2012-01-01",
                                     "period_to": "2012-12-31"}}, staff)  # fmt: skip
    services.submit_report(annual, by=staff)
    later = services.start_report(state=chile, kind="annual", period=2014, by=staff)
    assert services.baseline(later) == (None, None)
