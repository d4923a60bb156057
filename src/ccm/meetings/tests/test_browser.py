"""The 7th Meeting's public page in a real browser (issue #11): what, when, where, the
Presidency, the documents and the logo, at desktop and phone width, with axe-core."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Browser, expect

from ccm.core.testing.browser import assert_accessible, needs_chromium
from ccm.meetings import services
from ccm.meetings.models import Document, Meeting
from ccm.meetings.tests.test_logo import FLAG

pytestmark = [pytest.mark.browser, needs_chromium]


def test_the_7th_meetings_page_with_its_documents_and_logo(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    tmp_path: Path, settings: Any,
) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    services.load_meetings()
    seventh = Meeting.objects.get(code="7MSP")
    seventh.presidency.national_logo.save("de.svg", ContentFile(FLAG))
    Document.objects.create(meeting=seventh, symbol="CCM/MSP/2017/1", title="Provisional agenda",
                            kind="agenda", issued_on=date(2017, 6, 1))  # fmt: skip
    for width, height in ((1280, 900), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        page = context.new_page()
        page.goto(f"{live_server.url}/meetings/")
        page.get_by_role("link", name="7th Meeting of States Parties").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("7th Meeting of States Parties")
        expect(page.locator("#meeting-facts")).to_contain_text("Germany — Michael Biontino")
        expect(page.locator("#documents")).to_contain_text("CCM/MSP/2017/1")
        logo = page.locator("#meeting-logo img")
        expect(logo).to_be_visible()
        page.wait_for_function(
            "(() => { const i = document.querySelector('#meeting-logo img');"
            " return i.complete && i.naturalWidth > 0; })()"
        )  # the logo is drawn, not a broken image
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
            " > window.innerWidth + 1).map(e => e.tagName + '#' + e.id + '.' + e.className)"
            ".slice(0, 5).join(' ')"
        )
        assert overflow <= 1, f"{width}px: {overflow}px too wide: {wide}"
        assert_accessible(page)
        page.goto(f"{live_server.url}/meetings/")
        assert_accessible(page)
        page.screenshot(path=str(tmp_path / f"meetings-{width}.png"), full_page=True)
        context.close()


def test_the_presidency_adds_a_work_plan_item_and_marks_it_done(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    settings: Any,
) -> None:  # fmt: skip
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.core.testing.browser import signed_in_context
    from ccm.meetings.models import WorkPlanItem

    services.load_meetings()
    context = signed_in_context(browser, live_server, make_user(Role.PRESIDENCY, "LAO"), settings)
    page = context.new_page()
    page.goto(f"{live_server.url}/meetings/3RC/")  # the Presidency in office
    page.get_by_role("link", name="Work plan").click()
    page.get_by_label("Item", exact=True).fill("Démarches to States not party in South-East Asia")
    page.get_by_label("Theme", exact=True).fill("universalization")
    page.get_by_label("Owner", exact=True).select_option("presidency")
    page.get_by_label("Due on", exact=True).fill("2025-06-30")
    page.get_by_role("button", name="Add to the work plan").click()
    row = page.locator("#work-plan tbody tr").first
    expect(row).to_contain_text("Démarches to States not party")
    assert_accessible(page)
    row.get_by_label("Status").select_option("done")
    row.get_by_role("button", name="Set").click()
    expect(page.locator("#work-plan tbody tr").first).to_have_attribute("data-status", "done")
    assert WorkPlanItem.objects.get().status == "done"
    context.close()


def test_the_presidency_runs_its_succession_and_committee_from_its_desk(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    settings: Any, tmp_path: Path,
) -> None:  # fmt: skip
    """The Presidency opens the consultations on its successor, records a volunteer and the
    designation, records a coordination meeting and its attendance, and prints the progress
    report; the public then sees the designated State. Every page passes axe-core."""
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.core.testing.browser import signed_in_context
    from ccm.meetings.models import Attendance, Presidency

    settings.MEDIA_ROOT = tmp_path
    services.load_meetings()
    context = signed_in_context(browser, live_server, make_user(Role.PRESIDENCY, "LAO"), settings)
    page = context.new_page()
    page.goto(f"{live_server.url}/presidencies/3RC/")
    page.get_by_role("link", name="The Presidency's desk").click()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "desk.png"), full_page=True)
    page.get_by_label("Consultations open on").fill("2025-10-01")
    page.get_by_role(
        "button", name="Open the consultations on the next Meeting's Presidency"
    ).click()
    expect(page.locator("#succession-stage")).to_have_attribute("data-stage", "open")
    page.get_by_label("State", exact=True).first.select_option("PHL")
    page.get_by_label("Offered on").fill("2025-10-15")
    page.get_by_role("button", name="Record the offer").click()
    expect(page.locator("#volunteers")).to_contain_text("Philippines")
    expect(page.locator("#succession-stage")).to_have_attribute("data-stage", "volunteered")
    assert_accessible(page)
    designate = page.locator("form", has=page.get_by_role("button", name="Record the designation"))
    designate.get_by_label("State", exact=True).select_option("AUT")
    designate.get_by_label("Designated by").select_option("13MSP")
    designate.get_by_role("button", name="Record the designation").click()
    expect(page.locator("#succession-stage")).to_have_attribute("data-stage", "designated")
    assert Presidency.objects.get(meeting__code="14MSP").state_id == "AUT"
    page.goto(f"{live_server.url}/staff/meetings/3RC/coordination/")
    page.get_by_label("Date").fill("2026-03-12")  # in the term: after the 13th Meeting
    page.get_by_role("button", name="Record the meeting").click()
    page.get_by_label("States present").select_option(["PHL", "CHL"])
    page.get_by_label("States with apologies").select_option(["GBR"])
    page.get_by_role("button", name="Save the attendance").click()
    expect(page.locator("#apologies")).to_contain_text("United Kingdom")
    assert Attendance.objects.count() == 3
    assert_accessible(page)
    page.goto(f"{live_server.url}/staff/meetings/3RC/work-plan/report/?lang=fr")
    expect(page.locator("h1")).to_contain_text("Rapport sur l'avancement du plan de travail")
    context.close()


SHOTS = Path("/tmp/i25-presidency")


def test_the_logo_in_spanish_at_its_full_width_fits_in_chromium(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    tmp_path: Path, settings: Any,
) -> None:  # fmt: skip
    """Chromium, a renderer independent of WeasyPrint and PDFium, draws the Spanish logo at its
    full width (1200 px): every line's box lies inside the canvas, with its margins (issue
    #25); the meeting's page with the logo passes axe-core."""
    settings.MEDIA_ROOT = tmp_path
    services.load_meetings()
    seventh = Meeting.objects.get(code="7MSP")
    seventh.presidency.national_logo.save("de.svg", ContentFile(FLAG))
    Meeting.objects.create(
        code="17MSP", kind="MSP", number=17, start_date=date(2030, 9, 4),
        end_date=date(2030, 9, 6), city="Geneva", source="test",
        venue="Palais des Nations, Room XIX, Conference Services of the United Nations Office at "
        "Geneva and the Implementation Support Unit of the Convention",
    )  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    for code in ("7MSP", "17MSP"):
        page.goto(f"{live_server.url}/es/meetings/{code}/logo.svg")
        boxes = page.evaluate(
            "[...document.querySelectorAll('text')].map(t => { const b = t.getBBox();"
            " return [t.textContent, b.x, b.x + b.width]; })"
        )
        width = page.evaluate("document.documentElement.viewBox.baseVal.width")
        assert width == 1200 and boxes
        for text, left, right in boxes:
            assert left >= 30 and right <= width - 30, (text, left, right)
        shown = " ".join(b[0] for b in boxes)
        assert "Convención sobre Municiones en Racimo" in shown
        assert "Palacio de las Naciones, Sala XIX" in shown and "Ginebra" in shown
        # Chromium does not screenshot a bare SVG document: the same URL drawn in a page
        shot = context.new_page()
        url = f"{live_server.url}/es/meetings/{code}/logo.svg"
        shot.set_content(f'<body style="margin:0"><img alt="logo" src="{url}"></body>')
        shot.wait_for_function("document.images[0].complete && document.images[0].naturalWidth")
        assert shot.evaluate("document.images[0].naturalWidth") == 1200
        shot.locator("img").screenshot(path=str(SHOTS / f"logo-es-{code}.png"))
        shot.close()
    page.goto(f"{live_server.url}/es/meetings/7MSP/")
    page.wait_for_function(
        "(() => { const i = document.querySelector('#meeting-logo img');"
        " return i.complete && i.naturalWidth > 0; })()"
    )
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "meeting-7MSP-es.png"), full_page=True)
    context.close()
