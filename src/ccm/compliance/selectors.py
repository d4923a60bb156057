"""Reads of compliance: the engine's inputs read once (a fixed number of queries whatever the
number of States) and each State's record of obligations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ccm.accounts import roles
from ccm.compliance import letters, rules
from ccm.compliance.choices import Decision
from ccm.compliance.models import (
    CompleteRecord,
    ExtensionRequest,
    Holding,
    NotReceived,
    PublishedList,
    RetentionDeclaration,
)
from ccm.compliance.rules import Kind
from ccm.registry import rules as registry_rules
from ccm.registry import selectors as registry_selectors
from ccm.registry.models import State
from ccm.registry.selectors import memberships
from ccm.reports import selectors as reports
from ccm.reports.choices import Origin, Relation

if TYPE_CHECKING:
    from ccm.reports.models import Submission

KIND_ORDER = {kind: index for index, kind in enumerate(Kind)}


def engine_settings() -> dict[str, Any]:
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
        kind = Kind.of_report(s.kind)  # None for a voluntary report: it satisfies nothing
        if kind is None or (kind is not Kind.INITIAL and s.period is None):
            continue  # voluntary, or the year covered is not known: matches no obligation
        if s.relation != Relation.ORIGINAL:
            continue  # amendments and further parts never change which report satisfied it
        key = (kind, None if kind is Kind.INITIAL else s.period)
        receipt = rules.Receipt(
            on=s.received_on, by=s.received_by, demo=s.origin == Origin.DEMO, source=s.source
        )
        current = receipts.get(key)
        if current is None or receipt.known_by < current.known_by:
            receipts[key] = receipt
        if s.stated_due_date:
            stated[key] = s.stated_due_date
    return receipts, stated


def facts_of(
    holdings: Iterable[Holding],
    retentions: Iterable[RetentionDeclaration],
    extensions: Iterable[ExtensionRequest],
    submissions: Iterable[Submission],
) -> rules.Facts:
    """One State's records as the engine reads them (only decided extensions move deadlines)."""
    receipts, stated = receipts_from(submissions)
    return rules.Facts(
        holdings=[
            rules.HoldingFact(Kind(h.kind), h.completed_on, h.source_due_date) for h in holdings
        ],
        retention_years=[r.year for r in retentions],
        extensions=[
            rules.Extension(Kind(e.kind), e.decided_on, e.new_deadline)
            for e in extensions
            if e.decision != Decision.PENDING and e.decided_on
        ],
        receipts=receipts,
        source_due_dates=stated,
    )


def facts(include_demo: bool = False) -> dict[str, rules.Facts]:
    """Every State's facts for the engine, keyed by ISO3; four queries."""
    subs = reports.received(include_demo)
    tables: list[Iterable[Any]] = [
        Holding.objects.all(),
        RetentionDeclaration.objects.all(),
        ExtensionRequest.objects.all(),
        subs,
    ]
    grouped: dict[str, list[list[Any]]] = defaultdict(lambda: [[], [], [], []])
    for index, rows in enumerate(tables):
        for row in rows:
            grouped[row.state_id][index].append(row)
    return {iso3: facts_of(*records) for iso3, records in grouped.items()}


@dataclass
class EngineInputs:
    """The inputs of the engine, read once; obligations can then be computed for many dates."""

    memberships: dict[str, registry_rules.Membership]
    facts: dict[str, rules.Facts]
    lists: list[PublishedList] = field(default_factory=list)  # published lists (issue #15)

    def obligations(
        self, as_of: date, *, state: str | None = None, kind: Kind | None = None
    ) -> list[rules.Obligation]:
        options = engine_settings()
        empty = rules.Facts()
        out: list[rules.Obligation] = []
        if state is None:
            records = list(self.memberships.values())
        else:
            records = [self.memberships[state]] if state in self.memberships else []
        for m in records:
            for o in rules.obligations(m, self.facts.get(m.iso3, empty), as_of, **options):
                if kind is None or o.kind is kind:
                    out.append(o)
        out.sort(key=lambda o: (o.iso3, KIND_ORDER[o.kind], o.period or 0))
        return out


def engine_inputs(include_demo: bool = False) -> EngineInputs:
    """Eight queries: the treaty actions, the four tables of facts, and the evidence that
    reports had not arrived (statements, published lists, complete records)."""
    records = memberships()
    lists = published_lists()
    return EngineInputs(records, with_evidence(facts(include_demo), records, lists), lists)


def published_lists() -> list[PublishedList]:
    return list(PublishedList.objects.all())


