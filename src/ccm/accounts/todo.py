"""What accounts contribute to the staff to-do (core.todo, issue #26): the States Parties
without a focal point or without an address on record, and the e-mails that failed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from ccm.core import mail, todo
from ccm.registry import selectors as registry


def _email_rows(found: list[Any]) -> list[todo.Row]:
    return [
        todo.Row(
            f"{', '.join(e.to)}: {e.subject}",
            "",
            f"{formats.date_format(e.created_at)} · {e.last_error[:120]}",
        )
        for e in found
    ]


def items(user: Any, audience: str, today: date) -> list[todo.Item]:
    if audience != todo.STAFF:
        return []
    contacts = reverse("staff:contacts:list")
    missing = registry.parties_missing_contacts(today)
    return [
        todo.Item(
            "accounts.no_focal_point",
            _("States Parties without a national focal point"),
            [
                todo.Row(m.state.name, f"{contacts}?state={m.state.iso3}")
                for m in missing
                if m.no_focal_point
            ],
            order=60,
        ),
        # The one rule of "no address on record" (registry.selectors.address_contacts), the
        # list the invitations and invoices could not reach: the contacts page lists the same.
        todo.Item(
            "accounts.no_address",
            _("States Parties without an address on record"),
            [
                todo.Row(state.name, f"{contacts}?state={state.iso3}")
                for state in registry.states_parties_without_address(today)
            ],
            url=reverse("staff:contacts:without_address"),
            order=61,
        ),
        todo.Item(
            "accounts.failed_emails",
            _("E-mails that failed"),
            _email_rows(mail.failed()),
            unknown=_email_rows(mail.uncertain()),
            unknown_label=_("cut off while sending: check with the mail server"),
            order=70,
        ),
    ]


def register() -> None:
    todo.register("accounts", items)
