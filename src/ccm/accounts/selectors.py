"""Reads of private records through the user's rights: one access helper per object type."""

from __future__ import annotations

from django.db.models import QuerySet

from ccm.accounts import roles
from ccm.registry.models import Contact


def contacts_for_user(user: roles.AnyUser, iso3: str) -> QuerySet[Contact] | None:
    """A State's active contacts as this user may read them: ISU staff and the Presidency any
    State's, a focal point its own States' (two-factor set up); None for everyone else."""
    if not roles.can_read_state_private(user, iso3):
        return None
    return Contact.objects.filter(state_id=iso3, active=True)
