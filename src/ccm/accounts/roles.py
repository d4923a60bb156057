"""Who may see and change what. Views and selectors ask these, never the profile directly."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from ccm.accounts.models import Profile, Role

AnyUser = AbstractBaseUser | AnonymousUser


def role_of(user: AnyUser) -> str | None:
    if not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return Role.ISU_STAFF
    try:
        return user.profile.role  # type: ignore[union-attr,attr-defined]
    except Profile.DoesNotExist:
        return None


def is_isu_staff(user: AnyUser) -> bool:
    return role_of(user) == Role.ISU_STAFF


def reads_all(user: AnyUser) -> bool:
    """ISU staff and the Presidency read every State's non-public records."""
    return role_of(user) in (Role.ISU_STAFF, Role.PRESIDENCY)


def state_ids_of(user: AnyUser) -> set[str]:
    """The States a focal point acts for (empty for everyone else)."""
    if role_of(user) != Role.FOCAL_POINT:
        return set()
    return set(user.profile.states.values_list("iso3", flat=True))  # type: ignore[union-attr]


def can_read_state_private(user: AnyUser, iso3: str) -> bool:
    """Contacts, drafts and the like of one State."""
    return reads_all(user) or iso3 in state_ids_of(user)


def needs_two_factor(user: AnyUser) -> bool:
    return role_of(user) in (Role.ISU_STAFF, Role.FOCAL_POINT)
