"""One form of a report as a page (issue #9): built from the definition, saved on its own with
or without JavaScript, what is wrong said beside the input, a conflicting save refused with
the person's entries kept, "unchanged since last report", and ids forged in URLs refused."""

from __future__ import annotations

import copy
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.reports import definition, services
from ccm.reports.models import Draft, Report

pytestmark = pytest.mark.django_db
EXAMPLE = definition.example_document(definition.load(services.CURRENT_TEMPLATE))


@pytest.fixture
def report(chile: Any) -> Report:
    return services.start_report(
        state=chile, kind="annual", period=2024, by=make_user(Role.ISU_STAFF)
    )


def _url(report: Report, code: str) -> str:
    return f"/my/reports/report/{report.pk}/form/{code}/"


def test_every_form_page_is_for_the_states_focal_points_and_the_isu(
    personas: dict[str, Client], report: Report
) -> None:
    matrix = {"anonymous": LOGIN, "other_focal_point": 404, "focal_point": 200,
              "presidency": 404, "staff": 200}  # fmt: skip
    for code in ["cover", *"ABCDEFGHIJ"]:
        assert_matrix(personas, _url(report, code), matrix)
    assert personas["focal_point"].get(_url(report, "Z")).status_code == 404
    post = {"status": "changed", "measures": "forged", "revision": ""}
    assert personas["other_focal_point"].post(_url(report, "G"), post).status_code == 404
    assert personas["presidency"].post(_url(report, "G"), post).status_code == 404
    assert not Draft.objects.exists()


def test_a_form_saves_without_javascript_and_says_what_is_wrong_beside_the_input(
    personas: dict[str, Client], report: Report
) -> None:
    client = personas["focal_point"]
    html = client.get(_url(report, "B")).content.decode()
    assert (
        "Cluster munitions stockpiled, by type" in html and 'name="stockpiles-0-munitions"' in html
    )
    response = client.post(_url(report, "B"), {
        "revision": "", "status": "changed", "stockpiles-rows": "2",
        "stockpiles-0-munition_type": "M26 rocket", "stockpiles-0-munitions": "-5",
        "stockpiles-0-submunitions": "12 000",
    })  # fmt: skip
    assert response.status_code == 200
    draft = Draft.objects.get()
    assert draft.values == {"status": "changed", "stockpiles": [
        {"munition_type": "M26 rocket", "munitions": -5, "submunitions": 12000}]}  # fmt: skip
    html = response.content.decode()
    assert 'id="err_stockpiles-0-munitions"' in html and "At least 0." in html
    assert 'name="revision" value="1"' in html  # the next save starts from this one


def test_a_second_save_from_an_older_copy_is_refused_and_the_entries_kept(
    personas: dict[str, Client], report: Report
) -> None:
    first = personas["focal_point"]
    first.post(_url(report, "G"), {"revision": "", "status": "changed", "measures": "one"})
    other = Client()
    other.force_login(make_user(Role.FOCAL_POINT, "CHL"))
    other.post(_url(report, "G"), {"revision": "1", "status": "changed", "measures": "two"})
    stale = first.post(_url(report, "G"), {"revision": "1", "status": "changed",
                                            "measures": "my careful text"})  # fmt: skip
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "after you opened it" in html and "my careful text" in html  # kept to compare
    assert Draft.objects.get().values["measures"] == "two"
    # Saving as they work goes on being refused until they choose: the page keeps the revision
    # they started from, and offers the one they have now seen for "Save mine over theirs".
    assert 'name="revision" value="1"' in html and 'name="overwrite" value="2"' in html
    again = first.post(_url(report, "G"), {"revision": "1", "status": "changed",
                                           "measures": "my careful text, more"},
                       headers={"HX-Request": "true"})  # fmt: skip
    assert again.status_code == 409 and Draft.objects.get().values["measures"] == "two"
    assert again.content.decode().startswith('<div id="form-fields">')  # htmx shows it too
    mine = first.post(_url(report, "G"), {"revision": "1", "overwrite": "2", "status": "changed",
                                          "measures": "merged text"})  # fmt: skip
    assert mine.status_code == 200
    assert Draft.objects.get().values["measures"] == "merged text"
    assert Draft.objects.get().revision == 3
    # An overwrite from a copy older than the latest is refused as well.
    other.post(_url(report, "G"), {"revision": "3", "status": "changed", "measures": "four"})
    late = first.post(_url(report, "G"), {"revision": "3", "overwrite": "3", "status": "changed",
                                          "measures": "five"})  # fmt: skip
    assert late.status_code == 409 and Draft.objects.get().values["measures"] == "four"


def test_the_form_page_swaps_a_conflict_in_and_says_when_a_save_failed(
    personas: dict[str, Client], report: Report
) -> None:
    html = personas["focal_point"].get(_url(report, "G")).content.decode()
    assert '"code": "409", "swap": true' in html  # htmx shows the refusal, not nothing
    assert 'id="save-state"' in html and "Not saved: the connection failed." in html
    assert "reports/form.js" in html


def test_htmx_saves_as_the_person_works_and_gets_the_fields_back(
    personas: dict[str, Client], report: Report
) -> None:
    response = personas["focal_point"].post(
        _url(report, "G"), {"revision": "", "status": "changed", "people_reached": "abc"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    html = response.content.decode()
    assert html.startswith('<div id="form-fields">') and "<html" not in html
    assert (
        "A whole number, without spaces or separators." in html
        and Draft.objects.get().values["people_reached"] == "abc"
    )


def test_unchanged_since_last_report_fills_the_form_from_the_last_version(
    personas: dict[str, Client], chile: Any
) -> None:
    staff = make_user(Role.ISU_STAFF)
    last = services.start_report(state=chile, kind="annual", period=2023, by=staff)
    for code, values in EXAMPLE["forms"].items():
        services.save_form(last, code, copy.deepcopy(values), revision=None, by=staff)
    with mock.patch.object(services, "html_to_pdf", return_value=b"%PDF-1.7"):
        services.submit_report(last, by=staff)
    report = services.start_report(state=chile, kind="annual", period=2024, by=staff)
    client = personas["focal_point"]
    assert "Unchanged since last report" in client.get(_url(report, "C")).content.decode()
    page = client.post(f"/my/reports/report/{report.pk}/form/C/carry/", follow=True)
    html = page.content.decode()
    assert "Carried forward from CHL annual 2023, version 1." in html and "M26 rocket" in html
    assert Draft.objects.get(report=report, form="C").values["unchanged_since"] == 2023


def test_a_form_page_costs_the_same_queries_with_2_and_with_200_rows(
    personas: dict[str, Client], report: Report
) -> None:
    from ccm.core.testing.queries import queries

    user = make_user(Role.FOCAL_POINT, "CHL")
    counts = []
    for n in (2, 200):
        rows = [{"munition_type": f"t{i}", "munitions": i, "submunitions": i} for i in range(n)]
        draft = report.drafts.filter(form="B").first()
        services.save_form(report, "B", {"status": "changed", "stockpiles": rows},
                           revision=draft.revision if draft else None, by=user)  # fmt: skip
        counts.append(queries(personas["focal_point"], _url(report, "B")))
    assert counts[0] == counts[1], counts
