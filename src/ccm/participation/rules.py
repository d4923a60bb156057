"""Rules of invitations and participation, as pure functions (issue #12)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

PARTY_STATUSES = ("deposited", "in_force")  # the ISU's count of States Parties


def state_category(status: str) -> str:
    """A State's category for a meeting from its standing on the meeting's date: a State Party,
    a signatory, or an observer State (not party: never signed, or withdrawn)."""
    if status in PARTY_STATUSES:
        return "party"
    if status == "signatory":
        return "signatory"
    return "observer"


def registration_closes(deadline: date | None, opens_on: date | None) -> date | None:
    """The last day a delegation can register or change itself: the meeting's registration
    deadline (registration closes, else notes verbales due), else the day before it opens; None
    for an undated meeting with no deadline (open until staff close it)."""
    if deadline is not None:
        return deadline
    return opens_on - timedelta(days=1) if opens_on else None


def may_register(closes: date | None, today: date) -> bool:
    return closes is None or today <= closes


def link_refusal(*, revoked: bool, expires_on: date, today: date, used: bool) -> str | None:
    """Why a genuine link is refused ("revoked", "expired", "used"), or None when it opens."""
    if revoked:
        return "revoked"
    if today > expires_on:
        return "expired"
    if used:
        return "used"
    return None


@dataclass(frozen=True)
class Statistics:
    """Participation in figures: delegations by category and persons, with the share of women
    among those who said their gender."""

    parties: int
    signatories: int
    observers: int
    organisations: int
    persons: int
    women: int
    stated: int

    @property
    def women_percent(self) -> int | None:
        return round(100 * self.women / self.stated) if self.stated else None


def statistics(delegations: Iterable[tuple[str, list[str]]]) -> Statistics:
    """From (category, members' genders) per delegation."""
    counts = {"party": 0, "signatory": 0, "observer": 0, "org": 0}
    persons = women = stated = 0
    for category, genders in delegations:
        counts[category if category in counts else "org"] += 1
        persons += len(genders)
        women += sum(1 for g in genders if g == "woman")
        stated += sum(1 for g in genders if g in ("woman", "man", "other"))
    return Statistics(counts["party"], counts["signatory"], counts["observer"], counts["org"],
                      persons, women, stated)  # fmt: skip


def digest(items: Iterable[str]) -> str:
    """A short fingerprint of a set of values (order does not matter): who a person saw in a
    preview, to refuse invitations made from an older copy of it."""
    return hashlib.sha256("\n".join(sorted(items)).encode()).hexdigest()[:16]
