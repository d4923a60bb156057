"""Universalization in a real browser (issue #14): staff log a démarche and see its next step
due; the public vote page with its map and the universalization page; axe-core on each."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from ccm.core.testing.browser import assert_accessible, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


def test_staff_log_a_demarche_and_the_public_reads_the_votes(
    browser: Browser,
    live_server: Any,
    transactional_db: None,
    reference: None,
    settings: Any,
) -> None:
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.core.testing.browser import signed_in_context

    staff = signed_in_context(browser, live_server, make_user(Role.ISU_STAFF), settings)
    page = staff.new_page()
    page.goto(f"{live_server.url}/staff/outreach/")
    page.locator("#row-IND a").click()
    expect(page.locator("h1")).to_contain_text("India")
    due = timezone.localdate() + timedelta(days=14)
    form = page.locator("#log-form")
    form.get_by_label("Channel").select_option("demarche")
    form.get_by_label("By", exact=True).select_option("presidency")
    form.get_by_label("People met").fill("Director, Disarmament Division")
    form.get_by_label("Outcome").fill("Will consult the Ministry of Defence.")
    form.get_by_label("Next step", exact=True).fill("Send the Convention's text in Hindi")
    form.get_by_label("Owner of the next step").fill("ISU")
    form.get_by_label("Next step due").fill(due.isoformat())
    form.get_by_role("button", name="Log it").click()
    expect(page.locator("#outreach-log")).to_contain_text("Will consult the Ministry of Defence.")
    assert_accessible(page)
    page.goto(f"{live_server.url}/staff/outreach/")
    expect(page.locator("#steps-due")).to_contain_text("Send the Convention's text in Hindi")
    expect(page.locator("#steps-due")).to_contain_text("India")
    assert_accessible(page)
    # The public, signed out
    public = browser.new_context(bypass_csp=True).new_page()
    public.goto(f"{live_server.url}/universalization/votes/A/RES/71/45/")
    expect(public.locator("#mismatch")).to_be_visible()
    expect(public.locator("svg.ccm-map")).to_be_visible()
    assert_accessible(public)
    public.goto(f"{live_server.url}/universalization/")
    expect(public.locator("#always-yes")).to_contain_text("Indonesia")
    expect(public.locator("#targets")).to_contain_text("130")
    assert_accessible(public)
    public.goto(f"{live_server.url}/universalization/votes/")
    expect(public.locator("#votes")).to_contain_text("differs")
    assert_accessible(public)
    # Outreach is never public
    public.goto(f"{live_server.url}/staff/outreach/states/IND/")
    expect(public.locator("body")).not_to_contain_text("Ministry of Defence")


def test_staff_start_a_campaign_as_of_a_date_with_letters_by_stage(
    browser: Browser,
    live_server: Any,
    transactional_db: None,
    reference: None,
    settings: Any,
) -> None:
    """Issue #25: the States chosen as of 1 June 2009 (France then a signatory), each with its
    stage and what its letter asks, shown before and after the campaign starts."""
    from pathlib import Path

    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.core.testing.browser import signed_in_context

    shots = Path("/tmp/i25-nv-demarches")
    shots.mkdir(parents=True, exist_ok=True)
    staff = signed_in_context(browser, live_server, make_user(Role.ISU_STAFF), settings)
    page = staff.new_page()
    page.goto(f"{live_server.url}/staff/outreach/campaigns/new/")
    page.locator("#id_as_of").fill("2009-06-01")
    page.get_by_label("Signatories only").check()
    page.get_by_role("button", name="Show the States chosen").click()
    expect(page.locator("#chosen-as-of")).to_have_attribute("data-as-of", "2009-06-01")
    expect(page.locator("#chosen-count")).to_contain_text("France")
    assert_accessible(page)
    page.get_by_label("Title").fill("Signatories, June 2009")
    page.get_by_label("Subject (English)").fill("Ratification of the Convention")
    page.get_by_label("Letter (English)").fill("Excellency,\n\n{ask}")
    page.locator("#start-campaign").click()
    expect(page.locator("#campaign-as-of")).to_have_attribute("data-as-of", "2009-06-01")
    expect(page.locator("#target-FRA [data-stage]")).to_have_attribute("data-stage", "signatory")
    expect(page.locator("#target-FRA [data-ask]")).to_have_attribute("data-ask", "ratify")
    assert_accessible(page)
    page.screenshot(path=str(shots / "campaign-as-of.png"), full_page=True)
    staff.close()
