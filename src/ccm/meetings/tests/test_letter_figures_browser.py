"""The Presidency writes a letter with live figures in a real browser (issue #25): it starts from
the model letter that quotes them, dates it, saves it, sees each figure with its source on the
letter's page (and the one the record cannot give, said), and previews the letter sent, which
carries the figures and not their sources. Every page passes axe-core."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.testing.browser import assert_accessible, needs_chromium, signed_in_context
from ccm.meetings.models import Letter
from ccm.registry.selectors import counts_on

pytestmark = [pytest.mark.browser, needs_chromium]
SHOTS = Path("/tmp/i25-letters")
DAY = date(2026, 1, 15)


def test_the_presidency_writes_a_letter_with_live_figures_and_checks_their_sources(
    browser: Browser, live_server: Any, transactional_db: None, reference: None, settings: Any,
    tmp_path: Path,
) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    SHOTS.mkdir(parents=True, exist_ok=True)
    # The Lao People's Democratic Republic's account: a Presidency changes only its own records
    lao = make_user(Role.PRESIDENCY, "LAO")
    context = signed_in_context(browser, live_server, lao, settings)
    page = context.new_page()
    page.goto(f"{live_server.url}/staff/meetings/3RC/letters/")  # the Presidency in office
    page.get_by_role("link", name="The year ahead, with the Convention's figures").click()
    expect(page.get_by_label("Text (English)")).to_have_value(
        re.compile(r"\[States Parties\] States Parties")
    )
    page.get_by_text("Figures the letter can quote, computed as of the letter's date").click()
    expect(page.locator("#letter-figures-help")).to_contain_text("[initial reports missing]")
    assert_accessible(page)
    page.get_by_label("Reference").fill("LAO/CCM/2026/1")
    page.get_by_label("Date of the letter").fill(DAY.isoformat())
    page.get_by_role("button", name="Save the letter").click()

    sources = page.locator("#letter-sources")
    expect(sources).to_contain_text("The figures in this letter, as of 15 January 2026")
    parties = str(counts_on(DAY).parties)
    row = sources.locator('tr[data-figure="States Parties"]')
    expect(row).to_contain_text(parties)
    expect(row).to_contain_text("registry.selectors.counts_on")
    expect(sources.locator('tr[data-figure="GA vote"]')).to_contain_text(
        "outreach.selectors.latest_assembly_vote"
    )
    missing = sources.locator('tr[data-figure="initial reports missing"]')
    expect(missing).to_contain_text("compliance.letters.circular")
    expect(sources.locator('tr[data-figure="deadline"]')).to_contain_text("30 April 2026")
    # The 3rd Review Conference has no dates in the record: said, and left as written
    dates = sources.locator('tr[data-figure="next meeting dates"]')
    expect(dates).to_contain_text("not in the record")
    expect(dates).to_contain_text("its dates are not yet recorded")
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "letter-sources.png"), full_page=True)

    letter = Letter.objects.get()
    assert letter.dated == DAY and letter.presidency.meeting.code == "3RC"
    page.locator("#letter-languages").get_by_role("link", name="EN", exact=True).click()
    body = page.locator("body")
    expect(body).to_contain_text(f"The Convention now has {parties} States Parties")
    expect(body).to_contain_text("are due by 30 April 2026")
    expect(body).to_contain_text("will be held on [next meeting dates]")
    expect(body).not_to_contain_text("selectors")  # the sources are not in the letter sent
    assert page.locator("#letter-sources").count() == 0
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "letter-preview.png"), full_page=True)
    context.close()
