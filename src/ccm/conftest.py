"""Shared personas and helpers for every app's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import Browser, Page, sync_playwright

from ccm.accounts.models import Profile, Role
from ccm.core.testing import factories
from ccm.core.testing.browser import CHROMIUM, CHROMIUM_ARGS
from ccm.registry.models import State

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _test_settings(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    # WhiteNoise warns when the collectstatic folder is missing; tests serve through the finders.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    # Tests render pages without `collectstatic`: plain storage, files found by the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def chile(db):  # type: ignore[no-untyped-def]
    return factories.party("CHL", "Chile", signed="2008-12-03", deposited="2010-12-16")


@pytest.fixture
def peru(db):  # type: ignore[no-untyped-def]
    return factories.party("PER", "Peru", signed="2008-12-03", deposited="2012-09-26")


@pytest.fixture
def personas(db, chile, peru) -> dict[str, Client]:  # type: ignore[no-untyped-def]
    """anonymous / focal point of another State / focal point of this State (Chile) / staff."""
    clients: dict[str, Client] = {"anonymous": Client()}
    for name, user in {
        "other_focal_point": make_user(Role.FOCAL_POINT, "PER"),
        "focal_point": make_user(Role.FOCAL_POINT, "CHL"),
        "presidency": make_user(Role.PRESIDENCY),
        "staff": make_user(Role.ISU_STAFF),
    }.items():
        client = Client()
        client.force_login(user)
        clients[name] = client
    return clients


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, launched once for the whole run."""
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # axe-core is injected as an inline script, which the site's CSP refuses: the test context
    # bypasses CSP; ccm/core/tests/test_browser_security.py checks the policy without bypass.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    pg = context.new_page()
    yield pg
    context.close()
