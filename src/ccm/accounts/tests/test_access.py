"""The access helper of contacts: a State's contacts for the ISU, the Presidency and that
State's focal points, with two-factor set up; nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from ccm.accounts.models import Role
from ccm.accounts.selectors import contacts_for_user
from ccm.accounts.tests.factories import make_user
from ccm.registry.tests import factories

pytestmark = pytest.mark.django_db


def test_contacts_are_read_only_by_those_who_may(chile, peru) -> None:  # type: ignore[no-untyped-def]
    person = factories.ContactFactory(state=chile)
    factories.ContactFactory(state=chile, active=False)
    for user in (
        make_user(Role.FOCAL_POINT, "CHL"),
        make_user(Role.PRESIDENCY),
        make_user(Role.ISU_STAFF),
    ):
        assert list(contacts_for_user(user, "CHL") or []) == [person]
    refused: list[Any] = [
        AnonymousUser(),
        make_user(Role.FOCAL_POINT, "PER"),
        make_user(Role.FOCAL_POINT, "CHL", two_factor=False),
        make_user(None),
    ]
    for user in refused:
        assert contacts_for_user(user, "CHL") is None
    # A code the user forged (another State, or none) gives nothing either.
    assert contacts_for_user(make_user(Role.FOCAL_POINT, "CHL"), "PER") is None


def test_one_contact_by_id_and_the_contact_list_follow_the_same_rule(chile, peru) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from ccm.accounts.selectors import contact_for_user, contact_list_for_user

    chilean = factories.ContactFactory(state=chile)
    peruvian = factories.ContactFactory(state=peru)
    focal = make_user(Role.FOCAL_POINT, "CHL")
    assert contact_for_user(focal, chilean.pk) == chilean
    for forged in (peruvian.pk, peruvian.pk + 1000):
        with pytest.raises(Http404):
            contact_for_user(focal, forged)
    assert list(contact_list_for_user(focal)) == [chilean]
    assert list(contact_list_for_user(focal, "PER")) == []  # a forged filter shows nothing
    assert set(contact_list_for_user(make_user(Role.PRESIDENCY))) == {chilean, peruvian}
    with pytest.raises(PermissionDenied):
        contact_list_for_user(make_user(None))


def test_a_focal_point_corrects_their_own_contact_details_and_no_one_elses(
    chile: Any, peru: Any
) -> None:
    from django.test import Client

    from ccm.core.models import AuditEvent

    user = make_user(Role.FOCAL_POINT, "CHL")
    mine = factories.ContactFactory(state=chile, user=user, email=user.email, name="Old")
    theirs = factories.ContactFactory(state=chile, name="Colleague")
    client = Client()
    client.force_login(user)
    workspace = client.get("/my/reports/CHL/").content.decode()
    assert f"/my/contacts/{mine.pk}/mine/" in workspace and "My contact details" in workspace
    url = f"/my/contacts/{mine.pk}/mine/"
    data = {
        "name": "New Name",
        "title": "",
        "organisation": "MFA",
        "phone": "+56 2 1",
        "language": "es",
        "email": "evil@example.org",
        "next": "https://evil.example/",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == "/my/"  # no open redirect
    mine.refresh_from_db()
    assert (mine.name, mine.organisation, mine.email) == ("New Name", "MFA", user.email)
    assert AuditEvent.objects.filter(verb="contact.updated_by_self").exists()
    assert mine.history.latest().history_change_reason == "corrected by the focal point"
    # Someone else's record, a forged id, another person, a missing name.
    assert client.post(f"/my/contacts/{theirs.pk}/mine/", data).status_code == 404
    assert client.get(f"/my/contacts/{theirs.pk + 999}/mine/").status_code == 404
    other = Client()
    other.force_login(make_user(Role.ISU_STAFF))
    assert other.get(url).status_code == 404  # staff correct contacts in the admin
    assert client.post(url, {**data, "name": ""}).status_code == 400
    assert Client().get(url).status_code == 302  # anonymous: to the sign-in page
