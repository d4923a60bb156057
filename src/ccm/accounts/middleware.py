"""Two-factor authentication before any private data, for every signed-in role (issues #2, #7)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ccm.accounts.roles import two_factor_ok

# URL namespaces of the signed-in area. Public pages stay open to a signed-in person without a
# second factor, but show nothing private (`roles.can_read_state_private` asks the same).
PRIVATE_NAMESPACES = {"admin", "my", "staff"}


class RequireTwoFactorMiddleware:
    """Sends a signed-in person (staff, Presidency, focal point) without an authenticator app to
    set one up before they reach any private page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if (
            match is not None
            and PRIVATE_NAMESPACES.intersection(match.namespaces)
            and request.user.is_authenticated
            and not two_factor_ok(request.user)
        ):
            return redirect(reverse("mfa_activate_totp") + "?next=" + quote(request.path, safe="/"))
        return None
