"""What the record of reports contributes to pages composed of panels (core.panels)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ccm.accounts import roles
from ccm.core.panels import Panel, register
from ccm.reports import selectors


def staff_state_reports(request: HttpRequest, *, state: Any, **page: Any) -> dict[str, Any] | None:
    """On the one-page view of a State (issue #26): its structured reports (drafts and submitted
    versions) and the queries not yet closed, for ISU staff and the State's focal points (the
    Presidency never reads drafts); staff review and query, a focal point answers."""
    if not selectors.prepares_reports_of(request.user, state.iso3):
        return None
    return {
        "reports": selectors.reports_in_preparation(state.iso3),
        "queries": selectors.queries_not_closed(state.iso3),
        "reviews": roles.is_isu_staff(request.user),
    }


def register_panels() -> None:
    register(Panel("staff.state", "reports", "reports/includes/staff_state_reports.html",
                   staff_state_reports, order=30))  # fmt: skip
