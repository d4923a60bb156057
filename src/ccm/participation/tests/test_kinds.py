"""Invitations by the kind of meeting (issue #25): by region, sub-region and a chosen list of
States, previewed before anything is written; an informal meeting's letter cites no article,
invites no one "as an observer" and says nothing of Art. 14 costs; its registrations feed no
Art. 14 payer set."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

import ccm.meetings.tests.factories as factories
from ccm.core.models import AuditEvent
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.meetings import services as meetings
from ccm.participation import letters, selectors, services
from ccm.participation.models import Invitation, Organisation
from ccm.registry.models import State

pytestmark = pytest.mark.django_db
STAFF_ONLY: dict[str, int | str] = {
    "anonymous": LOGIN, "other_focal_point": 403, "focal_point": 403, "presidency": 403,
    "staff": 200,
}  # fmt: skip
TITLE = "Regional Seminar on Cluster Munitions in South-East Asia: country coalitions"
SEA = "South-eastern Asia"
LINK = "https://ccm.example/register/token/"
# Any citation of an article, an observer's status or cost sharing, in en/fr/es
CITES = re.compile(r"\b(art\.|article|artículo|articulo|observ\w*|costs?|coûts?|costos?|gastos)\b",
                   re.IGNORECASE)  # fmt: skip


@pytest.fixture
def seminar(registry_reference: None, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    settings.CCM_BASE_URL = "http://testserver"
    meetings.load_meetings()
    opens = timezone.localdate() + timedelta(days=60)
    Organisation.objects.create(name="International Committee of the Red Cross", acronym="ICRC",
                                category="icrc", email="icrc@example.org")  # fmt: skip
    return factories.informal_meeting("REG-SEA-2030", opens=opens, title=TITLE,
                                      sponsor="the European Union")  # fmt: skip


def sea() -> set[str]:
    return set(State.objects.filter(subregion=SEA).values_list("iso3", flat=True))


def test_invite_by_subregion_region_and_list(seminar: Any) -> None:
    assert {"THA", "KHM", "LAO", "VNM"} <= sea()
    preview = services.plan(seminar, services.Selection.of(subregions={SEA}))
    assert {i.state.iso3 for i in preview.new} == sea() and not preview.already  # type: ignore[union-attr]
    assert not Invitation.objects.exists()  # a preview writes nothing
    # Every standing in the sub-region: parties (LAO), signatories and States not party (THA)
    assert {i.category for i in preview.new} >= {"party", "observer"}
    assert services.invite(seminar, subregions={SEA}, by=None, seen=preview.seen) == len(sea())
    # A region with a standing: only the States Parties of Oceania; a list adds whoever it names
    oceania = services.plan(seminar, services.Selection.of(
        categories={"party"}, regions={"Oceania"}, states=["JPN", "THA"]))  # fmt: skip
    names = {i.state.iso3 for i in oceania.new}  # type: ignore[union-attr]
    assert {"AUS", "NZL", "JPN"} <= names and "THA" not in names  # THA already invited
    assert [i.state.iso3 for i in oceania.already] == ["THA"]  # type: ignore[union-attr]
    assert all(i.category == "party" for i in oceania.new if i.state.iso3 != "JPN")  # type: ignore[union-attr]
    assert "PNG" not in names  # Papua New Guinea is not a State Party
    # A list only, with an organisation by category
    listed = services.plan(seminar, services.Selection.of(categories={"icrc"}, states=["JPN"]))
    assert [i.name for i in listed.new] == ["Japan", "International Committee of the Red Cross"]
    assert AuditEvent.objects.filter(verb="invitations.created").count() == 1
    assert SEA in AuditEvent.objects.get(verb="invitations.created").summary


def test_a_selection_empty_unknown_forged_or_stale_is_refused(seminar: Any) -> None:
    with pytest.raises(services.Refused):
        services.invite(seminar, by=None)
    with pytest.raises(ValueError, match="Atlantis"):
        services.invite(seminar, regions={"Atlantis"}, by=None)
    with pytest.raises(ValueError, match="Westeros"):
        services.invite(seminar, subregions={"Westeros"}, by=None)
    with pytest.raises(ValueError, match="XXX"):
        services.invite(seminar, states=["THA", "XXX"], by=None)
    with pytest.raises(services.ConflictError):
        services.invite(seminar, subregions={SEA}, by=None, seen="0123456789abcdef")
    assert not Invitation.objects.exists()


def test_staff_preview_then_invite_through_the_page(
    seminar: Any, personas: dict[str, Client]
) -> None:
    url = "/staff/participation/REG-SEA-2030/invitations/"
    chosen = {"action": "preview", "subregions": [SEA], "states": ["AUS"]}
    assert_matrix(personas, url, STAFF_ONLY, method="post", data=chosen)
    assert not Invitation.objects.exists()  # nobody's preview wrote anything
    staff = personas["staff"]
    page = staff.post(url, chosen)
    html = page.content.decode()
    assert page.status_code == 200 and 'id="invite-preview"' in html
    assert f"{len(sea()) + 1} new invitees" in html and 'data-invitee="AUS"' in html
    assert 'data-formal="no"' in html and "the letters cite no article" in html
    seen = re.search(r'name="seen" value="([0-9a-f]{16})"', html)
    assert seen is not None
    # "Invite" without the preview's fingerprint only shows the preview
    assert staff.post(url, {**chosen, "action": "invite"}).status_code == 200
    assert not Invitation.objects.exists()
    # A fingerprint from another list: refused, nothing written, the new preview shown
    stale = staff.post(url, {**chosen, "action": "invite", "seen": "0123456789abcdef"})
    assert stale.status_code == 409 and "nothing was done" in stale.content.decode()
    assert not Invitation.objects.exists()
    done = staff.post(url, {**chosen, "action": "invite", "seen": seen.group(1)})
    assert done.status_code == 302
    assert set(Invitation.objects.values_list("state_id", flat=True)) == sea() | {"AUS"}
    # Refused selections: empty, an unknown region, a forged State id
    for data in ({"action": "preview"}, {"action": "preview", "regions": ["Atlantis"]},
                 {"action": "preview", "states": ["XXX"]},
                 {"action": "invite", "states": ["XXX"], "seen": seen.group(1)},
                 {"action": "preview", "subregions": ["Westeros"]}):  # fmt: skip
        refused = staff.post(url, data)
        assert refused.status_code == 400, data
    # The preview's cost does not grow with the States it lists (Africa: 50-odd, Asia and
    # Europe: 100-odd)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    costs = []
    for regions in (["Oceania"], ["Africa", "Asia", "Europe"]):
        with CaptureQueriesContext(connection) as ctx:
            assert staff.post(url, {"action": "preview", "regions": regions}).status_code == 200
        costs.append(len(ctx))
    assert costs[0] == costs[1] <= 16, costs
    assert "Choose a category, a region, a sub-region or States" in staff.post(
        url, {"action": "preview"}).content.decode()  # fmt: skip
    assert Invitation.objects.count() == len(sea()) + 1


def test_an_informal_meetings_letters_cite_no_article(
    seminar: Any, personas: dict[str, Client]
) -> None:
    services.invite(seminar, categories={"icrc"}, states=["LAO", "THA", "USA"], by=None)
    # Laos a State Party, Thailand and the United States not party: the same letter for all
    for invitation in Invitation.objects.all():
        for language in ("en", "fr", "es"):
            html = letters.render_letter(invitation, LINK, language=language)
            body = html[html.index("<body") :]
            found = CITES.findall(body)
            assert not found, (invitation.invitee_name, language, found)
            assert TITLE in body and LINK in body
        english = letters.render_letter(invitation, LINK, language="en")
        assert "I have the honour to invite your" in english
        assert "organised or sponsored by: the European Union" in english
    laos = Invitation.objects.get(state_id="LAO")
    assert "J'ai l'honneur d'inviter votre Gouvernement à participer" in letters.render_letter(
        laos, LINK, language="fr").replace("&#x27;", "'")  # fmt: skip
    assert "Tengo el honor de invitar a su Gobierno" in letters.render_letter(
        laos, LINK, language="es")  # fmt: skip
    # The staff preview of a letter, as HTML in the browser or as PDF: staff only
    url = f"/staff/participation/invitation/{laos.pk}/letter/"
    assert_matrix(personas, url + "?format=html", STAFF_ONLY)
    assert_matrix(personas, url, STAFF_ONLY)
    assert personas["staff"].get(url + "?format=docx").status_code == 404
    assert TITLE in personas["staff"].get(url + "?format=html").content.decode()


def test_a_formal_meetings_letters_keep_their_citations(seminar: Any) -> None:
    opens = timezone.localdate() + timedelta(days=60)
    formal = factories.coming_meeting("14MSP", opens=opens)
    services.invite(formal, categories={"icrc"}, states=["LAO", "USA", "THA"], by=None)
    usa = Invitation.objects.get(meeting=formal, state_id="USA")
    english = letters.render_letter(usa, LINK, language="en")
    assert "In accordance with Article 11" in english and "as an observer" in english
    assert "Article 14" in english
    french = letters.render_letter(usa, LINK, language="fr").replace("&#x27;", "'")
    assert "l'article 11" in french and "observateur" in french and "l'article 14" in french
    spanish = letters.render_letter(usa, LINK, language="es")
    assert "artículo 11" in spanish and "observador" in spanish
    icrc = Invitation.objects.get(meeting=formal, organisation__acronym="ICRC")
    assert "Article 11(3)" in letters.render_letter(icrc, LINK, language="en")
    assert "as an observer" not in letters.render_letter(
        Invitation.objects.get(meeting=formal, state_id="LAO"), LINK, language="en")  # fmt: skip


def test_an_informal_meetings_registrations_feed_no_payer_set(
    seminar: Any, personas: dict[str, Client]
) -> None:
    opens = timezone.localdate() + timedelta(days=60)
    formal = factories.coming_meeting("14MSP", opens=opens)
    for meeting in (seminar, formal):
        services.invite(meeting, states=["USA", "LAO"], by=None)
        for iso3 in ("USA", "LAO"):
            services.save_delegation(
                Invitation.objects.get(meeting=meeting, state_id=iso3),
                members=[{"role": "head", "name": f"Head {iso3}"}], note_verbale=None,
                revision=0, by=None,
            )  # fmt: skip
    assert [s.iso3 for s in selectors.taking_part(formal)] == ["USA"]  # shares the costs
    assert selectors.taking_part(seminar) == []  # a seminar's costs are not shared
    staff = personas["staff"]
    page = staff.get("/staff/participation/REG-SEA-2030/delegations/").content.decode()
    assert 'id="no-cost-sharing"' in page and 'id="taking-part"' not in page
    formal_page = staff.get("/staff/participation/14MSP/delegations/").content.decode()
    assert 'id="taking-part"' in formal_page and 'id="no-cost-sharing"' not in formal_page


def test_the_title_on_the_list_of_participants_and_the_badges(
    seminar: Any, personas: dict[str, Client], monkeypatch: Any
) -> None:
    from ccm.participation import outputs

    services.invite(seminar, states=["LAO"], by=None)
    services.save_delegation(Invitation.objects.get(state_id="LAO"),
                             members=[{"role": "head", "name": "Head LAO"}], note_verbale=None,
                             revision=0, by=None)  # fmt: skip
    page = personas["staff"].get("/staff/participation/REG-SEA-2030/participants/")
    assert TITLE in page.content.decode() and "Head LAO" in page.content.decode()
    monkeypatch.setattr(outputs, "html_to_pdf", lambda html: html.encode())  # the HTML printed
    badges = outputs.badges_pdf(seminar, base_url="http://testserver").decode()
    assert f"<title>{TITLE}</title>" in badges and "Head LAO" in badges
    listing = outputs.list_pdf(seminar, final=False, language="fr").decode()
    assert f"<strong>{TITLE}</strong>" in listing
