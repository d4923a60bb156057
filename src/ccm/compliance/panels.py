"""What compliance contributes to pages composed of panels (core.panels)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from ccm.accounts import roles
from ccm.compliance import letters, selectors
from ccm.compliance.choices import KIND_LABELS
from ccm.compliance.rules import Compliance, Kind, Obligation
from ccm.core.panels import Panel, register
from ccm.registry import selectors as registry_selectors


def state_reporting(
    request: HttpRequest, *, state: Any, membership: Any, as_of: date, **page: Any
) -> dict[str, Any]:
    """The State's obligations, reports received, stockpiles and extension requests."""
    record = selectors.state_record(state, membership, as_of)
    return {
        "reporting": record,
        "declared": selectors.holdings_to_confirm(state.iso3, held=record.holdings),
        # ISU staff enter a report a State sent by e-mail from here (the reports workspace)
        "enters_reports": roles.is_isu_staff(request.user) and roles.two_factor_ok(request.user),
    }


def workspace_obligations(request: HttpRequest, *, state: Any, **page: Any) -> dict[str, Any]:
    """The reports the State owes today that a focal point prepares online (initial and annual),
    latest first, with their deadline and status."""
    # The State page's own selector, demonstration rows included as it shows them: a focal
    # point never reads a status its State's public page contradicts (issue #24).
    membership = registry_selectors.membership_from_actions(state.iso3, state.actions.all())
    record = selectors.state_record(state, membership, timezone.localdate(), include_demo=True)
    owed = sorted(
        (o for o in record.obligations if o.kind in (Kind.INITIAL, Kind.ANNUAL)),
        key=lambda o: o.due_date,
        reverse=True,
    )
    email = settings.CCM_SUPPORT_EMAIL
    return {
        # An unknown report may have reached the ISU in a way the record never captured: the
        # focal point is asked for a copy, never told it is overdue (issue #24).
        "owed": [
            (o, _copy_to(email, state, o) if o.status is Compliance.UNKNOWN else "") for o in owed
        ],
        "any_unknown": any(o.status is Compliance.UNKNOWN for o in owed),
        "isu_email": email,
    }


def workspace_report_deadline(
    request: HttpRequest, *, report: Any, state: Any, **page: Any
) -> dict[str, Any]:
    """The deadline and compliance status of the obligation a report answers (issue #26), from
    the selector the State's pages read (one truth); none found: the deadline is unknown."""
    membership = registry_selectors.membership_from_actions(state.iso3, state.actions.all())
    record = selectors.state_record(state, membership, timezone.localdate(), include_demo=True)
    kind = Kind.INITIAL if report.kind == "initial" else Kind.ANNUAL
    obligation = next(
        (o for o in record.obligations if o.kind == kind and o.period == report.period), None
    )
    return {"obligation": obligation}


def _copy_to(email: str, state: Any, o: Obligation) -> str:
    """A mailto: link to the ISU whose subject names the report (so the copy is filed at once)."""
    subject = str(KIND_LABELS[o.kind]) + (f" {o.period}" if o.period else "")
    return f"mailto:{email}?subject={quote(f'{state.name}: {subject}')}"


def staff_state_reporting(
    request: HttpRequest, *, state: Any, membership: Any, as_of: date, **page: Any
) -> dict[str, Any] | None:
    """On the one-page view of a State (issue #26): its obligations today with their status
    (the State page's own selector: one truth), and the actions of the reader's role: the ISU
    enters a report sent by e-mail; the ISU and the Presidency write the reminder when a report
    is certainly overdue or due soon; a focal point prepares its report."""
    user = request.user
    if not roles.can_read_state_private(user, state.iso3):
        return None
    record = selectors.state_record(state, membership, as_of)
    reminders = letters.reminders(record.obligations, as_of, {state.iso3: state})
    return {
        "reporting": record,
        # Only the obligations not met are listed; what the record cannot show is counted as
        # unknown, never as overdue (issue #24).
        "open": [o for o in record.obligations if not o.status.is_satisfied],
        "met": sum(1 for o in record.obligations if o.status.is_satisfied),
        "overdue": sum(1 for o in record.obligations if o.status is Compliance.OVERDUE),
        "unknown": sum(1 for o in record.obligations if o.status is Compliance.UNKNOWN),
        "enters_reports": roles.is_isu_staff(user),
        "reminder": bool(reminders) and roles.reads_all(user),
        "prepares": state.iso3 in roles.state_ids_of(user),
    }


def register_panels() -> None:
    register(
        Panel(
            "staff.state",
            "reporting",
            "compliance/includes/staff_state_reporting.html",
            staff_state_reporting,
            order=20,
        )
    )
    register(
        Panel(
            "workspace.state",
            "obligations",
            "compliance/includes/workspace_obligations.html",
            workspace_obligations,
        )
    )
    register(
        Panel(
            "workspace.report",
            "deadline",
            "compliance/includes/workspace_report_deadline.html",
            workspace_report_deadline,
        )
    )
    register(
        Panel(
            "state.main",
            "reporting",
            "compliance/includes/state_reporting.html",
            state_reporting,
        )
    )
