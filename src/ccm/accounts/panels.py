"""What accounts contribute to pages composed of panels (core.panels)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ccm.accounts import selectors
from ccm.core.panels import Panel, register


def state_contacts(request: HttpRequest, *, state: Any, **page: Any) -> dict[str, Any] | None:
    contacts = selectors.contacts_for_user(request.user, state.iso3)
    return None if contacts is None else {"contacts": contacts}


def own_contact(request: HttpRequest, *, state: Any, **page: Any) -> dict[str, Any] | None:
    """On the workspace: the person's own contact details for this State, to keep up to date."""
    mine = selectors.own_contacts(request.user, state.iso3)
    return {"mine": mine} if mine else None


def register_panels() -> None:
    register(
        Panel(
            "workspace.state",
            "own_contact",
            "accounts/includes/own_contact.html",
            own_contact,
            order=200,
        )
    )
    register(
        Panel("state.side", "contacts", "accounts/includes/state_contacts.html", state_contacts)
    )
