"""What finance contributes to pages composed of panels (core.panels): a State's invoices,
payments and balance on the State page, for staff, the Presidency and its own focal points."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ccm.accounts import roles
from ccm.core.panels import Panel, register
from ccm.finance import selectors


def state_account(request: HttpRequest, *, state: Any, **page: Any) -> dict[str, Any] | None:
    found = selectors.account_for_user(request.user, state)
    if found is None or not (found.invoices or found.payments):
        return None
    return {"account": found}


def home_links(request: HttpRequest, **page: Any) -> dict[str, Any] | None:
    """On the person's home page: finance, for the ISU and the Presidency."""
    return {} if selectors.reads_finance(request.user) else None


def staff_state_account(
    request: HttpRequest, *, state: Any, as_of: Any, **page: Any
) -> dict[str, Any] | None:
    """On the one-page view of a State (issue #26): its invoices with what each still bears, its
    payments and its balance from the ledger (the same selectors as the ledger and the State
    page), for staff, the Presidency and the State's own focal points; the ISU records a
    payment, the ISU and the Presidency read the ledger and each invoice."""
    found = selectors.account_for_user(request.user, state)
    if found is None:
        return None
    left = {inv.pk: amount for inv, amount in selectors.unpaid_invoices(as_of, [state.iso3]).get(
        state.iso3, [])}  # fmt: skip
    return {
        "account": found,
        "invoices": [(inv, left.get(inv.pk)) for inv in found.invoices],
        "records_payments": roles.is_isu_staff(request.user),
        "reads_ledger": selectors.reads_finance(request.user),
    }


def register_panels() -> None:
    register(Panel("staff.state", "finance", "finance/includes/staff_state_account.html",
                   staff_state_account, order=40))  # fmt: skip
    register(Panel("my.home", "finance", "finance/includes/home_links.html", home_links))
    register(
        Panel(
            "state.main", "finance", "finance/includes/state_account.html", state_account, order=200
        )
    )
