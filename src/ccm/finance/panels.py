"""What finance contributes to pages composed of panels (core.panels): a State's invoices,
payments and balance on the State page, for staff, the Presidency and its own focal points."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

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


def register_panels() -> None:
    register(Panel("my.home", "finance", "finance/includes/home_links.html", home_links))
    register(
        Panel(
            "state.main", "finance", "finance/includes/state_account.html", state_account, order=200
        )
    )
