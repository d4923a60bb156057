"""Browser-test helpers: Debian's Chromium through Playwright (never a downloaded browser) and
axe-core (vendored from npm) for accessibility."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

CHROMIUM = os.environ.get("CCM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor/axe-core-4.14.1/axe.min.js"

# In CI a missing Chromium is a failure, not a skip: `make test` installs it.
needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (make test installs it)",
)


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, "\n".join(bad)


def signed_in_context(
    browser: Browser, live_server: Any, user: Any, settings: Any, width: int = 1280
) -> BrowserContext:
    """A browser context signed in as `user` (a session made by the test client)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    height = 900 if width > 600 else 844
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME, "value": client.cookies["sessionid"].value,
        "url": live_server.url,
    }])  # fmt: skip
    return context
