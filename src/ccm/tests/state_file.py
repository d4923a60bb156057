"""A State's file in every app, for the tests of the one-page view of a State (issue #26): what
each role may read of it is marked by words found nowhere else on the page."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ccm.finance import services as finance
from ccm.finance.models import Invoice, Rate
from ccm.finance.tests.factories import assessed
from ccm.meetings.models import Meeting
from ccm.outreach import services as outreach
from ccm.participation.models import Delegation, Invitation
from ccm.registry.models import State
from ccm.registry.tests.factories import ContactFactory, StateFactory
from ccm.reports.models import Query, Report, ReportVersion
from ccm.reports.tests.factories import SubmissionFactory

# What each part shows, and who may read it
CONTACT = "Ana Contacto-Privado"  # staff, Presidency, the State's focal points
QUERY = "Why does Form F differ"  # staff and the State's focal points (never the Presidency)
BANK = "UBS-CHL-4242"  # staff, Presidency, the State's focal points
OUTREACH = "Met the Director of Multilateral Affairs"  # staff, Presidency (coordinators)
MEETING = "14MSP"  # its delegation: staff and Presidency
PRIVATE = (CONTACT, QUERY, BANK, OUTREACH, 'id="sv-delegations"')


def rates(*iso3s: str) -> None:
    """The real rates of these States for this year, as the finance tests load them."""
    year = timezone.localdate().year
    with finance.SCALE_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            first, last = (int(y) for y in row["period"].split("-"))
            if row["iso3"] in iso3s and first <= year <= last:
                Rate.objects.create(
                    period=row["period"], first_year=first, last_year=last, state_id=row["iso3"],
                    rate=Decimal(row["rate_percent"]), source=row["source"],
                )  # fmt: skip


def invoice_chile_and_peru() -> Invoice:
    """An ISU contribution invoice for each (their PDF is not what these tests are about: the
    caller patches `finance.documents.invoice_pdf`)."""
    rates("CHL", "PER")
    today = timezone.localdate()
    found = assessed("10000.00", year=today.year, as_of=today)
    finance.issue_invoices(found, by=None, issued_on=today - timedelta(days=1), send=False)
    return Invoice.objects.get(state_id="CHL")


def add_records(state: State, n: int, *, start: int = 0, invoice: Invoice | None = None) -> None:
    """n more records of each kind for `state`: contacts, a report with n queries, payments,
    invitations with delegations, outreach contacts."""
    today = timezone.localdate()
    iso3 = state.iso3
    for k in range(start, start + n):
        marked = k == 0 and iso3 == "CHL"  # the words looked for are Chile's alone
        ContactFactory(state=state, name=CONTACT if marked else f"Contact {iso3} {k}")
        finance.record_payment(
            state, received_on=today, amount=Decimal("10.00"), currency="CHF",
            bank_reference=BANK if marked else f"REF-{iso3}-{k}", by=None,
            invoice=invoice if k == 0 else None,
        )  # fmt: skip
        meeting = Meeting.objects.create(
            code=MEETING if marked else f"M{iso3}{k}", kind="MSP",
            start_date=today + timedelta(days=30 + k), source="test",
        )  # fmt: skip
        invitation = Invitation.objects.create(
            meeting=meeting, state=state, category="party", expires_on=today + timedelta(days=30)
        )
        delegation = Delegation.objects.create(invitation=invitation, status="submitted")
        delegation.members.create(role="head", name=f"Head {k}")
        outreach.log_outreach(
            state, on=today, channel="meeting", actor="isu", by=None,
            outcome=OUTREACH if marked else f"Outcome {k}", next_step=f"Follow up {k}",
            next_due=today + timedelta(days=10),
        )  # fmt: skip
        year = 2000 + k
        report = Report.objects.create(state=state, kind="annual", period=year, template="t")
        received = SubmissionFactory(state=state, kind="annual", period=year, received_on=today)
        version = ReportVersion.objects.create(
            report=report, number=1, forms={}, received_on=today, entered_by_isu=True,
            record=received,
        )  # fmt: skip
        Query.objects.create(
            version=version, form="F", text=QUERY if marked else f"Query {iso3} {k}?"
        )


def more_states(n: int) -> None:
    """n more States, each with a contact, a payment and an outreach contact."""
    for _k in range(n):
        state = StateFactory()
        ContactFactory(state=state)
        finance.record_payment(
            state, received_on=date(2026, 1, 1), amount=Decimal("1.00"), currency="CHF",
            bank_reference="", by=None,
        )  # fmt: skip
        outreach.log_outreach(state, on=date(2026, 1, 1), channel="letter", actor="isu", by=None)
