"""Universalization as pure functions (issue #14): a State's stage on a date, the tallies of a
recorded vote against the official totals, the analysis of the vote history, and which States
a campaign's filters choose."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

STAGES = ("not_engaged", "engaged", "domestic", "deposited")
VOTES = ("yes", "no", "abstain")


def stage_on(changes: Iterable[tuple[date, str]], deposited: date | None, on: date) -> str:
    """The pipeline stage on `on`: "deposited" from the day the registry records an instrument
    deposited (Art. 16, whatever was set by hand), else the latest stage set by then, else
    "not_engaged"."""
    if deposited is not None and deposited <= on:
        return "deposited"
    found = [(since, stage) for since, stage in changes if since <= on]
    return max(found)[1] if found else "not_engaged"


def tally(votes: Iterable[str]) -> dict[str, int]:
    out = dict.fromkeys(VOTES, 0)
    for v in votes:
        out[v] += 1
    return out


def mismatch(official: Mapping[str, int] | None, recorded: Mapping[str, int]) -> bool:
    """The per-State record does not add up to the official totals (False when there are no
    official totals to compare with)."""
    return official is not None and any(official[k] != recorded.get(k, 0) for k in VOTES)


@dataclass(frozen=True)
class Ballot:
    """One resolution in the analysis: its code, date and who was not party on that date."""

    code: str
    day: date
    not_party: frozenset[str]


def always(
    history: Mapping[str, Mapping[str, str]],
    ballots: Sequence[Ballot],
    vote: str,
    among: Iterable[str],
) -> list[str]:
    """The States of `among` that cast `vote` on every ballot held while they were not party
    (absent once is not every time); a State that was party at every ballot is not counted."""
    out = []
    for s in among:
        theirs = [b for b in ballots if s in b.not_party]
        if theirs and all(history.get(s, {}).get(b.code) == vote for b in theirs):
            out.append(s)
    return sorted(out)


def trend(history: Mapping[str, Mapping[str, str]], ballots: Sequence[Ballot]) -> list[dict]:
    """For each ballot, in date order: how the States not party on its date voted (yes, no,
    abstain) and how many of them did not vote."""
    out = []
    for b in sorted(ballots, key=lambda b: b.day):
        cast = [history.get(s, {}).get(b.code) for s in b.not_party]
        counts = tally(v for v in cast if v)
        out.append(
            {
                "code": b.code,
                "day": b.day,
                **counts,
                "absent": sum(1 for v in cast if not v),
                "states": len(b.not_party),
            }
        )
    return out


def latest_votes(
    history: Mapping[str, Mapping[str, str]], ballots: Sequence[Ballot]
) -> dict[str, str]:
    """Each State's vote on the latest ballot ("absent" when it did not vote)."""
    if not ballots:
        return {}
    last = max(ballots, key=lambda b: b.day).code
    return {s: votes.get(last, "absent") for s, votes in history.items()}


@dataclass(frozen=True)
class Candidate:
    """What a campaign's filters look at for one State not party."""

    iso3: str
    region: str
    stage: str
    positions: frozenset[str]
    signatory: bool
    last_vote: str | None  # on the latest recorded resolution


def chosen(candidates: Iterable[Candidate], filters: Mapping[str, object]) -> list[str]:
    """The States a campaign's filters choose: each given filter must hold (regions, stages and
    latest votes: any of those listed; positions: at least one; signatories: only them)."""
    regions = set(filters.get("regions") or [])  # type: ignore[call-overload]
    stages = set(filters.get("stages") or [])  # type: ignore[call-overload]
    positions = set(filters.get("positions") or [])  # type: ignore[call-overload]
    votes = set(filters.get("votes") or [])  # type: ignore[call-overload]
    signatories = bool(filters.get("signatories_only"))
    out = []
    for c in candidates:
        if regions and c.region not in regions:
            continue
        if stages and c.stage not in stages:
            continue
        if positions and not positions & c.positions:
            continue
        if votes and (c.last_vote or "absent") not in votes:
            continue
        if signatories and not c.signatory:
            continue
        out.append(c.iso3)
    return sorted(out)


# Démarches by stage (issue #25) ----------------------------------------------------------------

ADOPTED = date(2008, 5, 30)  # adopted at Dublin: no selection "as of" before the Convention
SIGNATURE_CLOSED = date(2010, 8, 1)  # Art. 15: open for signature "until its entry into force"
ASKS = ("sign_and_ratify", "ratify", "accede", "rejoin")


def as_of_refusal(as_of: date, today: date) -> str | None:
    """Why a campaign cannot choose its States as of this date, or None: not before the
    Convention was adopted (30 May 2008, nothing to join), not in the future (the registry
    knows only what has happened: a stage "as of" tomorrow would be a guess)."""
    if as_of < ADOPTED:
        return "before_adoption"
    if as_of > today:
        return "future"
    return None


def signature_open(on: date) -> bool:
    """Art. 15: open for signature (at Oslo from 3 December 2008, then in New York) until the
    entry into force, 1 August 2010; from that day a State that has not signed accedes."""
    return on < SIGNATURE_CLOSED


def ask(stage: str, on: date) -> str | None:
    """What a letter asks of a State at a stage (its treaty status) on the letter's date: a
    signatory to ratify (Art. 16(1)); a State that has not signed to accede (Art. 16(2)), or
    to sign and ratify while signature is open (Art. 15); a State that withdrew to become a
    party again (the route is not assumed); None for a State Party (nothing to ask)."""
    if stage == "signatory":
        return "ratify"
    if stage == "not_signed":
        return "sign_and_ratify" if signature_open(on) else "accede"
    if stage == "withdrawn":
        return "rejoin"
    return None
