"""Reads of invitations and delegations (issue #12). Invitations, delegations and the list of
participants are the ISU's (and the Presidency's to read); an invitee reaches its own only
through its link, held in its session."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet
from django.http import Http404

from ccm.accounts import roles
from ccm.participation.choices import (
    STATE_CATEGORIES,
    Category,
    DelegationStatus,
    Event,
    Source,
)
from ccm.participation.models import Delegate, Delegation, Invitation
from ccm.registry.selectors import state_ids_with_address

SESSION_KEY = "ccm.registration"
LISTED = (DelegationStatus.SUBMITTED, DelegationStatus.CONFIRMED, DelegationStatus.QUERIED)


def _addressed() -> QuerySet[Any]:
    """A State's contacts its letters go to: registry's one rule of an address on record
    (`address_contacts`), for the invitation's State."""
    from ccm.registry.selectors import address_contacts

    return address_contacts().filter(state_id=OuterRef("state_id"))


def invitations(meeting: Any) -> QuerySet[Invitation]:
    """A meeting's invitations with their invitee, delegation and log (two queries), and whether
    a State's has an address on record now (`address_on_record`)."""
    return (
        Invitation.objects.filter(meeting=meeting)
        .annotate(address_on_record=Exists(_addressed()))
        .select_related("state", "organisation", "delegation")
        .prefetch_related("events")
        .order_by("category", "state__name_en", "organisation__name")
    )


def invitees_without_address(meeting: Any = None) -> QuerySet[Invitation]:
    """Invitations of States not yet sent (nor revoked) that cannot be sent: the State has no
    address on record (registry.selectors.state_ids_with_address, the rule the list of States
    Parties without an address follows too). One meeting's, or every meeting's (issue #26)."""
    waiting = Invitation.objects.filter(sent_at=None, revoked_at=None, state__isnull=False)
    if meeting is not None:
        waiting = waiting.filter(meeting=meeting)
    return waiting.exclude(state_id__in=state_ids_with_address())


def invitation_for_user(user: Any, pk: int) -> Invitation:
    if not roles.is_isu_staff(user):
        raise PermissionDenied
    found = (
        Invitation.objects.select_related("meeting", "state", "organisation").filter(pk=pk).first()
    )
    if found is None:
        raise Http404("no such invitation")
    return found


def delegation_for_user(user: Any, pk: int) -> Delegation:
    """A delegation for the ISU to check (the Presidency may read it)."""
    if not roles.reads_all(user):
        raise PermissionDenied
    found = (
        Delegation.objects.select_related("invitation__meeting", "invitation__state",
                                          "invitation__organisation")
        .prefetch_related("members")
        .filter(pk=pk)
        .first()
    )  # fmt: skip
    if found is None:
        raise Http404("no such delegation")
    return found


def invitation_of_session(session: Any) -> Invitation | None:
    """The invitation this browser opened with its link, while that link's secret is still the
    invitation's (a new link or a revocation ends the session) ; None otherwise."""
    held = session.get(SESSION_KEY)
    if not isinstance(held, dict) or not isinstance(held.get("i"), int):
        return None
    found = (
        Invitation.objects.select_related("meeting", "state", "organisation")
        .filter(pk=held["i"], revoked_at=None)
        .first()
    )
    if found is None or not found.secret or found.secret != held.get("s"):
        return None
    return found


def participants(meeting: Any, *, final: bool = False) -> list[Delegation]:
    """The delegations on the list of participants, by category then name, each with its members
    (head first): provisional (all registered) or final (confirmed only). Three queries."""
    statuses = [DelegationStatus.CONFIRMED] if final else list(LISTED)
    found = list(
        Delegation.objects.filter(invitation__meeting=meeting, status__in=statuses)
        .select_related("invitation__state", "invitation__organisation")
        .prefetch_related(Prefetch("members", queryset=Delegate.objects.order_by("position")))
    )
    order = {c: n for n, c in enumerate(Category.values)}
    return sorted(found, key=lambda d: (order[d.invitation.category],
                                        d.invitation.invitee_name.casefold()))  # fmt: skip


def taking_part(meeting: Any) -> list[Any]:
    """States not party registered for a formal meeting (signatories and observer States with
    a delegation submitted or confirmed): they share its costs (Art. 14(1)). None for an informal
    meeting (a seminar, a workshop): its registrations feed no Art. 14 payer set."""
    if not meeting.is_formal:
        return []
    rows = (
        Delegation.objects.filter(
            invitation__meeting=meeting, status__in=list(LISTED),
            invitation__category__in=[c for c in STATE_CATEGORIES if c != Category.PARTY],
        ).select_related("invitation__state")
    )  # fmt: skip
    return sorted((d.invitation.state for d in rows), key=lambda s: s.name_en)


def badge_for_user(user: Any, code: str) -> Delegate | None:
    """The person a badge's QR code stands for (staff at the door); None for an unknown code."""
    if not roles.is_isu_staff(user):
        raise PermissionDenied
    code = code.strip().rstrip("/").rsplit("/", 1)[-1][:40]  # the whole address, or the code
    if not code:
        return None
    return (
        Delegate.objects.select_related("delegation__invitation__meeting",
                                        "delegation__invitation__state",
                                        "delegation__invitation__organisation")
        .filter(badge=code)
        .first()
    )  # fmt: skip


def awaiting_the_isu(*, from_note: bool) -> list[Delegation]:
    """Delegations submitted and not yet confirmed or queried, across meetings (the staff
    to-do, issue #26): those the ISU entered from a note verbale received, or the others (the
    invitees' own); oldest first; one query."""
    qs = Delegation.objects.filter(status=DelegationStatus.SUBMITTED).select_related(
        "invitation__meeting", "invitation__state", "invitation__organisation"
    )
    qs = (
        qs.filter(source=Source.NOTE_VERBALE)
        if from_note
        else qs.exclude(source=Source.NOTE_VERBALE)
    )
    return list(qs.order_by("submitted_at", "pk"))


def invitations_of_state(iso3: str) -> list[Invitation]:
    """A State's invitations to meetings, the latest meeting first, each with its meeting, its
    delegation (if any) and the number of its members as `members_count` (one query)."""
    return list(
        Invitation.objects.filter(state_id=iso3)
        .select_related("meeting", "delegation")
        .annotate(members_count=Count("delegation__members"))
        .order_by(F("meeting__start_date").desc(nulls_last=True), "-pk")
    )


def unreached(meeting: Any, rows: list[Invitation] | None = None) -> list[tuple[Invitation, bool]]:
    """Every invitation the batches could not send for want of an address on record, across all
    batches (read from the invitations' logs, not from the last batch's answer: issue #26), with
    whether an address is on record now (the next batch then sends it). From the rows of
    `invitations` when given: no further query."""
    listed = list(invitations(meeting)) if rows is None else rows
    found = [
        i
        for i in listed
        if i.state_id
        and i.sent_at is None
        and i.revoked_at is None
        and any(e.event == Event.NO_ADDRESS for e in i.events.all())
    ]
    found.sort(key=lambda i: str(i.state.name))  # type: ignore[union-attr]
    return [(i, bool(i.address_on_record)) for i in found]  # type: ignore[attr-defined]
