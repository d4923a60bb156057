"""The membership engine: plain functions of dates, no database.

Every rule cites its article of the Convention on Cluster Munitions. Worked examples live in
`shared/domain/treaty.md` and are tests in `tests/test_rules.py`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ccm.core.dates import add_months

# Art. 15: open for signature from 3 Dec 2008 until entry into force.
OPENED_FOR_SIGNATURE = date(2008, 12, 3)
# Art. 17(1): the thirtieth instrument (Burkina Faso, Moldova) was deposited on 16 Feb 2010.
INSTRUMENTS_FOR_ENTRY_INTO_FORCE = 30
THIRTIETH_INSTRUMENT_DEPOSITED = date(2010, 2, 16)
CONVENTION_ENTRY_INTO_FORCE = date(2010, 8, 1)


class Status(enum.StrEnum):
    """A State's standing towards the Convention on one date."""

    NOT_SIGNED = "not_signed"
    SIGNATORY = "signatory"
    DEPOSITED = "deposited"  # a State Party (ISU count), Convention not yet in force for it
    IN_FORCE = "in_force"
    WITHDRAWN = "withdrawn"

    @property
    def is_party(self) -> bool:
        """The ISU's and civil society's count: instrument deposited, no withdrawal in effect."""
        return self in (Status.DEPOSITED, Status.IN_FORCE)


def first_day_of_sixth_month_after(day: date) -> date:
    # Art. 17: "the first day of the sixth month after the month in which ... was deposited".
    return add_months(day.replace(day=1), 6)


def convention_entry_into_force(deposits: Iterable[date]) -> date | None:
    """Art. 17(1): first day of the sixth month after the month of the 30th deposit."""
    ordered = sorted(deposits)
    if len(ordered) < INSTRUMENTS_FOR_ENTRY_INTO_FORCE:
        return None
    return first_day_of_sixth_month_after(ordered[INSTRUMENTS_FOR_ENTRY_INTO_FORCE - 1])


def entry_into_force(deposit: date) -> date:
    """Entry into force of the Convention for a State that deposited on `deposit`."""
    if deposit <= THIRTIETH_INSTRUMENT_DEPOSITED:
        return CONVENTION_ENTRY_INTO_FORCE  # Art. 17(1): the first thirty instruments
    # Art. 17(2): later instruments; never before the Convention itself is in force.
    return max(first_day_of_sixth_month_after(deposit), CONVENTION_ENTRY_INTO_FORCE)


def withdrawal_effective(notification_received: date) -> date:
    """Art. 20(2): six months after the depositary receives the notification.

    If the State is then engaged in armed conflict, effect waits for the end of the conflict:
    that date cannot be computed and is recorded on the withdrawal instead.
    """
    return add_months(notification_received, 6)


@dataclass(frozen=True, slots=True)
class Membership:
    """What the record of treaty actions says of one State (all dates optional)."""

    iso3: str
    signature: date | None = None
    deposit: date | None = None
    deposit_kind: str | None = None
    withdrawal_notified: date | None = None
    withdrawal_effect: date | None = None

    @property
    def entry_into_force(self) -> date | None:
        return entry_into_force(self.deposit) if self.deposit else None

    @property
    def withdrawal_effective(self) -> date | None:
        if self.withdrawal_effect:
            return self.withdrawal_effect
        if self.withdrawal_notified:
            return withdrawal_effective(self.withdrawal_notified)
        return None

    def status_on(self, day: date) -> Status:
        effect = self.withdrawal_effective
        if effect and day >= effect:
            return Status.WITHDRAWN  # Art. 20(2)
        if self.deposit and day >= self.deposit:
            eif = self.entry_into_force
            return Status.IN_FORCE if eif and day >= eif else Status.DEPOSITED
        if self.signature and day >= self.signature:
            return Status.SIGNATORY
        return Status.NOT_SIGNED

    def known_on(self, day: date) -> Membership:
        """The record as it stood on `day`: actions taken later are not yet known (a page as of
        a date shows only what had happened by then, issue #7). Dates that follow by rule from
        an action already taken (entry into force, Art. 17(2)) stay."""
        notified = (
            self.withdrawal_notified
            if self.withdrawal_notified and self.withdrawal_notified <= day
            else None
        )
        effect = (
            self.withdrawal_effect
            if notified or (self.withdrawal_effect and self.withdrawal_effect <= day)
            else None
        )
        deposited = self.deposit is not None and self.deposit <= day
        return Membership(
            iso3=self.iso3,
            signature=self.signature if self.signature and self.signature <= day else None,
            deposit=self.deposit if deposited else None,
            deposit_kind=self.deposit_kind if deposited else None,
            withdrawal_notified=notified,
            withdrawal_effect=effect,
        )

    def in_force_on(self, day: date) -> bool:
        return self.status_on(day) is Status.IN_FORCE

    def is_party_on(self, day: date) -> bool:
        return self.status_on(day).is_party


@dataclass(frozen=True, slots=True)
class Counts:
    """The two counts people quote, plus signatories and withdrawals, on one date."""

    day: date
    parties: int  # deposited and not withdrawn (the ISU's "Nth State Party")
    in_force: int  # the Convention is in force for them (legal obligations run)
    signatories: int  # signed, not yet deposited
    withdrawn: int


def counts_on(memberships: Iterable[Membership], day: date) -> Counts:
    statuses = [m.status_on(day) for m in memberships]
    return Counts(
        day=day,
        parties=sum(s.is_party for s in statuses),
        in_force=sum(s is Status.IN_FORCE for s in statuses),
        signatories=sum(s is Status.SIGNATORY for s in statuses),
        withdrawn=sum(s is Status.WITHDRAWN for s in statuses),
    )


def month_starts(start: date, end: date) -> list[date]:
    """First days of every month from `start`'s month to `end` (inclusive)."""
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(day)
        day = add_months(day, 1)
    return out
