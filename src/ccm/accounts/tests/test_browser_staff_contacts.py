"""Staff keep contacts without the Django admin, in a real browser (issue #26, item 2): they see
the States Parties without an address, add one from there, add a contact with the plain State
select, and invite them; axe-core on every page, at 1280 and 390 px, in English and Spanish.
Screenshots under /tmp/i26-contacts/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from ccm.core.testing.browser import assert_accessible, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]
SHOTS = Path("/tmp/i26-contacts")


def look(page: Page, name: str, width: int) -> None:
    """Accessible, no sideways scrolling on a phone, photographed."""
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["en", "es"])
def test_staff_add_a_contact_invite_them_and_clear_the_states_without_an_address(
    browser: Browser, live_server: Any, transactional_db: None, chile: Any, peru: Any,
    settings: Any, language: str, width: int,
) -> None:  # fmt: skip
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.core.testing.browser import signed_in_context
    from ccm.registry.models import Contact

    SHOTS.mkdir(parents=True, exist_ok=True)
    prefix = "" if language == "en" else f"/{language}"
    tag = f"{language}-{width}"
    staff = signed_in_context(browser, live_server, make_user(Role.ISU_STAFF), settings, width)
    page = staff.new_page()

    # 1. The States Parties without an address: Chile and Peru, each with a link to add one
    page.goto(f"{live_server.url}{prefix}/staff/contacts/without-address/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    rows = page.locator("#states-without-address tbody tr")
    expect(rows).to_have_count(2)
    look(page, f"1-without-address-{tag}", width)

    # 2. Add Peru's mission from there: the State is chosen already
    page.locator("a[href*='add/?state=PER']").first.click()
    expect(page.locator("#id_state")).to_have_value("PER")
    expect(page.locator("#id_role")).to_have_value("permanent_mission")
    look(page, f"2-add-from-the-list-{tag}", width)
    page.locator("#id_name").fill("Misión del Perú")
    page.locator("#id_email").fill("mision@peru.example")
    page.locator("#contact-form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}{prefix}/staff/contacts/without-address/")
    expect(rows).to_have_count(1)  # Peru is off the list
    expect(rows.first).to_contain_text(chile.name_es if language == "es" else chile.name_en)
    look(page, f"3-one-left-{tag}", width)

    # 3. Add Chile's focal point from the contacts page, with the plain State select
    page.goto(f"{live_server.url}{prefix}/staff/contacts/add/")
    assert page.locator("select#id_state").evaluate("e => e.tagName") == "SELECT"
    page.locator("#id_state").select_option("CHL")
    page.locator("#id_role").select_option("national_focal_point")
    page.locator("#id_name").fill("Ana Pérez")
    page.locator("#id_email").fill("ana@minrel.cl")
    page.locator("#id_language").select_option("es")
    look(page, f"4-add-{tag}", width)
    page.locator("#contact-form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}{prefix}/staff/contacts/")
    expect(page.get_by_role("status")).to_contain_text("Ana Pérez")

    # 4. Filter on Chile and invite her
    page.locator("#id_state").select_option("CHL")
    page.locator("#contact-filters button[type=submit]").click()
    row = page.locator("tbody tr", has_text="Ana Pérez")
    expect(row).to_have_count(1)
    look(page, f"5-list-{tag}", width)
    row.locator("form[action$='/invite/'] button").click()
    expect(page.get_by_role("status")).to_contain_text("ana@minrel.cl")
    expect(page).to_have_url(re.compile(rf"{prefix}/staff/contacts/\?state=CHL&"))  # filter kept
    look(page, f"6-invited-{tag}", width)
    assert [m.to for m in mail.outbox] == [["ana@minrel.cl"]]
    assert Contact.objects.get(name="Ana Pérez").user is not None

    # 5. Chile now has an address: no State Party is left without one
    page.goto(f"{live_server.url}{prefix}/staff/contacts/without-address/")
    expect(rows).to_have_count(1)  # the "every State Party has an address" row
    expect(page.locator("#states-without-address a")).to_have_count(0)
    look(page, f"7-none-left-{tag}", width)
    staff.close()
