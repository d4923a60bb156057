"""Reads of the finance records (issue #13): the scale, the payer set of an assessment, what
an assessment would give (computed, not stored), the status of contributions and the cash of a
meeting as of any date, and the access helpers. Every read here is a fixed number of queries,
whatever the number of States or entries."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings as conf
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q, QuerySet, Sum
from django.http import Http404

from ccm.accounts import roles
from ccm.finance import rules
from ccm.finance.choices import Currency, InvoiceKind, Purpose, WithoutRate
from ccm.finance.models import (
    Allocation,
    Assessment,
    CostSharePublication,
    Entry,
    FinanceSettings,
    Invoice,
    Payment,
    Publication,
    Rate,
    UNNotice,
    UNPayment,
    UNStatement,
)
from ccm.meetings import selectors as meetings
from ccm.participation import selectors as participation
from ccm.registry.models import State
from ccm.registry.selectors import state_rows

ZERO = Decimal("0.00")


class Unknown(ValueError):
    """An input that names nothing known (a year without a scale, an unknown meeting...)."""


class NotAssessable(Unknown):
    """A meeting whose costs are not shared under Art. 14(1): an informal one (issue #25)."""


def assessable(meeting: Any) -> None:
    """Only a formal meeting's costs are assessed (Art. 14(1): MSP, Review Conference, their
    preparatory meetings); an informal one is hosted or sponsored: NotAssessable."""
    if not meetings.is_formal(meeting):
        from django.utils.translation import gettext as _

        raise NotAssessable(
            _(
                "%(code)s is an informal meeting (%(kind)s): its costs are hosted or sponsored, "
                "not shared under Art. 14(1) of the Convention"
            )
            % {"code": meeting.code, "kind": meeting.get_kind_display()}
        )


# The scale ----------------------------------------------------------------------------------


def periods() -> list[str]:
    return sorted(set(Rate.objects.values_list("period", flat=True)))


def period_for(year: int) -> str:
    found = rules.period_of(year, periods())
    if found is None:
        raise Unknown(f"no scale of assessments is loaded for {year}")
    return found


def rates(period: str) -> dict[str, Decimal]:
    return dict(Rate.objects.filter(period=period).values_list("state_id", "rate"))


# Payers and the computation -------------------------------------------------------------------


def meeting_of(code: str) -> Any:
    try:
        return meetings.meeting(code)
    except Http404:
        raise Unknown(f"no meeting {code!r}") from None


def payer_set(payers: str, as_of: date) -> tuple[list[State], Any]:
    """The States that share a cost: the States Parties on `as_of` ("parties"), and for a
    meeting ("meeting:CODE") also the States not party registered for it (Art. 14(1))."""
    kind, _sep, code = payers.partition(":")
    if kind not in ("parties", "meeting") or (kind == "meeting") != bool(code):
        raise Unknown(f"payers {payers!r}: use 'parties' or 'meeting:CODE'")
    found = [r.state for r in state_rows(as_of) if r.status.is_party]
    meeting = None
    if kind == "meeting":
        meeting = meeting_of(code)
        assessable(meeting)
        known = {s.iso3 for s in found}
        found += [s for s in participation.taking_part(meeting) if s.iso3 not in known]
    return sorted(found, key=lambda s: s.iso3), meeting


def share_percent(share: Decimal | str | None) -> Decimal | None:
    """An adjusted share (0..1) in percent, as every page shows it (0.22 is 22 %)."""
    if share is None or share == "":
        return None
    return Decimal(share) * 100


@dataclass
class Options:
    """An assessment's settings as people give them: the ceiling and floor in percent of the
    cost, a minimum contribution in its currency, and the rule for payers without a rate."""

    ceiling: Decimal | None = None
    floor: Decimal | None = None
    minimum: Decimal | None = None
    without_rate: str = WithoutRate.EXCLUDE
    without_rate_value: Decimal | None = None  # the configured rate, percent
    exclude_reason: str = ""  # why they are excluded, as staff say it (issue #25)

    def as_json(self) -> dict[str, Any]:
        def text(v: Decimal | None) -> str | None:
            return None if v is None else str(v)

        return {
            "ceiling": text(self.ceiling),
            "floor": text(self.floor),
            "minimum": text(self.minimum),
            "without_rate": self.without_rate,
            "without_rate_value": text(self.without_rate_value),
            "exclude_reason": self.exclude_reason,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Options:
        def number(v: Any) -> Decimal | None:
            return None if v in (None, "") else Decimal(str(v))

        return cls(
            ceiling=number(data.get("ceiling")),
            floor=number(data.get("floor")),
            minimum=number(data.get("minimum")),
            without_rate=data.get("without_rate") or WithoutRate.EXCLUDE,
            without_rate_value=number(data.get("without_rate_value")),
            exclude_reason=data.get("exclude_reason") or "",
        )

    def engine(self, without: list[str]) -> rules.Settings:
        rule: Decimal | str = rules.EXCLUDE
        if self.without_rate == WithoutRate.RATE:
            if self.without_rate_value is None or self.without_rate_value <= 0:
                raise ValueError("give the rate for payers without one")
            rule = self.without_rate_value
        elif self.without_rate == WithoutRate.MINIMUM:
            rule = rules.MINIMUM
        hundred = Decimal(100)
        return rules.Settings(
            ceiling=self.ceiling / hundred if self.ceiling is not None else None,
            floor=self.floor / hundred if self.floor is not None else None,
            minimum=self.minimum,
            without_rate={p: rule for p in without},
            exclude_reason=self.exclude_reason.strip(),
        )


@dataclass
class Computed:
    """What an assessment gives, before it is stored."""

    cost: Decimal
    currency: str
    year: int
    period: str
    payers: str
    as_of: date
    options: Options
    result: rules.Assessment
    states: dict[str, State]
    meeting: Any = None
    without: list[str] = field(default_factory=list)  # payers with no rate for the period

    @property
    def without_states(self) -> list[State]:
        """The payers without a rate for the period, by name: the preview names each with the
        choice to make (issue #25), whatever the rule chosen did with them."""
        return sorted((self.states[p] for p in self.without), key=lambda s: s.name)

    @property
    def scale_period(self) -> str:  # named as on a saved assessment, for the shared templates
        return self.period

    @property
    def rows(self) -> list[tuple[str, Decimal | None, Decimal | None, Decimal]]:
        """The preview's lines as the saved page shows them: the State's name, its UN rate, its
        adjusted share in percent and its amount, by name (issue #24: it showed ISO codes and
        shares of 1)."""
        return sorted(
            (
                (self.states[ln.payer].name if ln.payer in self.states else ln.payer, ln.rate,
                 share_percent(ln.share), ln.amount)
                for ln in self.result.lines
            ),
            key=lambda row: str(row[0]),
        )  # fmt: skip

    @property
    def excluded_names(self) -> list[tuple[str, str]]:
        return [
            (self.states[p].name if p in self.states else p, why)
            for p, why in self.result.excluded.items()
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "cost": str(self.cost),
            "currency": self.currency,
            "year": self.year,
            "scale_period": self.period,
            "payers_rule": self.payers,
            "as_of": self.as_of.isoformat(),
            "payers": [
                {
                    "iso3": ln.payer,
                    "rate": None if ln.rate is None else str(ln.rate),
                    "share": str(ln.share),
                    "amount": str(ln.amount),
                }
                for ln in self.result.lines
            ],
            "excluded": [
                {"iso3": p, "reason": why} for p, why in sorted(self.result.excluded.items())
            ],
            "settings": self.options.as_json(),
            "method": self.result.method,
            "without_rate_payers": sorted(self.without),
        }


def money(value: Any) -> Decimal:
    """A cost or an amount as people type it ("12500", "12,500.50"): Decimal to the cent, not
    negative; ValueError otherwise."""
    text = str(value).strip().replace(",", "").replace("\u202f", "").replace(" ", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{value!r} is not an amount of zero or more")
    if amount != amount.quantize(rules.CENT):
        raise ValueError(f"{value!r} has more than two decimals")
    if amount >= Decimal("1e12"):
        raise ValueError(f"{value!r} is too large")
    return amount.quantize(rules.CENT)


def compute(
    *,
    cost: Decimal,
    currency: str,
    year: int,
    payers: str,
    as_of: date,
    options: Options | None = None,
) -> Computed:
    """The assessment of `cost` over the payer set, on the scale in force in `year`. Unknown for
    inputs that name nothing; ValueError (rules.NoRate among them) for settings that cannot be
    met."""
    if currency not in Currency.values:
        raise Unknown(f"currency {currency!r}: use {' or '.join(Currency.values)}")
    options = options or Options()
    period = period_for(year)
    found, meeting = payer_set(payers, as_of)
    scale = rates(period)
    given: dict[str, Decimal | None] = {s.iso3: scale.get(s.iso3) for s in found}
    without = [p for p, r in given.items() if r is None]
    engine = options.engine(without)
    if not engine.exclude_reason:  # said on the line, never silent (issue #25)
        engine = replace(
            engine,
            exclude_reason=f"no rate for the scale {period} (neither a UN rate nor a notional "
            "rate entered); excluded by the assessment's settings",
        )
    result = rules.assess(cost, given, engine)
    return Computed(
        cost,
        currency,
        year,
        period,
        payers,
        as_of,
        options,
        result,
        {s.iso3: s for s in found},
        meeting,
        without,
    )


def scope_of(purpose: str, year: int, meeting: Any) -> str:
    if purpose == Purpose.ISU_BUDGET:
        return f"isu:{year}"
    if meeting is None:
        raise Unknown("a meeting's costs name the meeting")
    return f"meeting:{meeting.code}"


def scope_label(scope: str) -> str:
    from django.utils.translation import gettext as _

    kind, _sep, key = scope.partition(":")
    if kind == "isu":
        return _("ISU budget %(year)s") % {"year": key}
    return _("Costs of the %(meeting)s") % {"meeting": key}


# Assessments, invoices, payments ---------------------------------------------------------------


def assessments() -> QuerySet[Assessment]:
    return Assessment.objects.select_related("meeting").order_by("-year", "scope", "-version")


def _reads(user: Any) -> None:
    if not (roles.reads_all(user) and roles.two_factor_ok(user)):
        raise PermissionDenied


def _writes(user: Any) -> None:
    if not (roles.is_isu_staff(user) and roles.two_factor_ok(user)):
        raise PermissionDenied


def assessment_for_user(user: Any, pk: int, *, write: bool = False) -> Assessment:
    """ISU staff and the Presidency read assessments; the ISU issues their invoices."""
    (_writes if write else _reads)(user)
    found = Assessment.objects.select_related("meeting", "created_by").filter(pk=pk).first()
    if found is None:
        raise Http404("no such assessment")
    return found


def previous_version(assessment: Assessment) -> Assessment | None:
    return (
        Assessment.objects.filter(scope=assessment.scope, version__lt=assessment.version)
        .order_by("-version")
        .first()
    )


def invoice_for_user(user: Any, pk: int, *, write: bool = False) -> Invoice:
    """An invoice or credit note: ISU staff and the Presidency read every one, a focal point
    those of its own State; only the ISU corrects one (with a credit note)."""
    if write:
        _writes(user)
    elif not user.is_authenticated:
        raise PermissionDenied
    found = Invoice.objects.select_related("state", "assessment", "corrects").filter(pk=pk).first()
    # Another State's invoice answers as one that does not exist: a 403 would tell a focal
    # point which numbers are invoices (issue #32).
    if found is None or not roles.can_read_state_private(user, found.state_id):
        raise Http404("no such invoice")
    return found


def payment_for_user(user: Any, pk: int) -> Payment:
    """Payments are recorded, allocated and reversed by the ISU."""
    _writes(user)
    found = Payment.objects.select_related("state").filter(pk=pk).first()
    if found is None:
        raise Http404("no such payment")
    return found


def reads_finance(user: Any) -> bool:
    return roles.reads_all(user) and roles.two_factor_ok(user)


def credited(invoice: Invoice, as_of: date | None = None) -> Decimal:
    qs = invoice.credit_notes.all()
    if as_of is not None:
        qs = qs.filter(issued_on__lte=as_of)
    return qs.aggregate(s=Sum("amount"))["s"] or ZERO


def allocated(invoice: Invoice, as_of: date | None = None) -> Decimal:
    qs = invoice.allocations.all()
    if as_of is not None:
        qs = qs.filter(on__lte=as_of)
    return qs.aggregate(s=Sum("amount"))["s"] or ZERO


def outstanding(invoice: Invoice, as_of: date | None = None) -> Decimal:
    """What is still to be paid on an invoice: its amount less the credit notes that correct it
    and the payments set against it (never below zero; a credit note has nothing to pay)."""
    if invoice.kind != InvoiceKind.INVOICE:
        return ZERO
    return max(ZERO, invoice.amount - credited(invoice, as_of) - allocated(invoice, as_of))


def unallocated(payment: Payment) -> Decimal:
    """What of a payment is not set against an invoice yet: the State's credit."""
    if payment.reverses_id is not None or hasattr(payment, "reversed_by"):
        return ZERO
    return payment.settles - (payment.allocations.aggregate(s=Sum("amount"))["s"] or ZERO)


def unallocated_payments() -> list[tuple[Payment, Decimal]]:
    """Payments with money not yet set against an invoice (two queries)."""
    qs = (
        Payment.objects.filter(reverses=None, reversed_by=None)
        .select_related("state")
        .annotate(used=Sum("allocations__amount"))
        .order_by("-received_on", "-pk")
    )
    free = [(p, p.settles - (p.used or ZERO)) for p in qs]  # with the bank charges (issue #25)
    return [(p, left) for p, left in free if left > 0]


def balance(iso3: str, currency: str, as_of: date | None = None) -> Decimal:
    """A State's balance in one currency: the sum of its ledger entries (positive: it owes)."""
    qs = Entry.objects.filter(state_id=iso3, currency=currency)
    if as_of is not None:
        qs = qs.filter(on__lte=as_of)
    # to the cent: SQLite sums decimals as floats (-2.3E-14 for a settled account, issue #25)
    return (qs.aggregate(s=Sum("amount"))["s"] or ZERO).quantize(rules.CENT)


def balances(as_of: date | None = None) -> dict[tuple[str, str], Decimal]:
    """Every State's balance per currency, from the ledger (one query)."""
    qs = Entry.objects.all()
    if as_of is not None:
        qs = qs.filter(on__lte=as_of)
    return {
        (r["state_id"], r["currency"]): r["s"].quantize(rules.CENT)
        for r in qs.values("state_id", "currency").annotate(s=Sum("amount"))
    }


# Status of contributions and cash ---------------------------------------------------------------


@dataclass
class StatusRow:
    state: State
    assessed: Decimal = ZERO
    paid: Decimal = ZERO
    arrears: Decimal = ZERO  # outstanding from earlier years of the same flow

    @property
    def outstanding(self) -> Decimal:
        return self.assessed - self.paid


@dataclass
class Status:
    scope: str
    as_of: date
    currency: str
    rows: list[StatusRow] = field(default_factory=list)
    through_un: bool = False  # a meeting's costs: from the UN's notices and payments (issue #25)
    isu_invoices: int = 0  # a meeting's invoices issued by the ISU before issue #25: not counted

    @property
    def label(self) -> str:
        return scope_label(self.scope)

    def total(self, what: str) -> Decimal:
        return sum((getattr(r, what) for r in self.rows), ZERO)

    @property
    def totals(self) -> dict[str, Decimal]:
        return {k: self.total(k) for k in ("assessed", "paid", "outstanding", "arrears")}

    @property
    def unpaid(self) -> list[StatusRow]:
        return [r for r in self.rows if r.outstanding > 0]


def _scope_filter(scope: str, prefix: str = "") -> Q:
    """Invoices of a scope, and the credit notes that correct them by hand."""
    return Q(**{f"{prefix}assessment__scope": scope}) | Q(
        **{f"{prefix}corrects__assessment__scope": scope}
    )


def _earlier(scope: str, year: int, prefix: str = "") -> Q:
    kind = scope.partition(":")[0]
    found = Q()
    for path in ("assessment", "corrects__assessment"):
        found |= Q(
            **{f"{prefix}{path}__scope__startswith": f"{kind}:", f"{prefix}{path}__year__lt": year}
        )
    return found


def scope_year(scope: str) -> int:
    found = Assessment.objects.filter(scope=scope).values_list("year", flat=True).first()
    if found is None:
        raise Unknown(f"nothing is assessed for {scope!r}")
    return found


def status(scope: str, as_of: date) -> Status:
    """The status of contributions of an ISU budget year or a meeting as of a date: by State,
    assessed (invoices less credit notes issued by then), paid (payments set against them by
    then), outstanding, and arrears from earlier years of the same flow. Five queries."""
    year = scope_year(scope)
    if scope.startswith("meeting:"):
        return _un_status(scope, year, as_of)
    currency = Currency.CHF if scope.startswith("isu:") else Currency.USD
    here = Invoice.objects.filter(_scope_filter(scope), issued_on__lte=as_of)
    before = Invoice.objects.filter(_earlier(scope, year), issued_on__lte=as_of)
    rows: dict[str, StatusRow] = {}
    states = {
        s.iso3: s
        for s in State.objects.filter(Q(invoices__in=here) | Q(invoices__in=before)).distinct()
    }

    def row(iso3: str) -> StatusRow:
        return rows.setdefault(iso3, StatusRow(states[iso3]))

    for r in here.values("state_id", "kind").annotate(s=Sum("amount")):
        sign = 1 if r["kind"] == InvoiceKind.INVOICE else -1
        row(r["state_id"]).assessed += sign * r["s"]
    for r in (
        Allocation.objects.filter(
            _scope_filter(scope, "invoice__"), on__lte=as_of, invoice__issued_on__lte=as_of
        )
        .values("invoice__state_id")
        .annotate(s=Sum("amount"))
    ):
        row(r["invoice__state_id"]).paid += r["s"]
    for r in before.values("state_id", "kind").annotate(s=Sum("amount")):
        sign = 1 if r["kind"] == InvoiceKind.INVOICE else -1
        row(r["state_id"]).arrears += sign * r["s"]
    for r in (
        Allocation.objects.filter(
            _earlier(scope, year, "invoice__"), on__lte=as_of, invoice__issued_on__lte=as_of
        )
        .values("invoice__state_id")
        .annotate(s=Sum("amount"))
    ):
        row(r["invoice__state_id"]).arrears -= r["s"]
    found = sorted(rows.values(), key=lambda r: r.state.name)
    return Status(scope, as_of, currency, found)


def _un_status(scope: str, year: int, as_of: date) -> Status:
    """A meeting's status of contributions as the UN reported it by `as_of` (issue #25): its
    notices (assessed) and the payments it received (paid), by State; arrears from the UN's
    records of formal meetings held in earlier years. Six queries."""
    code = scope.partition(":")[2]
    here = Q(meeting__code=code)
    earlier = Q(meeting__start_date__year__lt=year) & ~here
    known = Q(on__lte=as_of, reported_on__lte=as_of)
    rows: dict[str, StatusRow] = {}
    sums: list[tuple[str, int, dict[str, Decimal]]] = []
    for model, where, what, sign in (
        (UNNotice, here, "assessed", 1),
        (UNPayment, here, "paid", 1),
        (UNNotice, earlier, "arrears", 1),
        (UNPayment, earlier, "arrears", -1),
    ):
        found = model.objects.filter(where & known).values("state_id").annotate(s=Sum("amount"))
        sums.append((what, sign, {r["state_id"]: r["s"] for r in found}))
    states = State.objects.in_bulk(list({iso3 for _w, _s, by in sums for iso3 in by}))
    for what, sign, by in sums:
        for iso3, amount in by.items():
            row = rows.setdefault(iso3, StatusRow(states[iso3]))
            setattr(row, what, getattr(row, what) + sign * amount)
    found_rows = sorted(rows.values(), key=lambda r: r.state.name)
    legacy = Invoice.objects.filter(_scope_filter(scope), issued_on__lte=as_of).count()
    return Status(scope, as_of, Currency.USD, found_rows, through_un=True, isu_invoices=legacy)


@dataclass
class CashRow:
    """One State's part of a meeting's costs as the UN reports it: its amount in the cost-share
    table, what the UN's notices asked of it and what the UN received from it."""

    state: State
    share: Decimal | None = None  # its amount in the cost-share table (the latest estimate)
    noticed: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal:
        """What a UN notice asks and the UN has not received (never below zero)."""
        return max(ZERO, self.noticed - self.paid)


@dataclass
class Cash:
    """A formal meeting's cash as the UN reports it (issue #25): the costs are paid through the
    UN, so what is received and who has not paid come from the UN's notices and payments
    recorded here, never from invoices of the ISU. With no UN report recorded by the date, who
    has paid is unknown, and the page says so (unknown is not paid)."""

    meeting: Any
    as_of: date
    required: Decimal | None  # the latest estimate of the meeting's costs known on that date
    received: Decimal
    go_no_go: date | None
    unpaid: list[CashRow]
    invoiced: Decimal = ZERO  # what the UN's notices asked by then ("noticed")
    last_report: date | None = None  # the latest day the UN reported on, up to `as_of`
    without_notice: list[CashRow] = field(default_factory=list)  # in the table, no notice yet
    isu_invoices: int = 0  # meeting-cost invoices the ISU issued before issue #25: not counted

    @property
    def known(self) -> bool:
        return self.last_report is not None

    @property
    def not_invoiced(self) -> Decimal:
        """What of the estimate no UN notice recorded here asks for yet: outstanding too (issue
        #24: the page said everyone had paid while USD 400,000 was not yet asked for)."""
        return max(ZERO, (self.required or ZERO) - self.invoiced)

    @property
    def outstanding(self) -> Decimal:
        return sum((r.outstanding for r in self.unpaid), ZERO) + self.not_invoiced

    @property
    def all_paid(self) -> bool:
        """Everyone the UN asked has paid, nothing of the estimate is left to ask, and the UN
        has reported at all (unknown is never "paid")."""
        return self.known and self.outstanding == 0

    @property
    def short(self) -> Decimal:
        return max(ZERO, (self.required or ZERO) - self.received)

    @property
    def go_no_go_passed(self) -> bool:
        return self.go_no_go is not None and self.as_of >= self.go_no_go


def latest_estimate(meeting: Any, as_of: date | None = None) -> Assessment | None:
    """The newest estimate of a meeting's costs (saved by `as_of`, when given)."""
    qs = Assessment.objects.filter(
        scope=f"meeting:{meeting.code}", purpose=Purpose.MEETING_ESTIMATE
    )
    if as_of is not None:
        qs = qs.filter(created_at__date__lte=as_of)
    return qs.order_by("-version").first()


def cash(meeting: Any, as_of: date) -> Cash:
    """Cash received by the UN for a meeting against its estimated costs, as of a date, from the
    UN's notices and payments reported by then; the go/no-go date (CCM_GO_NO_GO_DAYS before it
    opens) and who has not paid. Seven queries."""
    scope = f"meeting:{meeting.code}"
    estimate = latest_estimate(meeting, as_of)
    required = estimate.cost if estimate else None
    rows: dict[str, CashRow] = {}
    states: dict[str, State] = {}
    if estimate is not None:
        for line in estimate.lines.select_related("state").exclude(amount=None):
            states[line.state_id] = line.state
            rows[line.state_id] = CashRow(line.state, share=line.amount)
    known = [
        d
        for d in (
            UNNotice.objects.filter(meeting=meeting, reported_on__lte=as_of).aggregate(
                d=Max("reported_on")
            )["d"],
            UNPayment.objects.filter(meeting=meeting, reported_on__lte=as_of).aggregate(
                d=Max("reported_on")
            )["d"],
            UNStatement.objects.filter(meeting=meeting, reported_on__lte=as_of).aggregate(
                d=Max("reported_on")
            )["d"],
        )
        if d is not None
    ]
    sums: list[tuple[str, dict[str, Decimal]]] = []
    for name, model in (("noticed", UNNotice), ("paid", UNPayment)):
        found = (
            model.objects.filter(meeting=meeting, reported_on__lte=as_of, on__lte=as_of)
            .values("state_id")
            .annotate(s=Sum("amount"))
        )
        sums.append((name, {r["state_id"]: r["s"] for r in found}))
    missing = {iso3 for _n, by in sums for iso3 in by} - set(states)
    if missing:
        states.update(State.objects.in_bulk(list(missing)))
    for name, by in sums:
        for iso3, amount in by.items():
            row = rows.setdefault(iso3, CashRow(states[iso3]))
            setattr(row, name, amount)
    ordered = sorted(rows.values(), key=lambda r: r.state.name)
    last = max(known) if known else None
    day = rules.go_no_go(meeting.start_date, conf.CCM_GO_NO_GO_DAYS)
    return Cash(
        meeting,
        as_of,
        required,
        sum((r.paid for r in ordered), ZERO),
        day,
        [r for r in ordered if r.outstanding > 0] if last else [],
        sum((r.noticed for r in ordered), ZERO),
        last,
        [r for r in ordered if r.noticed == 0 and r.paid == 0 and r.share] if last else [],
        Invoice.objects.filter(_scope_filter(scope)).count(),
    )


def upcoming_cash(today: date) -> list[Cash]:
    """The cash of each meeting that is still to come and has an assessment."""
    codes = (
        Assessment.objects.filter(meeting__start_date__gte=today)
        .values_list("meeting__code", flat=True)
        .distinct()
    )
    return [cash(meetings.meeting(code), today) for code in sorted(set(codes))]


def scopes() -> list[str]:
    """Every scope with an assessment, newest year first."""
    seen: dict[str, int] = {}
    for scope, year in Assessment.objects.values_list("scope", "year"):
        seen[scope] = year
    return sorted(seen, key=lambda s: (-seen[s], s))


def published(scope: str | None = None) -> list[Publication]:
    qs = Publication.objects.all()
    if scope is not None:
        qs = qs.filter(scope=scope)
    latest: dict[str, Publication] = {}
    for p in qs:
        latest.setdefault(p.scope, p)
    return list(latest.values())


# A State's account ----------------------------------------------------------------------------


@dataclass
class Account:
    state: State
    invoices: list[Invoice]
    payments: list[Payment]
    balances: dict[str, Decimal]  # currency -> balance from the ledger


def account(state: State) -> Account:
    """A State's invoices, payments and balances, all from its ledger entries (one query)."""
    invoices: list[Invoice] = []
    payments: list[Payment] = []
    sums: dict[str, Decimal] = {}
    for e in Entry.objects.filter(state=state).select_related("invoice", "payment"):
        sums[e.currency] = sums.get(e.currency, ZERO) + e.amount
        if e.invoice is not None:
            invoices.append(e.invoice)
        if e.payment is not None:
            payments.append(e.payment)
    invoices.sort(key=lambda i: (i.issued_on, i.pk), reverse=True)
    payments.sort(key=lambda p: (p.received_on, p.pk), reverse=True)
    return Account(state, invoices, payments, sums)


def account_for_user(user: Any, state: State) -> Account | None:
    """A State's account for staff, the Presidency and its own focal points; None otherwise."""
    if not roles.can_read_state_private(user, state.iso3):
        return None
    return account(state)


def _left_to_pay(invoices: list[Invoice], as_of: date) -> dict[int, Decimal]:
    """What is still to pay on `as_of` of each of these invoices: its amount less what was
    allocated to it and the corrections (credit notes, write-offs) issued by then. Two queries."""
    ids = [i.pk for i in invoices]
    paid = dict(
        Allocation.objects.filter(invoice_id__in=ids, on__lte=as_of)
        .values("invoice_id")
        .annotate(s=Sum("amount"))
        .values_list("invoice_id", "s")
    )
    credit = dict(
        Invoice.objects.filter(corrects_id__in=ids, issued_on__lte=as_of)
        .values("corrects_id")
        .annotate(s=Sum("amount"))
        .values_list("corrects_id", "s")
    )
    return {
        i.pk: i.amount - (paid.get(i.pk) or ZERO) - (credit.get(i.pk) or ZERO) for i in invoices
    }


def unpaid_invoices(as_of: date, iso3s: list[str]) -> dict[str, list[tuple[Invoice, Decimal]]]:
    """The invoices of these States with something still to pay on `as_of`, with what (three
    queries)."""
    invoices = list(
        Invoice.objects.filter(
            state_id__in=iso3s, kind=InvoiceKind.INVOICE, issued_on__lte=as_of
        ).order_by("issued_on", "number")
    )
    left_of = _left_to_pay(invoices, as_of)
    out: dict[str, list[tuple[Invoice, Decimal]]] = {}
    for inv in invoices:
        left = left_of[inv.pk]
        if left > 0:
            out.setdefault(inv.state_id, []).append((inv, left))
    return out


# A State's ledger (issue #25) ------------------------------------------------------------------


@dataclass
class LedgerLine:
    entry: Entry
    balance: Decimal  # the State's balance in the entry's currency after it


def ledger(state: State) -> dict[str, list[LedgerLine]]:
    """A State's ledger per currency, in order, each entry with the balance after it; the last
    balance is `balance()` (one query)."""
    out: dict[str, list[LedgerLine]] = {}
    running: dict[str, Decimal] = {}
    for e in Entry.objects.filter(state=state).select_related("invoice", "payment", "charges_of"):
        running[e.currency] = running.get(e.currency, ZERO) + e.amount
        out.setdefault(e.currency, []).append(LedgerLine(e, running[e.currency]))
    return dict(sorted(out.items()))


def ledger_state_for_user(user: Any, iso3: str) -> State:
    """A State whose ledger the ISU and the Presidency read (a forged code: 404)."""
    _reads(user)
    found = State.objects.filter(iso3=iso3).first()
    if found is None:
        raise Http404("no such State")
    return found


# The ISU's finance settings (issue #25) ---------------------------------------------------------


@dataclass
class Setup:
    """The finance settings in force: the latest saved by staff, or (before the first save) the
    environment's values, proposed but not yet set."""

    letterhead: str
    bank_details: dict[str, str]
    minimum: dict[str, Decimal]
    write_off_limit: dict[str, Decimal]
    saved: FinanceSettings | None

    @property
    def missing(self) -> list[str]:
        """What is not set yet, for the warning on every finance page and the invoice preview."""
        from django.utils.translation import gettext as _

        out = []
        if self.saved is None:
            out.append(_("The finance settings have never been saved by the ISU."))
        if not self.letterhead.strip():
            out.append(_("The ISU's letterhead (name and address) is empty."))
        for currency in Currency.values:
            if not self.bank_details.get(currency, "").strip():
                out.append(_("No bank details for %(currency)s.") % {"currency": currency})
        return out

    def minimum_for(self, currency: str) -> Decimal | None:
        return self.minimum.get(currency)

    def limit_for(self, currency: str) -> Decimal | None:
        return self.write_off_limit.get(currency)


def _amounts(data: dict[str, Any]) -> dict[str, Decimal]:
    return {c: Decimal(str(v)) for c, v in data.items() if v not in (None, "")}


def setup() -> Setup:
    """The finance settings in force (one query)."""
    saved = FinanceSettings.objects.select_related("created_by").first()
    if saved is not None:
        return Setup(
            saved.letterhead,
            dict(saved.bank_details),
            _amounts(saved.minimum),
            _amounts(saved.write_off_limit),
            saved,
        )
    return Setup(
        str(getattr(conf, "CCM_ISU_ADDRESS", "")),
        {c: str(v) for c, v in getattr(conf, "CCM_BANK_DETAILS", {}).items()},
        {},
        _amounts(getattr(conf, "CCM_WRITE_OFF_LIMIT", {})),
        None,
    )


def settings_history() -> QuerySet[FinanceSettings]:
    return FinanceSettings.objects.select_related("created_by").all()[:20]


def entered_rates() -> QuerySet[Rate]:
    """The notional rates and the rates entered by the ISU, each with its source."""
    return (
        Rate.objects.filter(Q(notional=True) | Q(added_by__isnull=False))
        .select_related("state", "added_by")
        .order_by("-first_year", "state__name_en")
    )


def reads_settings(user: Any) -> None:
    """The finance settings and the rates pages: the ISU only (PermissionDenied otherwise)."""
    _writes(user)


# Meeting costs through the UN (issue #25) ------------------------------------------------------


def formal_meeting_for_user(user: Any, code: str, *, write: bool = False) -> Any:
    """A formal meeting's costs as the UN administers them: ISU staff and the Presidency read
    them, the ISU records what the UN reports. An unknown or informal meeting is a 404."""
    (_writes if write else _reads)(user)
    try:
        meeting = meeting_of(code)
    except Unknown:
        raise Http404("no such meeting") from None
    if not meetings.is_formal(meeting):
        raise Http404("an informal meeting's costs are not shared under Art. 14")
    return meeting


def cost_share_assessments(meeting: Any) -> list[Assessment]:
    """Every version of a meeting's cost-share table (estimate and actual), newest first."""
    return list(
        Assessment.objects.filter(scope=f"meeting:{meeting.code}")
        .exclude(purpose=Purpose.ISU_BUDGET)
        .order_by("-version")
    )


def cost_share_rows(assessment: Assessment) -> list[tuple[Any, Decimal | None, Decimal | None]]:
    """The cost-share table's lines by State name: (line, share in percent, amount); the
    excluded ones with their reason (one query)."""
    lines = assessment.lines.select_related("state").order_by("state__name_en")
    return [(ln, share_percent(ln.share), ln.amount) for ln in lines]


def published_cost_share(code: str) -> CostSharePublication | None:
    """The cost-share table of a meeting as last published by the ISU (None before)."""
    return (
        CostSharePublication.objects.filter(assessment__meeting__code=code)
        .select_related("assessment", "assessment__meeting")
        .order_by("-published_at", "-pk")
        .first()
    )


def published_cost_shares() -> list[CostSharePublication]:
    """Each meeting's cost-share table as last published, newest meeting first (one query)."""
    latest: dict[int, CostSharePublication] = {}
    for p in CostSharePublication.objects.select_related(
        "assessment", "assessment__meeting"
    ).order_by("-published_at", "-pk"):
        latest.setdefault(p.assessment.meeting_id or 0, p)
    return sorted(latest.values(), key=lambda p: p.assessment.year, reverse=True)


@dataclass
class UNRecords:
    notices: list[UNNotice]
    payments: list[UNPayment]
    statements: list[UNStatement]


def un_records(meeting: Any) -> UNRecords:
    """What the UN reported on a meeting's costs, as recorded (three queries)."""
    order = ("-on", "state__name_en")
    return UNRecords(
        list(UNNotice.objects.filter(meeting=meeting).select_related("state").order_by(*order)),
        list(UNPayment.objects.filter(meeting=meeting).select_related("state").order_by(*order)),
        list(UNStatement.objects.filter(meeting=meeting)),
    )


def overdue_invoices(
    as_of: date,
) -> tuple[list[tuple[Invoice, Decimal]], list[tuple[Invoice, Decimal]]]:
    """The invoices with something still to pay on `as_of` whose due date has passed, with
    what (the staff to-do, issue #26), oldest first; and apart, those unpaid with no due date
    on record (never called overdue). Three queries."""
    invoices = list(
        Invoice.objects.filter(kind=InvoiceKind.INVOICE, issued_on__lte=as_of)
        .filter(Q(due_on__lt=as_of) | Q(due_on=None))
        .select_related("state")
        .order_by("due_on", "issued_on", "number")
    )
    left_of = _left_to_pay(invoices, as_of)
    overdue: list[tuple[Invoice, Decimal]] = []
    undated: list[tuple[Invoice, Decimal]] = []
    for inv in invoices:
        left = left_of[inv.pk]
        if left > 0:
            (overdue if inv.due_on else undated).append((inv, left))
    return overdue, undated


# The States a batch could not reach (issue #26) ---------------------------------------------


NOT_EMAILED = "invoice.not_emailed"  # the audit verb of a document a batch could not e-mail


@dataclass(frozen=True)
class Unreached:
    """A State a batch of invoices did not e-mail, why, and whether it could be reached now."""

    state: State
    invoice: Invoice
    no_address: bool  # the batch found no address on record (False: issued without e-mail)
    address_now: bool


def not_emailed(assessment: Assessment) -> list[Unreached]:
    """Every document of an assessment issued but not e-mailed, across all the batches that
    issued them (read from the documents and their audit, not from the last batch's answer),
    with the reason: three queries whatever the number of States."""
    from ccm.core.models import AuditEvent
    from ccm.registry.selectors import states_with_address

    found = list(
        assessment.invoices.filter(sent_at=None).select_related("state").order_by("state__name_en")
    )
    if not found:
        return []
    logged = set(
        AuditEvent.objects.filter(
            verb=NOT_EMAILED,
            object_type=Invoice._meta.label_lower,
            object_id__in=[str(i.pk) for i in found],
        ).values_list("object_id", flat=True)
    )
    reachable = states_with_address(i.state_id for i in found)
    return [
        Unreached(
            state=i.state,
            invoice=i,
            no_address=str(i.pk) in logged,
            address_now=i.state_id in reachable,
        )
        for i in found
    ]
