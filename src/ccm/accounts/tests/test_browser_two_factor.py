"""Two-factor enrolment as a new staff member lives it, in Debian's Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.testing.browser import assert_accessible, needs_chromium
from ccm.core.testing.totp import current_code

pytestmark = [pytest.mark.browser, needs_chromium]


def code_for(secret: str) -> str:
    return current_code(secret)


def test_staff_sign_in_set_up_an_authenticator_and_need_it_next_time(
    page: Page, live_server: Any, transactional_db: None, settings: Any
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1  # a code computed at a period's edge still counts
    user = make_user(Role.ISU_STAFF, two_factor=False)
    site = live_server.url
    page.goto(f"{site}/accounts/login/")
    assert_accessible(page)
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "correct horse battery staple")
    page.get_by_role("button", name="Sign In").click()
    # Straight to the authenticator set-up: no private page before it, no second password.
    expect(page).to_have_url(f"{site}/accounts/2fa/totp/activate/?next=/my/")
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", code_for(secret))
    page.get_by_role("button", name="Activate").click()
    page.goto(f"{site}/my/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    # Next sign-in asks for the code.
    page.locator("header form button[type=submit]").first.click()  # sign out
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "correct horse battery staple")
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{site}/accounts/2fa/authenticate/")
    page.fill("input[name=code]", code_for(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{site}/my/")
