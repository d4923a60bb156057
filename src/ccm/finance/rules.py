"""The assessment engine (issue #13): shares of a cost on the UN scale "adjusted appropriately"
(Art. 14: meeting costs; the ISU budget by decision of the Meetings), as pure functions.

Money is Decimal, never float. Shares keep full precision (40 digits) until the end; each amount
is then rounded to the cent by largest remainder, so that the amounts add up exactly to the cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal, localcontext

CENT = Decimal("0.01")
EXCLUDE = "exclude"
MINIMUM = "minimum"  # a payer without a rate pays the minimum contribution, the others the rest
MAX_ROUNDS = 200  # each round fixes at least one payer: never more rounds than payers


class NoRate(ValueError):
    """A payer has no rate and the assessment does not say what to do with it: it is never
    dropped silently."""


@dataclass(frozen=True)
class Settings:
    """Optional adjustments, off by default, stated on every document that uses them:
    a ceiling and a floor on the adjusted share (re-applied after renormalising, until stable),
    a minimum contribution, and what to do with payers without a rate (a configured rate in
    percent, MINIMUM or EXCLUDE)."""

    ceiling: Decimal | None = None  # a share, e.g. Decimal("0.22")
    floor: Decimal | None = None  # a share, e.g. Decimal("0.00001")
    minimum: Decimal | None = None  # an amount in the assessment's currency
    without_rate: Mapping[str, Decimal | str] = field(default_factory=dict)
    exclude_reason: str = ""  # why payers without a rate are excluded (issue #25), on the lines


@dataclass(frozen=True)
class Line:
    payer: str
    rate: Decimal | None  # the UN rate used, in percent; None for one paying the minimum
    share: Decimal  # the adjusted share, 0..1, full precision
    amount: Decimal  # in the currency, to the cent


@dataclass(frozen=True)
class Assessment:
    cost: Decimal
    lines: list[Line]
    excluded: dict[str, str]  # payer -> why
    method: list[str]


def _bounded(rates: dict[str, Decimal], low: Decimal, high: Decimal | None) -> dict[str, Decimal]:
    """Shares proportional to the rates, with each share held within [low, high]: a payer out
    of bounds is fixed at the bound and the rest renormalised over the others, until stable."""
    fixed: dict[str, Decimal] = {}
    for _round in range(MAX_ROUNDS):
        free = {p: r for p, r in rates.items() if p not in fixed}
        left = Decimal(1) - sum(fixed.values(), Decimal(0))
        total = sum(free.values(), Decimal(0))
        shares = {p: (r / total * left if total else Decimal(0)) for p, r in free.items()}
        over = {p for p, s in shares.items() if high is not None and s > high}
        under = {p for p, s in shares.items() if s < low}
        if not over and not under:
            return {**fixed, **shares}
        for p in over:
            fixed[p] = high  # type: ignore[assignment]
        if not over:  # raise the smallest first; the others pay for it pro rata
            for p in under:
                fixed[p] = low
    raise ValueError("the ceiling and floor cannot both be met for these payers")


def largest_remainder(cost: Decimal, shares: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Each payer's amount to the cent, adding up exactly to `cost`: every amount rounded down,
    then the cents left given one each to the largest remainders (ties: by payer code)."""
    raw = {p: cost * s for p, s in shares.items()}
    amounts = {p: v.quantize(CENT, rounding=ROUND_DOWN) for p, v in raw.items()}
    left = int((cost - sum(amounts.values(), Decimal(0))) / CENT)
    for p in sorted(raw, key=lambda p: (-(raw[p] - amounts[p]), p))[:left]:
        amounts[p] += CENT
    return amounts


