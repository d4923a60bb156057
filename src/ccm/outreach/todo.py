"""What universalization contributes to the staff to-do (core.todo, issue #26): the next steps
of outreach due (late, or within the outreach page's window), as that page lists them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from ccm.core import todo
from ccm.outreach import selectors


def items(user: Any, audience: str, today: date) -> list[todo.Item]:
    if audience != todo.STAFF:
        return []
    return [
        todo.Item(
            "outreach.steps_due",
            _("Next steps of outreach due"),
            [
                todo.Row(
                    f"{o.state.name}: {o.next_step}",
                    reverse("staff:outreach:state", args=[o.state_id]),
                    formats.date_format(o.next_due) if o.next_due else "",
                )
                for o in selectors.steps_due(today)  # as the outreach page lists them
            ],
            url=reverse("staff:outreach:index") + "#steps-due",
            order=80,
        )
    ]


def register() -> None:
    todo.register("outreach", items)
