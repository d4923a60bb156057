"""Accounts of every role for tests: `make_user(Role.FOCAL_POINT, "CHL")`."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from ccm.accounts.models import Profile, Role
from ccm.core.testing import factories
from ccm.registry.models import State


def make_user(role: str | None, *states: str, two_factor: bool = True) -> User:
    user = factories.UserFactory()
    if role:
        profile = Profile.objects.create(user=user, role=role)
        if states:
            profile.states.set(State.objects.filter(iso3__in=states))
        if role == Role.ISU_STAFF:
            user.is_staff = True
            user.is_superuser = True
            user.save()
    if two_factor:
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt("x")}
        )
    return user


def assert_two_factor_required(url: str, *, states: tuple[str, ...] = ("CHL",)) -> None:
    """Staff, the Presidency and a focal point of `states`, signed in WITHOUT an authenticator
    app, are sent to set one up (in the page's language) before this page: every page but the
    account pages, the language switch, static files and the health probe (accounts.middleware)."""
    prefix = url.split("/")[1]
    language = prefix if prefix in dict(settings.LANGUAGES) else ""
    setup = (f"/{language}" if language else "") + "/accounts/2fa/totp/activate/"
    failures = []
    for role, scoped in ((Role.ISU_STAFF, ()), (Role.PRESIDENCY, ()), (Role.FOCAL_POINT, states)):
        client = Client()
        client.force_login(make_user(role, *scoped, two_factor=False))
        response = client.get(url)
        location = response.get("Location", "") if response.status_code == 302 else ""
        if not location.startswith(setup):
            failures.append(f"{role}: expected the two-factor set-up, got {response.status_code}")
    assert not failures, f"GET {url}: " + "; ".join(failures)
