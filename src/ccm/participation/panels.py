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


def staff_state_delegations(
    request: HttpRequest, *, state: Any, **page: Any
) -> dict[str, Any] | None:
    """On the one-page view of a State (issue #26): its invitations to meetings and where each
    delegation stands, for the ISU and the Presidency (who read delegations today; a focal point
    does not); the ISU checks and confirms a delegation, or enters it from a note verbale."""
    if not (roles.reads_all(request.user) and roles.two_factor_ok(request.user)):
        return None
    return {
        "invitations": selectors.invitations_of_state(state.iso3),
        "manages": roles.is_isu_staff(request.user),
    }


def register_panels() -> None:
    register(
        Panel(
            "contacts.without_address",
            "invitees",
            "participation/includes/invitees_without_address.html",
            invitees_without_address,
        )
    )
    register(Panel("staff.state", "delegations",
                   "participation/includes/staff_state_delegations.html",
                   staff_state_delegations, order=50))  # fmt: skip
