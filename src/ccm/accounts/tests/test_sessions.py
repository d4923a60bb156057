"""Sessions end after a time without activity, per role, and after an absolute lifetime (issue
#32, ASVS 3.3.2)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from ccm.accounts import middleware
from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db
START = timezone.make_aware(datetime(2026, 3, 2, 9, 0))


def signed_in(role: str, *states: str) -> Client:
    client = Client()
    client.force_login(make_user(role, *states))
    return client


def still_signed_in(client: Client) -> bool:
    response = client.get("/my/")
    return response.status_code == 200


@pytest.mark.parametrize(
    ("role", "states", "minutes"),
    [
        (Role.ISU_STAFF, (), 30),
        (Role.PRESIDENCY, (), 30),
        (Role.FOCAL_POINT, ("CHL",), 120),
    ],
)
def test_a_session_ends_after_the_idle_time_of_the_persons_role(
    role: str, states: tuple[str, ...], minutes: int, chile
) -> None:  # type: ignore[no-untyped-def]
    assert settings.CCM_SESSION_IDLE_STAFF_MINUTES == 30
    assert settings.CCM_SESSION_IDLE_FOCAL_POINT_MINUTES == 120
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(role, *states)
        traveller.shift(timedelta(minutes=minutes - 1))
        assert still_signed_in(client)
        traveller.shift(timedelta(minutes=minutes + 1))
        response = client.get("/my/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/?next=/my/")
    assert f"You were signed out after {minutes} minutes without activity." in (
        response.content.decode()
    )
    assert not still_signed_in(client)


def test_the_message_is_translated_into_the_language_of_the_page(
    chile, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Its msgid joins the catalogues at the next makemessages: the test shows the language
    active when the sentence is translated, which is the page's."""

    def marked(singular: str, plural: str, n: int) -> str:
        return f"[{translation.get_language()}] " + (singular if n == 1 else plural)

    monkeypatch.setattr(middleware, "ngettext", marked)
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(Role.FOCAL_POINT, "CHL")
        traveller.shift(timedelta(hours=3))
        response = client.get("/es/my/", follow=True)
    assert response.redirect_chain[0][0].startswith("/es/accounts/login/")
    assert "[es] You were signed out after 120 minutes" in response.content.decode()


def test_activity_keeps_a_session_open_but_not_past_its_lifetime(chile) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(Role.FOCAL_POINT, "CHL")
        for _step in range(11):  # a request every hour: never idle
            traveller.shift(timedelta(hours=1))
            assert still_signed_in(client)
        traveller.shift(timedelta(hours=1, seconds=1))  # 12 hours and a second after signing in
        response = client.get("/my/", follow=True)
    assert "a session lasts at most 12 hours" in response.content.decode()
    assert not still_signed_in(client)


def test_the_cookie_lives_no_longer_than_the_session() -> None:
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_an_expired_htmx_request_sends_the_whole_page_to_sign_in(chile) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(Role.ISU_STAFF)
        traveller.shift(timedelta(minutes=31))
        response = client.get(
            "/my/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/staff/x/?a=1"
        )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=/staff/x/?a=1"
    assert not still_signed_in(client)


def test_anonymous_visitors_get_no_session(db) -> None:  # type: ignore[no-untyped-def]
    """The public pages' cache keeps only answers that set no cookie."""
    response = Client().get("/states/")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
