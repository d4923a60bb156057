"""The Content Security Policy in a real browser: no page the site serves breaks it, and the
admin does not warn about time zones beside dates (issue #7, items 6 and 17)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, ConsoleMessage

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.testing.browser import needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


def test_no_page_breaks_the_content_security_policy(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None
) -> None:
    staff = Client()
    staff.force_login(make_user(Role.ISU_STAFF))
    # A context in another time zone than the server's, without bypassing the policy.
    context = browser.new_context(timezone_id="America/Santiago")
    context.add_cookies(
        [{"name": "sessionid", "value": staff.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    refused: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    for path in (
        "/",
        "/fr/states/",
        "/states/CHL/",
        "/reporting/",
        "/my/",
        "/staff/reporting/letters/",
        "/admin/",
        "/admin/reporting/submission/add/",
        "/accounts/2fa/",
    ):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("load")
    assert not refused, "\n".join(refused)
    # The record's admin forms hold dates only: no "hours behind server time" note.
    page.goto(live_server.url + "/admin/reporting/submission/add/")
    assert page.locator(".vDateField").count() >= 3
    assert page.locator(".timezonewarning:visible").count() == 0
    context.close()
