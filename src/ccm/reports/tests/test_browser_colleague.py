"""The colleague's path in a real browser (issue #26), in English and in Spanish, at 1280 and 390
px, axe-core on each page: from the e-mail's one link, the colleague chooses a password, sets up
the authenticator app, keeps the recovery codes, goes on to the form they were given, saves it
and says "I have finished"; the focal point who asked gets the e-mail and sees it finished on
the report page. Screenshots go to $CCM_SCREENSHOTS when set, else to a temporary folder."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.testing.browser import assert_accessible, needs_chromium, signed_in_context
from ccm.core.testing.totp import current_code
from ccm.registry.tests import factories
from ccm.reports import services
from ccm.reports.models import FormDelegation

pytestmark = [pytest.mark.browser, needs_chromium]
COLLEAGUE = "colega@defensa.example"
PASSWORD = "una frase de paso larga 2026"


def shoot(page: Page, shots: Path, name: str) -> None:
    """axe-core, then the page at 1280 and at 390 px (nothing wider than the phone)."""
    assert_accessible(page)
    page.screenshot(path=str(shots / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{name} at 390 px: {overflow}px too wide"
    assert_accessible(page)
    page.screenshot(path=str(shots / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_colleague_finishes_a_form_and_the_focal_point_sees_it(
    browser: Browser, live_server: Any, transactional_db: None, settings: Any, tmp_path: Path,
    language: str,
) -> None:  # fmt: skip
    settings.MFA_TOTP_TOLERANCE = 1  # a code computed at a period's edge still counts
    shots = Path(os.environ.get("CCM_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    prefix = "" if language == "en" else f"/{language}"
    chile = factories.party("CHL", "Chile", signed="2008-12-03", deposited="2010-12-16")
    chile.name_es = "Chile"
    chile.language = language
    chile.save()
    focal = make_user(Role.FOCAL_POINT, "CHL")
    factories.ContactFactory(state=chile, email=focal.email, user=focal, language=language)
    report = services.start_report(state=chile, kind="annual", period=2024, by=focal)
    delegation = services.delegate_form(report, form="F", email=COLLEAGUE, by=focal)
    (invitation,) = mail.outbox
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", invitation.body).group(0)  # type: ignore[union-attr]
    assert link.startswith(f"{django_settings.CCM_BASE_URL.rstrip('/')}{prefix}/accounts/")

    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(link.replace(django_settings.CCM_BASE_URL.rstrip("/"), live_server.url))
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name=re.compile("Change Password|Cambiar la contraseña")).click()

    # Two-factor set-up, on the way to the form: the page knows where the colleague goes next.
    expect(page).to_have_url(re.compile(rf"{prefix}/accounts/2fa/totp/activate/\?next="))
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", current_code(secret))
    page.get_by_role("button", name=re.compile("^(Activate|Activar)$")).click()
    expect(page).to_have_url(re.compile(rf"{prefix}/accounts/2fa/recovery-codes/\?next="))
    expect(page.locator("#recovery_codes")).to_be_visible()
    shoot(page, shots, f"colleague-{language}-1-recovery-codes")
    onward = page.locator(f'main a[href^="{prefix}/my/reports/delegation/"]')
    expect(onward).to_have_count(1)
    if language == "en":
        expect(onward).to_have_text("Continue to your form")
    onward.click()

    # Straight to the form they were given, and only that one.
    form_url = f"{live_server.url}{prefix}/my/reports/report/{report.pk}/form/F/"
    expect(page).to_have_url(form_url)
    expect(page.locator("#colleague-note")).to_be_visible()
    page.select_option("#id_status", "changed")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator("form[hx-post] button[type=submit]").click()
    expect(page.locator("#form-fields .alert-success[role=status]")).to_be_visible()
    shoot(page, shots, f"colleague-{language}-2-form")
    page.locator("#finish button[type=submit]").click()
    expect(page).to_have_url(form_url)
    expect(page.locator("#finished-note")).to_be_visible()
    expect(page.locator("#finish button")).to_have_count(0)
    shoot(page, shots, f"colleague-{language}-3-finished")
    context.close()

    # The focal point is told, in their language, and sees it on the report page.
    told = mail.outbox[-1]
    assert told.to == [focal.email] and COLLEAGUE in told.subject
    assert ("Zonas contaminadas" if language == "es" else "Contaminated areas") in told.subject
    assert FormDelegation.objects.get(pk=delegation.pk).finished_at is not None
    fp = signed_in_context(browser, live_server, focal, settings).new_page()
    fp.goto(f"{live_server.url}{prefix}/my/reports/report/{report.pk}/")
    row = fp.locator(f'[data-delegation="{delegation.pk}"]')
    expect(row.locator('[data-progress="finished"]')).to_be_visible()
    expect(row).to_contain_text(COLLEAGUE)
    fp.locator("#delegations").scroll_into_view_if_needed()
    shoot(fp, shots, f"colleague-{language}-4-focal-point")
    fp.context.close()
