"""The ISU's finance pages added by issue #25: the rates the reference data lack (entered with
their source), the finance settings (letterhead, bank details, minimum contribution, write-off
limit), a State's ledger, and the write-off of a small difference on an invoice."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccm.accounts.decorators import staff_or_presidency_required, staff_required
from ccm.finance import forms, selectors, services
from ccm.finance.choices import Currency


@staff_required
def rates(request: HttpRequest) -> HttpResponse:
    """The notional rates and those entered by the ISU, each with its source; enter one."""
    selectors.reads_settings(request.user)
    form = forms.RateForm(
        request.POST or None,
        initial={"state": request.GET.get("state"), "period": request.GET.get("period")},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            done = services.add_rate(
                d["state"], period=d["period"], rate=d["rate"], source=d["source"], by=request.user
            )
        except services.Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Rate of %(state)s for %(period)s entered.")
                % {"state": done.state.name, "period": done.period},
            )
            back = request.POST.get("next", "")
            if back.startswith("/staff/finance/"):
                return redirect(back)
            return redirect("staff:finance:rates")
    return render(
        request,
        "finance/staff/rates.html",
        {"form": form, "rates": selectors.entered_rates(), "next": request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


@staff_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """The finance settings as in force, and their earlier versions; staff save new ones."""
    selectors.reads_settings(request.user)
    found = selectors.setup()
    form = forms.SettingsForm(request.POST or None, initial=forms.SettingsForm.initial_from(found))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.save_settings(
                letterhead=d["letterhead"],
                bank_details={c: d.get(f"bank_{c}") or "" for c in Currency.values},
                minimum={c: d.get(f"minimum_{c}") for c in Currency.values},
                write_off_limit={c: d.get(f"limit_{c}") for c in Currency.values},
                by=request.user,
            )
        except services.Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Finance settings saved."))
            return redirect("staff:finance:settings")
    return render(
        request,
        "finance/staff/settings.html",
        {
            "form": form,
            "setup": found,
            "setup_missing": found.missing,
            "history": selectors.settings_history(),
        },
        status=400 if form.errors else 200,
    )


@staff_or_presidency_required
def ledger(request: HttpRequest, iso3: str) -> HttpResponse:
    """A State's ledger per currency: every entry (invoices, credit notes, payments, bank
    charges, write-offs, reversals) with the balance after it."""
    state = selectors.ledger_state_for_user(request.user, iso3)
    return render(
        request,
        "finance/staff/ledger.html",
        {"state": state, "ledger": selectors.ledger(state)},
    )


@require_POST
@staff_required
def write_off(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Write off a small difference left on an invoice, with a reason, up to the limit."""
    found = selectors.invoice_for_user(request.user, pk, write=True)
    form = forms.WriteOffForm(request.POST)
    if form.is_valid():
        try:
            done = services.write_off(
                found,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Written off: %(n)s.") % {"n": done.number})
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("staff:finance:invoice", pk=found.pk)
