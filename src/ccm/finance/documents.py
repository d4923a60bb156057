"""What finance prints (issue #13): each invoice or credit note as a PDF in the State's
language with the assessment's basis and method and the bank details, its e-mail, the status
of contributions (PDF for the Meeting's documents, XLSX), and the Presidency's appeal letter to
the States with their balances."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ccm.core import spreadsheets
from ccm.core.pdf import html_to_pdf
from ccm.finance import selectors
from ccm.finance.models import Invoice
from ccm.meetings import selectors as meetings


def _state_name(state: Any, language: str) -> str:
    return getattr(state, f"name_{language}", "") or state.name_en


def payers_of(assessment: Any) -> int:
    return assessment.lines.exclude(amount=None).count() if assessment else 0


def invoice_context(invoice: Invoice) -> dict[str, Any]:
    assessment = invoice.assessment
    line = None
    if assessment is not None:
        line = assessment.lines.filter(state_id=invoice.state_id).first()
    share = None
    if line is not None and line.share:
        share = (Decimal(line.share) * 100).quantize(Decimal("0.000001"))
    return {
        "invoice": invoice,
        "assessment": assessment,
        "line": line,
        "share": share,
        "options": selectors.Options.from_json(assessment.options) if assessment else None,
        "payers": payers_of(assessment),
        "state_name": _state_name(invoice.state, invoice.language),
        "scope": selectors.scope_label(assessment.scope) if assessment else "",
        "lines": [(label, Decimal(amount)) for label, amount in invoice.lines],
        **_letterhead(invoice.currency),
        "excluded": excluded_of(assessment),
        "at_minimum": _at_minimum(assessment, line),
        "language": invoice.language,
    }


def _letterhead(currency: str) -> dict[str, Any]:
    """The ISU's letterhead and bank details as the finance settings hold them (issue #25)."""
    found = selectors.setup()
    return {"bank": found.bank_details.get(currency, ""), "isu_address": found.letterhead}


def excluded_of(assessment: Any) -> list[tuple[str, str]]:
    """Who an assessment left out and why, by name, for every document that shows it."""
    if assessment is None:
        return []
    return [
        (ln.state.name, ln.excluded)
        for ln in assessment.lines.filter(amount=None).select_related("state")
    ]


def _at_minimum(assessment: Any, line: Any) -> bool:
    """Whether this payer pays the minimum contribution (its share on the scale was less)."""
    if assessment is None or line is None or line.amount is None:
        return False
    minimum = selectors.Options.from_json(assessment.options).minimum
    return minimum is not None and line.amount == minimum


def invoice_html(invoice: Invoice) -> str:
    with translation.override(invoice.language):
        return render_to_string("finance/pdf/invoice.html", invoice_context(invoice))


def invoice_pdf(invoice: Invoice) -> bytes:
    return html_to_pdf(invoice_html(invoice))


def invoice_email(invoice: Invoice) -> tuple[str, str]:
    """Subject and text of the e-mail that carries an invoice, in its language."""
    with translation.override(invoice.language):
        what = str(invoice.get_kind_display())
        subject = _("Convention on Cluster Munitions: %(what)s %(number)s") % {
            "what": what,
            "number": invoice.number,
        }
        body = render_to_string("finance/email/invoice.txt", invoice_context(invoice))
    return subject, body


def reminder_email(invoice: Invoice, outstanding: Decimal, stage: str) -> tuple[str, str]:
    with translation.override(invoice.language):
        subject = _("Reminder: invoice %(number)s of the Convention on Cluster Munitions") % {
            "number": invoice.number
        }
        body = render_to_string(
            "finance/email/reminder.txt",
            {
                **invoice_context(invoice),
                "outstanding": outstanding,
                "second": stage == "second",
            },
        )
    return subject, body


# The status of contributions ----------------------------------------------------------------


