"""What accounts contribute to pages composed of panels (core.panels)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ccm.accounts import selectors
from ccm.core.panels import Panel, register


def state_contacts(request: HttpRequest, *, state: Any, **page: Any) -> dict[str, Any] | None:
    contacts = selectors.contacts_for_user(request.user, state.iso3)
    return None if contacts is None else {"contacts": contacts}


def register_panels() -> None:
    register(
        Panel("state.side", "contacts", "accounts/includes/state_contacts.html", state_contacts)
    )
