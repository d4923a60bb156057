"""Reads of the registry. A fixed number of queries whatever the number of States."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from ccm.registry import rules
from ccm.registry.choices import DEPOSIT_KINDS, ActionKind
from ccm.registry.models import Contact, ContactRole, State, TreatyAction, fold

# The contacts whose address a State's letters, invitations and invoices go to.
ADDRESS_ROLES = (ContactRole.NATIONAL_FOCAL_POINT, ContactRole.PERMANENT_MISSION)


def membership_from_actions(iso3: str, actions: Iterable[TreatyAction]) -> rules.Membership:
    """Fold a State's treaty actions into the engine's record (earliest of each kind)."""
    signature = deposit = notified = effect = None
    deposit_kind: str | None = None
    for a in sorted(actions, key=lambda a: a.date or a.effective_date or date.max):
        if a.kind == ActionKind.SIGNATURE and signature is None:
            signature = a.date
        elif a.kind in DEPOSIT_KINDS and deposit is None:
            deposit, deposit_kind = a.date, a.kind
        elif a.kind == ActionKind.WITHDRAWAL and notified is None and effect is None:
            notified, effect = a.date, a.effective_date
    return rules.Membership(
        iso3=iso3,
        signature=signature,
        deposit=deposit,
        deposit_kind=deposit_kind,
        withdrawal_notified=notified,
        withdrawal_effect=effect,
    )


def memberships() -> dict[str, rules.Membership]:
    """Every State's membership record, keyed by ISO3; one query."""
    qs = TreatyAction.objects.only("state_id", "kind", "date", "effective_date").order_by(
        "state_id"
    )
    grouped: dict[str, list[TreatyAction]] = {}
    for action in qs:
        grouped.setdefault(action.state_id, []).append(action)
    return {iso3: membership_from_actions(iso3, acts) for iso3, acts in grouped.items()}


@dataclass(frozen=True)
class StateRow:
    """A State with its membership as known on one date: what lists, the map and the CLI show."""

    state: State
    membership: rules.Membership
    status: rules.Status


def state_rows(
    as_of: date,
    queryset: QuerySet[State] | None = None,
    records: dict[str, rules.Membership] | None = None,
) -> list[StateRow]:
    """States with their status on `as_of`; two queries, one if `records` are given."""
    states = list(queryset if queryset is not None else State.objects.all())
    if records is None:
        records = memberships()
    rows = []
    for s in states:
        m = (records.get(s.iso3) or rules.Membership(iso3=s.iso3)).known_on(as_of)
        rows.append(StateRow(state=s, membership=m, status=m.status_on(as_of)))
    return rows


def counts_on(day: date) -> rules.Counts:
    return rules.counts_on(memberships().values(), day)


def membership_series(
    start: date, end: date, records: Iterable[rules.Membership] | None = None
) -> list[rules.Counts]:
    """Counts on the first day of every month from `start` to `end`, and on `end` itself."""
    records = list(memberships().values() if records is None else records)
    days = rules.month_starts(start, end)
    if not days or days[-1] != end:
        days.append(end)
    return [rules.counts_on(records, d) for d in days]


def state_detail(iso3: str) -> State:
    """One State with its actions and contacts prefetched, or 404."""
    try:
        return State.objects.prefetch_related("actions").get(iso3=iso3.upper())
    except State.DoesNotExist as exc:
        raise Http404(iso3) from exc


def address_contacts() -> QuerySet[Contact]:
    """The contacts that give a State an address on record: active national focal points and
    permanent missions with an e-mail address. The one rule behind `mission_addresses`,
    `state_ids_with_address` and every "no address on record" (issue #26)."""
    return Contact.objects.filter(active=True, role__in=ADDRESS_ROLES).exclude(email="")


def mission_addresses(iso3: str) -> list[str]:
    """Where a State's letters, invitations and invoices go: the addresses of its active
    national focal points and permanent mission."""
    found = address_contacts().filter(state_id=iso3).values_list("email", flat=True)
    return sorted(set(found))


def state_ids_with_address() -> QuerySet[Contact]:
    """The ISO3 codes of the States with an address on record (`address_contacts`), as a
    subquery: `.exclude(state_id__in=state_ids_with_address())` finds those without one."""
    return address_contacts().values_list("state_id", flat=True).distinct()  # type: ignore[return-value]


def states_parties_without_address(on: date) -> list[State]:
    """The States Parties on `on` with no address on record, by name, each with its active
    contacts prefetched (`active_contacts`: those that could be given an address). The list
    staff work through before sending anything (issue #26: 184 of 185 invitations unsent)."""
    from django.db.models import Prefetch

    records = memberships()
    lacking = State.objects.exclude(iso3__in=state_ids_with_address()).prefetch_related(
        Prefetch(
            "contacts",
            queryset=Contact.objects.filter(active=True).order_by("role", "name"),
            to_attr="active_contacts",
        )
    )
    rows = state_rows(on, lacking, records)
    return sorted((r.state for r in rows if r.status.is_party), key=lambda s: fold(s.name))


def states_with_address(iso3s: Iterable[str]) -> set[str]:
    """Which of these States have an address on record (`address_contacts`), in one query: the
    batches list the others with a link to add one (issue #26)."""
    return set(
        address_contacts().filter(state_id__in=list(iso3s)).values_list("state_id", flat=True)
    )


def status_on(iso3: str, day: date) -> rules.Status:
    """One State's standing towards the Convention on a day, as the record knew it then
    (issue #25: who may preside); one query."""
    actions = TreatyAction.objects.filter(state_id=iso3).only(
        "state_id", "kind", "date", "effective_date"
    )
    return membership_from_actions(iso3, actions).known_on(day).status_on(day)


@dataclass(frozen=True)
class MissingContact:
    """A State Party without an active national focal point, or without a permanent mission's
    address, on record (the staff to-do, issue #26)."""

    state: State
    no_focal_point: bool
    no_mission_address: bool


def parties_missing_contacts(day: date) -> list[MissingContact]:
    """The States Parties on `day` lacking a focal point or a mission address, by name; three
    queries whatever their number."""
    from ccm.registry.models import Contact, ContactRole

    kinds: dict[str, set[str]] = {}
    active = Contact.objects.filter(
        active=True, role__in=[ContactRole.NATIONAL_FOCAL_POINT, ContactRole.PERMANENT_MISSION]
    )
    for iso3, role, email in active.values_list("state_id", "role", "email"):
        if role == ContactRole.NATIONAL_FOCAL_POINT or email:
            kinds.setdefault(iso3, set()).add(role)
    out = []
    for row in state_rows(day):
        if not row.status.is_party:
            continue
        has = kinds.get(row.state.iso3, set())
        fp = ContactRole.NATIONAL_FOCAL_POINT not in has
        mission = ContactRole.PERMANENT_MISSION not in has
        if fp or mission:
            out.append(MissingContact(row.state, fp, mission))
    return sorted(out, key=lambda m: m.state.name)
