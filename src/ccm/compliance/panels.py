"""What compliance contributes to pages composed of panels (core.panels)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from ccm.compliance import selectors
from ccm.core.panels import Panel, register


def state_reporting(
    request: HttpRequest, *, state: Any, membership: Any, as_of: date, **page: Any
) -> dict[str, Any]:
    """The State's obligations, reports received, stockpiles and extension requests."""
    return {"reporting": selectors.state_record(state, membership, as_of)}


def register_panels() -> None:
    register(
        Panel(
            "state.main",
            "reporting",
            "compliance/includes/state_reporting.html",
            state_reporting,
        )
    )
