"""The invitation batches list every State they could not reach, across all batches, with the
reason and a link to add an address (issue #26: 184 of 185 not sent and no list of them)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ccm.core.testing.permissions import assert_matrix
from ccm.participation import selectors, services
from ccm.participation.tests.test_participation import BASE, STAFF_ONLY
from ccm.participation.tests.test_participation import meeting as meeting  # noqa: F401  fixture
from ccm.registry.models import Contact, State

pytestmark = pytest.mark.django_db


def test_three_batches_list_the_failures_of_the_first_and_the_third(
    meeting: Any,  # noqa: F811
    personas: dict[str, Client],
) -> None:
    Contact.objects.filter(state_id__in=["NOR", "NZL"]).delete()
    for iso3 in ("CHL", "NOR", "FRA"):
        services.add_invitee(meeting, state=State.objects.get(pk=iso3), by=None)
    first = services.send_batch(meeting, base_url=BASE, by=None, size=1)
    assert (first.sent, first.without_address) == (1, 1)  # Norway has no address
    second = services.send_batch(meeting, base_url=BASE, by=None, size=1)
    assert (second.sent, second.without_address) == (1, 1)
    services.add_invitee(meeting, state=State.objects.get(pk="NZL"), by=None)  # invited later
    third = services.send_batch(meeting, base_url=BASE, by=None, size=1)
    assert (third.sent, third.without_address) == (0, 2)
    url = f"/staff/participation/{meeting.code}/invitations/"
    page = personas["staff"].get(url).content.decode()
    section = page[page.index('id="not-sent"') :].split("</section>")[0]
    for iso3 in ("NOR", "NZL"):
        assert f'id="not-sent-{iso3}"' in section
        assert f"/staff/contacts/add/?state={iso3}&amp;role=permanent_mission" in section
    assert section.count("no address on record: not sent") == 2
    assert "2 States not reached" in section
    assert "CHL" not in section and "FRA" not in section
    # An address added: the page says the next batch sends it, which it does
    Contact.objects.create(state_id="NOR", name="FP", role="national_focal_point",
                           email="fp@norway.example")  # fmt: skip
    assert dict((i.state_id, now) for i, now in selectors.unreached(meeting)) == {
        "NOR": True, "NZL": False,
    }  # fmt: skip
    page = personas["staff"].get(url).content.decode()
    assert "the next batch sends it" in page[page.index('id="not-sent-NOR"') :].split("</li>")[0]
    assert services.send_batch(meeting, base_url=BASE, by=None).sent == 1
    assert [i.state_id for i, _now in selectors.unreached(meeting)] == ["NZL"]
    # A revoked invitation is no longer one to reach
    services.revoke(meeting.invitations.get(state_id="NZL"), by=None)
    assert selectors.unreached(meeting) == []
    assert 'id="not-sent"' not in personas["staff"].get(url).content.decode()
    assert_matrix(personas, url, STAFF_ONLY)
