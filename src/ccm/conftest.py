"""Shared personas and helpers for every app's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client
from playwright.sync_api import Browser, Page, sync_playwright

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core import reference as reference_loaders
from ccm.core.testing.browser import CHROMIUM, CHROMIUM_ARGS
from ccm.registry.models import State
from ccm.registry.tests import factories

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The live server's threads share the test's in-memory SQLite connection: none is kept open
# between requests in these tests (the tests that run real servers, src/ccm/tests/deployment.py,
# keep the production default).
django_settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def _test_settings(settings):  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    # Tests create many accounts: a fast hash (production keeps Django's PBKDF2).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # WhiteNoise warns when the collectstatic folder is missing; tests serve through the finders.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    # Tests render pages without `collectstatic`: plain storage, files found by the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _loaded(request: pytest.FixtureRequest) -> bool:
    """The test asks for the reference data too: load it first, so that Chile and Peru are the
    real ones (the same dates as below) instead of made-up States it would have to update."""
    for name in ("reference", "registry_reference"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
            return True
    return False


@pytest.fixture
def chile(db: None, request: pytest.FixtureRequest) -> State:
    if _loaded(request):
        return State.objects.get(iso3="CHL")
    return factories.party("CHL", "Chile", signed="2008-12-03", deposited="2010-12-16")


@pytest.fixture
def peru(db: None, request: pytest.FixtureRequest) -> State:
    if _loaded(request):
        return State.objects.get(iso3="PER")
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


# Rows that exist in a new database before any data is loaded; never copied.
NOT_REFERENCE = {"contenttypes", "auth", "sessions", "admin"}


@pytest.fixture(scope="session")
def reference_rows(django_db_setup: None, django_db_blocker: Any) -> dict[Any, list[dict]]:
    """Every app's shipped reference data, read, checked and loaded once per run; the rows it
    wrote are kept (model by model, in dependency order) and the load is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        models = [m for m in apps.get_models() if m._meta.app_label not in NOT_REFERENCE]
        before = {m: m.objects.count() for m in models}
        reference_loaders.load_all()
        rows = {m: list(m.objects.values()) for m in models if m.objects.count() > before[m]}
        transaction.set_rollback(True)
    return rows


def _insert(rows: dict[Any, list[dict]], apps_wanted: set[str]) -> None:
    if any(model.objects.exists() for model in rows):
        # The test made States of its own first (e.g. the personas' Chile and Peru): load
        # through the loaders, which update what exists, as `ccm load_reference_data` would.
        for loader in reference_loaders.loaders():
            if loader.app in apps_wanted:
                loader.load()
        return
    for model, values in rows.items():
        model.objects.bulk_create([model(**v) for v in values])
    # PostgreSQL: explicit ids do not move the sequences; later inserts must not collide.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(rows)):
            cursor.execute(sql)


@pytest.fixture
def reference(db: None, reference_rows: dict[Any, list[dict]]) -> None:
    """The shipped reference data in this test's database: States, treaty actions, the reports
    known to have been received, declared stockpiles (as `ccm load_reference_data` loads them,
    history and audit included), inserted from the rows read once per run."""
    _insert(reference_rows, {loader.app for loader in reference_loaders.loaders()})


@pytest.fixture
def registry_reference(db: None, reference_rows: dict[Any, list[dict]]) -> None:
    """Only the registry's reference data: States and treaty actions."""
    _insert(
        {m: v for m, v in reference_rows.items() if m._meta.app_label == "registry"}, {"registry"}
    )


@pytest.fixture(autouse=True)
def _public_pages_cache_emptied() -> None:
    """Each test starts with no cached public page: one test's settings or clock never shape
    the next one's pages (in production the data revision alone decides)."""
    caches["pages"].clear()
