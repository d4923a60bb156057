"""Registration in a real browser (issue #12): staff invite and send; the mission opens its link
on a phone, registers a delegation of three with its note verbale; staff confirm; axe-core on
the registration pages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from ccm.core.testing.browser import assert_accessible, needs_chromium
from ccm.core.testing.files import PDF as TINY_PDF

pytestmark = [pytest.mark.browser, needs_chromium]
SHOTS = Path("/tmp/i25-nv-demarches")  # screenshots to look at


def test_a_mission_registers_its_delegation_and_staff_confirm_it(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    settings: Any, tmp_path: Path,
) -> None:  # fmt: skip
    import ccm.meetings.tests.factories as factories
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.core.testing.browser import signed_in_context
    from ccm.meetings import services as meetings
    from ccm.participation import services
    from ccm.participation.models import Delegation, Invitation
    from ccm.registry.models import Contact

    settings.MEDIA_ROOT = tmp_path
    settings.CCM_BASE_URL = live_server.url
    meetings.load_meetings()
    opens = timezone.localdate() + timedelta(days=60)
    factories.coming_meeting("14MSP", opens=opens)
    Contact.objects.create(state_id="CHL", name="Focal point", role="national_focal_point",
                           email="fp@chile.example")  # fmt: skip
    staff = signed_in_context(browser, live_server, make_user(Role.ISU_STAFF), settings)
    page = staff.new_page()
    page.goto(f"{live_server.url}/staff/participation/14MSP/invitations/")
    page.get_by_label("States Parties", exact=True).check()
    page.get_by_role("button", name="Preview who will be invited").click()  # issue #25: a preview
    page.locator("#invite-preview button").click()  # first, then the invitations
    expect(page.locator("#invitation-counts")).to_contain_text("letters still to send")
    page.get_by_role("button", name="Send the next 20 letters").click()
    assert Invitation.objects.get(state_id="CHL").sent_at is not None
    assert_accessible(page)
    # The mission, on a phone, with the link from its letter
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="es-ES", bypass_csp=True
    )  # axe-core is injected
    mission = phone.new_page()
    token = services.link_token(Invitation.objects.get(state_id="CHL"))
    mission.goto(f"{live_server.url}/es/register/{token}/")
    assert_accessible(mission)
    mission.get_by_role("button").filter(has_text="registro").first.click()
    expect(mission.locator("#delegation-form")).to_be_visible()
    assert_accessible(mission)
    people = [("head", "Ana Pérez", "woman"), ("alternate", "Luis Soto", "man"),
              ("adviser", "Carla Díaz", "woman")]  # fmt: skip
    for i, (role, name, gender) in enumerate(people):
        mission.locator(f"#id_m-{i}-role").select_option(role)
        mission.locator(f"#id_m-{i}-name").fill(name)
        mission.locator(f"#id_m-{i}-gender").select_option(gender)
    note = tmp_path / "nota-verbal.pdf"
    note.write_bytes(TINY_PDF)  # a real PDF: uploads are checked by structure
    mission.locator("#id_note_verbale").set_input_files(str(note))
    mission.locator("#delegation-form button[name=save]").click()
    expect(mission.locator("#delegation-status")).to_have_attribute("data-status", "submitted")
    expect(mission.locator("#members")).to_contain_text("Ana Pérez")
    overflow = mission.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    mission.screenshot(path=str(tmp_path / "registration-es.png"), full_page=True)
    # Staff confirm; the list shows it
    delegation = Delegation.objects.get()
    page.goto(f"{live_server.url}/staff/participation/delegation/{delegation.pk}/")
    page.get_by_role("button", name="Confirm the delegation").click()
    expect(page.locator("#delegation-status")).to_have_attribute("data-status", "confirmed")
    page.goto(f"{live_server.url}/staff/participation/14MSP/delegations/")
    expect(page.locator("#delegations")).to_contain_text("Ana Pérez")
    expect(page.locator("#statistics")).to_contain_text("3 persons")
    assert_accessible(page)
    page.goto(f"{live_server.url}/staff/participation/14MSP/participants/?final=1")
    expect(page.locator("main")).to_contain_text("Ana Pérez")
    assert_accessible(page)
    mission.reload()
    expect(mission.locator("#delegation-status")).to_have_attribute("data-status", "confirmed")
    phone.close()
    staff.close()


def test_staff_invite_a_subregion_to_a_seminar_and_read_its_letter(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    settings: Any, tmp_path: Path,
) -> None:  # fmt: skip
    """Issue #25: staff choose a sub-region, preview who will be invited, invite them, and read
    an invitation letter to the seminar: no article cited, no one "as an observer"."""
    import ccm.meetings.tests.factories as factories
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.core.testing.browser import signed_in_context
    from ccm.participation.models import Invitation
    from ccm.registry.models import State

    settings.MEDIA_ROOT = tmp_path
    settings.CCM_BASE_URL = live_server.url
    title = "Regional Seminar on Cluster Munitions in South-East Asia: country coalitions"
    factories.informal_meeting("REG-SEA-2030", opens=timezone.localdate() + timedelta(days=60),
                               title=title, sponsor="the European Union")  # fmt: skip
    shots = Path("/tmp/i25-meet-kinds")
    shots.mkdir(parents=True, exist_ok=True)
    staff = signed_in_context(browser, live_server, make_user(Role.ISU_STAFF), settings)
    page = staff.new_page()
    page.goto(f"{live_server.url}/staff/participation/REG-SEA-2030/invitations/")
    expect(page.locator("h1")).to_contain_text(title)
    page.get_by_label("States of the sub-regions").select_option("South-eastern Asia")
    page.get_by_role("button", name="Preview who will be invited").click()
    preview = page.locator("#invite-preview")
    expect(preview).to_contain_text("Thailand")
    expect(page.locator("#letter-kind")).to_contain_text("the letters cite no article")
    assert not Invitation.objects.exists()  # nothing before the confirmation
    assert_accessible(page)
    page.screenshot(path=str(shots / "invite-preview.png"), full_page=True)
    preview.get_by_role("button").click()
    expect(page.locator("#invitation-counts")).to_contain_text("letters still to send")
    there = State.objects.filter(subregion="South-eastern Asia")
    region = set(there.values_list("iso3", flat=True))
    assert set(Invitation.objects.values_list("state_id", flat=True)) == region
    assert_accessible(page)
    # The letter to Thailand (not party), as the invitee will read it
    thailand = Invitation.objects.get(state_id="THA")
    page.locator(f'tr[data-invitation="{thailand.pk}"] a').filter(has_text="HTML").click()
    body = page.locator("body")
    expect(body).to_contain_text("I have the honour to invite your Government to take part in "
                                 f"the {title}")  # fmt: skip
    text = body.inner_text()
    for word in ("Article", "observer", "Art. 14", "costs"):
        assert word not in text, word
    page.screenshot(path=str(shots / "invite-letter.png"), full_page=True)
    staff.close()


def test_staff_enter_a_delegation_from_a_note_verbale(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    settings: Any, tmp_path: Path,
) -> None:  # fmt: skip
    """Issue #25: the note verbale came by e-mail; staff choose the State, upload the note (a
    scanned image), enter the members, save, see its source, and confirm it."""
    import io

    from PIL import Image

    import ccm.meetings.tests.factories as factories
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.core.testing.browser import signed_in_context
    from ccm.meetings import services as meetings
    from ccm.participation import services
    from ccm.participation.models import Delegation

    settings.MEDIA_ROOT = tmp_path
    settings.CCM_BASE_URL = live_server.url
    meetings.load_meetings()
    meeting = factories.coming_meeting("14MSP", opens=timezone.localdate() + timedelta(days=60))
    services.invite(meeting, categories={"party"}, by=None)
    SHOTS.mkdir(parents=True, exist_ok=True)
    staff = signed_in_context(browser, live_server, make_user(Role.ISU_STAFF), settings)
    page = staff.new_page()
    page.goto(f"{live_server.url}/staff/participation/14MSP/delegations/")
    page.locator("#enter-note-verbale").click()
    page.get_by_label("The State whose note verbale it is").select_option("CHL")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#note-verbale-form")).to_be_visible()
    assert_accessible(page)
    scan = io.BytesIO()
    Image.new("RGB", (300, 420), "white").save(scan, format="PNG")
    note = tmp_path / "note-verbale-chile.png"
    note.write_bytes(scan.getvalue())
    page.locator("#id_note_verbale").set_input_files(str(note))
    received = timezone.localdate() - timedelta(days=1)
    page.locator("#id_received_on").fill(received.isoformat())
    people = [("head", "Ana Pérez", "woman"), ("alternate", "Luis Soto", "man"),
              ("adviser", "Carla Díaz", "woman")]  # fmt: skip
    for i, (role, name, gender) in enumerate(people):
        page.locator(f"#id_m-{i}-role").select_option(role)
        page.locator(f"#id_m-{i}-name").fill(name)
        page.locator(f"#id_m-{i}-gender").select_option(gender)
    page.screenshot(path=str(SHOTS / "note-verbale-entry.png"), full_page=True)
    page.get_by_role("button", name="Save the delegation from the note verbale").click()
    expect(page.locator("#delegation-status")).to_have_attribute("data-status", "submitted")
    expect(page.locator("#delegation-source")).to_have_attribute("data-source", "note")
    expect(page.locator("#delegation-source")).to_contain_text("note verbale received on")
    expect(page.locator("#members")).to_contain_text("Ana Pérez")
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "note-verbale-saved.png"), full_page=True)
    page.get_by_role("button", name="Confirm the delegation").click()
    expect(page.locator("#delegation-status")).to_have_attribute("data-status", "confirmed")
    found = Delegation.objects.get()
    assert (found.source, found.note_received_on) == ("note", received)
    assert found.note_verbale.name.endswith(".png")
    staff.close()
