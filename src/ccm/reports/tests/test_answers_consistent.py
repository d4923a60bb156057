"""A form's answer never contradicts itself or the record (issue #24, item 5): a "not applicable"
explanation goes when the form is answered otherwise, by every way in, and "unchanged since last
report" is refused when there is no earlier report, or no year of one, to point to."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.reports import definition, rules, services
from ccm.reports.models import Draft, Report, ReportVersion
from ccm.reports.tests.factories import SubmissionFactory

EXAMPLE = definition.example_document(definition.load(services.CURRENT_TEMPLATE))
WHY = "No stockpiles: the last were destroyed in 2020."


def test_the_explanation_goes_with_not_applicable_and_only_with_it() -> None:
    assert rules.without_stale_answers({"status": "changed", "explanation": WHY}) == {
        "status": "changed"
    }
    kept = {"status": "not_applicable", "explanation": WHY}
    assert rules.without_stale_answers(kept) == kept
    assert rules.without_stale_answers({"explanation": WHY}) == {"explanation": WHY}  # no status
    assert rules.stale_answers({"status": "changed", "explanation": ""}) == []  # says nothing


def test_no_earlier_report_or_year_refuses_unchanged() -> None:
    unchanged = {"status": "unchanged", "unchanged_since": 2022}
    assert [p.code for p in rules.unchanged_problems(unchanged, [])] == ["unchanged_no_earlier"]
    assert rules.unchanged_problems(unchanged, [2011, 2022]) == []
    late = rules.unchanged_problems({"status": "unchanged", "unchanged_since": 2023}, [2011, 2022])
    assert [(p.field, p.params) for p in late] == [
        ("unchanged_since", {"since": 2023, "from": 2011, "to": 2022})
    ]
    assert rules.unchanged_problems({"status": "changed"}, []) == []


@pytest.fixture
def report(chile: Any) -> Report:
    return services.start_report(
        state=chile, kind="annual", period=2024, by=make_user(Role.ISU_STAFF)
    )


@pytest.mark.django_db
def test_switching_from_not_applicable_to_changed_drops_the_explanation(report: Report) -> None:
    focal = make_user(Role.FOCAL_POINT, "CHL")
    services.save_form(report, "B", {"status": "not_applicable", "explanation": WHY},
                       revision=None, by=focal)  # fmt: skip
    assert Draft.objects.get(form="B").values["explanation"] == WHY
    changed = copy.deepcopy(EXAMPLE["forms"]["B"]) | {"explanation": WHY}
    draft, problems = services.save_form(report, "B", changed, revision=1, by=focal)
    assert problems == []
    assert "explanation" not in Draft.objects.get(form="B").values
    assert draft.values == {k: v for k, v in changed.items() if k != "explanation"}


@pytest.mark.django_db
def test_the_form_page_shows_the_answer_as_saved_without_the_old_explanation(
    personas: dict[str, Client], report: Report
) -> None:
    client = personas["focal_point"]
    url = f"/my/reports/report/{report.pk}/form/G/"
    client.post(url, {"status": "not_applicable", "explanation": WHY})
    page = client.post(url, {"status": "changed", "explanation": WHY, "measures": "A law",
                             "revision": "1"}).content.decode()  # fmt: skip
    assert WHY not in page
    assert Draft.objects.get(form="G").values == {"status": "changed", "measures": "A law"}


@pytest.mark.django_db
def test_a_document_s_stale_explanation_is_dropped_and_said(
    report: Report, registry_reference: None
) -> None:
    document = copy.deepcopy(EXAMPLE)
    document["forms"]["B"]["explanation"] = WHY
    version = services.import_report_document(
        document, received_on=date(2025, 4, 28), by=None, today=date(2025, 5, 1)
    )
    assert "explanation" not in version.forms["B"]
    assert any(w.startswith("forms.B.explanation: dropped") for w in version.warnings)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_unchanged_without_an_earlier_report_is_refused_on_the_form(
    report: Report, language: str
) -> None:
    focal = make_user(Role.FOCAL_POINT, "CHL")
    with translation.override(language):
        _, problems = services.save_form(
            report, "C", {"status": "unchanged", "unchanged_since": 2022}, revision=None, by=focal
        )
        said = str(rules.FORM_MESSAGES["unchanged_no_earlier"])  # in the person's language
        assert problems == [("$.forms.C.status", said)]
        assert ("$.forms.C.status", said) in services.readiness(report)  # submission refused


@pytest.mark.django_db
def test_unchanged_since_needs_a_year_of_an_earlier_report(report: Report) -> None:
    focal = make_user(Role.FOCAL_POINT, "CHL")
    SubmissionFactory(state_id="CHL", kind="initial", received_on=date(2011, 6, 1))
    SubmissionFactory(state_id="CHL", kind="annual", period=2022, received_on=date(2023, 4, 30))
    SubmissionFactory(state_id="CHL", kind="annual", period=2025, received_on=date(2026, 4, 30))
    ok = {"status": "unchanged", "unchanged_since": 2022}
    assert services.save_form(report, "C", ok, revision=None, by=focal)[1] == []
    # 2025 is a later report, not one this 2024 report can be unchanged since.
    late = {"status": "unchanged", "unchanged_since": 2025}
    _, problems = services.save_form(report, "C", late, revision=1, by=focal)
    assert problems == [
        ("$.forms.C.unchanged_since", str(rules.FORM_MESSAGES["unchanged_since_year"])
         % {"since": 2025, "from": 2011, "to": 2022})
    ]  # fmt: skip


@pytest.mark.django_db
def test_an_initial_report_is_never_unchanged(chile: Any) -> None:
    staff = make_user(Role.ISU_STAFF)
    initial = services.start_report(state=chile, kind="initial", period=None, by=staff)
    _, problems = services.save_form(
        initial, "C", {"status": "unchanged", "unchanged_since": 2011}, revision=None, by=staff
    )
    assert [path for path, _ in problems] == ["$.forms.C.status"]


@pytest.mark.django_db
def test_a_document_unchanged_since_nothing_is_refused_and_nothing_written(
    registry_reference: None,
) -> None:
    document = copy.deepcopy(EXAMPLE)
    document["forms"]["C"] = {"status": "unchanged", "unchanged_since": 2022}
    with pytest.raises(services.InvalidDocument) as refused:
        services.import_report_document(
            document, received_on=date(2025, 4, 28), by=None, today=date(2025, 5, 1)
        )
    assert [path for path, _ in refused.value.problems] == ["$.forms.C.status"]
    assert not ReportVersion.objects.exists() and not Report.objects.exists()
