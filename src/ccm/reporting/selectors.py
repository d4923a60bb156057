"""Reads of the reporting record: a fixed number of queries whatever the number of States."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ccm.registry import rules as registry_rules
from ccm.registry import selectors as registry_selectors
from ccm.registry.models import State
from ccm.registry.selectors import memberships
from ccm.reporting import rules
from ccm.reporting.choices import Decision, Origin, SubmissionKind
from ccm.reporting.models import ExtensionRequest, Holding, RetentionDeclaration, Submission
from ccm.reporting.rules import Kind

SUBMISSION_KINDS = {
    SubmissionKind.INITIAL: Kind.INITIAL,
    SubmissionKind.ANNUAL: Kind.ANNUAL,
    SubmissionKind.RETENTION: Kind.RETENTION,
}  # voluntary reports are not in this map: they never satisfy an obligation


def engine_settings() -> dict:
    return {
        "first_annual": rules.FirstAnnualRule(settings.CCM_FIRST_ANNUAL_REPORT),
        "due_soon_days": settings.CCM_DUE_SOON_DAYS,
    }


def receipts_from(
    submissions: Iterable[Submission],
) -> tuple[dict[tuple[Kind, int | None], rules.Receipt], dict[tuple[Kind, int | None], date]]:
    """One State's receipts: the earliest report of each kind and period satisfies it."""
    receipts: dict[tuple[Kind, int | None], rules.Receipt] = {}
    stated: dict[tuple[Kind, int | None], date] = {}
    for s in submissions:
        kind = SUBMISSION_KINDS.get(SubmissionKind(s.kind))
        if kind is None or (kind is not Kind.INITIAL and s.period is None):
            continue  # voluntary, or the year covered is not known: matches no obligation
        key = (kind, None if kind is Kind.INITIAL else s.period)
        receipt = rules.Receipt(on=s.received_on, by=s.received_by, demo=s.origin == Origin.DEMO)
        current = receipts.get(key)
        if current is None or receipt.known_by < current.known_by:
            receipts[key] = receipt
        if s.stated_due_date:
            stated[key] = s.stated_due_date
    return receipts, stated


def facts(include_demo: bool = False) -> dict[str, rules.Facts]:
    """Every State's facts for the engine, keyed by ISO3; four queries."""
    holdings: dict[str, list[rules.Holding]] = defaultdict(list)
    for h in Holding.objects.all():
        holdings[h.state_id].append(
            rules.Holding(
                kind=Kind(h.kind), completed_on=h.completed_on, source_due_date=h.source_due_date
            )
        )
    retention: dict[str, list[int]] = defaultdict(list)
    for iso3, year in RetentionDeclaration.objects.all().values_list("state_id", "year"):
        retention[iso3].append(year)
    extensions: dict[str, list[rules.Extension]] = defaultdict(list)
    decided = ExtensionRequest.objects.exclude(decision=Decision.PENDING).exclude(
        decided_on__isnull=True
    )
    for e in decided:
        assert e.decided_on is not None
        extensions[e.state_id].append(
            rules.Extension(kind=Kind(e.kind), decided_on=e.decided_on, new_deadline=e.new_deadline)
        )
    subs = Submission.objects.all().only(
        "state_id", "kind", "period", "received_on", "received_by", "stated_due_date", "origin"
    )
    if not include_demo:
        subs = subs.exclude(origin=Origin.DEMO)
    by_state: dict[str, list[Submission]] = defaultdict(list)
    for s in subs:
        by_state[s.state_id].append(s)
    out = {}
    for iso3 in set(holdings) | set(retention) | set(extensions) | set(by_state):
        receipts, stated = receipts_from(by_state.get(iso3, []))
        out[iso3] = rules.Facts(
            holdings=holdings.get(iso3, []),
            retention_years=retention.get(iso3, []),
            extensions=extensions.get(iso3, []),
            receipts=receipts,
            source_due_dates=stated,
        )
    return out


@dataclass
class Snapshot:
    """The inputs of the engine, read once; obligations can then be computed for many dates."""

    memberships: dict[str, registry_rules.Membership]
    facts: dict[str, rules.Facts]
    include_demo: bool

    def obligations(
        self, as_of: date, *, state: str | None = None, kind: Kind | None = None
    ) -> list[rules.Obligation]:
        options = engine_settings()
        empty = rules.Facts()
        out: list[rules.Obligation] = []
        records = (
            [self.memberships[state]]
            if state is not None and state in self.memberships
            else ([] if state is not None else self.memberships.values())
        )
        for m in records:
            for o in rules.obligations(m, self.facts.get(m.iso3, empty), as_of, **options):
                if kind is None or o.kind is kind:
                    out.append(o)
        out.sort(key=lambda o: (o.iso3, list(Kind).index(o.kind), o.period or 0))
        return out

    @property
    def has_demo(self) -> bool:
        return self.include_demo and any(
            r.demo for f in self.facts.values() for r in f.receipts.values()
        )


def snapshot(include_demo: bool = False) -> Snapshot:
    """Five queries: the treaty actions and the four tables of facts."""
    return Snapshot(memberships(), facts(include_demo), include_demo)


def demo_present() -> bool:
    return Submission.objects.filter(origin=Origin.DEMO).exists()


def state_obligations(
    iso3: str, as_of: date | None = None, include_demo: bool = False
) -> tuple[State, list[rules.Obligation]]:
    """One State and its obligations on `as_of` (default today), or 404."""
    state = get_object_or_404(State.objects.prefetch_related("actions"), iso3=iso3.upper())
    membership = registry_selectors.membership_from_actions(state.iso3, state.actions.all())
    record = state_record(state, membership, as_of or timezone.localdate(), include_demo)
    return state, record.obligations


@dataclass
class StateRecord:
    """What the State page shows of reporting: obligations, reports received, Arts. 3–4 facts."""

    obligations: list[rules.Obligation]
    submissions: list[Submission]
    holdings: list[Holding]
    extensions: list[ExtensionRequest]
    retentions: list[RetentionDeclaration]

    @property
    def has_demo(self) -> bool:
        return any(s.origin == Origin.DEMO for s in self.submissions)


def state_record(
    state: State, membership: registry_rules.Membership, as_of: date, include_demo: bool = True
) -> StateRecord:
    """Four queries, whatever the State's history."""
    query = Submission.objects.filter(state=state).order_by("received_on", "received_by")
    if not include_demo:
        query = query.exclude(origin=Origin.DEMO)
    subs = list(query)
    holdings = list(Holding.objects.filter(state=state))
    extensions = list(ExtensionRequest.objects.filter(state=state))
    retentions = list(RetentionDeclaration.objects.filter(state=state))
    receipts, stated = receipts_from(subs)
    state_facts = rules.Facts(
        holdings=[rules.Holding(Kind(h.kind), h.completed_on, h.source_due_date) for h in holdings],
        retention_years=[r.year for r in retentions],
        extensions=[
            rules.Extension(Kind(e.kind), e.decided_on, e.new_deadline)
            for e in extensions
            if e.decision != Decision.PENDING and e.decided_on
        ],
        receipts=receipts,
        source_due_dates=stated,
    )
    items = rules.obligations(membership, state_facts, as_of, **engine_settings())
    return StateRecord(items, subs, holdings, extensions, retentions)
