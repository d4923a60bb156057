"""One truth (issue #24): every consumer says the same thing about each report on each date —
which States are certainly overdue and which are unknown — as the engine's one selector does.

Checked on the shipped public record, on the demonstration history, and on a record marked
complete (where nothing is unknown). A consumer is one function that reads what it publishes
for a date and returns the certain and unknown States per report; to check another consumer,
write its function and add it to CONSUMERS.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ccm.compliance import rules
from ccm.compliance.selectors import engine_inputs

pytestmark = pytest.mark.django_db

# A report: ("initial", None) or ("annual", year covered)
Key = tuple[str, int | None]
# Per report: the certainly overdue States and the unknown ones
Sets = dict[Key, tuple[frozenset[str], frozenset[str]]]


@dataclass(frozen=True)
class Seen:
    """What a consumer publishes for one date: its sets, and the States it speaks of (None:
    every State; a State page speaks of one)."""

    sets: Sets
    scope: frozenset[str] | None = None
    # A consumer that counts the unknown without naming them (the circular letter): per report,
    # how many; its `sets` then name no unknown State.
    unknown_counts: dict[Key, int] | None = None


@dataclass(frozen=True)
class Consumer:
    name: str
    read: Callable[[date, bool], Seen]  # (as_of, include demonstration data)
    every_date: bool = True  # False: a few dates only (pages through the test client)


def _dates() -> list[date]:
    today = timezone.localdate()
    days = [date(y, m, 1) for y in range(2011, today.year + 1) for m in (1, 7)]
    return sorted({d for d in days if d <= today} | {date(2017, 1, 15), today})


DATES = _dates()
FEW_DATES = [date(2013, 1, 1), date(2017, 1, 15), date(2019, 8, 1), timezone.localdate()]


def _key(kind: str, period: int | None) -> Key:
    return (kind, None if kind == "initial" else period)


def engine_sets(snap: object, as_of: date) -> Sets:
    """The truth: the engine's one selector, its inputs read once per dataset."""
    assert hasattr(snap, "obligations")
    initial, annual = rules.summarise(snap.obligations(as_of))
    return {
        _key(t.kind.value, t.period): (frozenset(t.certainly_overdue), frozenset(t.unknown))
        for t in (initial, *annual)
    }


def _tally_sets(data: dict) -> Sets:
    tallies = [("initial", data["initial"])] + [("annual", t) for t in data["annual"]]
    return {
        _key(kind, t["period"]): (frozenset(t["overdue_iso3"]), frozenset(t["unknown_iso3"]))
        for kind, t in tallies
    }


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _demo(include_demo: bool) -> list[str]:
    return ["--include-demo"] if include_demo else []


# The consumers -------------------------------------------------------------------------------


def compliance_command(as_of: date, include_demo: bool) -> Seen:
    data = json.loads(
        _command(
            "compliance", "--as-of", as_of.isoformat(), "--format", "json", *_demo(include_demo)
        )
    )
    for t in [data["initial"], *data["annual"]]:
        # The contract: overdue is the certainly overdue, the lower end of the range
        assert t["overdue_iso3"] == t["overdue_certain_iso3"]
        assert t["overdue"] == t["overdue_min"] == len(t["overdue_iso3"])
        assert t["overdue_max"] == t["overdue_min"] + len(t["unknown_iso3"])
        if t["rate"] is not None:
            assert t["rate"] <= t["rate_max"] and t["on_time_rate"] <= t["on_time_rate_max"]
    return Seen(_tally_sets(data))


def obligations_command(as_of: date, include_demo: bool) -> Seen:
    rows = json.loads(
        _command(
            "obligations", "--as-of", as_of.isoformat(), "--format", "json", *_demo(include_demo)
        )
    )
    found: dict[Key, tuple[set[str], set[str]]] = {}
    for r in rows:
        if r["kind"] not in ("initial", "annual"):
            continue
        certain, unknown = found.setdefault(_key(r["kind"], r["period"]), (set(), set()))
        if r["status"] == "overdue":
            assert r["days_overdue"] and r["days_overdue"] > 0
            certain.add(r["iso3"])
        elif r["status"] == "unknown":
            assert r["days_overdue"] is None and r["satisfied_on"] is None
            unknown.add(r["iso3"])
    return Seen({k: (frozenset(c), frozenset(u)) for k, (c, u) in found.items()})


def dashboard_json(as_of: date, include_demo: bool) -> Seen:
    # The public dashboard always shows demonstration data when there is some (labelled)
    response = Client().get(f"/reporting/?as_of={as_of.isoformat()}&format=json")
    assert response.status_code == 200
    data = json.loads(response.content)
    sets = _tally_sets(data)
    # Its lists say the same as its figures
    lists = data["lists"]
    listed = {name: {r["iso3"] for r in rows} for name, rows in lists.items()}
    certain, unknown = sets[("initial", None)]
    assert (listed["overdue_initial"], listed["unknown_initial"]) == (certain, unknown)
    year = data["annual_year"]
    if year is not None:
        certain, unknown = sets[("annual", year)]
        assert (listed["missing_annual"], listed["unknown_annual"]) == (certain, unknown)
    assert all(r["status"] == "overdue" for r in lists["overdue_initial"] + lists["missing_annual"])
    assert all(r["status"] == "unknown" for r in lists["unknown_initial"] + lists["unknown_annual"])
    return Seen(sets)


