"""The pure rules of universalization, on small hand-made data."""

from __future__ import annotations

from datetime import date

from ccm.outreach import rules
from ccm.outreach.rules import Ballot, Candidate


def test_the_stage_on_a_date_and_the_deposit_from_the_registry() -> None:
    changes = [(date(2020, 1, 1), "engaged"), (date(2022, 6, 1), "domestic")]
    assert rules.stage_on([], None, date(2021, 1, 1)) == "not_engaged"
    assert rules.stage_on(changes, None, date(2019, 12, 31)) == "not_engaged"
    assert rules.stage_on(changes, None, date(2021, 1, 1)) == "engaged"
    assert rules.stage_on(changes, None, date(2023, 1, 1)) == "domestic"
    # The deposit wins from its day on, whatever was set by hand
    assert rules.stage_on(changes, date(2024, 3, 1), date(2024, 2, 29)) == "domestic"
    assert rules.stage_on(changes, date(2024, 3, 1), date(2024, 3, 1)) == "deposited"
    assert rules.stage_on([], date(2024, 3, 1), date(2025, 1, 1)) == "deposited"


def test_tallies_and_mismatches() -> None:
    recorded = rules.tally(["yes", "yes", "no", "abstain"])
    assert recorded == {"yes": 2, "no": 1, "abstain": 1}
    assert not rules.mismatch({"yes": 2, "no": 1, "abstain": 1}, recorded)
    assert rules.mismatch({"yes": 2, "no": 2, "abstain": 1}, recorded)
    assert not rules.mismatch(None, recorded)  # nothing official to compare with


def test_the_analysis_of_the_vote_history() -> None:
    ballots = [
        Ballot("R1", date(2015, 12, 7), frozenset({"AAA", "BBB", "CCC", "DDD"})),
        Ballot("R2", date(2016, 12, 5), frozenset({"AAA", "BBB", "CCC"})),
    ]
    history = {
        "AAA": {"R1": "yes", "R2": "yes"},
        "BBB": {"R1": "abstain", "R2": "abstain"},
        "CCC": {"R1": "yes"},  # absent in 2016: not "every time"
        "DDD": {"R1": "no"},  # joined in 2016
        "EEE": {"R1": "yes", "R2": "yes"},  # a State Party all along: not among
    }
    among = ["AAA", "BBB", "CCC", "EEE"]  # EEE withdrew since: party at every ballot
    assert rules.always(history, ballots, "yes", among) == ["AAA"]
    # DDD, not party in 2015 only (it joined in 2016), voted no then
    assert rules.always(history, ballots, "no", ["DDD"]) == ["DDD"]
    assert rules.always(history, ballots, "abstain", among) == ["BBB"]
    assert rules.always(history, [], "yes", among) == []
    trend = rules.trend(history, ballots)
    assert trend[0] == {
        "code": "R1",
        "day": date(2015, 12, 7),
        "yes": 2,
        "no": 1,
        "abstain": 1,
        "absent": 0,
        "states": 4,
    }
    assert (trend[1]["yes"], trend[1]["abstain"], trend[1]["absent"]) == (1, 1, 1)
    assert rules.latest_votes(history, ballots)["CCC"] == "absent"


def test_campaign_filters() -> None:
    people = [
        Candidate("AAA", "Africa", "engaged", frozenset({"stockpiler"}), True, "yes"),
        Candidate("BBB", "Asia", "not_engaged", frozenset(), False, "abstain"),
        Candidate("CCC", "Africa", "not_engaged", frozenset({"user"}), False, None),
    ]
    assert rules.chosen(people, {}) == ["AAA", "BBB", "CCC"]
    assert rules.chosen(people, {"regions": ["Africa"]}) == ["AAA", "CCC"]
    assert rules.chosen(people, {"stages": ["not_engaged"], "votes": ["absent"]}) == ["CCC"]
    assert rules.chosen(people, {"positions": ["stockpiler", "user"]}) == ["AAA", "CCC"]
    assert rules.chosen(people, {"signatories_only": True}) == ["AAA"]