def _deadlines(
    records: dict[str, registry_rules.Membership], key: tuple[Kind, int | None], on: date
) -> dict[str, date]:
    """Each State's deadline for one report on a day it owed it (only a complete list needs
    them: it says something of the States it does not name)."""
    if key[0] is Kind.INITIAL:  # owed by every State in force (Art. 7(1)): no engine run
        return {
            m.iso3: rules.initial_report_due(m.entry_into_force)
            for m in records.values()
            if m.entry_into_force is not None and m.in_force_on(on)
        }
    return {
        o.iso3: o.due_date
        for m in records.values()
        for o in rules.obligations(m, rules.Facts(), on, **engine_settings())
        if (o.kind, o.period) == key
    }


def with_evidence(
    found: dict[str, rules.Facts],
    records: dict[str, registry_rules.Membership],
    lists: list[PublishedList] | None = None,
    only: set[str] | None = None,
) -> dict[str, rules.Facts]:
    """Every State's facts with the evidence of issue #15 added: the statements that a report
    had not been received as of a date, what each published list says (the States it names,
    and for a complete list the States it does not name), and the kinds whose record is
    complete. Three queries; `only`: the evidence of these States alone (one State's page)."""
    negatives: dict[str, dict[tuple[Kind, int | None], list[rules.Fact]]] = defaultdict(dict)
    inferred: dict[str, dict[tuple[Kind, int | None], rules.Fact]] = defaultdict(dict)
    notes = NotReceived.objects.all()
    completes = CompleteRecord.objects.all()
    if only is not None:
        notes = notes.filter(state_id__in=only)
        completes = completes.filter(state_id__in=only)
    for n in notes:
        key = (Kind(n.kind), n.period)
        negatives[n.state_id].setdefault(key, []).append(
            rules.Fact(rules.Evidence.NOT_RECEIVED_AS_OF, n.as_of, n.source)
        )
    for lst in published_lists() if lists is None else lists:
        key = (Kind(lst.kind), lst.period)
        deadlines = _deadlines(records, key, lst.as_of_latest) if lst.complete else {}
        named, guessed = rules.list_evidence(
            rules.ListFacts(
                lst.as_of_earliest,
                lst.as_of_latest,
                lst.count_stated,
                tuple(lst.listed),
                lst.source,
            ),
            deadlines,
        )
        for iso3, fact in named.items():
            negatives[iso3].setdefault(key, []).append(fact)
        for iso3, fact in guessed.items():
            held = inferred[iso3].get(key)
            if held is None or fact.day < held.day:
                inferred[iso3][key] = fact
    complete: dict[str, set[Kind]] = defaultdict(set)
    for iso3, kind in completes.values_list("state_id", "kind"):
        complete[iso3].add(Kind(kind))
    out = dict(found)
    for iso3 in set(negatives) | set(inferred) | set(complete):
        base = out.get(iso3, rules.Facts())
        out[iso3] = replace(
            base,
            not_received={
                k: tuple(sorted(v, key=lambda f: f.day)) for k, v in negatives[iso3].items()
            },
            inferred=inferred[iso3],
            complete=frozenset(complete[iso3]),
        )
    return out


def state_obligations(
    iso3: str, as_of: date | None = None, include_demo: bool = False
) -> tuple[State, list[rules.Obligation]]:
    """One State and its obligations on `as_of` (default today), or 404."""
    state = get_object_or_404(State.objects.prefetch_related("actions"), iso3=iso3.upper())
    membership = registry_selectors.membership_from_actions(state.iso3, state.actions.all())
    record = state_record(state, membership, as_of or timezone.localdate(), include_demo)
    return state, record.obligations


@dataclass(frozen=True)
class ExtensionCheck:
    """An extension request with the two checks of Arts. 3(3)–(4) and 4(5)–(6)."""

    request: ExtensionRequest
    deadline_then: date | None  # the deadline in force when the request was submitted
    within_limit: bool | None  # at most 4 (stockpiles) or 5 (clearance) more years
    limit_years: int


@dataclass
class StateRecord:
    """What the State page shows of reporting: obligations, reports received, Arts. 3–4 facts."""

    obligations: list[rules.Obligation]
    submissions: list[Submission]
    holdings: list[Holding]
    extensions: list[ExtensionCheck]
    retentions: list[RetentionDeclaration]

    @property
    def has_demo(self) -> bool:
        return any(s.origin == Origin.DEMO for s in self.submissions)


