"""What participation contributes to pages composed of panels (core.panels)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ccm.accounts import roles
from ccm.core.panels import Panel, register
from ccm.participation import selectors


def invitees_without_address(request: HttpRequest, **page: Any) -> dict[str, Any] | None:
    """On the staff list of States without an address: each meeting's invitations that could
    not be sent for that reason (the rule `send_batch` follows), by meeting (issue #26)."""
    if not roles.is_isu_staff(request.user):
        return None
    rows = list(
        selectors.invitees_without_address()
        .select_related("meeting", "state")
        .order_by("-meeting__start_date", "meeting__code", "state__name_en")
    )
    meetings: dict[Any, list[Any]] = {}
    for invitation in rows:
        meetings.setdefault(invitation.meeting, []).append(invitation)
    return {"meetings": list(meetings.items())}


def register_panels() -> None:
    register(
        Panel(
            "contacts.without_address",
            "invitees",
            "participation/includes/invitees_without_address.html",
            invitees_without_address,
        )
    )
