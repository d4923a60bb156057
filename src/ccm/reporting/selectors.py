"""Reads of the reporting record: a fixed number of queries whatever the number of States."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from ccm.registry import rules as registry_rules
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


def facts(
    include_demo: bool = False, states: Iterable[str] | None = None
) -> dict[str, rules.Facts]:
    """Every State's facts for the engine, keyed by ISO3; four queries."""
    only = list(states) if states is not None else None

    def scoped(qs):  # type: ignore[no-untyped-def]
        return qs.filter(state_id__in=only) if only is not None else qs

    holdings: dict[str, list[rules.Holding]] = defaultdict(list)
    for h in scoped(Holding.objects.all()):
        holdings[h.state_id].append(
            rules.Holding(
                kind=Kind(h.kind), completed_on=h.completed_on, source_due_date=h.source_due_date
            )
        )
    retention: dict[str, list[int]] = defaultdict(list)
    for iso3, year in scoped(RetentionDeclaration.objects.all()).values_list("state_id", "year"):
        retention[iso3].append(year)
    extensions: dict[str, list[rules.Extension]] = defaultdict(list)
    decided = ExtensionRequest.objects.exclude(decision=Decision.PENDING).exclude(
        decided_on__isnull=True
    )
    for e in scoped(decided):
        assert e.decided_on is not None
        extensions[e.state_id].append(
            rules.Extension(kind=Kind(e.kind), decided_on=e.decided_on, new_deadline=e.new_deadline)
        )
    subs = scoped(Submission.objects.all()).only(
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
