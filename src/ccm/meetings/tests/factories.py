"""Meetings for other apps' tests (issue #12): a coming Meeting with its deadline."""

from __future__ import annotations

from datetime import date, timedelta

from ccm.meetings.models import Deadline, Meeting


def coming_meeting(
    code: str = "14MSP", *, opens: date, days: int = 3, notes_verbales_due: date | None = None
) -> Meeting:
    """A numbered Meeting of States Parties in Geneva opening on `opens`, with its notes
    verbales deadline where given."""
    number = int("".join(c for c in code if c.isdigit()) or 0) or None
    meeting = Meeting.objects.create(
        code=code, kind="MSP", number=number, start_date=opens,
        end_date=opens + timedelta(days=days - 1), city="Geneva", venue="Palais des Nations",
        source="test",
    )  # fmt: skip
    if notes_verbales_due is not None:
        Deadline.objects.create(meeting=meeting, what="notes_verbales", due_on=notes_verbales_due,
                                source="test")  # fmt: skip
    return meeting


def move_deadline(meeting: Meeting, due: date) -> None:
    Deadline.objects.filter(meeting=meeting).update(due_on=due)


def meeting(code: str) -> Meeting:
    return Meeting.objects.get(code=code)


def add_deadline(meeting: Meeting, what: str, due: date) -> None:
    Deadline.objects.create(meeting=meeting, what=what, due_on=due, source="test")