def status_pdf(st: selectors.Status, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string("finance/pdf/status.html", {"status": st, "language": language})
    return html_to_pdf(html)


def status_xlsx(st: selectors.Status) -> bytes:
    """One row per State, then the total; amounts as numbers with two decimals, text as text."""
    buffer = io.BytesIO()
    book = spreadsheets.workbook(buffer)
    bold = book.add_format({"bold": True})
    amount = book.add_format({"num_format": "#,##0.00"})
    total = book.add_format({"num_format": "#,##0.00", "bold": True})
    sheet = book.add_worksheet(_("Contributions")[:31])
    sheet.write_string(
        0,
        0,
        f"{st.label} ({st.currency}), " + _("as of %(date)s") % {"date": st.as_of.isoformat()},
        bold,
    )
    headers = [
        "ISO3",
        _("State"),
        _("Assessed"),
        _("Paid"),
        _("Outstanding"),
        _("Arrears from earlier years"),
    ]
    for col, text in enumerate(headers):
        sheet.write_string(2, col, text, bold)
    row = 3
    for r in st.rows:
        sheet.write_string(row, 0, r.state.iso3)
        sheet.write_string(row, 1, r.state.name)
        for col, value in enumerate((r.assessed, r.paid, r.outstanding, r.arrears), start=2):
            sheet.write_number(row, col, float(value), amount)  # to the cent: exact in a double
        row += 1
    sheet.write_string(row, 1, _("Total"), bold)
    for col, key in enumerate(("assessed", "paid", "outstanding", "arrears"), start=2):
        sheet.write_number(row, col, float(st.totals[key]), total)
    sheet.freeze_panes(3, 0)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, 5, 16)
    book.close()
    return buffer.getvalue()


# The Presidency's appeal ----------------------------------------------------------------------


def appeal_pdf(as_of: date) -> tuple[bytes, int]:
    """One letter per State that owes anything on `as_of`, in its language, on the Presidency's
    letterhead: its balance per currency and its invoices still unpaid. Returns the PDF and the
    number of letters."""
    balances = selectors.balances(as_of)
    owing: dict[str, dict[str, Decimal]] = {}
    for (iso3, currency), value in balances.items():
        if value > 0:
            owing.setdefault(iso3, {})[currency] = value
    unpaid = selectors.unpaid_invoices(as_of, sorted(owing))
    from ccm.registry.models import State

    letters = []
    for state in State.objects.filter(iso3__in=list(owing)).order_by("name_en"):
        language = state.language if state.language in ("en", "fr", "es") else "en"
        with translation.override(language):
            letters.append(
                render_to_string(
                    "finance/pdf/appeal_letter.html",
                    {
                        "state": state,
                        "state_name": _state_name(state, language),
                        "balances": sorted(owing[state.iso3].items()),
                        "invoices": unpaid.get(state.iso3, []),
                        "as_of": as_of,
                        "language": language,
                        "letterhead": meetings.letterhead(language, as_of),
                    },
                )
            )
    with translation.override("en"):
        html = render_to_string("finance/pdf/appeal.html", {"letters": letters, "language": "en"})
    return html_to_pdf(html), len(letters)


# A meeting's cost-share table (issue #25) ----------------------------------------------------


def cost_share_context(assessment: Any) -> dict[str, Any]:
    rows = selectors.cost_share_rows(assessment)
    return {
        "assessment": assessment,
        "meeting": assessment.meeting,
        "rows": rows,
        "total": sum((amount or Decimal(0) for _ln, _s, amount in rows), Decimal("0.00")),
        "options": selectors.Options.from_json(assessment.options),
    }


def cost_share_pdf(assessment: Any, language: str) -> bytes:
    """The cost-share table as published: each payer's rate, adjusted share and amount in USD,
    the States left out with the reason, and that it is paid through the UN, not to the ISU."""
    with translation.override(language):
        html = render_to_string("finance/pdf/cost_share.html", cost_share_context(assessment))
    return html_to_pdf(html)


def cost_share_csv(assessment: Any) -> bytes:
    """The same table as CSV (UTF-8): iso3, state, un_rate_percent, share_percent, amount_usd,
    excluded; the last line the total. Text cells starting with = + - @ are quoted as text."""
    import csv

    def text(value: str) -> str:
        return "'" + value if value[:1] in ("=", "+", "-", "@") else value

    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(["iso3", "state", "un_rate_percent", "share_percent", "amount_usd", "excluded"])
    context = cost_share_context(assessment)
    for ln, share, amount in context["rows"]:
        out.writerow(
            [
                ln.state_id,
                text(ln.state.name_en),
                "" if ln.rate is None else str(ln.rate),
                "" if share is None else str(share),
                "" if amount is None else str(amount),
                text(ln.excluded),
            ]
        )
    out.writerow(["", "Total", "", "", str(context["total"]), ""])
    return buffer.getvalue().encode("utf-8")
