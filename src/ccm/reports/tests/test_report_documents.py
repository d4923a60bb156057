"""The command-line contract of structured reports (issue #9, part 1): a document built from
the schema alone imports, reads back identical, an amendment is version 2 with version 1 still
readable, and a broken document is refused with nothing written."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ccm.core import audit
from ccm.core.models import AuditEvent
from ccm.reports import definition, services
from ccm.reports.models import Report, ReportVersion, Submission
from ccm.reports.tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db


def _document_from_schema() -> dict[str, Any]:
    """Only what `ccm report_schema` prints: every field's first example."""
    out = io.StringIO()
    call_command("report_schema", "--template", "2010", "--format", "json", stdout=out)
    schema = json.loads(out.getvalue())

    def example(node: dict[str, Any]) -> Any:
        if node.get("type") == "object":
            return {name: example(prop) for name, prop in node["properties"].items()}
        if node.get("type") == "array":
            return [example(node["items"])]
        return node["examples"][0]

    document = example(schema)
    document["forms"]["C"] = {"status": "unchanged", "unchanged_since": 2022}
    return document


@pytest.fixture
def chile_reported_2022(registry_reference: None) -> None:
    """The documents below answer form C "unchanged since 2022": Chile's annual report for 2022
    is in the record, the earlier report that answer points to (issue #24)."""
    SubmissionFactory(state_id="CHL", kind="annual", period=2022, received_on=date(2023, 4, 30))


def _run(*args: str) -> tuple[dict[str, Any], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def _write(tmp_path: Path, document: Any, name: str = "report.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_a_document_from_the_schema_imports_and_reads_back_identical(
    tmp_path: Path, chile_reported_2022: None
) -> None:
    document = _document_from_schema()
    path = _write(tmp_path, document)
    printed, _ = _run("import_report", path, "--received-on", "2025-04-28", "--format", "json")
    assert printed == {
        "state": "CHL", "kind": "annual", "period": 2024, "version": 1,
        "received_on": "2025-04-28", "warnings": [],
    }  # fmt: skip
    back, _ = _run("report", "--state", "CHL", "--kind", "annual", "--period", "2024")
    assert back == {**document, "version": 1, "received_on": "2025-04-28"}
    # The record of reports received gained the matching entry in the same transaction.
    record = Submission.objects.get(state_id="CHL", kind="annual", period=2024)
    assert (record.received_on.isoformat(), record.relation, record.channel) == (
        "2025-04-28", "original", "via_isu",
    )  # fmt: skip
    assert ReportVersion.objects.get().record == record
    assert AuditEvent.objects.filter(verb="report.version_submitted").count() == 1


def test_an_amendment_is_version_2_and_version_1_stays_readable(
    tmp_path: Path, chile_reported_2022: None
) -> None:
    first = _document_from_schema()
    _run("import_report", _write(tmp_path, first), "--received-on", "2025-04-28")
    second = json.loads(json.dumps(first))
    second["forms"]["B"]["stockpiles"][0]["munitions"] = 100
    printed, _ = _run("import_report", _write(tmp_path, second, "b.json"), "--received-on",
                      "2025-06-01")  # fmt: skip
    assert printed["version"] == 2
    latest, _ = _run("report", "--state", "CHL", "--kind", "annual", "--period", "2024")
    v1, _ = _run("report", "--state", "chl", "--kind", "annual", "--period", "2024",
                 "--version", "1")  # fmt: skip
    assert latest["forms"]["B"]["stockpiles"][0]["munitions"] == 100
    assert v1["forms"] == first["forms"] and v1["version"] == 1
    relations = list(
        Submission.objects.filter(state_id="CHL", period=2024).values_list("relation", flat=True)
    )
    assert relations == ["original", "amendment"]  # only the first counts for the deadline


def test_a_broken_document_is_refused_line_by_line_and_nothing_is_written(
    tmp_path: Path, registry_reference: None
) -> None:
    document = _document_from_schema()
    document["forms"]["B"]["stockpiles"][0]["munitions"] = -1
    document["forms"]["cover"]["period_to"] = "31/12/2024"
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_report", _write(tmp_path, document), "--received-on", "2025-04-28",
                     stderr=err)  # fmt: skip
    assert refused.value.returncode == 1
    assert "2 error(s) in the document; nothing was recorded." in str(refused.value)
    assert err.getvalue().splitlines() == [
        "report.json: $.forms.B.stockpiles[0].munitions: -1 is less than the minimum of 0",
        "report.json: $.forms.cover.period_to: '31/12/2024' is not a 'date'",
    ]
    assert not Report.objects.exists() and not Submission.objects.exists()


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"state": "XXX", "kind": "annual", "period": 2024, "template": "2010",
          "forms": {"cover": {}}}, "$.forms.cover: 'period_from' is a required property"),
        ("not an object", "$.template: None is not a known template"),
        ({"template": "1999"}, "$.template: '1999' is not a known template"),
    ],
)  # fmt: skip
def test_what_is_not_a_report_document_is_refused(
    tmp_path: Path, registry_reference: None, document: Any, reason: str
) -> None:
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_report", _write(tmp_path, document), "--received-on", "2025-04-28",
                     stderr=err)  # fmt: skip
    assert refused.value.returncode == 1 and reason in err.getvalue()
    assert not Report.objects.exists()


