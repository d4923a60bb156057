from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by ISU staff (invitations), never by public sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A password typed within the reauthentication timeout counts as recent: staff and focal
        points sent to set up two-factor right after signing in are not asked for it twice."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = getattr(self, "request", None)
        if not required or request is None or not request.user.is_authenticated:
            return required
        horizon = time.time() - app_settings.REAUTHENTICATION_TIMEOUT
        return not any(
            r.get("method") == "password" and r.get("at", 0) >= horizon
            for r in get_authentication_records(request, request.user)
        )
