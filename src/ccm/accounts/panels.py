"""What accounts contribute to pages composed of panels (core.panels)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from ccm.accounts import roles, selectors
from ccm.core.panels import Panel, register
from ccm.registry import selectors as registry_selectors


def state_contacts(request: HttpRequest, *, state: Any, **page: Any) -> dict[str, Any] | None:
    contacts = selectors.contacts_for_user(request.user, state.iso3)
    return None if contacts is None else {"contacts": contacts}


def own_contact(request: HttpRequest, *, state: Any, **page: Any) -> dict[str, Any] | None:
    """On the workspace: the person's own contact details for this State, to keep up to date."""
    mine = selectors.own_contacts(request.user, state.iso3)
    return {"mine": mine} if mine else None


def state_view_link(request: HttpRequest, *, state: Any, **page: Any) -> dict[str, Any] | None:
    """On the public State page, for those who may open the State's one-page view (issue #26):
    a link to it. Nothing for anyone else, and never for an anonymous visitor, whose copy of
    the page may be cached (core.pagecache)."""
    return {} if roles.can_read_state_private(request.user, state.iso3) else None


def staff_state_contacts(request: HttpRequest, *, state: Any, **page: Any) -> dict[str, Any] | None:
    """On the one-page view of a State (issue #26): its contacts, whether letters can reach it
    (the same addresses the letters, invitations and invoices use), and what the reader may do:
    ISU staff list, add and invite; a focal point corrects its own details."""
    contacts = selectors.contacts_for_user(request.user, state.iso3)
    if contacts is None:
        return None
    manages = roles.is_isu_staff(request.user)
    return {
        "contacts": list(contacts.select_related("user")),
        "pages": _contact_pages(state.iso3) if manages else None,
        "addresses": registry_selectors.mission_addresses(state.iso3),
        "mine": selectors.own_contacts(request.user, state.iso3),
    }


def _contact_pages(iso3: str) -> dict[str, str]:
    """Where staff list (and invite) and add this State's contacts: the ISU's contacts pages."""
    return {
        "list": reverse("staff:contacts:list") + f"?state={iso3}",
        "add": reverse("staff:contacts:add") + f"?state={iso3}",
    }


def home_state_view(request: HttpRequest, **page: Any) -> dict[str, Any] | None:
    """On the home page of ISU staff and the Presidency: the one-page view of any State."""
    return {} if roles.reads_all(request.user) else None


def register_panels() -> None:
    register(Panel("my.home", "state_view", "accounts/includes/home_state_view.html",
                   home_state_view, order=10))  # fmt: skip
    register(Panel("state.side", "state_view", "accounts/includes/state_view_link.html",
                   state_view_link, order=10))  # fmt: skip
    register(Panel("staff.state", "contacts", "accounts/includes/staff_state_contacts.html",
                   staff_state_contacts, order=10))  # fmt: skip
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