def state_record(
    state: State, membership: registry_rules.Membership, as_of: date, include_demo: bool = True
) -> StateRecord:
    """Seven queries, whatever the State's history (three for the evidence of issue #15)."""
    subs = reports.received_from(state.iso3, include_demo)
    holdings = list(Holding.objects.filter(state=state))
    extensions = list(ExtensionRequest.objects.filter(state=state))
    retentions = list(RetentionDeclaration.objects.filter(state=state))
    state_facts = facts_of(holdings, retentions, extensions, subs)
    state_facts = with_evidence(
        {state.iso3: state_facts}, {state.iso3: membership}, only={state.iso3}
    )[state.iso3]
    items = rules.obligations(membership, state_facts, as_of, **engine_settings())
    eif = membership.entry_into_force
    checks = []
    for e in extensions:
        kind = Kind(e.kind)
        # The deadline in force when the request was made (earlier extensions included).
        then = (
            rules.current_deadline(
                kind, rules.rule_deadline(kind, eif), state_facts.extensions, e.submitted_on
            )
            if eif
            else None
        )
        within = rules.extension_within_limit(kind, then, e.requested_until) if then else None
        checks.append(ExtensionCheck(e, then, within, rules.MAX_EXTENSION_YEARS[kind]))
    # The page shows what had happened by `as_of`: reports received and requests made since
    # are not listed (the obligations above are computed as of that date too).
    received = [s for s in subs if (s.received_on or s.received_by or date.max) <= as_of]
    requested = [c for c in checks if c.request.submitted_on <= as_of]
    return StateRecord(items, received, holdings, requested, retentions)


def reminder_for_user(user: Any, iso3: str, as_of: date) -> letters.Reminder:
    """One State's reminder letter on `as_of`, for ISU staff and the Presidency (who write it);
    404 for anyone else, for a State with nothing overdue or due, or for an unknown code."""
    if not roles.reads_all(user):
        raise Http404("no such letter")
    iso3 = iso3.upper()
    items = engine_inputs(include_demo=True).obligations(as_of, state=iso3)
    found = letters.reminders(items, as_of)
    if not found:
        raise Http404(iso3)
    return found[0]


@dataclass(frozen=True)
class DeclaredHolding:
    """A stockpile or contamination a State's report declares and the record does not hold yet
    (issue #10): staff confirm it before it becomes the record and brings its obligation."""

    state: State
    kind: str  # a HoldingKind
    version: Any  # the report version that declares it
    source: str


def holdings_to_confirm(
    iso3: str = "", held: Iterable[Holding] | None = None
) -> list[DeclaredHolding]:
    """What the reports declare and the record lacks; `held`: the holdings already read."""
    from django.urls import reverse

    from ccm.compliance.choices import HoldingKind
    from ccm.reports.choices import Declared

    kinds: dict[str, str] = {
        Declared.STOCKPILES: HoldingKind.STOCKPILES,
        Declared.CONTAMINATION: HoldingKind.CONTAMINATION,
    }
    recorded = (
        {(h.state_id, h.kind) for h in held}
        if held is not None
        else set(Holding.objects.values_list("state_id", "kind"))
    )
    out = []
    for version, declared in reports.declarations(iso3):
        report = version.report
        for what in sorted(declared):
            kind = kinds[what]
            if (report.state_id, kind) in recorded:
                continue
            args = [report.state_id, report.kind] + ([report.period] if report.period else [])
            url = reverse("reports:annual" if report.period else "reports:initial", args=args)
            form = "B" if what == Declared.STOCKPILES else "F"
            source = (
                f"Article 7 report of {report.state.name_en}, {report.kind}"
                f"{' ' + str(report.period) if report.period else ''}, version {version.number}, "
                f"received {version.received_on.isoformat()}, Form {form}: "
                f"{url}?version={version.number}"
            )
            out.append(DeclaredHolding(report.state, kind, version, source))
    return sorted(out, key=lambda d: (d.state.name_en, d.kind))


@dataclass(frozen=True)
class ContaminationFact:
    state: State
    source: str
    cleared_on: date | None  # clearance completed (Art. 4), where recorded


def contamination() -> list[ContaminationFact]:
    """States Parties with areas contaminated by cluster munition remnants: the record of
    Art. 4 obligations (with the date clearance was completed, if it was), and what Article 7
    reports declare in Form F and the record lacks."""
    from ccm.compliance.choices import HoldingKind

    found = [
        ContaminationFact(h.state, h.source, h.completed_on)
        for h in Holding.objects.filter(kind=HoldingKind.CONTAMINATION).select_related("state")
    ]
    found += [
        ContaminationFact(d.state, d.source, None)
        for d in holdings_to_confirm()
        if d.kind == HoldingKind.CONTAMINATION
    ]
    return sorted(found, key=lambda f: f.state.name_en)
