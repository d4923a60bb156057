"""What meetings contribute to the to-do of the ISU and of the Presidency (core.todo, issue
#26): the coming meetings' deadlines and the work-plan items due; for a Presidency, only its
own Meeting's, and its letters not yet written in the three languages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from ccm.core import todo
from ccm.meetings import selectors
from ccm.meetings.choices import SuccessionStage
from ccm.meetings.models import Deadline, WorkPlanItem


def _deadline_rows(found: list[Deadline]) -> list[todo.Row]:
    return [
        todo.Row(
            f"{d.meeting.code}: {d.get_what_display()}",
            reverse("meetings:meeting", args=[d.meeting.code]),
            formats.date_format(d.due_on),
        )
        for d in found
    ]


def _work_rows(found: list[WorkPlanItem], today: date) -> list[todo.Row]:
    return [
        todo.Row(
            f"{i.meeting.code}: {i.title}",
            reverse("staff:meetings:work_plan", args=[i.meeting.code]),
            formats.date_format(i.due_date) + (" · " + _("overdue") if i.overdue(today) else ""),
        )
        for i in found
    ]


def items(user: Any, audience: str, today: date) -> list[todo.Item]:
    ids: list[int] | None = None  # staff: every meeting
    found: list[todo.Item] = []
    if audience == todo.PRESIDENCY:
        own = selectors.own_presidencies(user, today)
        ids = [p.meeting_id for p in own]
        found.append(
            todo.Item(
                "meetings.consultations",
                _("Consultations on the next Presidency"),
                [
                    todo.Row(
                        _("Presidency of %(meeting)s") % {"meeting": m.code},
                        reverse("staff:meetings:succession", args=[m.code])
                        if stage != "not_open"
                        else reverse("staff:meetings:desk", args=[p.meeting.code]),
                        str(SuccessionStage(stage).label),
                    )
                    for p in own
                    for m, stage in selectors.consultations_to_lead([p], today)
                ],
                order=93,
            )
        )
        found.append(
            todo.Item(
                "meetings.letters",
                _("Letters not yet written in English, French and Spanish"),
                [
                    todo.Row(
                        x.subject_en or x.reference,
                        reverse("staff:meetings:letter", args=[x.pk]),
                        formats.date_format(x.dated),
                    )
                    for x in selectors.letters_missing_a_language(ids)
                ],
                order=92,
            )
        )
    elif audience != todo.STAFF:
        return []
    return [
        todo.Item(
            "meetings.deadlines",
            _("Deadlines of the coming meetings"),
            _deadline_rows(selectors.coming_deadlines(today, ids)),
            order=90,
            shown=True,
        ),
        todo.Item(
            "meetings.work_plan",
            _("Work-plan items due"),
            _work_rows(selectors.work_due(today, ids), today),
            order=91,
        ),
        *found,
    ]


def register() -> None:
    todo.register("meetings", items)
