"""The ISU's review (issue #10): staff query a form or a value of a submitted version; the
State's focal points are told, see it on the report's page and answer by a reply or by an
amendment; staff close it; open queries are listed; every step is audited."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.models import AuditEvent
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.registry.tests.factories import ContactFactory
from ccm.reports import definition, services
from ccm.reports.models import Query, Report

pytestmark = pytest.mark.django_db
EXAMPLE = definition.example_document(definition.load(services.CURRENT_TEMPLATE))
ASK = "The area cleared in the Northern Province is larger than the area reported as contaminated."


@pytest.fixture
def submitted(chile: Any, fast_pdf: None) -> Report:
    user = make_user(Role.FOCAL_POINT, "CHL")
    report = services.start_report(state=chile, kind="annual", period=2024, by=user)
    for code, values in EXAMPLE["forms"].items():
        services.save_form(report, code, copy.deepcopy(values), revision=None, by=user)
    services.submit_report(report, by=user)
    mail.outbox.clear()
    return report


def test_staff_ask_the_state_answers_and_staff_close(
    personas: dict[str, Client], submitted: Report
) -> None:
    ContactFactory(state_id="CHL", email="focal@minrel.example")
    url = f"/my/reports/report/{submitted.pk}/"
    staff, focal = personas["staff"], personas["focal_point"]
    assert 'id="raise-query"' in staff.get(url).content.decode()
    assert 'id="raise-query"' not in focal.get(url).content.decode()
    staff.post(f"{url}queries/", {"version": "1", "form": "F", "about": "Northern Province",
                                  "text": ASK})  # fmt: skip
    query = Query.objects.get()
    assert (query.form, query.about, query.state) == ("F", "Northern Province", "open")
    (sent,) = mail.outbox
    assert sent.to == ["focal@minrel.example"] and ASK in sent.body
    page = focal.get(url).content.decode()
    assert ASK in page and 'data-query-state="open"' in page
    focal.post(f"/my/reports/query/{query.pk}/reply/", {"text": "A new survey found 20,000 m²."})
    query.refresh_from_db()
    assert query.state == "answered" and query.replies.get().text == "A new survey found 20,000 m²."
    staff.post(f"/my/reports/query/{query.pk}/close/")
    query.refresh_from_db()
    assert query.state == "closed" and query.closed_at is not None
    refused = focal.post(f"/my/reports/query/{query.pk}/reply/", {"text": "more"}, follow=True)
    assert "a closed query takes no reply" in refused.content.decode()
    staff.post(f"/my/reports/query/{query.pk}/close/", {"reopen": "1"})
    query.refresh_from_db()
    assert query.state == "open"
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"query.raised", "query.replied", "query.closed", "query.reopened"} <= verbs


def test_an_amendment_answers_the_open_queries(
    personas: dict[str, Client], submitted: Report
) -> None:
    staff = make_user(Role.ISU_STAFF)
    version = submitted.versions.get()
    query = services.raise_query(version, form="F", about="", text=ASK, by=staff)
    user = make_user(Role.FOCAL_POINT, "CHL")
    services.start_amendment(submitted, by=user)
    services.save_form(submitted, "F", {"status": "changed"},
                       revision=submitted.drafts.get(form="F").revision, by=user)  # fmt: skip
    second = services.submit_report(submitted, by=user)
    query.refresh_from_db()
    assert (query.state, query.answered_by) == ("answered", second)
    page = personas["focal_point"].get(f"/my/reports/report/{submitted.pk}/").content.decode()
    assert "Answered by version 2 (an amendment)." in page


def test_who_may_ask_reply_and_close_forged_ids_included(
    personas: dict[str, Client], submitted: Report
) -> None:
    raise_url = f"/my/reports/report/{submitted.pk}/queries/"
    data = {"version": "1", "form": "F", "text": ASK}
    assert_matrix(personas, raise_url, {"anonymous": LOGIN, "other_focal_point": 404,
                                        "focal_point": 404, "presidency": 404, "staff": 302},
                  method="post", data=data)  # fmt: skip
    query = Query.objects.get()
    reply_url = f"/my/reports/query/{query.pk}/reply/"
    assert_matrix(personas, reply_url, {"anonymous": LOGIN, "other_focal_point": 404,
                                        "focal_point": 302, "presidency": 404, "staff": 302},
                  method="post", data={"text": "x"})  # fmt: skip
    close_url = f"/my/reports/query/{query.pk}/close/"
    assert_matrix(personas, close_url, {"anonymous": LOGIN, "other_focal_point": 404,
                                        "focal_point": 404, "presidency": 404, "staff": 302},
                  method="post")  # fmt: skip
    staff = personas["staff"]
    assert staff.post(f"/my/reports/query/{query.pk + 9}/reply/", {"text": "x"}).status_code == 404
    assert staff.post(raise_url, {**data, "version": "7"}).status_code == 404
    staff.post(raise_url, {**data, "form": "Z"})
    staff.post(raise_url, {**data, "text": "   "})
    assert Query.objects.count() == 1  # a forged form, an empty query: nothing raised


def test_the_isu_lists_queries_by_state_and_state_of_the_query(
    personas: dict[str, Client], submitted: Report
) -> None:
    staff = make_user(Role.ISU_STAFF)
    version = submitted.versions.get()
    services.raise_query(version, form="F", about="", text=ASK, by=staff)
    closed = services.raise_query(version, form="B", about="", text="Lot numbers?", by=staff)
    services.close_query(closed, by=staff)
    url = "/staff/reporting/queries/"
    assert_matrix(personas, url, {"anonymous": LOGIN, "other_focal_point": 403,
                                  "focal_point": 403, "presidency": 403, "staff": 200})  # fmt: skip
    open_only = personas["staff"].get(url).content.decode()
    assert "1 query" in open_only and ASK in open_only and "Lot numbers?" not in open_only
    every = personas["staff"].get(url, {"status": "all"}).content.decode()
    assert "2 queries" in every
    assert "0 queries" in personas["staff"].get(url, {"state": "PER"}).content.decode()
