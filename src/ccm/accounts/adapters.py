from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.utils import filter_users_by_email
from allauth.core.internal import ratelimit as allauth_ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.urls import reverse

from ccm.accounts import mfa_secrets, roles, throttle

RECENT_PASSWORD_METHODS = ("password", "password_reset")


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by ISU staff (invitations), never by public sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's mails (password reset, verification) name the site by `SITE_NAME`."""
        super().send_mail(template_prefix, email, {**context, "current_site": site_identity()})

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """A focal point lands on the page of their State's work (its reports, what it owes);
        everyone else on their account page. A `next` given at sign-in still wins (allauth)."""
        if roles.state_ids_of(request.user) and not roles.is_isu_staff(request.user):
            return reverse("workspace:home")
        return super().get_login_redirect_url(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Before a password is checked: allauth's limit per address, then the account's wait,
        or, in a browser the account has signed in from before, that browser's own limit
        (`throttle`: a guesser who knows the address cannot keep the owner out)."""
        self._ccm_account: str | None = None
        self._ccm_browser_usage: Any = None
        self._login_failed_rl_usage = allauth_ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed",
            config={"login_failed": _per_address_rates()},
        )
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")
        login = str(credentials.get("email") or credentials.get("username") or "")
        pks = [user.pk for user in filter_users_by_email(login)] if login else []
        token = throttle.known_browser_token(request, pks)
        if token is not None:
            self._ccm_browser_usage = throttle.charge_known_browser(request, token)
            if not self._ccm_browser_usage:
                raise self.validation_error("too_many_login_attempts")
            return
        refusal = throttle.charge_account(login)
        if refusal is not None:
            raise forms.ValidationError(refusal.message(), code="too_many_login_attempts")
        self._ccm_account = login

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user = super().authenticate(request, **credentials)
        if user is not None:  # the right password: what this attempt was charged is undone
            if getattr(self, "_ccm_account", None) is not None:
                throttle.clear_account(str(self._ccm_account))
            if getattr(self, "_ccm_browser_usage", None):
                self._ccm_browser_usage.rollback()
        return user

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A password typed (or set from the invitation link) within the reauthentication timeout
        counts as recent: people sent to set up two-factor right after signing in, or right after
        accepting their invitation, are not asked for it again."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = getattr(self, "request", None)
        if not required or request is None or not request.user.is_authenticated:
            return required
        horizon = time.time() - app_settings.REAUTHENTICATION_TIMEOUT
        return not any(
            r.get("method") in RECENT_PASSWORD_METHODS and r.get("at", 0) >= horizon
            for r in get_authentication_records(request, request.user)
        )


def _per_address_rates() -> str:
    """The per-address part of ACCOUNT_RATE_LIMITS["login_failed"] (its per-key part is the
    limit of wrong two-factor codes, which allauth's two-factor step applies itself)."""
    rates = str(settings.ACCOUNT_RATE_LIMITS.get("login_failed") or "").split(",")
    return ",".join(r.strip() for r in rates if r.strip().endswith("/ip"))


@dataclass(frozen=True)
class SiteIdentity:
    """What allauth's e-mails call the site: its real name (a setting), never the raw host."""

    name: str
    domain: str


def site_identity() -> SiteIdentity:
    return SiteIdentity(
        name=str(settings.SITE_NAME), domain=urlsplit(settings.CCM_BASE_URL).netloc or "localhost"
    )


class MFAAdapter(DefaultMFAAdapter):
    """Nobody switches two-factor off by themselves (a stolen session could otherwise remove the
    second factor with one POST, issue #7); ISU staff reset it, audited
    (`services.reset_two_factor`)."""

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        return False

    def _get_site_name(self) -> str:
        return str(settings.SITE_NAME)

    def encrypt(self, text: str) -> str:
        """TOTP keys and recovery seeds are stored encrypted (issue #32, `mfa_secrets`)."""
        return mfa_secrets.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_secrets.decrypt(encrypted_text)
