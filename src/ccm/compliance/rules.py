"""The obligation engine: what each State owes and when, as plain functions of dates.

No database here. Every rule cites its article of the Convention; the worked examples of
`shared/domain/treaty.md` and `reporting.md` are tests in `tests/test_rules.py`.

An obligation *exists* on a date when the Convention is in force for the State on that date and
the obligation has arisen (its reporting period has begun, or the State declared what creates it).
A withdrawal (Art. 20(2)) ends every obligation: from the day it takes effect the State owes nothing
and drops out of the lists and rates, which count States Parties only.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ccm.core.dates import add_months, add_years
from ccm.registry.rules import Membership, month_starts

ANNUAL_DEADLINE = (4, 30)  # Art. 7(2): "not later than 30 April of each year"
DEFAULT_DUE_SOON_DAYS = 60  # the reminder window: "due" means the deadline is this close


class Kind(enum.StrEnum):
    """The obligations the engine computes (names are the CLI contract's `kind`)."""

    INITIAL = "initial"  # Art. 7(1)
    ANNUAL = "annual"  # Art. 7(2)
    RETENTION = "retention"  # Art. 3(8)
    STOCKPILE_DESTRUCTION = "stockpile_destruction"  # Art. 3(2)
    CLEARANCE = "clearance"  # Art. 4(1)(a)

    @property
    def is_report(self) -> bool:
        return self in (Kind.INITIAL, Kind.ANNUAL, Kind.RETENTION)

    @classmethod
    def of_report(cls, code: str) -> Kind | None:
        """The obligation a report of kind `code` (the record's vocabulary: initial, annual,
        retention, voluntary) answers, or None: a voluntary report answers none. The one place
        the record's kinds meet the engine's (the declared holdings use the engine's own)."""
        kind = cls._value2member_map_.get(code)
        return kind if isinstance(kind, Kind) and kind.is_report else None


class Compliance(enum.StrEnum):
    """Compliance vocabulary of `shared/domain/reporting.md` (the CLI contract's `status`)."""

    NOT_YET_DUE = "not_yet_due"
    DUE = "due"  # deadline ahead, within the reminder window
    ON_TIME = "on_time"
    LATE = "late"
    # The deadline has passed and the evidence shows nothing had arrived by the day asked (a
    # statement or list that it had not, a report received later, or a record marked
    # complete): certainly overdue. Nothing less is ever called overdue (issue #24).
    OVERDUE = "overdue"
    # Received, but only "by" a date later than the deadline: whether it was on time is unknown,
    # and the system says so rather than guessing.
    SUBMITTED = "submitted"
    # The deadline has passed and no report is in the record, but nothing shows it had not
    # arrived: the record may be incomplete. Neither satisfied nor overdue (issue #24).
    UNKNOWN = "unknown"

    @property
    def is_satisfied(self) -> bool:
        return self in (Compliance.ON_TIME, Compliance.LATE, Compliance.SUBMITTED)


class FirstAnnualRule(enum.StrEnum):
    """Which annual report is a new State's first one. The treaty is silent (Art. 7(2))."""

    # reporting.md, the reading used in 2012: every State whose initial report was due before
    # the year's 30 April owes the annual report due that 30 April (covering the previous year).
    INITIAL_DUE_BEFORE_30_APRIL = "initial_due_before_30_april"
    # Alternative reading: the first annual report covers the first full calendar year in force.
    FIRST_FULL_YEAR_IN_FORCE = "first_full_year_in_force"


# ---------------------------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------------------------


def initial_report_due(in_force: date) -> date:
    return in_force + timedelta(days=180)  # Art. 7(1): within 180 days of entry into force


def stockpile_destruction_deadline(in_force: date) -> date:
    return add_years(in_force, 8)  # Art. 3(2): not later than eight years after entry into force


def clearance_deadline(in_force: date) -> date:
    return add_years(in_force, 10)  # Art. 4(1)(a): not later than ten years after entry into force


def annual_report_due(period: int) -> date:
    return date(period + 1, *ANNUAL_DEADLINE)  # Art. 7(2): 30 April, covering the previous year


def retention_report_due(period: int) -> date:
    return date(period + 1, *ANNUAL_DEADLINE)  # Art. 3(8): with the annual report, next 30 April


def report_due(in_force: date | None, kind: str, period: int | None) -> date | None:
    """The deadline of a report of `kind` (initial, annual, retention) covering `period`, or None
    where it cannot be known (no entry into force, no year covered, another kind)."""
    obligation = Kind.of_report(kind)
    if obligation is Kind.INITIAL and in_force:
        return initial_report_due(in_force)  # Art. 7(1)
    if obligation is Kind.ANNUAL and period:
        return annual_report_due(period)  # Art. 7(2)
    if obligation is Kind.RETENTION and period:
        return retention_report_due(period)  # Art. 3(8)
    return None


def first_annual_period(
    in_force: date, rule: FirstAnnualRule = FirstAnnualRule.INITIAL_DUE_BEFORE_30_APRIL
) -> int:
    """The year covered by a State's first annual report (Art. 7(2); see FirstAnnualRule)."""
    if rule is FirstAnnualRule.FIRST_FULL_YEAR_IN_FORCE:
        return in_force.year if (in_force.month, in_force.day) == (1, 1) else in_force.year + 1
    initial = initial_report_due(in_force)
    # The first 30 April strictly after the initial report's deadline; its report covers the
    # year before it.
    if initial < date(initial.year, *ANNUAL_DEADLINE):
        return initial.year - 1
    return initial.year


def nine_months_before(meeting: date) -> date:
    # Arts. 3(3), 4(5): a request is submitted "no later than nine months before" the meeting.
    return add_months(meeting, -9)


def extension_request_in_time(submitted_on: date, meeting_opens: date) -> bool:
    return submitted_on <= nine_months_before(meeting_opens)  # Arts. 3(3), 4(5)


MAX_EXTENSION_YEARS = {
    Kind.STOCKPILE_DESTRUCTION: 4,  # Art. 3(3): "for a period of up to four years"
    Kind.CLEARANCE: 5,  # Art. 4(5): "for a period of up to five years"
}


def extension_within_limit(kind: Kind, current_deadline: date, requested_until: date) -> bool:
    """Arts. 3(3), 4(5): one request extends by at most 4 (stockpiles) or 5 (clearance) years."""
    return requested_until <= add_years(current_deadline, MAX_EXTENSION_YEARS[kind])


# ---------------------------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Receipt:
    """What was received for one obligation: a date, or only a latest possible date."""

    on: date | None = None  # the day it was received
    by: date | None = None  # known only to have arrived on or before this day
    demo: bool = False
    source: str = ""

    @property
    def known_by(self) -> date:
        """The first day on which the record shows it as received."""
        day = self.on or self.by
        assert day is not None, "a receipt has a date or a latest possible date"
        return day


def classify(
    due: date,
    receipt: Receipt | None,
    as_of: date,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> tuple[Compliance, int | None]:
    """Status of one obligation on `as_of`, with days late or overdue where that applies.

    The deadline day itself is in time ("not later than"); a report received on it is on time.
    """
    if receipt is not None and receipt.known_by <= as_of:
        if receipt.on is not None:
            late = (receipt.on - due).days
            return (Compliance.LATE, late) if late > 0 else (Compliance.ON_TIME, None)
        if receipt.known_by <= due:  # arrived by a day no later than the deadline
            return Compliance.ON_TIME, None
        return Compliance.SUBMITTED, None  # timeliness unknown
    if as_of > due:
        return Compliance.OVERDUE, (as_of - due).days
    if (due - as_of).days <= due_soon_days:
        return Compliance.DUE, None
    return Compliance.NOT_YET_DUE, None


# ---------------------------------------------------------------------------------------------
# Evidence of when a report arrived (issue #15)
# ---------------------------------------------------------------------------------------------


class Certainty(enum.StrEnum):
    """What the evidence says of a report on a day, once its deadline has passed."""

    SATISFIED = "satisfied"  # received by that day (on time, late, or timeliness unknown)
    CERTAINLY_OVERDUE = "certainly_overdue"  # evidence that nothing had arrived by then
    UNKNOWN = "unknown"  # no evidence either way
    NOT_DUE = "not_due"  # the deadline has not passed


class Evidence(enum.StrEnum):
    """The evidence an obligation rests on (the CLI contract's `evidence`)."""

    RECEIVED = "received"  # received on a known day
    RECEIVED_BY = "received_by"  # received on or before a day (upper bound)
    NOT_RECEIVED_AS_OF = "not_received_as_of"  # not received as of a day (lower bound)
    INFERRED_FROM_LIST = "inferred_from_list"  # a complete published list did not name it
    CONFLICT = "conflict"  # a receipt dated before a statement that it was missing
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Fact:
    """One piece of evidence about one report: what it says, as of which day, and its source."""

    what: str  # an Evidence value
    day: date
    source: str


@dataclass(frozen=True, slots=True)
class Weighed:
    certainty: str
    evidence: str
    sources: tuple[str, ...]
    conflict: str = ""


def weigh(
    receipt: Receipt | None,
    negatives: Sequence[Fact],
    inferred: Fact | None,
    complete: bool,
    due: date,
    as_of: date,
) -> Weighed:
    """The bounds the evidence puts on the day a report arrived, read on `as_of`: received on D
    (exact), received by D (upper bound), not received as of D (lower bound: after D, if at
    all), received by a complete list's date (inferred, upper bound). A receipt dated before a
    statement that the report was missing is a conflict: the dated receipt outranks the later
    statement (a source may have read a website that had not posted the report yet)."""
    conflict = ""
    if receipt is not None:
        against = [n for n in negatives if n.day >= receipt.known_by]
        if against:
            conflict = (
                f"received {'on' if receipt.on else 'by'} {receipt.known_by.isoformat()} "
                f"({receipt.source}), yet not received as of "
                f"{against[-1].day.isoformat()} ({against[-1].source}): the dated receipt "
                "outranks the later statement"
            )
    sources = tuple(
        dict.fromkeys(
            ([receipt.source] if receipt is not None and receipt.source else [])
            + [n.source for n in negatives]
            + ([inferred.source] if inferred else [])
        )
    )
    if receipt is not None and receipt.known_by <= as_of:
        what = (
            Evidence.CONFLICT
            if conflict
            else (Evidence.RECEIVED if receipt.on is not None else Evidence.RECEIVED_BY)
        )
        return Weighed(Certainty.SATISFIED, what, sources, conflict)
    if as_of <= due:  # not due: nothing received by then (a later receipt is not yet known)
        known = [n for n in negatives if n.day <= as_of]
        return Weighed(Certainty.NOT_DUE, _label(None, known, None, ""), (), "")
    if inferred is not None and inferred.day <= as_of:
        return Weighed(Certainty.SATISFIED, Evidence.INFERRED_FROM_LIST, sources, conflict)
    later = receipt is not None and receipt.on is not None and receipt.on > as_of
    if complete or later or any(n.day >= as_of for n in negatives):
        return Weighed(
            Certainty.CERTAINLY_OVERDUE,
            Evidence.NOT_RECEIVED_AS_OF if negatives or complete else Evidence.RECEIVED,
            sources,
            conflict,
        )
    return Weighed(
        Certainty.UNKNOWN, _label(receipt, negatives, inferred, conflict), sources, conflict
    )


def _label(
    receipt: Receipt | None, negatives: Sequence[Fact], inferred: Fact | None, conflict: str
) -> str:
    if conflict:
        return Evidence.CONFLICT
    if receipt is not None:
        return Evidence.RECEIVED if receipt.on is not None else Evidence.RECEIVED_BY
    if inferred is not None:
        return Evidence.INFERRED_FROM_LIST
    return Evidence.NOT_RECEIVED_AS_OF if negatives else Evidence.NONE


@dataclass(frozen=True, slots=True)
class ListFacts:
    """A published list or count of overdue reports, as evidence."""

    earliest: date
    latest: date
    count_stated: int
    listed: tuple[str, ...]
    source: str

    @property
    def complete(self) -> bool:
        return len(self.listed) == self.count_stated


def list_evidence(
    published: ListFacts, deadlines: dict[str, date]
) -> tuple[dict[str, Fact], dict[str, Fact]]:
    """What a list says, as (not received, inferred received) per State: each State it names
    had not been received as of its date (for an undated list, the window's start); and, only
    when it names as many States as it says are overdue, every other State whose deadline had
    passed by the list's date (the window's end) had been received by then."""
    named = {
        s: Fact(Evidence.NOT_RECEIVED_AS_OF, published.earliest, published.source)
        for s in published.listed
    }
    inferred: dict[str, Fact] = {}
    if published.complete:
        inferred = {
            s: Fact(Evidence.INFERRED_FROM_LIST, published.latest, published.source)
            for s, due in deadlines.items()
            if s not in named and due < published.latest
        }
    return named, inferred


# ---------------------------------------------------------------------------------------------
# Per-State facts that create obligations, and the obligations themselves
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Extension:
    """A decided extension request (Arts. 3(3)–(5), 4(5)–(8)); only granted ones move a deadline."""

    kind: Kind
    decided_on: date
    new_deadline: date | None  # None when refused


@dataclass(frozen=True, slots=True)
class HoldingFact:
    """A State declared stockpiles (Art. 3) or contaminated areas (Art. 4); maybe completion."""

    kind: Kind  # STOCKPILE_DESTRUCTION or CLEARANCE
    completed_on: date | None = None  # Art. 4(1)(c): declaration of compliance
    source_due_date: date | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything recorded about one State that the engine reads (all optional)."""

    holdings: Sequence[HoldingFact] = ()
    retention_years: Sequence[int] = ()  # Art. 3(6): years in which it declared retention
    extensions: Sequence[Extension] = ()
    # Receipts keyed by (kind, period); `period` is None for the initial report.
    receipts: dict[tuple[Kind, int | None], Receipt] = field(default_factory=dict)
    # Deadlines as a published or imported source stated them, keyed like `receipts`.
    source_due_dates: dict[tuple[Kind, int | None], date] = field(default_factory=dict)
    # Evidence beyond the record (issue #15), keyed like `receipts`: statements that a report
    # had not been received as of a date, and receipts inferred from a complete published list.
    not_received: dict[tuple[Kind, int | None], tuple[Fact, ...]] = field(default_factory=dict)
    inferred: dict[tuple[Kind, int | None], Fact] = field(default_factory=dict)
    complete: frozenset[Kind] = frozenset()  # kinds whose record is complete for this State


@dataclass(frozen=True, slots=True)
class Obligation:
    iso3: str
    kind: Kind
    period: int | None
    due_date: date
    status: Compliance
    days: int | None  # days late (late) or overdue (overdue)
    satisfied_on: date | None = None
    satisfied_by_only: bool = False  # `satisfied_on` is a latest possible date
    rule_due_date: date | None = None  # the deadline before any extension
    source_due_date: date | None = None
    demo: bool = False
    fallen_due: bool = False  # the deadline has passed on the day asked: it counts in the rates
    # What the evidence says on the day asked (issue #15): satisfied, certainly overdue or
    # unknown (`Certainty`), the kind of evidence (`Evidence`), its sources, and a conflict.
    certainty: str = "satisfied"
    evidence: str = "none"
    sources: tuple[str, ...] = ()
    conflict: str = ""

    @property
    def source_differs(self) -> bool:
        return self.source_due_date is not None and self.source_due_date != self.due_date


def rule_deadline(kind: Kind, in_force: date) -> date:
    """The treaty's own deadline for destroying stockpiles or clearing land."""
    if kind is Kind.STOCKPILE_DESTRUCTION:
        return stockpile_destruction_deadline(in_force)  # Art. 3(2)
    return clearance_deadline(in_force)  # Art. 4(1)(a)


def current_deadline(
    kind: Kind, rule_deadline: date, extensions: Iterable[Extension], as_of: date
) -> date:
    """The deadline in force on `as_of`: the last extension granted by then, else the rule's."""
    granted = sorted(
        (e for e in extensions if e.kind is kind and e.new_deadline and e.decided_on <= as_of),
        key=lambda e: e.decided_on,
    )
    if not granted:
        return rule_deadline
    return granted[-1].new_deadline or rule_deadline


def obligations(
    membership: Membership,
    facts: Facts,
    as_of: date,
    *,
    first_annual: FirstAnnualRule = FirstAnnualRule.INITIAL_DUE_BEFORE_30_APRIL,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> list[Obligation]:
    """Every obligation of one State that exists on `as_of`, with its status on that day."""
    eif = membership.entry_into_force
    if eif is None or not membership.in_force_on(as_of):
        return []  # no obligation before entry into force (Art. 17), none after withdrawal (20)
    out: list[Obligation] = []

    def add(kind: Kind, period: int | None, due: date, rule_due: date | None = None) -> None:
        receipt = facts.receipts.get((kind, period))
        inferred = facts.inferred.get((kind, period))
        weighed = weigh(
            receipt,
            facts.not_received.get((kind, period), ()),
            inferred,
            # Art. 3(8)'s report goes with the annual report: a register complete for annual
            # reports is complete for it too, so marking the record complete leaves nothing
            # unknown (issue #24).
            kind in facts.complete or (kind is Kind.RETENTION and Kind.ANNUAL in facts.complete),
            due,
            as_of,
        )
        if (
            weighed.certainty == Certainty.SATISFIED
            and weighed.evidence == Evidence.INFERRED_FROM_LIST
            and inferred is not None
            and (receipt is None or receipt.known_by > as_of)
        ):
            # A complete published list did not name it: received by the list's date.
            receipt = Receipt(by=inferred.day, source=inferred.source)
        status, days = classify(due, receipt, as_of, due_soon_days)
        if status is Compliance.OVERDUE and weighed.certainty == Certainty.UNKNOWN:
            status, days = Compliance.UNKNOWN, None  # one status, from the evidence (issue #24)
        shown = receipt if receipt is not None and receipt.known_by <= as_of else None
        out.append(
            Obligation(
                certainty=weighed.certainty,
                evidence=weighed.evidence,
                sources=weighed.sources,
                conflict=weighed.conflict,
                iso3=membership.iso3,
                kind=kind,
                period=period,
                due_date=due,
                status=status,
                days=days,
                satisfied_on=shown.known_by if shown else None,
                satisfied_by_only=bool(shown and shown.on is None),
                rule_due_date=rule_due or due,
                source_due_date=facts.source_due_dates.get((kind, period)),
                demo=bool(shown and shown.demo),
                fallen_due=as_of > due,
            )
        )

    add(Kind.INITIAL, None, initial_report_due(eif))  # Art. 7(1)

    # Art. 7(2): one annual report per calendar year, from the first (a setting) to the year
    # under way on `as_of` (its obligation exists from the start of the period it covers).
    for period in range(first_annual_period(eif, first_annual), as_of.year + 1):
        add(Kind.ANNUAL, period, annual_report_due(period))

    for period in sorted(set(facts.retention_years)):  # Art. 3(8)
        if date(period, 1, 1) <= as_of:
            add(Kind.RETENTION, period, retention_report_due(period))

    for holding in facts.holdings:
        rule_due = rule_deadline(holding.kind, eif)
        due = current_deadline(holding.kind, rule_due, facts.extensions, as_of)
        completed = holding.completed_on
        receipt = Receipt(on=completed) if completed else None
        status, days = classify(due, receipt, as_of, due_soon_days)
        done = completed is not None and completed <= as_of
        # Arts. 3 and 4 rest on the record of the holding itself (its deadline and completion):
        # the evidence is the record, and its certainty says what the status says.
        certainty = (
            Certainty.NOT_DUE
            if as_of <= due and not done
            else Certainty.SATISFIED
            if done
            else Certainty.CERTAINLY_OVERDUE
        )
        out.append(
            Obligation(
                certainty=certainty,
                iso3=membership.iso3,
                kind=holding.kind,
                period=None,
                due_date=due,
                status=status,
                days=days,
                satisfied_on=completed if done else None,
                rule_due_date=rule_due,
                source_due_date=holding.source_due_date,
                fallen_due=as_of > due,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Summaries
# ---------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """One obligation's summary among States Parties: initial reports, or one year's annual."""

    kind: Kind
    period: int | None
    due_date: date | None = None  # the common deadline (annual); None for initial reports
    fallen_due: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    timeliness_unknown: int = 0
    overdue: list[str] = field(default_factory=list)
    submitted_ahead: int = 0  # received before a deadline still ahead
    due_soon: list[str] = field(default_factory=list)
    certainly_overdue: list[str] = field(default_factory=list)  # issue #15: the evidence says so
    unknown: list[str] = field(default_factory=list)  # neither received nor known missing

    @property
    def overdue_min(self) -> int:
        return len(self.certainly_overdue)

    @property
    def overdue_max(self) -> int:
        return len(self.certainly_overdue) + len(self.unknown)

    @property
    def rate(self) -> float | None:
        return self.submitted / self.fallen_due if self.fallen_due else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.fallen_due if self.fallen_due else None

    # The certain rates above count what the record shows received; had every report the
    # record cannot account for arrived (and on time), the rates would be these (issue #24).
    # (Reports received with timeliness unknown are counted apart, `timeliness_unknown`: the
    # range is what the record's gaps leave open, and it closes on a complete record.)
    @property
    def rate_max(self) -> float | None:
        return (self.submitted + len(self.unknown)) / self.fallen_due if self.fallen_due else None

    @property
    def on_time_rate_max(self) -> float | None:
        if not self.fallen_due:
            return None
        return (self.on_time + len(self.unknown)) / self.fallen_due


def summarise(items: Iterable[Obligation]) -> tuple[Tally, list[Tally]]:
    """Counts and lists for initial reports and for each annual year, from the obligations."""
    initial = Tally(Kind.INITIAL, None)
    annual: dict[int, Tally] = {}
    for o in items:
        if o.kind is Kind.INITIAL:
            tally = initial
        elif o.kind is Kind.ANNUAL and o.period is not None:
            tally = annual.setdefault(o.period, Tally(Kind.ANNUAL, o.period, o.due_date))
        else:
            continue
        if o.status is Compliance.OVERDUE:
            tally.overdue.append(o.iso3)
        if o.fallen_due and o.certainty == Certainty.CERTAINLY_OVERDUE:
            tally.certainly_overdue.append(o.iso3)
        elif o.fallen_due and o.certainty == Certainty.UNKNOWN:
            tally.unknown.append(o.iso3)
        elif o.status is Compliance.DUE:
            tally.due_soon.append(o.iso3)
        if not o.fallen_due:
            tally.submitted_ahead += o.status.is_satisfied
            continue
        tally.fallen_due += 1
        if o.status.is_satisfied:
            tally.submitted += 1
            tally.on_time += o.status is Compliance.ON_TIME
            tally.late += o.status is Compliance.LATE
            tally.timeliness_unknown += o.status is Compliance.SUBMITTED
    for t in (initial, *annual.values()):
        t.overdue.sort()
        t.due_soon.sort()
        t.certainly_overdue.sort()
        t.unknown.sort()
    return initial, [annual[y] for y in sorted(annual)]


def month_ends(start: date, end: date) -> list[date]:
    """The last day of every month from `start`'s month to `end`'s (benchmarks, series)."""
    out = []
    for first in month_starts(start, end):
        last = add_months(first, 1) - timedelta(days=1)
        if last <= end:
            out.append(last)
    return out