def circular_json(as_of: date, include_demo: bool) -> Seen:
    """The Presidency's circular (`ccm letter circular`): the States it names, and the number
    of reports it says it cannot confirm."""
    data = json.loads(
        _command(
            "letter", "circular", "--as-of", as_of.isoformat(), "--language", "en",
            "--format", "json", *_demo(include_demo),
        )
    )  # fmt: skip
    parts = [("initial", data["initial"])] + [("annual", t) for t in data["annual"]]
    sets: Sets = {}
    counts: dict[Key, int] = {}
    for kind, part in parts:
        key = _key(kind, part.get("period"))
        sets[key] = (frozenset(part["overdue_iso3"]), frozenset())
        counts[key] = part["unknown"]
    return Seen(sets, unknown_counts=counts)


# States whose pages are read: some certainly overdue, some unknown, some complete on some dates.
PAGE_STATES = ("ITA", "CHL", "FRA", "AUS", "DEU", "BOL", "NER", "CPV", "GBR", "JPN")
_ROW = re.compile(r'<tr data-kind="(initial|annual)" data-period="(\d*)">(.*?)</tr>', re.DOTALL)
_STATUS = re.compile(r'data-status="(\w+)"')


def state_pages(as_of: date, include_demo: bool) -> Seen:
    """The public State pages of a few States: each row's one status."""
    client = Client()
    found: dict[Key, tuple[set[str], set[str]]] = {}
    for iso3 in PAGE_STATES:
        response = client.get(f"/states/{iso3}/?as_of={as_of.isoformat()}")
        assert response.status_code == 200, iso3
        for kind, period, row in _ROW.findall(response.content.decode()):
            status = _STATUS.search(row)
            assert status, (iso3, kind, period)
            certain, unknown = found.setdefault(
                _key(kind, int(period) if period else None), (set(), set())
            )
            if status.group(1) == "overdue":
                certain.add(iso3)
            elif status.group(1) == "unknown":
                assert "day" not in row.split('data-status="unknown"')[1].split("</span>")[0]
                unknown.add(iso3)
    return Seen(
        {k: (frozenset(c), frozenset(u)) for k, (c, u) in found.items()},
        scope=frozenset(PAGE_STATES),
    )


CONSUMERS: list[Consumer] = [
    Consumer("ccm compliance", compliance_command),
    Consumer("ccm obligations", obligations_command),
    Consumer("dashboard JSON", dashboard_json, every_date=False),
    Consumer("circular letter JSON", circular_json),
    Consumer("State pages", state_pages, every_date=False),
]


# The check -----------------------------------------------------------------------------------


def _nonempty(sets: Sets) -> Sets:
    """Reports with nothing overdue or unknown say nothing: a consumer may leave them out."""
    return {k: v for k, v in sets.items() if v[0] or v[1]}


def check_every_consumer(include_demo: bool) -> dict[date, Sets]:
    snap = engine_inputs(include_demo)
    truths = {}
    for as_of in DATES:
        truth = engine_sets(snap, as_of)
        truths[as_of] = truth
        for consumer in CONSUMERS:
            if not consumer.every_date and as_of not in FEW_DATES:
                continue
            seen = consumer.read(as_of, include_demo)
            expected = truth
            if seen.scope is not None:
                expected = {k: (c & seen.scope, u & seen.scope) for k, (c, u) in truth.items()}
            if seen.unknown_counts is not None:  # named certain, counted unknown
                counted = {k: n for k, n in seen.unknown_counts.items() if n}
                assert counted == {k: len(u) for k, (_c, u) in expected.items() if u}, (
                    consumer.name,
                    as_of,
                )
                expected = {k: (c, frozenset()) for k, (c, _u) in expected.items()}
            assert _nonempty(seen.sets) == _nonempty(expected), (consumer.name, as_of)
    return truths


def test_every_consumer_says_the_same_on_the_shipped_record(reference: None) -> None:
    truths = check_every_consumer(include_demo=False)
    # The public record leaves much unknown, and some reports certainly overdue
    on = truths[date(2017, 1, 15)][("initial", None)]
    assert (len(on[0]), len(on[0]) + len(on[1])) == (19, 88)  # issue #24: "between 19 and 88"
    assert {"AUS", "FRA", "JPN", "GBR"} <= on[1]  # unknown, never named as missing


def test_every_consumer_says_the_same_on_the_demonstration_history(reference: None) -> None:
    call_command("load_demo_reports", stdout=io.StringIO())
    check_every_consumer(include_demo=True)


def test_every_consumer_says_the_same_and_nothing_is_unknown_on_a_complete_record(
    reference: None,
) -> None:
    call_command("mark_record_complete", stdout=io.StringIO())
    truths = check_every_consumer(include_demo=False)
    for as_of, sets in truths.items():
        assert not any(unknown for _certain, unknown in sets.values()), as_of
    # The ranges close in what every consumer prints
    data = json.loads(_command("compliance", "--as-of", "2017-01-15", "--format", "json"))
    for t in [data["initial"], *data["annual"]]:
        assert t["overdue_min"] == t["overdue_max"] and t["unknown_iso3"] == []
        assert (t["rate"], t["on_time_rate"]) == (t["rate_max"], t["on_time_rate_max"])
