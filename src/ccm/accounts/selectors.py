"""Reads of private records through the user's rights: one access helper per object type."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    CharField,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast
from django.http import Http404

from ccm.accounts import roles
from ccm.core.models import AuditEvent
from ccm.registry.models import Contact, State


def contacts_for_user(user: roles.AnyUser, iso3: str) -> QuerySet[Contact] | None:
    """A State's active contacts as this user may read them: ISU staff and the Presidency any
    State's, a focal point its own States' (two-factor set up); None for everyone else."""
    if not roles.can_read_state_private(user, iso3):
        return None
    return Contact.objects.filter(state_id=iso3, active=True)


def contact_list_for_user(user: roles.AnyUser, state: str = "") -> QuerySet[Contact]:
    """Every contact for ISU staff and the Presidency, a focal point's own States' contacts
    (optionally one State's); anyone else is refused (403). Each carries `account_used` and
    `invited_at` (the latest invitation sent to its account), for the list to say which."""
    invited = AuditEvent.objects.filter(
        verb__in=("account.invited", "account.invitation_resent"),
        object_type=get_user_model()._meta.label_lower,
        object_id=Cast(OuterRef("user_id"), CharField()),
    ).order_by("-at")
    # An account is in use once its owner chose a password through the invitation or signed in;
    # until then it is an invitation, not an account (issue #24: "Account: yes" said too early).
    used = Q(user__last_login__isnull=False) | (
        Q(user__isnull=False) & ~Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
    )
    qs = (
        Contact.objects.select_related("state", "user")
        .annotate(
            invited_at=Subquery(invited.values("at")[:1]),
            account_used=ExpressionWrapper(used, output_field=BooleanField()),
        )
        .order_by("state__name_en", "role", "name")
    )
    if not roles.reads_all(user):
        mine = roles.state_ids_of(user)
        if not mine:
            raise PermissionDenied
        qs = qs.filter(state_id__in=mine)
    return qs.filter(state_id=state) if state else qs


def contact_for_user(user: roles.AnyUser, pk: int) -> Contact:
    """One contact as the user may read it (as `contacts_for_user`); 404 otherwise, forged ids
    alike."""
    contact = Contact.objects.select_related("state").filter(pk=pk).first()
    if contact is None or not (
        roles.is_isu_staff(user) or roles.can_read_state_private(user, contact.state_id)
    ):
        raise Http404("no such contact")
    return contact


def own_contact_for_user(user: roles.AnyUser, pk: int) -> Contact:
    """The user's own contact record (the one their invitation was for), with two-factor set
    up; 404 for anyone else's, forged ids alike."""
    contact = Contact.objects.select_related("state").filter(pk=pk).first()
    if contact is None or not roles.two_factor_ok(user) or contact.user_id != user.pk:
        raise Http404("no such contact")
    return contact


def own_contacts(user: roles.AnyUser, iso3: str) -> list[Contact]:
    if not user.is_authenticated:
        return []
    return list(Contact.objects.filter(user_id=user.pk, state_id=iso3, active=True))


def state_view_for_user(user: roles.AnyUser, iso3: str) -> State:
    """The State whose one-page view (issue #26) the user may open: any for ISU staff and the
    Presidency, a focal point's own States (two-factor set up); 404 for anyone else and for a
    forged code, so the answer never says which codes a focal point may not read."""
    iso3 = iso3.strip().upper()  # a code is three letters: anything longer is no State's
    if len(iso3) != 3 or not roles.can_read_state_private(user, iso3):
        raise Http404("no such State")
    found = State.objects.prefetch_related("actions").filter(iso3=iso3).first()
    if found is None:
        raise Http404("no such State")
    return found


def states_for_view(user: roles.AnyUser) -> list[State]:
    """The States whose view the user may open, by name: every one for ISU staff and the
    Presidency, a focal point's own (one query)."""
    if not roles.two_factor_ok(user):
        return []
    states = State.objects.order_by("name_en")
    if roles.reads_all(user):
        return list(states)
    return list(states.filter(iso3__in=roles.state_ids_of(user)))
