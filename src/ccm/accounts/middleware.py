"""Two-factor authentication is required for ISU staff and focal points (issue #2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ccm.accounts.roles import needs_two_factor

# URL namespaces of the signed-in area; public pages and the account pages stay reachable.
PRIVATE_NAMESPACES = {"admin", "my", "staff"}


class RequireTwoFactorMiddleware:
    """Sends a signed-in staff member or focal point without an authenticator app to set one
    up before they reach any private page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if (
            settings.CCM_ENFORCE_MFA
            and match is not None
            and PRIVATE_NAMESPACES.intersection(match.namespaces)
            and request.user.is_authenticated
            and needs_two_factor(request.user)
            and not Authenticator.objects.filter(
                user_id=request.user.pk, type=Authenticator.Type.TOTP
            ).exists()
        ):
            return redirect(reverse("mfa_activate_totp") + f"?next={request.path}")
        return None
