"""Submitting a report people can trust (issue #26): "check your answers" before submission
(every form's summary, what stops it, the findings to explain, the declaration, the words that
it is public at once); submission only from there, declared, from a page not stale, in one
step; "Saved, with N problems"; "save and go to the next form"; the deadline and status on the
report page; open queries flagged on "My reports"; the colleagues form below the forms."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.models import AuditEvent
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.reports import definition, services
from ccm.reports.models import Query, Report, ReportVersion, Submission
from ccm.reports.tests.factories import submit_from_check

pytestmark = pytest.mark.django_db
EXAMPLE = definition.example_document(definition.load(services.CURRENT_TEMPLATE))
TWO_PROBLEMS = {  # the cover with its submission date left empty and an e-mail mistyped
    "period_from": "2024-01-01",
    "period_to": "2024-12-31",
    "submission_date": "",
    "contacts-rows": "1",
    "contacts-0-name": "A. Focal",
    "contacts-0-organisation": "Ministry of Foreign Affairs",
    "contacts-0-email": "not-an-address",
}


@pytest.fixture
def report(chile: Any) -> Report:
    return services.start_report(
        state=chile, kind="annual", period=2024, by=make_user(Role.ISU_STAFF)
    )


def fill(report: Report, skip: tuple[str, ...] = ()) -> None:
    user = make_user(Role.FOCAL_POINT, "CHL")
    for code, values in EXAMPLE["forms"].items():
        if code not in skip:
            services.save_form(report, code, copy.deepcopy(values), revision=None, by=user)


def seen_on(client: Client, report: Report) -> str:
    page = client.get(f"/my/reports/report/{report.pk}/submit/").content.decode()
    found = re.search(r'name="seen" value="([^"]*)"', page)
    assert found
    return found.group(1)


# -- "check your answers" --------------------------------------------------------------------


def test_the_check_page_shows_every_form_the_findings_the_declaration_and_public_at_once(
    personas: dict[str, Client], report: Report
) -> None:
    fill(report)
    draft = report.drafts.get(form="E")  # "changed" with nothing in it: a finding to explain
    services.save_form(report, "E", {"status": "changed"}, revision=draft.revision,
                       by=make_user(Role.FOCAL_POINT, "CHL"))  # fmt: skip
    html = personas["focal_point"].get(f"/my/reports/report/{report.pk}/submit/").content.decode()
    for code in EXAMPLE["forms"]:
        assert f'id="summary-{code}"' in html
    assert "Law on the prohibition of cluster munitions" in html  # a key value of Form A
    assert 'id="blocking-problems"' not in html
    assert "the report is public at once" in html
    assert 'name="declaration"' in html and "true and complete" in html
    assert 'id="cross-year-checks"' in html and 'name="explain:changed_empty:E:E"' in html


def test_blocking_problems_are_listed_with_a_link_and_no_declaration_is_offered(
    personas: dict[str, Client], report: Report
) -> None:
    fill(report, skip=("B",))
    html = personas["focal_point"].get(f"/my/reports/report/{report.pk}/submit/").content.decode()
    assert 'id="blocking-problems"' in html
    assert f'href="/my/reports/report/{report.pk}/form/B/"' in html
    assert 'name="declaration"' not in html


def test_submit_without_the_declaration_is_refused_and_nothing_is_recorded(
    personas: dict[str, Client], report: Report, fast_pdf: None
) -> None:
    fill(report)
    client = personas["focal_point"]
    url = f"/my/reports/report/{report.pk}/submit/"
    response = client.post(url, {"seen": seen_on(client, report), "explain:x": "kept"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="declaration-errors"' in html and 'aria-invalid="true"' in html
    assert not ReportVersion.objects.exists() and not Submission.objects.exists()
    assert report.drafts.count() == 11
    refused = client.post(url, {"seen": seen_on(client, report), "declaration": "yes"})
    assert refused.status_code == 400 and not ReportVersion.objects.exists()


def test_submit_from_a_stale_page_is_refused_with_409(
    personas: dict[str, Client], report: Report, fast_pdf: None
) -> None:
    fill(report)
    client = personas["focal_point"]
    seen = seen_on(client, report)
    # A colleague saves Form A after the page was opened.
    draft = report.drafts.get(form="A")
    services.save_form(report, "A", draft.values, revision=draft.revision,
                       by=make_user(Role.FOCAL_POINT, "CHL"))  # fmt: skip
    url = f"/my/reports/report/{report.pk}/submit/"
    response = client.post(url, {"seen": seen, "declaration": "1", "explain:x": "kept"})
    assert response.status_code == 409
    assert 'id="stale"' in response.content.decode()
    assert not ReportVersion.objects.exists() and report.drafts.count() == 11
    # No token (not from the page): refused the same way.
    assert client.post(url, {"declaration": "1"}).status_code == 409
    assert not ReportVersion.objects.exists()
    # Forged token.
    assert client.post(url, {"declaration": "1", "seen": "v0;A:1"}).status_code == 409
    # The page opened again: accepted.
    assert submit_from_check(client, report).status_code == 302
    assert ReportVersion.objects.count() == 1


def test_submit_with_blocking_problems_is_refused(
    personas: dict[str, Client], report: Report, fast_pdf: None
) -> None:
    fill(report, skip=("B",))
    response = submit_from_check(personas["focal_point"], report)
    assert response.status_code == 400
    assert 'id="blocking-problems"' in response.content.decode()
    assert not ReportVersion.objects.exists() and not Submission.objects.exists()


def test_the_declaration_is_recorded_with_the_submission_and_audited(
    personas: dict[str, Client], report: Report, fast_pdf: None
) -> None:
    fill(report)
    client = personas["focal_point"]
    response = submit_from_check(client, report, {"explain:changed_empty:E:E": "Said in J."})
    assert response.status_code == 302
    version = ReportVersion.objects.get()
    assert version.declared_by_name and version.declared_at is not None
    assert version.submitted_by is not None
    assert version.declared_by_name in (
        version.submitted_by.get_full_name() or version.submitted_by.email
    )
    event = AuditEvent.objects.get(verb="report.submitted")
    assert event.after is not None
    assert event.after["declared_by"] == version.declared_by_name
    assert event.after["declared_at"]
    assert client.get("/reports/CHL/annual/2024/").status_code == 200  # public at once
    page = client.get(f"/my/reports/report/{report.pk}/").content.decode()
    assert f"declared true and complete by {version.declared_by_name}" in page
    # Submitted, no amendment in preparation: nothing to check, back to the report.
    again = client.get(f"/my/reports/report/{report.pk}/submit/")
    assert again.status_code == 302 and again["Location"] == f"/my/reports/report/{report.pk}/"


def test_the_service_refuses_an_undeclared_or_stale_submission_atomically(
    report: Report, fast_pdf: None
) -> None:
    fill(report)
    user = make_user(Role.FOCAL_POINT, "CHL")
    with pytest.raises(services.NotDeclared):
        services.submit_report(report, by=user, declared=False, seen=services.draft_state(report))
    with pytest.raises(services.ConflictError):
        services.submit_report(report, by=user, declared=True, seen="stale")
    assert not ReportVersion.objects.exists() and not Submission.objects.exists()
    assert not mail.outbox and report.drafts.count() == 11
    version = services.submit_report(
        report, by=user, declared=True, seen=services.draft_state(report)
    )
    assert version.number == 1 and version.declared_at is not None


def test_the_check_page_permission_matrix_with_forged_ids(
    personas: dict[str, Client], report: Report
) -> None:
    fill(report)
    url = f"/my/reports/report/{report.pk}/submit/"
    assert_matrix(personas, url, {
        "anonymous": LOGIN, "other_focal_point": 404, "focal_point": 200, "presidency": 404,
        "staff": 302,  # staff record what a State sent; they never submit in its name
    })  # fmt: skip
    forged = f"/my/reports/report/{report.pk + 99}/submit/"
    assert personas["focal_point"].get(forged).status_code == 404
    for name in ("anonymous", "other_focal_point", "presidency", "staff"):
        personas[name].post(url, {"declaration": "1", "seen": services.draft_state(report)})
    assert not ReportVersion.objects.exists()
    # A colleague asked to fill one form sees that form alone, not the check page.
    colleague = make_user(Role.FOCAL_POINT, "PER")
    client = Client()
    client.force_login(colleague)
    assert client.get(url).status_code == 404


def test_the_check_page_costs_the_same_queries_whatever_the_rows(
    personas: dict[str, Client], report: Report
) -> None:
    fill(report)
    client = personas["focal_point"]
    url = f"/my/reports/report/{report.pk}/submit/"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    few = count()
    draft = report.drafts.get(form="A")
    values = copy.deepcopy(draft.values)
    values["measures"] = values["measures"] * 40
    services.save_form(report, "A", values, revision=draft.revision,
                       by=make_user(Role.FOCAL_POINT, "CHL"))  # fmt: skip
    assert count() == few and few <= 40


# -- saving a form ---------------------------------------------------------------------------


def test_a_save_with_problems_says_so_and_keeps_the_draft(
    personas: dict[str, Client], report: Report
) -> None:
    client = personas["focal_point"]
    url = f"/my/reports/report/{report.pk}/form/cover/"
    response = client.post(url, {**TWO_PROBLEMS, "next": "1"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == []  # problems: the person stays to fix them
    assert "Saved, with 2 problems: see below." in html and ">Saved.<" not in html
    listed = html.split('id="saved-problems"')[1].split("</ul>")[0]
    assert listed.count("<li>") == 2 and 'href="#id_submission_date"' in listed
    assert 'href="#id_contacts-0-email"' in listed
    assert report.drafts.get(form="cover").values["contacts"][0]["email"] == "not-an-address"
    one = client.post(url, {**TWO_PROBLEMS, "submission_date": "2025-04-28", "revision": "1"})
    assert "Saved, with 1 problem: see below." in one.content.decode()


def test_save_and_go_to_the_next_form_then_to_check_your_answers(
    personas: dict[str, Client], report: Report
) -> None:
    client = personas["focal_point"]
    data = {**TWO_PROBLEMS, "submission_date": "2025-04-28", "contacts-0-email": "a@b.example"}
    response = client.post(f"/my/reports/report/{report.pk}/form/cover/", {**data, "next": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/my/reports/report/{report.pk}/form/A/"
    htmx = client.post(
        f"/my/reports/report/{report.pk}/form/cover/",
        {**data, "next": "1", "revision": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert htmx["HX-Redirect"] == f"/my/reports/report/{report.pk}/form/A/"
    # The last form goes on to "check your answers".
    last = definition.load(report.template).forms[-1].code
    page = client.get(f"/my/reports/report/{report.pk}/form/{last}/").content.decode()
    assert "Save and check your answers" in page
    # Without "next", Save stays on the form.
    stay = client.post(f"/my/reports/report/{report.pk}/form/cover/", {**data, "revision": "2"})
    assert stay.status_code == 200


# -- the report page and "My reports" --------------------------------------------------------


def test_the_report_page_shows_deadline_and_status_and_colleagues_below_the_forms(
    personas: dict[str, Client], report: Report
) -> None:
    html = personas["focal_point"].get(f"/my/reports/report/{report.pk}/").content.decode()
    assert 'id="report-status"' in html and "not submitted" in html
    deadline = re.search(r'id="report-deadline">([^<]*)<', html)
    assert deadline and "2025" in deadline.group(1)  # 30 April 2025, as on the State's page
    assert 'id="report-compliance"' in html
    assert html.index("State of the form") < html.index('id="delegations"')


def test_a_report_whose_deadline_the_record_cannot_give_says_unknown(
    personas: dict[str, Client], chile: Any
) -> None:
    other = make_user(Role.FOCAL_POINT, "CHL")
    report = services.start_report(state=chile, kind="annual", period=2024, by=other)
    chile.actions.all().delete()
    html = personas["focal_point"].get(f"/my/reports/report/{report.pk}/").content.decode()
    assert "unknown (the record does not give this report" in html
    assert 'id="report-compliance"' not in html


def test_open_queries_are_flagged_on_my_reports(
    personas: dict[str, Client], report: Report, fast_pdf: None
) -> None:
    fill(report)
    user = make_user(Role.FOCAL_POINT, "CHL")
    version = services.submit_report(report, by=user)
    staff = make_user(Role.ISU_STAFF)
    services.raise_query(version, form="F", about="x", text="Why?", by=staff)
    services.raise_query(version, form="B", about="y", text="And?", by=staff)
    html = personas["focal_point"].get("/my/reports/CHL/").content.decode()
    assert 'data-open-queries="2"' in html and "2 queries from the ISU to answer" in html
    assert f"/my/reports/report/{report.pk}/#report-queries" in html
    Query.objects.filter(form="B").update(state="closed")
    html = personas["focal_point"].get("/my/reports/CHL/").content.decode()
    assert "1 query from the ISU to answer" in html
    # Another State's focal point sees nothing of it.
    assert personas["other_focal_point"].get("/my/reports/CHL/").status_code == 404


def test_my_reports_costs_the_same_queries_whatever_the_reports_and_queries(
    personas: dict[str, Client], chile: Any, fast_pdf: None
) -> None:
    client = personas["focal_point"]
    user, staff = make_user(Role.FOCAL_POINT, "CHL"), make_user(Role.ISU_STAFF)

    def submitted_with_queries(period: int, n: int) -> None:
        report = services.start_report(state=chile, kind="annual", period=period, by=user)
        fill(report)
        version = services.submit_report(report, by=user)
        for index in range(n):
            services.raise_query(version, form="F", about=str(index), text="Why?", by=staff)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/my/reports/CHL/").status_code == 200
        return len(ctx)

    submitted_with_queries(2024, 1)
    few = count()
    submitted_with_queries(2023, 3)
    submitted_with_queries(2022, 2)
    assert count() == few
    assert 'data-open-queries="3"' in client.get("/my/reports/CHL/").content.decode()
