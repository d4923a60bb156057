"""The contacts list says an account exists only once it is used (issue #24, item 5): an invitee
who has not chosen a password nor signed in is "invited on DATE", then "yes"."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import formats, timezone, translation

from ccm.accounts import services
from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.registry.tests import factories

pytestmark = pytest.mark.django_db


def _account_cell(client: Client, language: str, name: str) -> str:
    prefix = "" if language == "en" else f"/{language}"
    html = client.get(f"{prefix}/my/contacts/").content.decode()
    row = html.split(name, 1)[1].split("</tr>", 1)[0]
    return row.rsplit("<td>", 1)[1]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_invitee_is_invited_until_the_account_is_used(
    chile: Any, personas: dict[str, Client], language: str
) -> None:
    contact = factories.ContactFactory(state=chile, name="Ana Pérez", email="ana@minrel.cl")
    user = services.invite_focal_point(contact=contact, by=make_user(Role.ISU_STAFF))
    cell = _account_cell(personas["staff"], language, "Ana Pérez")
    with translation.override(language):
        day = formats.date_format(timezone.localdate(), "DATE_FORMAT")
        yes = translation.gettext("yes")
    assert day in cell and yes not in cell.split("<form")[0]
    if language == "en":
        assert "invited on" in cell
    # The invitee chose a password through the link: the account is theirs and in use.
    user.set_password("a long and good passphrase")
    user.save()
    cell = _account_cell(personas["staff"], language, "Ana Pérez")
    assert yes in cell.split("<form")[0] and day not in cell


def test_a_first_sign_in_also_makes_the_account_used(
    chile: Any, personas: dict[str, Client]
) -> None:
    contact = factories.ContactFactory(state=chile, name="Luis Soto", email="luis@minrel.cl")
    user = services.invite_focal_point(contact=contact, by=make_user(Role.ISU_STAFF))
    assert "invited on" in _account_cell(personas["staff"], "en", "Luis Soto")
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert "yes" in _account_cell(personas["staff"], "en", "Luis Soto").split("<form")[0]


def test_a_contact_without_an_account_says_nothing_and_can_be_invited(
    chile: Any, personas: dict[str, Client]
) -> None:
    factories.ContactFactory(state=chile, name="Eva Ruiz", email="eva@minrel.cl")
    cell = _account_cell(personas["staff"], "en", "Eva Ruiz")
    assert "invited" not in cell and "yes" not in cell.split("<form")[0] and "Invite" in cell
