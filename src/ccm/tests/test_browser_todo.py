"""The staff home as a to-do in a real browser (issue #26): staff open the home, follow a count
to its list, confirm a delegation there and see the count go down; in English and French, at
1280 and 390 px, axe-core on every page. Screenshots under /tmp/i26-todo/ to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.testing.browser import assert_accessible, needs_chromium, signed_in_context
from ccm.meetings.models import Presidency
from ccm.registry.tests.factories import StateFactory
from ccm.tests.test_todo_home import _add, _meeting

pytestmark = [pytest.mark.browser, needs_chromium]

SHOTS = Path("/tmp/i26-todo")


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_staff_follow_a_count_clear_an_item_and_see_the_count_go_down(
    browser: Browser, live_server: Any, transactional_db: None, settings: Any,
    width: int, language: str,
) -> None:  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    _add(3, _meeting())  # two delegations the invitees registered, one entered from a note
    prefix = "" if language == "en" else f"/{language}"
    context = signed_in_context(browser, live_server, make_user(Role.ISU_STAFF), settings, width)
    page = context.new_page()
    shot = lambda name: page.screenshot(  # noqa: E731
        path=str(SHOTS / f"{name}-{language}-{width}.png"), full_page=True
    )

    page.goto(f"{live_server.url}{prefix}/my/")
    assert page.locator("html").get_attribute("lang") == language
    item = page.locator("#todo-participation-to_confirm")
    expect(item.locator("[data-todo-count]")).to_have_text("2")
    expect(page.locator("#todo-compliance-overdue [data-todo-unknown]")).to_be_visible()
    assert_accessible(page)
    shot("1-home")

    item.locator("a").first.click()
    expect(page.locator("#todo-count")).to_have_text("2")
    expect(page.locator("#todo-rows li")).to_have_count(2)
    assert_accessible(page)
    shot("2-list")

    page.locator("#todo-rows a").first.click()
    page.locator("button[value=confirm]").click()
    page.wait_for_load_state()
    shot("3-confirmed")

    page.goto(f"{live_server.url}{prefix}/my/")
    expect(item.locator("[data-todo-count]")).to_have_text("1")
    assert_accessible(page)
    shot("4-home-after")

    # A count that links to an existing page: the payments to allocate
    page.locator("#todo-finance-unallocated a").first.click()
    assert "/staff/finance/payments/" in page.url
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_presidency_sees_only_its_own(
    browser: Browser, live_server: Any, transactional_db: None, settings: Any, width: int
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    meeting = _meeting()
    president = StateFactory(name_en="Presiding State")
    Presidency.objects.create(meeting=meeting, state=president)
    _add(2, meeting)
    user = make_user(Role.PRESIDENCY, president.iso3)
    context = signed_in_context(browser, live_server, user, settings, width)
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/my/")
    expect(page.locator("#todo-meetings-deadlines [data-todo-count]")).to_have_text("2")
    expect(page.locator("#todo-meetings-deadlines [data-todo-rows] li")).to_have_count(2)
    expect(page.locator("#todo-finance-overdue")).to_have_count(0)  # the ISU's, not its own
    expect(page.locator("#todo-meetings-letters")).to_have_count(1)
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / f"5-presidency-fr-{width}.png"), full_page=True)
    page.locator("#todo-meetings-work_plan a").first.click()
    expect(page.locator("#todo-rows li")).to_have_count(1)
    assert_accessible(page)
    context.close()
