"""The `ccm states` contract (issue #2): fields, statuses and exit codes other tools rely on."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db

FIELDS = {
    "iso3", "name", "status", "signature_date", "deposit_date", "deposit_type",
    "entry_into_force_date", "in_force", "withdrawal_date",
}  # fmt: skip


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("states", *args, stdout=out)
    return out.getvalue()


def test_json_on_15_august_2016(registry_reference: None) -> None:
    data = json.loads(run("--as-of", "2016-08-15", "--format", "json"))
    assert all(set(d) == FIELDS for d in data)
    by = {d["iso3"]: d for d in data}
    assert sum(d["status"] == "party" for d in data) == 100
    assert by["LTU"] == {
        "iso3": "LTU", "name": "Lithuania", "status": "party", "signature_date": "2008-12-03",
        "deposit_date": "2011-03-24", "deposit_type": "ratification",
        "entry_into_force_date": "2011-09-01", "in_force": True, "withdrawal_date": None,
    }  # fmt: skip
    assert "VUT" not in by  # not yet acceded
    assert by["AGO"]["status"] == "signatory"


def test_a_deposited_state_not_yet_in_force_is_a_party_with_in_force_false(
    registry_reference: None,
) -> None:
    by = {d["iso3"]: d for d in json.loads(run("--as-of", "2025-09-05", "--format", "json"))}
    assert by["VUT"]["status"] == "party"
    assert by["VUT"]["in_force"] is False
    assert by["VUT"]["entry_into_force_date"] == "2026-03-01"
    assert by["VUT"]["deposit_type"] == "accession"


def test_withdrawn_after_the_effective_date(registry_reference: None) -> None:
    by = {d["iso3"]: d for d in json.loads(run("--as-of", "2025-03-06", "--format", "json"))}
    assert by["LTU"]["status"] == "withdrawn"
    assert by["LTU"]["in_force"] is False
    assert by["LTU"]["withdrawal_date"] == "2025-03-06"


def test_dates_after_the_as_of_date_are_not_revealed(registry_reference: None) -> None:
    by = {d["iso3"]: d for d in json.loads(run("--as-of", "2010-01-01", "--format", "json"))}
    assert by["CHL"]["status"] == "signatory"
    assert by["CHL"]["deposit_date"] is None
    assert by["CHL"]["entry_into_force_date"] is None


def test_csv_and_table_formats(registry_reference: None) -> None:
    rows = list(csv.DictReader(io.StringIO(run("--as-of", "2026-11-27", "--format", "csv"))))
    assert set(rows[0]) == FIELDS
    assert sum(r["status"] == "party" for r in rows) == 112
    assert {r["in_force"] for r in rows} == {"true", "false"}
    table = run("--as-of", "2026-11-27")
    assert table.splitlines()[0].split()[:3] == ["iso3", "name", "status"]
    assert table.rstrip().endswith("125 States; 112 States Parties")


def test_as_of_defaults_to_today(registry_reference: None) -> None:
    assert run("--format", "json") == run("--format", "json", "--as-of", _today())


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2016-13-01"], "--as-of: '2016-13-01' is not a date (YYYY-MM-DD)"),
        (["--as-of", "yesterday"], "--as-of: 'yesterday' is not a date (YYYY-MM-DD)"),
        (["--format", "xml"], "--format: 'xml' is not one of table, json, csv"),
    ],
)
def test_bad_input_is_refused_with_exit_status_2(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("states", *args)
    assert exc.value.returncode == 2
    assert str(exc.value) == message


def test_the_console_command_exits_2_with_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ccm", "states", "--format", "xml"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "CommandError: --format: 'xml' is not one of table, json, csv"
    ]