def test_an_unknown_state_and_an_initial_report_with_a_year_are_refused(
    tmp_path: Path, registry_reference: None
) -> None:
    document = _document_from_schema()
    document["state"] = "XXX"
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_report", _write(tmp_path, document), "--received-on", "2025-04-28",
                     stderr=io.StringIO())  # fmt: skip
    document = _document_from_schema()
    document["kind"] = "initial"  # with the period 2024 still there
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_report", _write(tmp_path, document), "--received-on", "2025-04-28",
                     stderr=err)  # fmt: skip
    assert "$.period: 2024 is not of type 'null'" in err.getvalue()


def test_rule_checks_come_back_as_warnings_not_refusals(
    tmp_path: Path, chile_reported_2022: None
) -> None:
    document = _document_from_schema()
    document["forms"]["cover"]["period_to"] = "2024-06-30"
    document["forms"]["F"]["cleared"][0]["year"] = 2025
    printed, _ = _run("import_report", _write(tmp_path, document), "--received-on", "2099-01-01")
    assert printed["version"] == 1
    assert printed["warnings"] == [
        "received date 2099-01-01 is in the future",
        "forms.cover: the reporting period 2024-01-01 to 2024-06-30 is not the calendar year "
        "2024 the annual report covers (Art. 7(2))",
        "forms.F.cleared[0].year: 2025 is after the year the report covers (2024)",
    ]


def test_bad_arguments_exit_2_and_an_unknown_report_too(
    tmp_path: Path, registry_reference: None
) -> None:
    path = _write(tmp_path, _document_from_schema())
    for args in (
        ("import_report", path, "--received-on", "28/04/2025"),
        ("import_report", str(tmp_path / "missing.json"), "--received-on", "2025-04-28"),
        ("import_report", path, "--received-on", "2025-04-28", "--by", "nobody@example.org"),
        ("import_report", path, "--received-on", "2025-04-28", "--format", "csv"),
        ("report", "--state", "CHL", "--kind", "annual", "--period", "2024"),
    ):
        with pytest.raises(CommandError) as bad:
            call_command(*args, stdout=io.StringIO())
        assert bad.value.returncode == 2, args
    assert not Report.objects.exists()
    assert definition.shipped() == ["2010", "2010r2"]


def test_a_failure_mid_way_leaves_no_version_and_no_record(
    registry_reference: None, monkeypatch: pytest.MonkeyPatch
) -> None:

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit could not be written")

    monkeypatch.setattr(audit, "record", broken)
    document = definition.example_document(definition.load("2010"))
    with pytest.raises(RuntimeError):
        services.import_report_document(document, received_on=date(2025, 4, 28), by=None)
    assert not (
        Report.objects.exists() or ReportVersion.objects.exists() or Submission.objects.exists()
    )


def test_structured_reports_are_shown_to_staff_only_and_never_changed_in_the_admin(
    personas: dict[str, Any],
) -> None:
    services.import_report_document(
        definition.example_document(definition.load("2010")),
        received_on=date(2025, 4, 28),
        by=None,
    )
    report = Report.objects.get()
    for url in ("/admin/reporting/report/", f"/admin/reporting/report/{report.pk}/change/"):
        for name, client in personas.items():
            response = client.get(url)
            if name == "staff":
                assert response.status_code == 200, url
            else:
                assert response.status_code == 302 and "/admin/login/" in response["Location"]
    staff = personas["staff"]
    assert staff.get("/admin/reporting/report/add/").status_code == 403
    assert (
        staff.post(f"/admin/reporting/report/{report.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Report.objects.count() == 1
