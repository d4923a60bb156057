"""Who may see and change what. Views and selectors ask these, never the profile directly."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
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


def presiding_state_ids(user: AnyUser) -> set[str]:
    """The State(s) whose Presidency a Presidency account works for: its profile's States
    (issue #25). Empty for everyone else, and for a Presidency account not yet given its State,
    which then changes no Presidency's records."""
    if role_of(user) != Role.PRESIDENCY:
        return set()
    cached = getattr(user, "_ccm_presiding", None)
    if cached is None:
        cached = set(user.profile.states.values_list("iso3", flat=True))  # type: ignore[union-attr]
        user._ccm_presiding = cached  # type: ignore[union-attr,attr-defined]
    return set(cached)


def can_read_state_private(user: AnyUser, iso3: str) -> bool:
    """Contacts, drafts and the like of one State: only once the second factor is set up."""
    if not two_factor_ok(user):
        return False
    return reads_all(user) or iso3 in state_ids_of(user)


def needs_two_factor(user: AnyUser) -> bool:
    """Every signed-in person: staff, the Presidency (which reads every State's contacts), focal
    points, and an account with no role yet, such as one given `is_staff` in the admin but no
    profile (issue #7). The setting turns it off for local experiments."""
    return bool(settings.CCM_ENFORCE_MFA) and user.is_authenticated


def has_two_factor(user: AnyUser) -> bool:
    """An authenticator app is set up; asked once per request (kept on the user object)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_ccm_has_totp", None)
    if cached is None:
        cached = Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.TOTP
        ).exists()
        user._ccm_has_totp = cached  # type: ignore[union-attr,attr-defined]
    return bool(cached)


def two_factor_ok(user: AnyUser) -> bool:
    """Private data may be shown: no second factor is needed, or it is set up."""
    return not needs_two_factor(user) or has_two_factor(user)
