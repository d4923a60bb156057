"""What participation contributes to pages composed of panels (core.panels)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ccm.accounts import roles
from ccm.core.panels import Panel, register
from ccm.participation import selectors


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
    register(Panel("staff.state", "delegations",
                   "participation/includes/staff_state_delegations.html",
                   staff_state_delegations, order=50))  # fmt: skip
