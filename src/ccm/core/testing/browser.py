"""Browser-test helpers: Debian's Chromium through Playwright (never a downloaded browser) and
axe-core (vendored from npm) for accessibility."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

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
