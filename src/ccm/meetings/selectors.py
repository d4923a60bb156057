"""Reads of meetings: public (meetings, Presidencies, facts and documents are public)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from ccm.meetings.models import DocumentFile, Meeting, WorkPlanItem


def meetings() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("host", "presidency__state")


def meeting(code: str) -> Meeting:
    found = (
        meetings().prefetch_related("facts", "documents__files").filter(code__iexact=code).first()
    )
    if found is None:
        raise Http404("no such meeting")
    return found


def calendar(today: date) -> tuple[list[Meeting], list[Meeting]]:
    """Upcoming meetings (soonest first; undated ones last) and past ones (latest first);
    one query."""
    upcoming: list[Meeting] = []
    past: list[Meeting] = []
    for m in meetings().order_by("start_date", "code"):
        (past if m.status(today) == "held" else upcoming).append(m)
    upcoming.sort(key=lambda m: (m.start_date is None, m.start_date or date.max, m.code))
    past.sort(key=lambda m: (m.start_date or date.min, m.code), reverse=True)
    return upcoming, past


def document_file(code: str, pk: int, language: str) -> DocumentFile:
    """One language's file of a meeting's document (public, as the UN publishes them)."""
    found = (
        DocumentFile.objects.select_related("document")
        .filter(document__meeting__code__iexact=code, document_id=pk, language=language)
        .first()
    )
    if found is None:
        raise Http404("no such document file")
    return found


def work_plan(meeting: Meeting) -> list[WorkPlanItem]:
    """The work plan up to a meeting, soonest due first (one query)."""
    return list(meeting.work_plan.select_related("owner_state", "from_meeting"))


def work_plan_item(pk: int) -> WorkPlanItem:
    found = WorkPlanItem.objects.select_related("meeting").filter(pk=pk).first()
    if found is None:
        raise Http404("no such item")
    return found
