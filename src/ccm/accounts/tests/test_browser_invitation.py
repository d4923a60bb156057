"""A focal point invited in Spanish signs up in a real browser, with no detour (issue #7, item 11):
password set → signed in → authenticator → recovery codes → their page, all in Spanish."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from ccm.accounts import services
from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.testing.browser import needs_chromium
from ccm.core.testing.totp import current_code
from ccm.registry.tests import factories

pytestmark = [pytest.mark.browser, needs_chromium]
# CCM_SCREENSHOTS=/tmp/shots/accounts to look at them elsewhere.
SHOTS = Path(os.environ.get("CCM_SCREENSHOTS", Path(settings.DATA_DIR) / "screenshots"))


def step(page: Page, name: str, *, spanish: str) -> None:
    """Each page of the path is in Spanish, fits a 390 px phone, and is photographed at both
    widths (the link works once, so the same page is resized rather than reopened)."""
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_text(spanish, exact=False).first).to_be_visible()
    page.screenshot(path=str(SHOTS / f"invite-{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    page.screenshot(path=str(SHOTS / f"invite-{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_focal_point_invited_in_spanish_signs_up_and_reaches_their_page(
    browser: Browser, live_server: Any, transactional_db: None, settings: Any
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1  # a code computed at a period's edge still counts
    chile = factories.party("CHL", "Chile", signed="2008-12-03", deposited="2010-12-16")
    chile.name_es = "Chile"
    chile.save()
    contact = factories.ContactFactory(
        state=chile, name="Ana Pérez", email="ana@minrel.cl", language="es"
    )
    services.invite_focal_point(contact=contact, by=make_user(Role.ISU_STAFF))
    (message,) = mail.outbox
    assert message.to == ["ana@minrel.cl"]
    assert "Convención sobre Municiones en Racimo" in message.subject
    assert "Estimada" in message.body or "Estimado" in message.body
    assert "127.0.0.1" not in message.body.split("http")[0]  # the site's name, not its host
    link = re.search(r"https?://\S+", str(message.body)).group(0)  # type: ignore[union-attr]
    assert "/es/accounts/" in link  # the link opens in the contact's language

    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-ES")
    page = context.new_page()
    page.goto(link.replace(settings.CCM_BASE_URL, live_server.url))
    step(page, "1-password", spanish="Cambiar la contraseña")
    page.fill("input[name=password1]", "una frase de paso larga 2026")
    page.fill("input[name=password2]", "una frase de paso larga 2026")
    page.get_by_role("button", name="Cambiar la contraseña").click()

    # Signed in, straight to the authenticator set-up: no second password, no detour.
    expect(page).to_have_url(re.compile(r"/es/accounts/2fa/totp/activate/"))
    step(page, "2-authenticator", spanish="Una aplicación de autenticación en su teléfono")
    expect(page.get_by_text("Google Authenticator", exact=False).first).to_be_visible()
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", current_code(secret))
    page.get_by_role("button", name="Activar").click()

    expect(page).to_have_url(re.compile(r"/es/accounts/2fa/recovery-codes/"))
    expect(page.locator("#recovery_codes")).to_be_visible()
    step(page, "3-recovery-codes", spanish="Guarde estos códigos en un lugar seguro")
    page.get_by_role("link", name="Continuar a su página").click()

    expect(page).to_have_url(f"{live_server.url}/es/my/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mi cuenta")
    expect(page.get_by_role("link", name="Chile")).to_be_visible()
    step(page, "4-my-page", spanish="Mi cuenta")
    context.close()
