"""Issue #26 in a real browser, at 1280 and 390 px, in English and French, axe-core on every
page: ISU staff record a meeting and upload a document with its symbol, then see it on the
public page; the Presidency downloads its meeting's logo before and after uploading its
national logo. Screenshots in /tmp/i26-meetings/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from ccm.core.testing.browser import assert_accessible, needs_chromium, signed_in_context
from ccm.core.testing.files import PDF
from ccm.meetings import services
from ccm.meetings.models import Document, Meeting, Presidency
from ccm.meetings.tests.test_logo import FLAG

pytestmark = [pytest.mark.browser, needs_chromium]
SHOTS = Path("/tmp/i26-meetings")
JOURNEYS = [(1280, "en"), (390, "fr"), (1280, "fr"), (390, "en")]


def _fits(page: Page, what: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{what}: {overflow}px wider than the window"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("width", "language"), JOURNEYS)
def test_staff_record_a_meeting_upload_a_document_and_the_public_sees_it(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    settings: Any, tmp_path: Path, width: int, language: str,
) -> None:  # fmt: skip
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user

    settings.MEDIA_ROOT = tmp_path
    services.load_meetings()
    prefix = "" if language == "en" else f"/{language}"
    context = signed_in_context(browser, live_server, make_user(Role.ISU_STAFF), settings, width)
    page = context.new_page()
    page.goto(f"{live_server.url}{prefix}/my/")
    page.locator("a[href$='/staff/meetings/']").first.click()
    expect(page.locator("#staff-meetings")).to_contain_text("7MSP")
    assert_accessible(page)
    page.locator("a[href$='/staff/meetings/new/']").click()
    page.locator("#id_code").fill("14MSP")
    page.locator("#id_kind").select_option("MSP")
    page.locator("#id_number").fill("14")
    page.locator("#id_start_date").fill("2027-09-14")
    page.locator("#id_end_date").fill("2027-09-16")
    page.locator("#id_city").fill("Geneva")
    page.locator("#id_venue").fill("Palais des Nations")
    page.locator("#id_host").select_option("CHE")
    page.locator("#id_presidency_state").select_option("USA")  # not a State Party: refused
    page.locator("#id_deadline_registration").fill("2027-08-27")
    page.locator("#meeting-form button[type=submit]").click()
    said = {
        "en": "United States of America was not a State Party on 14 September 2027",
        "fr": "États-Unis n'était pas État partie au 14 septembre 2027",
    }[language]
    expect(page.locator("#meeting-form .alert-danger")).to_contain_text(said)
    assert not Meeting.objects.filter(code="14MSP").exists()
    assert_accessible(page)
    _fits(page, "refused meeting")
    _shot(page, f"staff-meeting-refused-{language}-{width}")
    page.locator("#id_presidency_state").select_option("AUT")
    page.locator("#meeting-form button[type=submit]").click()
    expect(page.locator("#meeting-doors")).to_be_visible()
    assert Presidency.objects.get(meeting__code="14MSP").state_id == "AUT"
    assert_accessible(page)
    _fits(page, "staff meeting page")
    _shot(page, f"staff-meeting-{language}-{width}")
    page.locator("#meeting-doors a[href$='/staff/meetings/14MSP/documents/']").click()
    page.locator("#document_symbol").fill("CCM/MSP/2027/1")
    page.locator("#document_title").fill("Provisional agenda")
    page.locator("#document_kind").select_option("agenda")
    page.locator("#document_issued_on").fill("2027-06-01")
    agenda = tmp_path / "agenda.pdf"
    agenda.write_bytes(PDF)
    page.locator("#document_file_en").set_input_files(str(agenda))
    page.locator("#document_file_fr").set_input_files(str(agenda))
    page.locator("form:has(input[value=document]) button[type=submit]").click()
    expect(page.locator("#staff-documents")).to_contain_text("CCM/MSP/2027/1")
    # the same symbol again is refused, and said
    page.locator("#document_symbol").fill("CCM/MSP/2027/1")
    page.locator("#document_title").fill("Again")
    page.locator("#document_file_en").set_input_files(str(agenda))
    page.locator("form:has(input[value=document]) button[type=submit]").click()
    expect(page.locator(".alert-danger").first).to_contain_text("CCM/MSP/2027/1")
    assert Document.objects.count() == 1
    assert_accessible(page)
    _fits(page, "documents")
    _shot(page, f"staff-documents-{language}-{width}")
    page.goto(f"{live_server.url}{prefix}/meetings/14MSP/")
    documents = page.locator("#documents")
    expect(documents).to_contain_text("CCM/MSP/2027/1")
    expect(documents).to_contain_text("Provisional agenda")
    expect(documents.locator("a[hreflang=fr]")).to_have_count(1)
    assert_accessible(page)
    _fits(page, "public meeting page")
    _shot(page, f"public-meeting-{language}-{width}")
    context.close()


@pytest.mark.parametrize(("width", "language"), JOURNEYS)
def test_the_presidency_downloads_its_logo_before_and_after_its_national_logo(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    settings: Any, tmp_path: Path, width: int, language: str,
) -> None:  # fmt: skip
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user

    settings.MEDIA_ROOT = tmp_path
    services.load_meetings()
    prefix = "" if language == "en" else f"/{language}"
    user = make_user(Role.PRESIDENCY, "LAO")
    context = signed_in_context(browser, live_server, user, settings, width)
    page = context.new_page()
    page.goto(f"{live_server.url}{prefix}/staff/meetings/3RC/desk/")
    page.locator("#desk-logo").click()
    expect(page.locator("#logo-state")).to_have_attribute("data-national", "no")
    page.wait_for_function(
        "[...document.querySelectorAll('#logo-previews img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )  # three previews drawn, not broken images
    assert_accessible(page)
    _fits(page, "logo page")
    _shot(page, f"logo-standard-{language}-{width}")
    for fmt, starts in (("svg", b"<svg"), ("png", b"\x89PNG"), ("pdf", b"%PDF")):
        link = page.locator(f"figure[data-language={language}] a[href*='logo.{fmt}']")
        with page.expect_download() as download:
            link.click()
        body = Path(download.value.path()).read_bytes()
        assert body.startswith(starts), fmt
        if fmt == "svg":
            assert b'class="national"' not in body and b'class="mark"' in body
    national = tmp_path / "lao.svg"
    national.write_bytes(FLAG)
    page.locator("#id_national_logo").set_input_files(str(national))
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("#logo-state")).to_have_attribute("data-national", "yes")
    page.wait_for_function(
        "[...document.querySelectorAll('#logo-previews img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    with page.expect_download() as download:
        page.locator(f"figure[data-language={language}] a[href*='logo.svg']").click()
    body = Path(download.value.path()).read_bytes()
    assert b'class="national"' in body and b"National logo" in body
    with page.expect_download() as download:
        page.locator(f"figure[data-language={language}] a[href*='logo.pdf']").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    assert_accessible(page)
    _fits(page, "logo page with the national logo")
    _shot(page, f"logo-national-{language}-{width}")
    context.close()
