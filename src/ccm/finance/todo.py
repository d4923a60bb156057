"""What finance contributes to the staff to-do (core.todo, issue #26): invoices overdue (and,
apart, unpaid ones with no due date on record), and payments not yet allocated."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from ccm.core import todo
from ccm.finance import selectors
from ccm.finance.models import Invoice


def _invoice_rows(found: list[tuple[Invoice, Decimal]]) -> list[todo.Row]:
    return [
        todo.Row(
            f"{inv.state.name}: {inv.number}",
            reverse("staff:finance:invoice", args=[inv.pk]),
            f"{formats.number_format(left, 2, use_l10n=True)} {inv.currency}"
            + (f" · {formats.date_format(inv.due_on)}" if inv.due_on else ""),
        )
        for inv, left in found
    ]


def items(user: Any, audience: str, today: date) -> list[todo.Item]:
    if audience != todo.STAFF:
        return []
    overdue, undated = selectors.overdue_invoices(today)
    payments = reverse("staff:finance:payments")
    return [
        todo.Item(
            "finance.overdue",
            _("Invoices overdue"),
            _invoice_rows(overdue),
            unknown=_invoice_rows(undated),
            unknown_label=_("unpaid, with no due date on record"),
            order=50,
        ),
        todo.Item(
            "finance.unallocated",
            _("Payments not allocated to an invoice"),
            [
                todo.Row(
                    f"{p.state.name}: {p.bank_reference or formats.date_format(p.received_on)}",
                    payments,
                    f"{formats.number_format(left, 2, use_l10n=True)} {p.currency}",
                )
                for p, left in selectors.unallocated_payments()  # as the payments page
            ],
            url=payments,
            order=51,
        ),
    ]


def register() -> None:
    todo.register("finance", items)
