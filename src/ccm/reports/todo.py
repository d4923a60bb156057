"""What the record of reports contributes to the staff to-do (core.todo, issue #26): open
queries, and submitted reports whose cross-year checks found something to review."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from ccm.core import todo
from ccm.reports import selectors
from ccm.reports.choices import QueryState


def items(user: Any, audience: str, today: date) -> list[todo.Item]:
    if audience != todo.STAFF:
        return []
    queries = reverse("staff:reporting:queries")
    findings = reverse("staff:reporting:findings")
    return [
        todo.Item(
            "reports.open_queries",
            _("Open queries on reports"),
            [
                todo.Row(
                    f"{q.version.report.state.name}: {q.text[:80]}",
                    f"{queries}?state={q.version.report.state_id}",
                    formats.date_format(q.raised_at),
                )
                for q in selectors.queries_list("", QueryState.OPEN)  # as the list reads them
            ],
            url=f"{queries}?status={QueryState.OPEN}",
            order=20,
        ),
        todo.Item(
            "reports.to_review",
            _("Submitted reports with cross-year findings to review"),
            [
                todo.Row(
                    f"{v.report.state.name}: {v.report.get_kind_display()} {v.report.period or ''}",
                    f"{findings}?state={v.report.state_id}",
                    formats.date_format(v.received_on) if v.received_on else "",
                )
                for v in selectors.versions_with_findings("")  # as the list reads them
            ],
            url=findings,
            order=30,
        ),
    ]


def register() -> None:
    todo.register("reports", items)
