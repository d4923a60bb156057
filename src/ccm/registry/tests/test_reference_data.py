"""`ccm load_reference_data`: the facts load; twice changes nothing; a bad file writes nothing."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ccm.core.models import AuditEvent
from ccm.registry import services
from ccm.registry.models import State, TreatyAction
from ccm.registry.selectors import counts_on, memberships

pytestmark = pytest.mark.django_db


def test_shipped_data_gives_112_states_parties_today_and_197_states() -> None:
    services.load_reference_data()
    assert State.objects.count() == 197
    c = counts_on(date(2026, 11, 27))
    assert (c.parties, c.in_force, c.signatories, c.withdrawn) == (112, 112, 12, 1)


def test_every_shipped_entry_into_force_agrees_with_article_17() -> None:
    report = services.load_reference_data()
    assert report.flagged == []
    assert not TreatyAction.objects.filter(source="").exists()


def test_published_counts_are_reproduced() -> None:
    services.load_reference_data()
    assert counts_on(date(2025, 9, 5)).parties == 112  # Vanuatu, "State Party no. 112"
    assert (
        counts_on(date(2023, 8, 3)).parties == 112
    )  # South Sudan, "no. 112" before Lithuania left
    assert counts_on(date(2025, 3, 6)).parties == 111  # Lithuania's withdrawal in effect
    assert counts_on(date(2010, 8, 1)).in_force == 30  # Art. 17(1)


def test_loading_twice_changes_nothing() -> None:
    first = services.load_reference_data()
    history = TreatyAction.history.count()
    events = AuditEvent.objects.count()
    second = services.load_reference_data()
    assert first.created == 197 + TreatyAction.objects.count()
    assert (second.created, second.updated) == (0, 0)
    assert TreatyAction.history.count() == history
    assert AuditEvent.objects.count() == events


def test_uk_and_ecuador_are_computed_from_their_deposit() -> None:
    services.load_reference_data()
    m = memberships()
    assert m["ECU"].entry_into_force == date(2010, 11, 1)
    assert m["JPN"].deposit_kind == "acceptance"
    assert m["LTU"].withdrawal_effective == date(2025, 3, 6)


def _copy_with(tmp_path: Path, edit: dict[int, dict[str, str]]) -> Path:
    src = services.MEMBERSHIP_CSV
    rows = list(csv.DictReader(src.open(encoding="utf-8")))
    for index, changes in edit.items():
        rows[index].update(changes)
    out = tmp_path / "ccm_membership.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


def test_a_malformed_row_stops_the_load_with_file_line_and_reason_and_writes_nothing(
    tmp_path: Path,
) -> None:
    bad = _copy_with(tmp_path, {119: {"deposit_date": "2010-13-45"}})
    with pytest.raises(services.ReferenceDataError) as exc:
        services.load_reference_data(membership_path=bad)
    assert str(exc.value.errors[0]) == (
        "ccm_membership.csv, line 121: deposit_date '2010-13-45' is not a date (YYYY-MM-DD)"
    )
    assert State.objects.count() == 0
    assert TreatyAction.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"iso3": "ZZZ"}, "iso3 'ZZZ' is not a known State"),
        ({"deposit_type": "ratifcation"}, "deposit_type 'ratifcation' is not one of"),
        ({"status": "member"}, "status 'member' is not party/signatory/withdrawn"),
        ({"source": ""}, "source is empty"),
        ({"signature_date": "2011-01-01"}, "outside the signature period (Art. 15)"),
        ({"withdrawal_date": "2009-01-01"}, "withdrawal_date is not after deposit_date"),
        ({"status": "signatory"}, "status signatory needs a signature_date and no deposit_date"),
    ],
)
def test_each_kind_of_bad_row_is_named(
    tmp_path: Path, changes: dict[str, str], reason: str
) -> None:
    bad = _copy_with(tmp_path, {0: changes})  # Afghanistan, line 2
    with pytest.raises(services.ReferenceDataError) as exc:
        services.load_reference_data(membership_path=bad)
    assert any(reason in str(e) and e.line == 2 for e in exc.value.errors), exc.value.errors
    assert TreatyAction.objects.count() == 0


def test_every_bad_row_is_listed_not_only_the_first(tmp_path: Path) -> None:
    bad = _copy_with(tmp_path, {0: {"status": "x"}, 5: {"deposit_date": "nope"}})
    with pytest.raises(services.ReferenceDataError) as exc:
        services.load_reference_data(membership_path=bad)
    assert {e.line for e in exc.value.errors} == {2, 7}


def test_a_bad_load_after_a_good_one_leaves_the_good_data_untouched(tmp_path: Path) -> None:
    services.load_reference_data()
    before = list(TreatyAction.objects.order_by("pk").values())
    bad = _copy_with(tmp_path, {0: {"deposit_date": "2011-09-09"}, 3: {"iso3": "QQQ"}})
    with pytest.raises(services.ReferenceDataError):
        services.load_reference_data(membership_path=bad)
    assert list(TreatyAction.objects.order_by("pk").values()) == before


def test_a_source_that_disagrees_with_article_17_is_stored_and_flagged(tmp_path: Path) -> None:
    odd = _copy_with(tmp_path, {0: {"entry_into_force_date": "2012-03-08"}})
    report = services.load_reference_data(membership_path=odd)
    assert report.flagged == [
        "AFG: source gives entry into force 2012-03-08, Art. 17 gives 2012-03-01"
    ]
    deposit = TreatyAction.objects.get(state_id="AFG", kind="ratification")
    assert deposit.entry_into_force_differs
    assert deposit.entry_into_force == date(2012, 3, 1)


def test_a_missing_column_is_reported(tmp_path: Path) -> None:
    out = tmp_path / "states.csv"
    shutil.copy(services.STATES_CSV, out)
    text = out.read_text(encoding="utf-8").replace("m49,", "code,", 1)
    out.write_text(text, encoding="utf-8")
    with pytest.raises(services.ReferenceDataError, match="missing column"):
        services.load_reference_data(states_path=out)


def test_the_command_prints_errors_and_exits_non_zero(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = _copy_with(tmp_path, {0: {"status": "x"}})
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_reference_data", membership=bad)
    assert "ccm_membership.csv, line 2" in capsys.readouterr().err
    assert State.objects.count() == 0


def test_the_command_reports_what_it_did(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("load_reference_data")
    call_command("load_reference_data")
    last_run = capsys.readouterr().out.splitlines()[-2:]
    assert "reference data: 0 created, 0 updated" in last_run[0]
    assert last_run[1].startswith("reports received: 0 created, 49 unchanged; declared")
