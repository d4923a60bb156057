"""A focal point's workspace (issue #9): the pages, their permission matrix (forged codes and
ids included), starting a report, submitting it, amending it."""

from __future__ import annotations

import copy
import re
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
OWN_AND_ISU = {
    "anonymous": LOGIN, "other_focal_point": 404, "focal_point": 200, "presidency": 404,
    "staff": 200,
}  # fmt: skip


@pytest.fixture
def report(chile: Any) -> Report:
    return services.start_report(
        state=chile, kind="annual", period=2024, by=make_user(Role.ISU_STAFF)
    )


def test_the_workspace_pages_are_for_the_states_focal_points_and_the_isu(
    personas: dict[str, Client], report: Report
) -> None:
    assert_matrix(personas, "/my/reports/CHL/", OWN_AND_ISU)
    assert_matrix(personas, f"/my/reports/report/{report.pk}/", OWN_AND_ISU)
    # Forged: a State that is not theirs, an id that does not exist.
    assert personas["focal_point"].get("/my/reports/PER/").status_code == 404
    assert personas["focal_point"].get("/my/reports/XXX/").status_code == 404
    assert personas["focal_point"].get(f"/my/reports/report/{report.pk + 99}/").status_code == 404
    # A focal point of one State goes straight to it.
    response = personas["focal_point"].get("/my/reports/")
    assert response.status_code == 302 and response["Location"] == "/my/reports/CHL/"


def test_the_state_page_lists_what_is_owed_and_starts_the_report(
    personas: dict[str, Client], chile: Any
) -> None:
    client = personas["focal_point"]
    html = client.get("/my/reports/CHL/").content.decode()
    assert "Reports owed" in html and "Prepare this report" in html
    response = client.post("/my/reports/CHL/start/", {"kind": "annual", "period": "2024"})
    report = Report.objects.get()
    assert response["Location"] == f"/my/reports/report/{report.pk}/"
    assert (report.state_id, report.kind, report.period) == ("CHL", "annual", 2024)
    # Starting it again opens the same report; another State's start is refused.
    client.post("/my/reports/CHL/start/", {"kind": "annual", "period": "2024"})
    assert Report.objects.count() == 1
    forged = client.post("/my/reports/PER/start/", {"kind": "annual", "period": "2024"})
    assert forged.status_code == 404 and Report.objects.count() == 1
    bad = client.post("/my/reports/CHL/start/", {"kind": "annual"})  # no year covered
    assert bad.status_code == 302 and Report.objects.count() == 1


def test_submit_refuses_an_incomplete_report_then_submits_and_amends(
    personas: dict[str, Client], report: Report, fast_pdf: None
) -> None:
    client = personas["focal_point"]
    user = make_user(Role.FOCAL_POINT, "CHL")
    services.save_form(report, "cover", copy.deepcopy(EXAMPLE["forms"]["cover"]),
                       revision=None, by=user)  # fmt: skip
    refused = submit_from_check(client, report)  # declared, but ten forms unanswered
    assert refused.status_code == 400
    html = refused.content.decode()
    assert f"/my/reports/report/{report.pk}/form/A/" in html and "not answered yet" in html
    assert not ReportVersion.objects.exists()
    for code, values in EXAMPLE["forms"].items():
        if code != "cover":
            services.save_form(report, code, copy.deepcopy(values), revision=None, by=user)
    page = client.get(f"/my/reports/report/{report.pk}/").content.decode()
    assert "11 of 11 forms answered." in page and "Check your answers and submit" in page
    # Issue #26: submission goes through "check your answers", with the declaration.
    submit_from_check(client, report)
    done = client.get(f"/my/reports/report/{report.pk}/")
    assert re.search(r"receipt CCM-A7-CHL-annual-2024-v1", done.content.decode())
    assert ReportVersion.objects.get().number == 1
    assert client.get("/reports/CHL/annual/2024/").status_code == 200  # public at once
    client.post(f"/my/reports/report/{report.pk}/amend/")
    assert report.drafts.count() == 11  # the amendment starts from version 1


def test_the_presidency_and_other_states_cannot_submit_or_amend(
    personas: dict[str, Client], report: Report
) -> None:
    for name in ("anonymous", "other_focal_point", "presidency"):
        for action in ("submit", "amend"):
            response = personas[name].post(f"/my/reports/report/{report.pk}/{action}/")
            assert response.status_code in (302, 404), (name, action)
            if response.status_code == 302:
                assert "/accounts/login/" in response["Location"]
    assert not ReportVersion.objects.exists()
