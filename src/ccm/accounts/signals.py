"""Audit every login, failed login and logout; an invitation accepted verifies the address."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest

from ccm.accounts import throttle
from ccm.accounts.middleware import note_sign_in
from ccm.core import audit


def _ip(request: HttpRequest | None) -> str | None:
    """The visitor's address as the sign-in limits count it: behind the proxy (BEHIND_PROXY) the
    one the proxy added to X-Forwarded-For, otherwise the connection's; never a header a client
    can choose (issue #32)."""
    if request is None:
        return None
    try:
        return get_account_adapter().get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return None


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit.record("auth.login", by=user, obj=user, ip=_ip(request))
    if request is not None and hasattr(request, "session"):
        note_sign_in(request, user.pk)


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record("auth.logout", by=user, obj=user, ip=_ip(request))


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    who = str(credentials.get("email") or credentials.get("username") or "")
    audit.record("auth.login_failed", actor_label=who, ip=_ip(request))


@receiver(password_reset)
def on_password_set_from_link(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    # The link went to the account's own address (invitation or reset): opening it proves it.
    from ccm.accounts.services import accept_invitation

    accept_invitation(user)
    # The link proved the address: a wait for sign-ins on the account is lifted (issue #32).
    for address in {
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    }:
        if address:
            throttle.clear_account(address)
