"""The public record of reports (issue #15): the evidence that bounds when each report
arrived, the list inference, the conflicts, the certain counts and the ranges, the published
figures beside them, and the demonstration history off by default."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from ccm.compliance import rules, selectors, services
from ccm.compliance.models import NotReceived, PublishedList
from ccm.compliance.rules import Certainty, Evidence, Fact, ListFacts, Receipt
from ccm.core.tables import RowsRefused
from ccm.registry.models import State

DUE = date(2015, 6, 1)


def weigh(receipt=None, negatives=(), inferred=None, complete=False, as_of=date(2016, 1, 1)):  # type: ignore[no-untyped-def]
    return rules.weigh(receipt, tuple(negatives), inferred, complete, DUE, as_of)


def fact(what: str, day: date, source: str = "s") -> Fact:
    return Fact(what, day, source)


# Reasoning (pure) ----------------------------------------------------------------------------


def test_each_kind_of_evidence() -> None:
    exact = Receipt(on=date(2015, 9, 1), source="register")
    assert weigh(exact).certainty == Certainty.SATISFIED and weigh(exact).evidence == "received"
    # Received on a day after the one asked: certainly not there yet
    early = weigh(exact, as_of=date(2015, 8, 1))
    assert (early.certainty, early.evidence) == (Certainty.CERTAINLY_OVERDUE, "received")
    upper = Receipt(by=date(2015, 12, 31), source="profile")
    assert weigh(upper).evidence == "received_by" and weigh(upper).certainty == "satisfied"
    # Received by the end of the year: on 1 Aug it may or may not have arrived
    assert weigh(upper, as_of=date(2015, 8, 1)).certainty == Certainty.UNKNOWN
    lower = [fact(Evidence.NOT_RECEIVED_AS_OF, date(2015, 10, 1))]
    assert weigh(negatives=lower, as_of=date(2015, 9, 1)).certainty == Certainty.CERTAINLY_OVERDUE
    assert weigh(negatives=lower, as_of=date(2015, 10, 1)).certainty == Certainty.CERTAINLY_OVERDUE
    later = weigh(negatives=lower, as_of=date(2015, 11, 1))
    assert (later.certainty, later.evidence) == (Certainty.UNKNOWN, "not_received_as_of")
    assert weigh().certainty == Certainty.UNKNOWN and weigh().evidence == "none"
    assert weigh(as_of=date(2015, 6, 1)).certainty == Certainty.NOT_DUE  # the deadline day
    inferred = fact(Evidence.INFERRED_FROM_LIST, date(2015, 12, 1), "list")
    assert weigh(inferred=inferred).evidence == "inferred_from_list"
    assert weigh(inferred=inferred).certainty == Certainty.SATISFIED
    assert weigh(inferred=inferred, as_of=date(2015, 11, 30)).certainty == Certainty.UNKNOWN
    # A complete record: absence is evidence
    assert weigh(complete=True).certainty == Certainty.CERTAINLY_OVERDUE


def test_combinations_and_conflicts() -> None:
    # Not received as of 1 Oct, received by 31 Dec: on 1 Nov unknown, on 1 Jan satisfied
    both = dict(
        receipt=Receipt(by=date(2015, 12, 31), source="p"),
        negatives=[fact(Evidence.NOT_RECEIVED_AS_OF, date(2015, 10, 1))],
    )
    assert weigh(**both, as_of=date(2015, 9, 15)).certainty == Certainty.CERTAINLY_OVERDUE
    assert weigh(**both, as_of=date(2015, 11, 1)).certainty == Certainty.UNKNOWN
    assert weigh(**both).certainty == Certainty.SATISFIED and not weigh(**both).conflict
    # A receipt dated before a later statement that it was missing: flagged; the receipt wins
    conflict = weigh(
        Receipt(on=date(2014, 5, 24), source="Monitor 2015"),
        [fact(Evidence.NOT_RECEIVED_AS_OF, date(2015, 6, 18), "CMC list")],
    )
    assert conflict.certainty == Certainty.SATISFIED and conflict.evidence == "conflict"
    assert "outranks" in conflict.conflict and "CMC list" in conflict.conflict
    assert set(conflict.sources) == {"Monitor 2015", "CMC list"}


def test_a_list_infers_receipts_only_when_complete_and_undated_lists_by_their_window() -> None:
    deadlines = {
        "AAA": date(2018, 6, 30),
        "BBB": date(2017, 1, 1),
        "CCC": date(2019, 5, 1),
        "DDD": date(2019, 12, 1),
    }
    window = (date(2019, 4, 1), date(2019, 6, 11))
    complete = ListFacts(*window, 1, ("AAA",), "ISU page")
    named, inferred = rules.list_evidence(complete, deadlines)
    assert named == {"AAA": Fact(Evidence.NOT_RECEIVED_AS_OF, date(2019, 4, 1), "ISU page")}
    # BBB and CCC were due by the window's end and not named: received by then; DDD not yet due
    assert set(inferred) == {"BBB", "CCC"}
    assert inferred["BBB"] == Fact(Evidence.INFERRED_FROM_LIST, date(2019, 6, 11), "ISU page")
    partial = ListFacts(date(2015, 6, 18), date(2015, 6, 18), 18, ("AAA", "BBB"), "CMC")
    named, inferred = rules.list_evidence(partial, deadlines)
    assert set(named) == {"AAA", "BBB"} and inferred == {}  # 18 said, 2 named: no inference


def test_counts_and_ranges_on_hand_made_data() -> None:
    from ccm.registry.rules import Membership

    def party(iso3: str) -> Membership:
        return Membership(
            iso3=iso3,
            signature=date(2010, 1, 1),
            deposit=date(2010, 1, 1),
            deposit_kind="ratification",
        )

    on = date(2012, 1, 1)  # every initial report below was due 28 Dec 2010
    facts = {
        "AAA": rules.Facts(receipts={(rules.Kind.INITIAL, None): Receipt(on=date(2011, 1, 5))}),
        "BBB": rules.Facts(
            not_received={
                (rules.Kind.INITIAL, None): (fact(Evidence.NOT_RECEIVED_AS_OF, date(2012, 3, 1)),)
            }
        ),
        "CCC": rules.Facts(),
        "DDD": rules.Facts(complete=frozenset({rules.Kind.INITIAL})),
    }
    items = [o for iso3, f in facts.items() for o in rules.obligations(party(iso3), f, on)]
    initial, _annual = rules.summarise(items)
    assert initial.certainly_overdue == ["BBB", "DDD"] and initial.unknown == ["CCC"]
    assert (initial.overdue_min, initial.overdue_max) == (2, 3)
    # Issue #24: "overdue" is the certainly overdue, in every word and count
    assert initial.overdue == ["BBB", "DDD"]


# The shipped evidence --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_evidence_loads_with_its_sources_once(reference: None) -> None:
    assert NotReceived.objects.count() == 81 and PublishedList.objects.count() == 6
    assert not NotReceived.objects.filter(source="").exists()
    assert services.load_evidence() == (0, 0)
    complete = PublishedList.objects.get(as_of_latest=date(2019, 6, 11))
    assert complete.complete and complete.listed[0] == "BEN"
    assert not PublishedList.objects.get(as_of_latest=date(2015, 6, 18)).complete


@pytest.mark.django_db
def test_a_malformed_evidence_row_loads_nothing(registry_reference: None, tmp_path: Path) -> None:
    bad = tmp_path / "not_received.csv"
    bad.write_text(
        "iso3,kind,period,not_received_as_of,note,source\n"
        "BOL,initial,,2014-06-27,,ok\nXXX,initial,,2014-06-27,,s\n"
        "BOL,annual,,2014-06-27,,s\nBOL,initial,,27/06/2014,,s\nBOL,initial,,2015-01-01,,\n"
    )
    with pytest.raises(RowsRefused) as refused:
        services.load_evidence(bad, services.OVERDUE_LISTS_CSV)
    lines = {e.line for e in refused.value.errors}
    assert lines == {3, 4, 5, 6}
    assert all(e.file == "not_received.csv" for e in refused.value.errors)
    assert not NotReceived.objects.exists() and not PublishedList.objects.exists()


@pytest.mark.django_db
def test_the_three_conflicts_are_flagged(reference: None) -> None:
    snap = selectors.engine_inputs()
    found = {
        o.iso3 for o in snap.obligations(date(2016, 1, 1), kind=rules.Kind.INITIAL) if o.conflict
    }
    assert {"CMR", "TCD", "MLI"} <= found


@pytest.mark.django_db
def test_the_ranges_on_real_dates_and_the_published_figure(reference: None) -> None:
    out = io.StringIO()
    call_command("compliance", "--as-of", "2015-06-18", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    initial = data["initial"]
    # Issue #24: `overdue` is the certainly overdue, the lower end of the range
    assert initial["overdue"] == initial["overdue_min"] <= initial["overdue_max"]
    assert initial["overdue_certain_iso3"] == initial["overdue_iso3"]
    assert not set(initial["overdue_certain_iso3"]) & set(initial["unknown_iso3"])
    assert {"BOL", "COK", "PAN"} <= set(initial["overdue_certain_iso3"])  # named by the list
    assert "CMR" not in initial["overdue_iso3"]  # received Aug 2014: the list's UN page lagged
    assert [(p["count"], p["as_of_latest"]) for p in initial["published"]] == [(18, "2015-06-18")]
    for tally in data["annual"]:
        assert {
            "overdue_min",
            "overdue_max",
            "overdue_certain_iso3",
            "unknown_iso3",
            "published",
        } <= set(tally)
    page = Client().get("/reporting/?as_of=2015-06-18").content.decode()
    assert 'id="bounds-initial"' in page and 'data-published="initial"' in page
    assert f"Between {initial['overdue_min']} and {initial['overdue_max']}" in page
    # Marking the record complete closes the range
    services.mark_record_complete(State.objects.get(iso3="DEU"), "annual", by=None)
    rows = {
        (o.kind, o.period): o
        for o in selectors.engine_inputs().obligations(date(2016, 8, 1), state="DEU")
    }
    assert rows[(rules.Kind.ANNUAL, 2013)].certainty == Certainty.CERTAINLY_OVERDUE


@pytest.mark.django_db
def test_the_state_page_shows_the_evidence(reference: None) -> None:
    page = Client().get("/states/CMR/?as_of=2016-01-01").content.decode()
    assert 'data-flag="conflict"' in page and "outranks" in page
    bolivia = Client().get("/states/BOL/?as_of=2015-06-18").content.decode()
    assert 'data-certainty="certainly_overdue"' in bolivia and "not received as of" in bolivia


@pytest.mark.django_db
def test_the_demonstration_history_is_off_by_default_and_labelled_when_on(reference: None) -> None:
    from ccm.reports import selectors as reports
    from ccm.reports.choices import Origin

    assert not [s for s in reports.received(True) if s.origin == Origin.DEMO]
    assert "Demonstration data" not in Client().get("/reporting/").content.decode()
    call_command("load_demo_reports", stdout=io.StringIO())
    assert "Demonstration data" in Client().get("/reporting/").content.decode()
    makefile = (Path(__file__).resolve().parents[4] / "Makefile").read_text()
    assert "load_demo_reports" not in makefile.split("run:", 1)[1].split("\n\n", 1)[0]


@pytest.mark.django_db
def test_marking_the_record_complete_from_the_command(registry_reference: None) -> None:
    from django.core.management.base import CommandError

    from ccm.compliance.models import CompleteRecord

    with pytest.raises(CommandError) as refused:
        call_command("mark_record_complete", "--state", "XXX")
    assert refused.value.returncode == 2 and "'XXX' is not a known State" in str(refused.value)
    assert not CompleteRecord.objects.exists()
    out = io.StringIO()
    call_command("mark_record_complete", "--state", "chl", "--kind", "initial", stdout=out)
    call_command("mark_record_complete", "--state", "CHL", "--kind", "initial", stdout=out)
    assert CompleteRecord.objects.filter(state_id="CHL").count() == 1
    assert out.getvalue().splitlines() == [
        "1 record(s) marked complete (1 State(s), initial)",
        "0 record(s) marked complete (1 State(s), initial)",
    ]
