"""Two-factor authentication before any page, for every signed-in role (issues #2, #7)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ccm.accounts.roles import two_factor_ok

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
