"""Sign-in throttling slows a guesser without locking the owner out; the address counted is the
connection's unless the site sits behind a proxy (issue #32)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from ccm.accounts import throttle
from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.models import AuditEvent
from ccm.core.testing.totp import current_code

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
WAITING = "Too many failed sign-ins for this account"


def attempt(client: Client, email: str, password: str, **headers: str) -> str:
    """Posts the sign-in form; where it leads (a redirect) or the page's text."""
    response = client.post("/accounts/login/", {"login": email, "password": password}, **headers)
    if response.status_code == 302:
        return "redirect:" + response["Location"]
    return response.content.decode()


def owner_with_app() -> tuple[User, str]:
    user = make_user(Role.FOCAL_POINT, two_factor=False)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def sign_in_fully(client: Client, user: User, secret: str) -> None:
    assert attempt(client, user.email, PASSWORD) == "redirect:/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert throttle.BROWSER_COOKIE in client.cookies


def passwords_checked() -> int:
    return AuditEvent.objects.filter(verb="auth.login_failed").count()


def test_the_wait_doubles_after_five_failures_up_to_fifteen_minutes() -> None:
    waits = [throttle.wait_after(n) for n in range(1, 12)]
    assert waits == [0, 0, 0, 0, 60, 120, 240, 480, 900, 900, 900]
    assert throttle.wait_after(10**6) == 900


def test_a_guesser_who_knows_the_address_cannot_keep_the_owner_out(db) -> None:  # type: ignore[no-untyped-def]
    user, secret = owner_with_app()
    owners_browser = Client(REMOTE_ADDR=OWNER)
    sign_in_fully(owners_browser, user, secret)
    owners_browser.post("/accounts/logout/")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for i in range(8):
        attempt(attacker, user.email, f"guess {i}")
    assert passwords_checked() == 5  # then the account waits
    # A new browser, even with the right password, waits too, and is shown the way round...
    page = attempt(Client(REMOTE_ADDR=OWNER), user.email, PASSWORD)
    assert WAITING in page and 'href="/accounts/password/reset/"' in page
    # ...but the owner's own browser goes on to the second factor.
    assert attempt(owners_browser, user.email, PASSWORD) == "redirect:/accounts/2fa/authenticate/"


def test_the_guesser_is_slowed_more_with_each_failure(db) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ISU_STAFF)
    attacker = Client(REMOTE_ADDR=ATTACKER)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for i in range(5):
            assert WAITING not in attempt(attacker, user.email, f"guess {i}")
        page = attempt(attacker, user.email, "guess 5")
        assert "Try again in 1 minute" in page
        traveller.shift(timedelta(seconds=61))
        assert WAITING not in attempt(attacker, user.email, "guess 6")  # checked, and wrong
        assert "Try again in 2 minutes" in attempt(attacker, user.email, "guess 7")
        traveller.shift(timedelta(seconds=61))
        assert WAITING in attempt(attacker, user.email, "guess 8")  # still waiting
        traveller.shift(timedelta(seconds=60))
        assert WAITING not in attempt(attacker, user.email, "guess 9")
        assert "Try again in 4 minutes" in attempt(attacker, user.email, "guess 10")
    assert passwords_checked() == 7


def test_a_wrong_password_and_then_the_right_one_starts_the_count_again(db) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ISU_STAFF)
    client = Client(REMOTE_ADDR=OWNER)
    for i in range(4):
        attempt(client, user.email, f"typo {i}")
    assert attempt(client, user.email, PASSWORD).startswith("redirect:")
    for i in range(4):
        assert WAITING not in attempt(Client(REMOTE_ADDR=ATTACKER), user.email, f"guess {i}")


def test_the_reset_link_sent_to_the_owner_lifts_the_wait(db) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.FOCAL_POINT)
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for i in range(6):
        attempt(attacker, user.email, f"guess {i}")
    assert WAITING in attempt(Client(REMOTE_ADDR=OWNER), user.email, PASSWORD)
    owner = Client(REMOTE_ADDR=OWNER)
    owner.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"http://\S+", str(mail.outbox[-1].body)).group(0)  # type: ignore[union-attr]
    form = owner.get(link.replace(settings.CCM_BASE_URL, ""), follow=True)
    new = "a brand new pass phrase 2026"
    owner.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert attempt(Client(REMOTE_ADDR=OWNER), user.email, new).startswith("redirect:")


def test_a_known_browser_has_its_own_limit(db) -> None:  # type: ignore[no-untyped-def]
    """Whoever holds the owner's browser guesses no faster than anyone else."""
    user, secret = owner_with_app()
    browser = Client(REMOTE_ADDR=OWNER)
    sign_in_fully(browser, user, secret)
    browser.post("/accounts/logout/")
    for i in range(5):
        attempt(browser, user.email, f"typo {i}")
    assert "Too many failed login attempts" in attempt(browser, user.email, PASSWORD)


def test_a_forged_browser_cookie_counts_for_nothing(db) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ISU_STAFF)
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for i in range(5):
        attempt(attacker, user.email, f"guess {i}")
    forged = Client(REMOTE_ADDR=ATTACKER)
    forged.cookies[throttle.BROWSER_COOKIE] = f'{{"t": "x", "u": [{user.pk}]}}'
    assert WAITING in attempt(forged, user.email, PASSWORD)


def test_without_a_proxy_a_new_x_forwarded_for_each_time_changes_nothing(db) -> None:  # type: ignore[no-untyped-def]
    """Each attempt names another address and another account: the connection's address is
    the one counted, and the eleventh wrong password in a minute is refused."""
    assert not settings.BEHIND_PROXY and settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    client = Client(REMOTE_ADDR=ATTACKER)
    pages = [
        attempt(client, f"person{i}@example.org", "guess", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
        for i in range(11)
    ]
    assert all("Too many failed" not in page for page in pages[:10])
    assert "Too many failed login attempts" in pages[10]
    assert set(AuditEvent.objects.values_list("ip", flat=True)) == {ATTACKER}


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_the_address_it_adds_is_counted(db) -> None:  # type: ignore[no-untyped-def]
    client = Client(REMOTE_ADDR="127.0.0.1")  # the proxy
    pages = [
        attempt(client, f"person{i}@example.org", "guess", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
        for i in range(11)
    ]
    assert all("Too many failed" not in page for page in pages)  # eleven visitors, one each
    assert AuditEvent.objects.filter(verb="auth.login_failed", ip="10.0.0.10").exists()