def assess(
    cost: Decimal, rates: Mapping[str, Decimal | None], settings: Settings | None = None
) -> Assessment:
    """Each payer's rate, adjusted share and amount of `cost` (Art. 14: the UN scale adjusted to
    the payers). `rates` are UN rates in percent; None for a payer without one."""
    if not isinstance(cost, Decimal) or cost < 0 or cost != cost.quantize(CENT):
        raise ValueError("the cost is a Decimal amount to the cent, not negative")
    settings = settings or Settings()
    used: dict[str, Decimal] = {}
    fixed: dict[str, Decimal] = {}  # payers without a rate who pay the minimum contribution
    excluded: dict[str, str] = {}
    method = ["UN scale of assessments, adjusted: share = rate / sum of the payers' rates"]
    for payer, rate in sorted(rates.items()):
        if rate is None:
            chosen = settings.without_rate.get(payer)
            if chosen is None:
                raise NoRate(f"{payer} has no rate: configure one or exclude it")
            if chosen == EXCLUDE:
                excluded[payer] = settings.exclude_reason or (
                    "no UN rate; excluded by the assessment's settings"
                )
                continue
            if chosen == MINIMUM:
                if settings.minimum is None:
                    raise NoRate(f"{payer} is to pay the minimum contribution: set one")
                fixed[payer] = settings.minimum
                method.append(f"{payer}: no UN rate; pays the minimum contribution")
                continue
            rate = Decimal(chosen)
            method.append(f"{payer}: no UN rate; configured rate {rate}%")
        if rate <= 0:
            excluded[payer] = "a rate of zero"
            continue
        used[payer] = Decimal(rate)
    if not used:
        raise ValueError("no payer with a rate")
    rest = cost - sum(fixed.values(), Decimal(0))
    if rest < 0:
        raise ValueError("the minimum contributions are more than the cost")
    with localcontext() as ctx:
        ctx.prec = 40
        low = Decimal(0)
        if settings.floor is not None:
            low = settings.floor
            method.append(f"floor on the adjusted share: {settings.floor}")
        if settings.minimum is not None and rest:
            low = max(low, settings.minimum / rest)
            method.append(f"minimum contribution: {settings.minimum}")
        if settings.ceiling is not None:
            method.append(f"ceiling on the adjusted share: {settings.ceiling}")
        if low * len(used) > 1:
            raise ValueError("the floor or minimum is more than the cost allows")
        if settings.ceiling is not None and settings.ceiling * len(used) < 1:
            raise ValueError("the ceiling is too low for so few payers to cover the cost")
        shares = _bounded(used, low, settings.ceiling)
        amounts = largest_remainder(rest, shares)
        if fixed:  # shares of the whole cost: the fixed payers' first, the rest pro rata
            shares = {p: s * rest / cost for p, s in shares.items()} if cost else shares
            shares.update({p: (m / cost if cost else Decimal(0)) for p, m in fixed.items()})
    method.append("amounts rounded to the cent by largest remainder; they add up to the cost")
    rates_used: dict[str, Decimal | None] = {**used, **{p: None for p in fixed}}
    amounts.update(fixed)
    lines = [Line(p, rates_used[p], shares[p], amounts[p]) for p in sorted(rates_used)]
    return Assessment(cost, lines, excluded, method)


# Periods, due dates and reminders ------------------------------------------------------------


def period_of(year: int, periods: list[str]) -> str | None:
    """The scale period ("2025-2027") in force in `year`: the UN General Assembly adopts a scale
    for three calendar years (Financial Regulation 3.1 / Rules of Procedure rule 160)."""
    for period in periods:
        first, last = (int(y) for y in period.split("-"))
        if first <= year <= last:
            return period
    return None


def go_no_go(start: date | None, days: int) -> date | None:
    """The day the UN checks that a meeting's costs are in hand (about 90 days before it opens,
    under the UN's financial rules since about 2016)."""
    return start - timedelta(days=days) if start else None


def reminder_stage(due_on: date | None, today: date, first: int, second: int) -> str | None:
    """Which reminder an unpaid invoice calls for on `today`: "second" from `second` days after
    its due date, "first" from `first` days, none before (or without a due date)."""
    if due_on is None:
        return None
    late = (today - due_on).days
    if late >= second:
        return "second"
    if late >= first:
        return "first"
    return None


# Payments as banks make them ----------------------------------------------------------------


def payment_problems(
    *,
    credited: Decimal,
    currency: str,
    charges: Decimal,
    sent_amount: Decimal | None,
    sent_currency: str,
) -> list[str]:
    """What is wrong with a payment as the bank statement gives it (issue #25): `credited` to
    the ISU's account in `currency` (the invoice's), `charges` taken by the banks on the way
    (in `currency` too), and what the State sent (`sent_amount` in `sent_currency`; both or
    neither). Sent in the same currency, what was sent is exactly what was credited plus the
    charges; sent in another, the banks' exchange rate is not checked here."""
    problems = []
    if credited <= 0 or credited != credited.quantize(CENT):
        problems.append("the amount credited is more than zero, to the cent")
    if charges < 0 or charges != charges.quantize(CENT):
        problems.append("bank charges are zero or more, to the cent")
    if (sent_amount is None) != (not sent_currency):
        problems.append("give the amount sent and its currency together")
    if sent_currency and not (len(sent_currency) == 3 and sent_currency.isalpha()):
        problems.append("a currency is three letters (ISO 4217), such as EUR")
    if sent_amount is not None:
        if sent_amount <= 0 or sent_amount != sent_amount.quantize(CENT):
            problems.append("the amount sent is more than zero, to the cent")
        elif sent_currency.upper() == currency and sent_amount != credited + charges:
            problems.append(
                "sent in the invoice's currency, the amount sent is the amount credited "
                "plus the bank charges"
            )
    return problems


def write_off_problems(
    *, amount: Decimal, outstanding: Decimal, limit: Decimal | None, reason: str
) -> list[str]:
    """Why a write-off of a small difference left on an invoice is refused: it needs a reason,
    is more than zero, at most what the invoice still bears and at most the ISU's limit (a
    setting; none set: no write-off)."""
    problems = []
    if not reason.strip():
        problems.append("say why the difference is written off")
    if amount <= 0 or amount != amount.quantize(CENT):
        problems.append("a write-off is more than zero, to the cent")
    if amount > outstanding:
        problems.append(f"the invoice bears only {outstanding}")
    if limit is None:
        problems.append("no write-off limit is set in the finance settings")
    elif amount > limit:
        problems.append(f"a write-off is at most {limit} (the limit in the finance settings)")
    return problems
