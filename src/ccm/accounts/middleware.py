"""Two-factor authentication before any page, for every signed-in role (issues #2, #7); sessions
that end after a time without activity and after an absolute lifetime (issue #32)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from ccm.accounts.models import Role
from ccm.accounts.roles import AnyUser, role_of, two_factor_ok
from ccm.accounts.throttle import remember_browser

# What a signed-in person without an authenticator app may still open: the account pages (sign
# in and out, password, the two-factor set-up itself), the language switch, static files and the
# health probe. Everything else, public pages included, sends them to the set-up first: one rule
# with no list of private pages to keep up to date (issue #7: a State page showed contacts).
EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/jsi18n/", "/health/")


def _without_language(path: str) -> str:
    """`/es/accounts/login/` → `/accounts/login/` (i18n_patterns prefix other languages)."""
    head, _sep, rest = path.lstrip("/").partition("/")
    if head in {code for code, _name in settings.LANGUAGES}:
        return "/" + rest
    return path


def is_exempt(path: str) -> bool:
    static = settings.STATIC_URL or "/static/"
    return path.startswith(static) or _without_language(path).startswith(EXEMPT_PREFIXES)


class RequireTwoFactorMiddleware:
    """Sends a signed-in person (staff, Presidency, focal point) without an authenticator app to
    set one up before they reach any page but the exempt ones."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if (
            request.user.is_authenticated
            and not is_exempt(request.path_info)
            and not two_factor_ok(request.user)
        ):
            return redirect(reverse("mfa_activate_totp") + "?next=" + quote(request.path, safe="/"))
        return None


# What the session records (seconds since the epoch): when the person signed in, and when they
# were last seen. The last-seen time is written at most once a minute, so a person clicking
# through pages does not cost a session write per request (they may be signed out up to a
# minute early, never late).
SIGNED_IN_AT = "ccm_signed_in_at"
LAST_SEEN = "ccm_last_seen"
SEEN_WRITE_EVERY = 60


def idle_minutes(user: AnyUser) -> int:
    """Focal points work on one State's reports in long sittings; ISU staff and the Presidency
    read every State's contacts and records, so their unattended session ends sooner (ASVS
    3.3.2). An account with no role (an admin given `is_staff` alone) gets the shorter one."""
    if role_of(user) == Role.FOCAL_POINT:
        return int(settings.CCM_SESSION_IDLE_FOCAL_POINT_MINUTES)
    return int(settings.CCM_SESSION_IDLE_STAFF_MINUTES)


SIGNED_IN_PK = "_ccm_signed_in_pk"


def note_sign_in(request: HttpRequest, user_pk: Any) -> None:
    """Called when someone signs in: the absolute lifetime counts from here, and the browser is
    remembered as the account's (`KnownBrowserMiddleware`)."""
    setattr(request, SIGNED_IN_PK, user_pk)
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


class SessionTimeoutMiddleware:
    """Ends a signed-in session after a time without activity (per role) and after an absolute
    lifetime (issue #32, ASVS 3.3.2): the person is signed out, told why in their language, and
    the request goes on as anyone's (a private page then asks them to sign in, with `next`).

    Touches only sessions of signed-in people: an anonymous visitor's request neither reads nor
    writes a session, so the public pages' cache is unaffected."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            message = self._expired(request)
            if message is not None:
                logout(request)
                messages.info(request, message)
                if getattr(request, "htmx", False):
                    # A fragment must not swap the sign-in page into itself: the whole page goes.
                    current = request.htmx.current_url_abs_path or request.path  # type: ignore[attr-defined]
                    return HttpResponseClientRedirect(
                        reverse(settings.LOGIN_URL) + "?next=" + quote(current, safe="/?=&")
                    )
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> str | None:
        """Why the session has ended, to tell the person; None while it holds (and noted)."""
        session = request.session
        now = int(time.time())
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen = session.get(LAST_SEEN)
        hours = int(settings.CCM_SESSION_MAX_HOURS)
        if isinstance(signed_in_at, int) and now - signed_in_at > hours * 3600:
            return ngettext(
                "You were signed out: a session lasts at most %(hours)d hour. Please sign in "
                "again.",
                "You were signed out: a session lasts at most %(hours)d hours. Please sign in "
                "again.",
                hours,
            ) % {"hours": hours}
        minutes = idle_minutes(request.user)
        if isinstance(last_seen, int) and now - last_seen > minutes * 60:
            return ngettext(
                "You were signed out after %(minutes)d minute without activity.",
                "You were signed out after %(minutes)d minutes without activity.",
                minutes,
            ) % {"minutes": minutes}
        # A session from before these limits existed starts counting now.
        if not isinstance(signed_in_at, int):
            session[SIGNED_IN_AT] = now
        if not isinstance(last_seen, int) or now - last_seen >= SEEN_WRITE_EVERY:
            session[LAST_SEEN] = now
        return None


class KnownBrowserMiddleware:
    """After a complete sign-in (password and second factor), marks the browser as the
    account's own: its owner gets past the account's wait for sign-ins (`throttle`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user_pk = getattr(request, SIGNED_IN_PK, None)
        if user_pk is not None:
            remember_browser(request, response, user_pk)
        return response
