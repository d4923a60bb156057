"""The cash page says everyone has paid only when nothing is outstanding (issue #24, item 5): a
meeting's estimate assessed but not yet invoiced is outstanding, and the page says so."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

import ccm.meetings.tests.factories as meeting_factories
from ccm.finance import selectors, services
from ccm.finance.models import Invoice
from ccm.finance.tests.factories import assessed

pytestmark = pytest.mark.django_db
URL = "/staff/finance/meetings/15MSP/cash/"
ALL_PAID = {"en": "Everyone invoiced has paid.", "fr": "Tous les États facturés ont payé."}


def _meeting_assessed_at_400000() -> Any:
    opens = timezone.localdate() + timedelta(days=120)
    meeting = meeting_factories.coming_meeting("15MSP", opens=opens)
    estimate = assessed("400000.00", year=opens.year, as_of=timezone.localdate(),
                        purpose="estimate", meeting="15MSP")  # fmt: skip
    return meeting, estimate


def _page(client: Client, language: str) -> str:
    client.cookies["django_language"] = language
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_estimate_not_yet_invoiced_is_outstanding_not_paid(
    reference: None, personas: dict[str, Client], language: str
) -> None:
    meeting, _ = _meeting_assessed_at_400000()
    cash = selectors.cash(meeting, timezone.localdate())
    assert cash.unpaid == [] and cash.not_invoiced == D("400000.00")
    assert cash.outstanding == D("400000.00") and not cash.all_paid
    html = _page(personas["staff"], language)
    assert 'id="all-paid"' not in html and ALL_PAID[language] not in html
    assert 'id="not-invoiced"' in html and "400" in html.split('id="not-invoiced"')[1][:200]


def test_everyone_has_paid_only_when_the_un_reports_every_notice_paid(
    reference: None, personas: dict[str, Client]
) -> None:
    """Issue #25 changed this test's rule: it issued the meeting's invoices on the ISU's
    letterhead and paid them; a meeting's costs are paid through the UN, so the ISU records
    the UN's notices and payments, and "everyone has paid" comes from those."""
    meeting, estimate = _meeting_assessed_at_400000()
    today = timezone.localdate()
    with pytest.raises(services.Refused, match="through the United Nations"):
        services.issue_invoices(estimate, by=None, issued_on=today, size=None, send=False)
    assert not Invoice.objects.exists()
    lines = list(estimate.lines.exclude(amount=None).select_related("state"))
    for line in lines:
        services.record_un(
            "notice", meeting, state=line.state, on=today, amount=line.amount,
            reference=f"UNODA/15MSP/{line.state_id}", reported_on=today, by=None,
        )  # fmt: skip
    cash = selectors.cash(meeting, today)
    assert cash.known and cash.not_invoiced == 0 and cash.outstanding == D("400000.00")
    assert len(cash.unpaid) == len(lines)
    html = _page(personas["staff"], "en")
    assert 'id="unpaid"' in html and 'id="all-paid"' not in html
    for line in lines:
        services.record_un(
            "payment", meeting, state=line.state, on=today, amount=line.amount,
            reference=f"RCPT-{line.state_id}", reported_on=today, by=None,
        )  # fmt: skip
    cash = selectors.cash(meeting, today)
    assert cash.all_paid and cash.outstanding == 0 and cash.received == D("400000.00")
    assert 'id="all-paid"' in _page(personas["staff"], "en")
