"""Two processes doing the same write at once (issue #32, `test_races.py`): the first holds its
transaction open (at the audit record every service writes last) until the test lets it go; the
second starts meanwhile and must wait, then meet the first's work and refuse cleanly, on SQLite
as on PostgreSQL, never fail with "database is locked".

    python -m ccm.tests.races SCENARIO setup|first|second|check [MARKER GO]

`first` touches MARKER when it holds its transaction and goes on once GO exists; `second`
prints "ready" just before its transaction begins. Each prints one line: what it did, or the
refusal it met.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ccm.tests.faults import report_ready_to_submit

SUBMITTER = "race-submitter@example.org"
SUBMITTING = "PER"  # no annual report for 2025 in the shipped data; not the faults' State
PAYER = "FRA"


def hold_at_audit(marker: Path, go: Path) -> None:
    """The first audit record (written inside the transaction, after the work) waits there."""
    from ccm.core import audit

    real = audit.record

    def record(*args: Any, **kwargs: Any) -> Any:
        marker.write_text(str(os.getpid()))
        deadline = time.monotonic() + 120
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        return real(*args, **kwargs)

    audit.record = record  # type: ignore[assignment]


def say_ready() -> None:
    print("ready", flush=True)


# A report submitted twice at once --------------------------------------------------------
def _report() -> Any:
    from ccm.reports.models import Report

    return Report.objects.get(state_id=SUBMITTING, kind="annual", period=2025)


def submission_setup() -> None:
    report_ready_to_submit(SUBMITTING, SUBMITTER)


def submission_act(second: bool) -> None:
    from django.contrib.auth.models import User

    from ccm.reports import services

    if second:  # the receipt (a PDF) is made before the transaction: ready once it is
        real = services._receipt

        def receipt(*args: Any, **kwargs: Any) -> Any:
            made = real(*args, **kwargs)
            say_ready()
            return made

        services._receipt = receipt  # type: ignore[assignment]
    try:
        version = services.submit_report(_report(), by=User.objects.get(username=SUBMITTER))
    except (services.ConflictError, services.NotReady) as refused:
        print(f"refused: {refused}")
        return
    print(f"submitted: version {version.number}")


def submission_check() -> None:
    report = _report()
    assert report.versions.count() == 1, report.versions.count()
    print("submission: one version")


# One payment allocated twice at once -------------------------------------------------------
def _invoice_and_payment() -> tuple[Any, Any]:
    from ccm.finance.models import Invoice, Payment

    invoice = Invoice.objects.get(assessment__year=2027, state_id=PAYER, kind="invoice")
    return invoice, Payment.objects.get(state_id=PAYER, bank_reference="race")


def allocation_setup() -> None:
    from ccm.finance import selectors, services
    from ccm.finance.models import Invoice
    from ccm.finance.tests.factories import assessed
    from ccm.registry.models import State

    assessment = assessed("100000.00", year=2027, as_of=date(2027, 1, 1))
    services.issue_invoices(assessment, by=None, size=None, send=False)
    invoice = Invoice.objects.get(assessment=assessment, state_id=PAYER, kind="invoice")
    services.record_payment(
        State.objects.get(iso3=PAYER),
        received_on=date.today(),
        amount=selectors.outstanding(invoice),
        currency=invoice.currency,
        bank_reference="race",
        by=None,
    )


def allocation_act(second: bool) -> None:
    from ccm.finance import services

    invoice, payment = _invoice_and_payment()
    if second:
        say_ready()
    try:
        services.allocate(payment, invoice, amount=payment.amount, by=None)
    except services.Refused as refused:
        print(f"refused: {refused}")
        return
    print(f"allocated: {payment.amount}")


def allocation_check() -> None:
    from ccm.finance import selectors

    invoice, payment = _invoice_and_payment()
    assert selectors.outstanding(invoice) == Decimal("0.00"), selectors.outstanding(invoice)
    assert selectors.unallocated(payment) == Decimal("0.00"), selectors.unallocated(payment)
    assert payment.allocations.count() == 1
    print("allocation: allocated once")


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccm.settings")
    import django

    django.setup()
    scenario, phase = sys.argv[1], sys.argv[2]
    if phase == "first":
        hold_at_audit(Path(sys.argv[3]), Path(sys.argv[4]))
        globals()[f"{scenario}_act"](second=False)
    elif phase == "second":
        globals()[f"{scenario}_act"](second=True)
    else:
        globals()[f"{scenario}_{phase}"]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
