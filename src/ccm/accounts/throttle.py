"""Sign-in throttling that slows a guesser without locking the owner out (issue #32).

Five wrong passwords used to lock an account for everyone for five minutes, so anyone who knew
an address could keep its owner out. Now:
- per address (IP): allauth's limit stays ("login_failed": 10 a minute);
- per account: after five failures each further attempt waits, the wait doubling with each
  failure up to a cap (1, 2, 4, 8, then 15 minutes): a guesser gets a few dozen tries a day;
- the owner gets past the wait two ways: a browser in which they have signed in to the
  account before (a signed cookie, OWASP's "device cookie") is not held by the account's wait,
  only by its own limit; and the "Forgot your password?" link, sent to their address, clears it.

The counts live in the default cache (the database), shared by every server and worker.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from dataclasses import dataclass
from typing import Any

# allauth's rate limiter, used here with our own rates; its public module reads only the
# ACCOUNT_RATE_LIMITS setting, which allauth's two-factor step also uses unchanged.
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

FREE_FAILURES = 5  # failures before the first wait
FIRST_WAIT = 60  # seconds after the fifth failure
MAX_WAIT = 15 * 60  # the doubling stops here
FORGET_AFTER = 24 * 3600  # an account's count is dropped a day after its last failure
BROWSER_COOKIE = "ccm_browser"
BROWSER_SALT = "ccm.accounts.known-browser"
BROWSER_MAX_AGE = 180 * 24 * 3600
BROWSER_ACCOUNTS = 5  # accounts one browser remembers (a shared office computer)
# A known browser's own limit: someone holding that browser guesses no faster than this.
BROWSER_RATE = "5/300s/key"


def wait_after(failures: int) -> int:
    """Seconds an account waits after this many failed sign-ins in a row."""
    if failures < FREE_FAILURES:
        return 0
    return min(FIRST_WAIT * 2 ** min(failures - FREE_FAILURES, 16), MAX_WAIT)


@dataclass(frozen=True)
class Refusal:
    """The account is waiting: for how many more seconds."""

    seconds: int

    def message(self) -> str:
        minutes = max(1, math.ceil(self.seconds / 60))
        return ngettext(
            "Too many failed sign-ins for this account. Try again in %(minutes)d minute, or "
            "choose “Forgot your password?”: the link sent to your address lets you in at once.",
            "Too many failed sign-ins for this account. Try again in %(minutes)d minutes, or "
            "choose “Forgot your password?”: the link sent to your address lets you in at once.",
            minutes,
        ) % {"minutes": minutes}


def _account_key(login: str) -> str:
    digest = hashlib.sha256(login.strip().lower().encode("utf-8")).hexdigest()
    return f"ccm:signin:account:{digest}"


def charge_account(login: str) -> Refusal | None:
    """Counts an attempt against the account before its password is checked (undone by
    `clear_account` when it is right), so that attempts sent at the same moment cannot all slip
    in before the first failure is recorded. A refusal when the account is waiting."""
    key = _account_key(login)
    with allauth_ratelimit.cache_lock(key) as locked:
        if not locked:  # another attempt holds it this very second: wait like it
            return Refusal(FIRST_WAIT)
        record = cache.get(key) or {"failures": 0, "until": 0.0}
        now = time.time()
        if now < record["until"]:
            return Refusal(math.ceil(record["until"] - now))
        failures = int(record["failures"]) + 1
        cache.set(key, {"failures": failures, "until": now + wait_after(failures)}, FORGET_AFTER)
    return None


def clear_account(login: str) -> None:
    """The right password, or a reset link opened: the account's count starts again."""
    key = _account_key(login)
    with allauth_ratelimit.cache_lock(key):
        cache.delete(key)


def charge_known_browser(request: HttpRequest, token: str) -> Any:
    """Counts an attempt against the known browser's own limit; its usage (to roll back when the
    password is right), or None when the limit is reached."""
    return allauth_ratelimit.consume(
        request,
        app="allauth.account",
        action="login_failed_known_browser",
        config={"login_failed_known_browser": BROWSER_RATE},
        key=token,
    )


def _read_cookie(request: HttpRequest) -> dict[str, Any] | None:
    raw = request.COOKIES.get(BROWSER_COOKIE)
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=BROWSER_SALT, max_age=BROWSER_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("t"), str):
        return None
    if not isinstance(value.get("u"), list):
        return None
    return value


def known_browser_token(request: HttpRequest, user_pks: list[Any]) -> str | None:
    """The browser's token when one of these accounts has signed in from it before."""
    value = _read_cookie(request)
    if value is None or not any(pk in value["u"] for pk in user_pks):
        return None
    return str(value["t"])


def remember_browser(request: HttpRequest, response: HttpResponse, user_pk: Any) -> None:
    """After a complete sign-in: this browser is the account's own from now on."""
    value = _read_cookie(request) or {"t": secrets.token_urlsafe(16), "u": []}
    accounts = [pk for pk in value["u"] if pk != user_pk][-(BROWSER_ACCOUNTS - 1) :]
    value["u"] = [*accounts, user_pk]
    response.set_cookie(
        BROWSER_COOKIE,
        signing.dumps(value, salt=BROWSER_SALT),
        max_age=BROWSER_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
