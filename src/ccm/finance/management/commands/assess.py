"""`ccm assess --cost AMOUNT --currency CUR --year YYYY --payers parties|meeting:CODE
--as-of YYYY-MM-DD --format json|table [--ceiling P] [--floor P] [--minimum AMOUNT]
[--without-rate exclude|rate|minimum] [--without-rate-value P] [--exclude-reason TEXT]
[--save --purpose isu|estimate|actual]`

A stable contract (issue #13): other tools read this output. It computes an assessment and
prints it; it stores nothing unless `--save`. Bad input exits 2 with one line.

A payer without a rate for the period (a UN rate, or a notional rate shipped or entered by the
ISU with its source) is never dropped silently: it is named in `excluded` with the reason, and
listed in `without_rate_payers` whatever the rule (issue #25).
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.core.commands import check_format, parse_as_of
from ccm.finance import rules, selectors, services
from ccm.finance.choices import Currency, Purpose, WithoutRate

FORMATS = ("json", "table")


def _bad(option: str, message: str) -> CommandError:
    return CommandError(f"{option}: {message}", returncode=2)


def _percent(option: str, value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        found = Decimal(value)
    except InvalidOperation:
        raise _bad(option, f"{value!r} is not a number") from None
    if not found.is_finite() or not 0 < found <= 100:
        raise _bad(option, f"{value!r} is not a percentage above 0 and up to 100")
    return found


class Command(BaseCommand):
    help = "Compute an assessment on the adjusted UN scale (stored only with --save)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cost", required=True)
        parser.add_argument("--currency", required=True)
        parser.add_argument("--year", required=True)
        parser.add_argument("--payers", default="parties", help="parties or meeting:CODE")
        parser.add_argument("--as-of", dest="as_of")
        parser.add_argument("--format", default="json")
        parser.add_argument("--ceiling", help="percent of the cost")
        parser.add_argument("--floor", help="percent of the cost")
        parser.add_argument("--minimum", help="an amount in the currency")
        parser.add_argument(
            "--without-rate", default=WithoutRate.EXCLUDE, choices=WithoutRate.values
        )
        parser.add_argument("--without-rate-value", help="percent, with --without-rate rate")
        parser.add_argument(
            "--exclude-reason", default="", help="why payers without a rate are excluded"
        )
        parser.add_argument("--save", action="store_true")
        parser.add_argument("--purpose", choices=Purpose.values)

    def handle(self, *args: Any, **o: Any) -> None:
        check_format(o["format"], FORMATS)
        try:
            cost = selectors.money(o["cost"])
        except ValueError as exc:
            raise _bad("--cost", str(exc)) from None
        currency = o["currency"].upper()
        if currency not in Currency.values:
            raise _bad(
                "--currency", f"{o['currency']!r} is not one of {', '.join(Currency.values)}"
            )
        if not o["year"].isdigit() or not 1000 <= int(o["year"]) <= 9999:
            raise _bad("--year", f"{o['year']!r} is not a year (YYYY)")
        as_of = parse_as_of(o["as_of"])
        minimum = None
        if o["minimum"] is not None:
            try:
                minimum = selectors.money(o["minimum"])
            except ValueError as exc:
                raise _bad("--minimum", str(exc)) from None
        options = selectors.Options(
            ceiling=_percent("--ceiling", o["ceiling"]),
            floor=_percent("--floor", o["floor"]),
            minimum=minimum,
            without_rate=o["without_rate"],
            without_rate_value=_percent("--without-rate-value", o["without_rate_value"]),
            exclude_reason=o["exclude_reason"].strip(),
        )
        try:
            computed = selectors.compute(
                cost=cost,
                currency=currency,
                year=int(o["year"]),
                payers=o["payers"],
                as_of=as_of,
                options=options,
            )
        except selectors.Unknown as exc:
            raise CommandError(str(exc), returncode=2) from None
        except rules.NoRate as exc:
            raise _bad("--without-rate", str(exc)) from None
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        out = computed.as_json()
        if o["save"]:
            purpose = o["purpose"] or (
                Purpose.ISU_BUDGET if o["payers"] == "parties" else Purpose.MEETING_ESTIMATE
            )
            try:
                saved = services.save_assessment(computed, purpose=purpose, by=None)
            except services.Refused as exc:
                raise CommandError(str(exc), returncode=2) from None
            out["saved"] = {"reference": saved.reference, "id": saved.pk}
        if o["format"] == "json":
            self.stdout.write(json.dumps(out, indent=2))
            return
        for p in out["payers"]:
            self.stdout.write(f"{p['iso3']}  {p['rate'] or '-':>8}  {p['amount']:>16}")
        for e in out["excluded"]:
            self.stdout.write(f"{e['iso3']}  excluded: {e['reason']}")
        self.stdout.write(f"total  {out['cost']} {out['currency']}  (scale {out['scale_period']})")
