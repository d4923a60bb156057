"""Assessments for tests, stored through the service as the ISU would."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ccm.finance import selectors, services
from ccm.finance.choices import Purpose
from ccm.finance.models import Assessment


def assessed(
    cost: str = "100000.00",
    *,
    year: int = 2026,
    as_of: date = date(2026, 1, 1),
    purpose: str = Purpose.ISU_BUDGET,
    meeting: str = "",
    by: Any = None,
    **options: Any,
) -> Assessment:
    payers = "parties" if purpose == Purpose.ISU_BUDGET else f"meeting:{meeting}"
    currency = "CHF" if purpose == Purpose.ISU_BUDGET else "USD"
    computed = selectors.compute(
        cost=Decimal(cost),
        currency=currency,
        year=year,
        payers=payers,
        as_of=as_of,
        options=selectors.Options(**options),
    )
    return services.save_assessment(computed, purpose=purpose, by=by)
