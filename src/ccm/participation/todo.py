"""What participation contributes to the staff to-do (core.todo, issue #26): delegations to
confirm, and those entered from a note verbale received, awaiting confirmation."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from ccm.core import todo
from ccm.participation import selectors
from ccm.participation.models import Delegation


def _rows(found: list[Delegation]) -> list[todo.Row]:
    return [
        todo.Row(
            f"{d.invitation.meeting.code}: {d.invitation.invitee_name}",
            reverse("staff:participation:delegation", args=[d.pk]),
            formats.date_format(d.note_received_on or d.submitted_at or d.invitation.created_at),
        )
        for d in found
    ]


def items(user: Any, audience: str, today: date) -> list[todo.Item]:
    if audience != todo.STAFF:
        return []
    return [
        todo.Item(
            "participation.to_confirm",
            _("Delegations to confirm"),
            _rows(selectors.awaiting_the_isu(from_note=False)),
            order=40,
        ),
        todo.Item(
            "participation.notes_verbales",
            _("Notes verbales received, delegations awaiting confirmation"),
            _rows(selectors.awaiting_the_isu(from_note=True)),
            order=41,
        ),
    ]


def register() -> None:
    todo.register("participation", items)
