"""A meeting's invitees that no invitation can reach for want of an address are listed on the
staff page of States without an address, from the rule sending follows (issue #26, item 2)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

import ccm.meetings.tests.factories as meeting_factories
from ccm.meetings import services as meetings
from ccm.participation import selectors as participation
from ccm.participation import services as invitations
from ccm.registry.models import Contact
from ccm.registry.selectors import states_parties_without_address

pytestmark = pytest.mark.django_db
BASE = "/staff/contacts/"


def test_a_meetings_invitees_without_an_address_come_from_the_rule_sending_follows(
    registry_reference: None, personas: dict[str, Client], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    meetings.load_meetings()
    opens = timezone.localdate() + timedelta(days=60)
    meeting = meeting_factories.coming_meeting(
        "14MSP", opens=opens, notes_verbales_due=opens - timedelta(days=14)
    )
    Contact.objects.create(state_id="CHL", name="FP", role="national_focal_point",
                           email="fp@chile.example")  # fmt: skip
    invitations.invite(meeting, categories={"party"}, by=None)
    waiting = participation.invitees_without_address(meeting)
    lacking = set(waiting.values_list("state_id", flat=True))
    parties = {s.iso3 for s in states_parties_without_address(timezone.localdate())}
    # The States Parties invited are today's: the two lists are the same States
    assert "CHL" not in lacking and "PER" in lacking and lacking == parties
    page = personas["staff"].get(f"{BASE}without-address/").content.decode()
    assert "14MSP" in page and "/staff/participation/14MSP/invitations/" in page
    assert f"{BASE}add/?state=PER" in page
    batch = invitations.send_batch(meeting, base_url="http://testserver", by=None, size=5)
    assert batch.without_address == len(lacking)
