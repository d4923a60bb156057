"""What compliance contributes to the staff to-do (core.todo, issue #26): the reports certainly
overdue today, from the dashboard's own lists (one truth), and apart from them the reports the
record cannot show either way ("unknown", never counted as overdue: issue #24)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ccm.compliance import dashboard
from ccm.compliance.selectors import engine_inputs
from ccm.core import todo


def _rows(lines: list[dashboard.Line]) -> list[todo.Row]:
    return [
        todo.Row(
            f"{line.state.name}: {line.kind_label}"
            + (f" {line.obligation.period}" if line.obligation.period else ""),
            reverse("registry:state", args=[line.state.iso3]),
            line.status_label,
        )
        for line in lines
    ]


def items(user: Any, audience: str, today: date) -> list[todo.Item]:
    if audience != todo.STAFF:
        return []
    board = dashboard.build(engine_inputs(include_demo=True), today)  # as the dashboard page
    return [
        todo.Item(
            "compliance.overdue",
            _("Reports certainly overdue"),
            _rows(board.overdue_initial + board.missing_annual),
            url=reverse("reporting:dashboard") + "#initial-heading",
            unknown=_rows(board.unknown_initial + board.unknown_annual),
            unknown_label=_("not in our record, not known to be overdue"),
            order=10,
        )
    ]


def register() -> None:
    todo.register("compliance", items)
