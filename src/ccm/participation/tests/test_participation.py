"""Invitations bound to the invitee, delegations registered through them, and the ISU's check
(issue #12)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

import ccm.meetings.tests.factories as factories
from ccm.core.models import AuditEvent, OutgoingEmail
from ccm.core.testing.files import PDF as TINY_PDF
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.meetings import services as meetings
from ccm.participation import rules, selectors, services
from ccm.participation.models import Delegation, Invitation, Organisation
from ccm.registry.models import Contact, State

pytestmark = pytest.mark.django_db
STAFF_ONLY: dict[str, int | str] = {
    "anonymous": LOGIN, "other_focal_point": 403, "focal_point": 403, "presidency": 403,
    "staff": 200,
}  # fmt: skip
PDF = TINY_PDF  # a real PDF: uploads are checked by structure (issue #32)
BASE = "http://testserver"


@pytest.fixture
def meeting(registry_reference: None, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    settings.CCM_BASE_URL = BASE
    meetings.load_meetings()
    opens = timezone.localdate() + timedelta(days=60)
    found = factories.coming_meeting("14MSP", opens=opens,
                                     notes_verbales_due=opens - timedelta(days=14))  # fmt: skip
    for iso3, email in (("CHL", "fp@chile.example"), ("FRA", "fp@france.example"),
                        ("USA", "mission@usa.example")):  # fmt: skip
        Contact.objects.create(state_id=iso3, name="Focal point", role="national_focal_point",
                               email=email)  # fmt: skip
    Organisation.objects.create(name="International Committee of the Red Cross", acronym="ICRC",
                                category="icrc", email="icrc@example.org")  # fmt: skip
    return found


def test_the_rules() -> None:
    assert [rules.state_category(s) for s in ("in_force", "deposited", "signatory", "not_signed",
                                              "withdrawn")] == [
        "party", "party", "signatory", "observer", "observer"]  # fmt: skip
    assert rules.registration_closes(date(2026, 8, 18), date(2026, 9, 4)) == date(2026, 8, 18)
    assert rules.registration_closes(None, date(2026, 9, 4)) == date(2026, 9, 3)
    assert rules.registration_closes(None, None) is None
    assert rules.may_register(date(2026, 8, 18), date(2026, 8, 18))
    assert not rules.may_register(date(2026, 8, 18), date(2026, 8, 19))
    today = date(2026, 1, 1)
    assert rules.link_refusal(revoked=True, expires_on=today, today=today, used=False) == "revoked"
    assert rules.link_refusal(revoked=False, expires_on=today - timedelta(1), today=today,
                              used=False) == "expired"  # fmt: skip
    assert rules.link_refusal(revoked=False, expires_on=today, today=today, used=True) == "used"
    assert rules.link_refusal(revoked=False, expires_on=today, today=today, used=False) is None
    stats = rules.statistics([("party", ["woman", "man"]), ("observer", ["unsaid"]),
                              ("icrc", ["woman"])])  # fmt: skip
    assert (stats.parties, stats.observers, stats.organisations, stats.persons) == (1, 1, 1, 4)
    assert stats.women_percent == 67  # 2 of the 3 who said


def test_invitees_by_category_once(meeting: Any) -> None:
    from ccm.registry.selectors import counts_on

    added = services.invite(meeting, categories={"party", "icrc"}, by=None)
    parties = counts_on(meeting.start_date).parties  # type: ignore[arg-type]
    assert added == parties + 1
    assert services.invite(meeting, categories={"party", "icrc"}, by=None) == 0  # twice: once
    assert Invitation.objects.get(state_id="FRA").language == "fr"
    assert Invitation.objects.get(state_id="FRA").category == "party"
    services.invite(meeting, categories={"observer"}, by=None)
    assert Invitation.objects.get(state_id="USA").category == "observer"
    with pytest.raises(services.Refused):
        services.add_invitee(meeting, state=State.objects.get(iso3="USA"), by=None)


def test_letters_are_sent_once_each_with_a_link_that_works_once(
    meeting: Any, client: Client
) -> None:
    services.invite(meeting, categories={"party", "icrc"}, by=None)
    first = services.send_batch(meeting, base_url=BASE, by=None, size=2)
    assert first.sent == 2
    while services.send_batch(meeting, base_url=BASE, by=None, size=50).sent:
        pass
    sent = OutgoingEmail.objects.filter(purpose="invitation")
    chile = Invitation.objects.get(state_id="CHL")
    france = Invitation.objects.get(state_id="FRA")
    assert sent.count() == 3  # Chile, France and the ICRC: the others have no address yet
    assert any("fp@chile.example" in e.to for e in sent)
    french = next(e for e in sent if "fp@france.example" in e.to)
    assert french.subject.startswith("Invitation") and french.attachments[0]["filename"].endswith(
        ".pdf"
    )
    again = services.send_batch(meeting, base_url=BASE, by=None)
    assert again.sent == 0 and sent.count() == 3  # sending twice never sends twice
    assert Invitation.objects.filter(sent_at=None).count() > 100  # waiting for an address
    token = services.link_token(chile)
    # GET shows what the link is for and uses nothing (a mail scanner may fetch it)
    assert client.get(f"/register/{token}/").status_code == 200
    assert client.get(f"/register/{token}/").status_code == 200
    opened = client.post(f"/register/{token}/")
    assert opened.status_code == 302 and opened["Location"].endswith("/register/")
    assert client.get("/register/").status_code == 200
    # The same link again, elsewhere: used
    other = Client()
    used = other.post(f"/register/{token}/")
    assert used.status_code == 410 and 'data-reason="used"' in used.content.decode()
    assert other.get("/register/").status_code == 403  # no session, no registration
    # Forged: a tampered signature, a made-up token, a guessed secret under a valid signature
    from django.core import signing

    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    guessed = signing.dumps({"i": france.pk, "s": "guess"}, salt=services.LINK_SALT)
    for bad in (forged, "nonsense", guessed):
        response = Client().post(f"/register/{bad}/")
        assert response.status_code == 403 and 'data-reason="forged"' in response.content.decode()
    # Expired
    Invitation.objects.filter(pk=france.pk).update(expires_on=date(2020, 1, 1))
    expired = Client().get(f"/register/{services.link_token(france)}/")
    assert expired.status_code == 410 and 'data-reason="expired"' in expired.content.decode()
    from ccm.participation.models import InvitationEvent

    assert InvitationEvent.objects.filter(invitation=chile, event="refused").exists()  # logged
    assert client.post(f"/register/{token}/")["Location"].endswith("/register/")  # own, again
    # A new link, to the invitation's own address: the old link and its session end
    asked = other.post("/register/new-link/", {"token": token})
    assert asked.status_code == 200
    renewed_mail = OutgoingEmail.objects.filter(purpose="invitation-link")
    assert [e.to for e in renewed_mail] == [["fp@chile.example"]]
    assert other.post("/register/new-link/", {"token": token}).status_code == 400  # not twice
    assert not services.reissue_link(token, base_url=BASE)  # a double click: the link is spent
    assert client.get("/register/").status_code == 403  # the old session ended with the old link
    chile.refresh_from_db()
    renewed = services.link_token(chile)
    assert Client().post(f"/register/{token}/").status_code == 403  # replaced: forged
    assert Client().post(f"/register/{renewed}/").status_code == 302
    # Revoked
    services.revoke(chile, by=None)
    revoked = Client().post(f"/register/{renewed}/")
    assert revoked.status_code == 403 and 'data-reason="revoked"' in revoked.content.decode()
    assert Client().post("/register/new-link/", {"token": renewed}).status_code == 400


def _members(n: int = 3) -> dict[str, str]:
    data = {"m-TOTAL_FORMS": str(n), "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "0",
            "m-MAX_NUM_FORMS": "60", "revision": "0"}  # fmt: skip
    roles = ["head", "alternate", "adviser"]
    for i in range(n):
        data.update({f"m-{i}-role": roles[min(i, 2)], f"m-{i}-name": f"Person {i}",
                     f"m-{i}-title": "Ambassador" if i == 0 else "Counsellor",
                     f"m-{i}-gender": "woman" if i % 2 == 0 else "man",
                     f"m-{i}-email": f"p{i}@example.org"})  # fmt: skip
    return data


def _opened(invitation: Invitation) -> Client:
    browser = Client()
    assert browser.post(f"/register/{services.link_token(invitation)}/").status_code == 302
    return browser


def test_a_delegation_registers_and_the_isu_confirms_it(
    meeting: Any, personas: dict[str, Client]
) -> None:
    services.invite(meeting, categories={"party", "observer"}, by=None)
    usa = Invitation.objects.get(state_id="USA")
    browser = _opened(usa)
    page = browser.get("/register/").content.decode()
    assert "m-0-role" in page and "United States" in page
    more = browser.post("/register/", {**_members(1), "m-0-name": "Typed Name", "more": "1"})
    assert more.status_code == 200 and "Typed Name" in more.content.decode()
    assert 'name="m-5-name"' in more.content.decode()  # five more rows, nothing saved
    assert not Delegation.objects.exists()
    no_head = {**_members(3), "m-0-role": "adviser"}
    refused = browser.post("/register/", no_head)
    assert refused.status_code == 400 and "one head of delegation" in refused.content.decode()
    fake = SimpleUploadedFile("nv.pdf", b"MZ not a pdf", content_type="application/pdf")
    assert browser.post("/register/", {**_members(3), "note_verbale": fake}).status_code == 400
    done = browser.post("/register/", {**_members(3), "note_verbale": SimpleUploadedFile(
        "nv.pdf", PDF, content_type="application/pdf")})  # fmt: skip
    assert done.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.status == "submitted" and delegation.note_verbale
    assert [m.role for m in delegation.members.all()] == ["head", "alternate", "adviser"]
    assert [s.iso3 for s in selectors.taking_part(meeting)] == ["USA"]  # shares the costs
    stale = browser.post("/register/", {**_members(2), "revision": "0"})
    assert stale.status_code == 409
    # The ISU checks it
    url = f"/staff/participation/delegation/{delegation.pk}/"
    assert_matrix(personas, url, STAFF_ONLY)
    assert_matrix(personas, "/staff/participation/14MSP/invitations/", STAFF_ONLY)
    assert_matrix(personas, "/staff/participation/14MSP/delegations/", STAFF_ONLY)
    assert_matrix(personas, f"/staff/participation/invitation/{usa.pk}/letter/", STAFF_ONLY)
    staff = personas["staff"]
    assert staff.post(url, {"action": "query", "query": "", "revision": "1"}).status_code == 400
    staff.post(url, {"action": "query", "query": "Please add the credentials.", "revision": "1"})
    assert "Please add the credentials." in browser.get("/register/").content.decode()
    staff.post(url, {"action": "confirm", "query": "", "revision": "2"})
    delegation.refresh_from_db()
    assert delegation.status == "confirmed"
    assert 'data-status="confirmed"' in browser.get("/register/").content.decode()
    listed = staff.get("/staff/participation/14MSP/delegations/").content.decode()
    assert "United States" in listed and "3 persons" in listed and "67% women" in listed
    # After the deadline the invitee cannot change it; staff still can
    factories.move_deadline(meeting, timezone.localdate() - timedelta(1))
    late = browser.post("/register/", {**_members(1), "revision": "3"})
    assert late.status_code == 200 and "Registration has closed" in late.content.decode()
    assert Delegation.objects.get().members.count() == 3
    services.save_delegation(usa, members=[{"role": "head", "name": "Late Head"}],
                             note_verbale=None, revision=3, by=None, staff=True)  # fmt: skip
    assert Delegation.objects.get().members.get().name == "Late Head"
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"delegation.submitted", "delegation.queried", "delegation.confirmed"} <= verbs


def test_registration_opens_only_through_a_link(meeting: Any, personas: dict[str, Client]) -> None:
    """Nobody reaches a registration without its link: not an account of any role, nor a
    forged id in the session's place."""
    everyone_refused: dict[str, int | str] = {p: 403 for p in (
        "anonymous", "other_focal_point", "focal_point", "presidency", "staff")}  # fmt: skip
    assert_matrix(personas, "/register/", everyone_refused)
    assert_matrix(personas, "/register/", everyone_refused, method="post",
                  data={"m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "revision": "0"})  # fmt: skip
    services.invite(meeting, categories={"party"}, by=None)
    chile = Invitation.objects.get(state_id="CHL")
    forged = Client()
    session = forged.session
    session[selectors.SESSION_KEY] = {"i": chile.pk, "s": "guessed"}
    session.save()
    assert forged.get("/register/").status_code == 403
    assert not Delegation.objects.exists()


def test_forged_ids_in_staff_forms(meeting: Any, personas: dict[str, Client]) -> None:
    services.invite(meeting, categories={"party"}, by=None)
    other = factories.meeting("13MSP")
    alien = services.add_invitee(other, state=State.objects.get(iso3="CHL"), by=None)
    staff = personas["staff"]
    url = "/staff/participation/14MSP/invitations/"
    assert staff.post(url, {"action": "revoke", "invitation": str(alien.pk)}).status_code == 404
    assert staff.post(url, {"action": "revoke", "invitation": "x"}).status_code == 404
    alien.refresh_from_db()
    assert alien.revoked_at is None
    assert staff.post(url, {"action": "burn"}).status_code == 404
    assert staff.get("/staff/participation/99MSP/invitations/").status_code == 404
    assert staff.get("/staff/participation/delegation/999/").status_code == 404
    page = staff.post(url, {"action": "invite", "categories": ["kings"]})
    assert page.status_code == 400


def test_what_the_review_found(meeting: Any, personas: dict[str, Client]) -> None:
    services.invite(meeting, categories={"party"}, by=None)
    chile = Invitation.objects.get(state_id="CHL")
    # Two members sharing the mission's address, saved twice: two badges, kept
    shared = [{"role": "head", "name": "A", "email": "mission@chile.example"},
              {"role": "adviser", "name": "B", "email": "mission@chile.example"}]  # fmt: skip
    first = services.save_delegation(chile, members=shared, note_verbale=None, revision=0,
                                     by=None)  # fmt: skip
    badges = sorted(first.members.values_list("badge", flat=True))
    again = services.save_delegation(chile, members=shared, note_verbale=None, revision=1,
                                     by=None)  # fmt: skip
    assert sorted(again.members.values_list("badge", flat=True)) == badges
    assert len(set(badges)) == 2
    # Registration closes on the registration deadline where there is one
    factories.add_deadline(meeting, "registration", meeting.start_date - timedelta(days=3))
    assert services.closes(meeting) == meeting.start_date - timedelta(days=3)
    # Staff change a delegation after the deadline, through its page; unknown actions refused
    factories.move_deadline(meeting, timezone.localdate() - timedelta(1))
    url = f"/staff/participation/delegation/{again.pk}/"
    staff = personas["staff"]
    assert staff.post(url, {"action": "whatever", "query": "x", "revision": "2"}).status_code == 400
    again.refresh_from_db()
    assert again.status == "submitted"
    rows = {"m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "0",
            "m-MAX_NUM_FORMS": "60", "m-0-role": "head", "m-0-name": "Late Head",
            "m-0-gender": "unsaid", "revision": "2", "action": "members"}  # fmt: skip
    assert staff.post(url, rows).status_code == 302
    assert [m.name for m in Delegation.objects.get().members.all()] == ["Late Head"]
    # No new link once registration has closed
    Invitation.objects.filter(pk=chile.pk).update(link_used_at=timezone.now())
    Contact.objects.create(state_id="CHL", name="Mission", role="permanent_mission",
                           email="mission@chile.example")  # fmt: skip
    assert not services.reissue_link(services.link_token(chile), base_url=BASE)
    # An invitee with no address is logged as such, not as sent
    services.send_batch(meeting, base_url=BASE, by=None, size=1)
    from ccm.participation.models import InvitationEvent

    assert InvitationEvent.objects.filter(event="no_address").exists()
    assert not InvitationEvent.objects.filter(event="sent", detail="").exists()


def test_letters_per_category_and_language(meeting: Any, personas: dict[str, Client]) -> None:
    from ccm.participation import letters

    services.invite(meeting, categories={"party", "observer", "icrc"}, by=None)
    link = "https://ccm.example/register/token/"
    france = letters.render_letter(Invitation.objects.get(state_id="FRA"), link)
    assert "J'ai l'honneur d'inviter votre Gouvernement à participer" in france.replace(
        "&#x27;", "'"
    )
    assert link in france
    usa = letters.render_letter(Invitation.objects.get(state_id="USA"), link)
    assert "as an observer" in usa and "Article 14" in usa  # States not party share the costs
    icrc = letters.render_letter(Invitation.objects.get(organisation__acronym="ICRC"), link,
                                 language="es")  # fmt: skip
    assert "invitar a su organización" in icrc and "párrafo 3 del artículo 11" in icrc
    # The log of each invitation is on the staff page
    services.send_batch(meeting, base_url=BASE, by=None, size=5)
    page = personas["staff"].get("/staff/participation/14MSP/invitations/").content.decode()
    assert "letter sent" in page and "no address on record" in page
    assert queries_of(personas["staff"]) <= 12


def queries_of(client: Client) -> int:
    from ccm.core.testing.queries import queries

    return queries(client, "/staff/participation/14MSP/invitations/")
