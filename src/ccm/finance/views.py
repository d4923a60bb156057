"""The pages of finance (issue #13). The ISU assesses, issues, records and publishes (under
/staff/finance/); the Presidency reads the same pages; a focal point opens its own State's
invoices; the public sees a status of contributions once the ISU publishes it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccm.accounts import roles
from ccm.accounts.decorators import staff_or_presidency_required, staff_required
from ccm.core.as_of import as_of_from, as_of_refused, refuse_as_of
from ccm.core.files import attachment, stored_download
from ccm.core.pagecache import public_page
from ccm.finance import documents, forms, selectors, services
from ccm.finance.models import Invoice, Payment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(kind: str, key: str) -> str:
    if kind not in ("isu", "meeting"):
        raise Http404("no such scope")
    return f"{kind}:{key}"


@staff_or_presidency_required
def index(request: HttpRequest) -> HttpResponse:
    """Assessments by scope, each upcoming meeting's cash, payments waiting to be allocated."""
    if not selectors.reads_finance(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    found = list(selectors.assessments().annotate(n_invoices=Count("invoices")))
    return render(
        request,
        "finance/staff/index.html",
        {
            "assessments": found,
            "scopes": selectors.scopes(),
            "cash": selectors.upcoming_cash(today),
            "today": today,
            "unallocated": selectors.unallocated_payments(),
            "writes": roles.is_isu_staff(request.user),
            "setup_missing": selectors.setup().missing,
        },
    )


@staff_required
def assess(request: HttpRequest) -> HttpResponse:
    """Compute an assessment and look at it (preview); store it as the next version."""
    if not selectors.reads_finance(request.user):
        raise PermissionDenied
    initial: dict[str, Any] = {"as_of": timezone.localdate(), "year": timezone.localdate().year}
    earlier = request.GET.get("from", "")
    if earlier.isdigit():
        base = selectors.assessment_for_user(request.user, int(earlier))
        initial.update(
            {
                "purpose": base.purpose,
                "year": base.year,
                "cost": base.cost,
                "meeting": base.meeting.code if base.meeting else "",
                **{k: v for k, v in base.options.items() if v is not None},
            }
        )
    found_setup = selectors.setup()
    initial.setdefault("minimum", found_setup.minimum_for("CHF"))  # the ISU budget's (#25)
    form = forms.AssessForm(request.POST or None, initial=initial)
    computed = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                computed = form.compute()
            except selectors.Unknown as exc:
                form.add_error(None, str(exc))
            except ValueError as exc:
                form.add_error(None, str(exc))
        if computed is not None:
            form.check_without_rate(computed)  # named, with the choice to make (issue #25)
        if computed is not None and not form.errors and request.POST.get("action") == "save":
            try:
                saved = services.save_assessment(
                    computed,
                    purpose=form.cleaned_data["purpose"],
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
            except services.Refused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Assessment %(ref)s saved.") % {"ref": saved.reference})
                return redirect("staff:finance:assessment", pk=saved.pk)
        if form.errors:
            status = 400
    return render(
        request,
        "finance/staff/assess.html",
        {
            "form": form,
            "computed": computed,
            "setup_missing": found_setup.missing,
            "below_minimum": _below_minimum(computed, found_setup),
        },
        status=status,
    )


def _below_minimum(computed: selectors.Computed | None, found: selectors.Setup) -> list[str]:
    """The payers a preview assesses below the minimum contribution of the finance settings
    while it applies none (issue #25: invoices of CHF 10.20): the preview says so."""
    if computed is None or computed.options.minimum is not None:
        return []
    minimum = found.minimum_for(computed.currency)
    if minimum is None:
        return []
    return [str(name) for name, _rate, _share, amount in computed.rows if amount < minimum]


@staff_or_presidency_required
def assessment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An assessment's inputs, settings, method and lines; the difference from the previous
    version per State; its invoices, issued in batches (the page shows how many remain)."""
    found = selectors.assessment_for_user(request.user, pk, write=request.method == "POST")
    today = timezone.localdate()
    form = forms.IssueForm(
        request.POST or None,
        initial={"issued_on": today, "due_on": today + timedelta(days=_due_days())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.issue_invoices(
                found,
                by=request.user,
                size=_batch_size(),
                issued_on=form.cleaned_data["issued_on"],
                due_on=form.cleaned_data["due_on"],
            )
        except services.Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(done)d of %(total)d documents issued.")
                % {"done": batch.done, "total": batch.total},
            )
            unreached = len(selectors.not_emailed(found))
            if unreached:
                # Every batch so far, not only this one (issue #26): the page lists them all.
                messages.warning(
                    request,
                    ngettext(
                        "%(n)d document issued but not e-mailed so far: the list below says "
                        "why, with a link to add an address.",
                        "%(n)d documents issued but not e-mailed so far: the list below says "
                        "why, with a link to add an address.",
                        unreached,
                    )
                    % {"n": unreached},
                )
            query = ""
            if batch.remaining:
                query = (
                    f"?continue=1&issued_on={form.cleaned_data['issued_on']}"
                    f"&due_on={form.cleaned_data['due_on']}"
                )
            return redirect(reverse("staff:finance:assessment", args=[found.pk]) + query)
    dues = services.dues(found)
    issued = {i.state_id: i for i in found.invoices.all()}
    waiting = sum(1 for d in dues if d.difference and d.state.iso3 not in issued)
    if request.GET.get("continue") and waiting:
        form = forms.IssueForm(
            initial={"issued_on": request.GET.get("issued_on"), "due_on": request.GET.get("due_on")}
        )
    lines = list(found.lines.select_related("state").order_by("state__name_en"))
    by_state = {d.state.iso3: d for d in dues}
    rows = [
        (
            ln,
            by_state.get(ln.state_id),
            issued.get(ln.state_id),
            selectors.share_percent(ln.share),
        )
        for ln in lines
    ]
    return render(
        request,
        "finance/staff/assessment.html",
        {
            "assessment": found,
            "rows": rows,
            "issued": issued,
            "waiting": waiting,
            "form": form,
            "changes": sum(1 for d in dues if d.difference),
            "previous": selectors.previous_version(found),
            "options": selectors.Options.from_json(found.options),
            "payers": documents.payers_of(found),
            "continuing": bool(request.GET.get("continue")) and waiting > 0,
            "writes": roles.is_isu_staff(request.user),
            "total": sum((ln.amount or 0 for ln in lines), 0),
            "setup_missing": selectors.setup().missing,
            "excluded": [(ln.state.name, ln.excluded) for ln in lines if ln.amount is None],
            "unreached": selectors.not_emailed(found),
        },
        status=400 if form.errors else 200,
    )


def _due_days() -> int:
    return int(settings.CCM_INVOICE_DUE_DAYS)


def _batch_size() -> int:
    return max(1, int(settings.CCM_INVOICE_BATCH_SIZE))


@staff_or_presidency_required
def invoice(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An invoice or credit note with what it still bears, its payments and credit notes; the
    ISU corrects it with a credit note (never an edit)."""
    found = selectors.invoice_for_user(request.user, pk, write=request.method == "POST")
    form = forms.CreditNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            note = services.credit_note(
                found,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Credit note %(n)s issued.") % {"n": note.number})
            return redirect("staff:finance:invoice", pk=found.pk)
    return render(
        request,
        "finance/staff/invoice.html",
        {
            "invoice": found,
            "form": form,
            "outstanding": selectors.outstanding(found),
            "allocations": found.allocations.select_related("payment"),
            "credit_notes": found.credit_notes.all(),
            "writes": roles.is_isu_staff(request.user),
            "write_off_form": forms.WriteOffForm(
                initial={"amount": selectors.outstanding(found)}, auto_id="wo_%s"
            ),
            "setup_missing": selectors.setup().missing,
        },
        status=400 if form.errors else 200,
    )


def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The PDF of an invoice as issued: staff, the Presidency, the State's own focal points."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    found = selectors.invoice_for_user(request.user, pk)
    if not found.pdf:  # a write-off (issue #25) is a ledger record, not a document sent
        raise Http404("no PDF")
    return stored_download(found.pdf, f"{found.number}.pdf")


@staff_required
def payments(request: HttpRequest) -> HttpResponse:
    """Record a payment (with or without an invoice reference); allocate what waits; reverse one
    recorded in error."""
    if not selectors.reads_finance(request.user):
        raise PermissionDenied
    # `?state=CHL` (from the one-page view of a State, issue #26) chooses the State; a code
    # that is no State's chooses none.
    chosen = request.GET.get("state", "").strip().upper()[:3]
    form = forms.PaymentForm(
        request.POST or None, initial={"received_on": timezone.localdate(), "state": chosen}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        target = None
        if d["invoice"]:
            target = Invoice.objects.filter(number=d["invoice"].strip()).first()
            if target is None:
                form.add_error("invoice", _("No invoice has that number."))
        if not form.errors:
            try:
                done = services.record_payment(
                    d["state"],
                    received_on=d["received_on"],
                    amount=d["amount"],
                    currency=d["currency"],
                    bank_reference=d["bank_reference"],
                    invoice=target,
                    note=d["note"],
                    by=request.user,
                    sent_amount=d.get("sent_amount"),
                    sent_currency=d.get("sent_currency") or "",
                    bank_charges=d.get("bank_charges") or services.ZERO,
                )
            except services.Refused as exc:
                form.add_error(None, str(exc))
            else:
                left = selectors.unallocated(done)
                messages.success(
                    request,
                    _("Payment recorded.")
                    + (
                        " "
                        + _("%(amount)s %(currency)s of it is not allocated: the State's credit.")
                        % {"amount": left, "currency": done.currency}
                        if left
                        else ""
                    ),
                )
                return redirect("staff:finance:payments")
    reversed_ = Payment.objects.filter(reverses=OuterRef("pk"))
    recent = (
        Payment.objects.select_related("state")
        .annotate(reversed=Exists(reversed_))
        .order_by("-created_at", "-pk")[:50]
    )
    return render(
        request,
        "finance/staff/payments.html",
        {
            "form": form,
            "unallocated": selectors.unallocated_payments(),
            "recent": recent,
            "allocate_form": forms.AllocateForm(),
            "reverse_form": forms.ReverseForm(),
            "setup_missing": selectors.setup().missing,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@staff_required
def allocate(request: HttpRequest, pk: int) -> HttpResponseBase:
    payment = selectors.payment_for_user(request.user, pk)
    form = forms.AllocateForm(request.POST)
    if form.is_valid():
        target = Invoice.objects.filter(number=form.cleaned_data["invoice"].strip()).first()
        if target is None:
            messages.error(request, _("No invoice has that number."))
        else:
            try:
                services.allocate(
                    payment, target, amount=form.cleaned_data["amount"], by=request.user
                )
            except services.Refused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Allocated to %(n)s.") % {"n": target.number})
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("staff:finance:payments")


@require_POST
@staff_required
def reverse_payment(request: HttpRequest, pk: int) -> HttpResponseBase:
    payment = selectors.payment_for_user(request.user, pk)
    form = forms.ReverseForm(request.POST)
    if form.is_valid():
        try:
            services.reverse_payment(payment, reason=form.cleaned_data["reason"], by=request.user)
        except services.Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Payment reversed."))
    else:
        messages.error(request, _("Say why the payment is reversed."))
    return redirect("staff:finance:payments")


def _status_or_404(scope: str, as_of: date) -> selectors.Status:
    try:
        return selectors.status(scope, as_of)
    except selectors.Unknown:
        raise Http404("nothing is assessed there") from None


@staff_or_presidency_required
def status(request: HttpRequest, kind: str, key: str, fmt: str = "html") -> HttpResponseBase:
    """The status of contributions of an ISU budget year or a meeting, as of any date: on
    screen, as XLSX, and as PDF for the Meeting's documents; the ISU publishes it."""
    if not selectors.reads_finance(request.user):
        raise PermissionDenied
    scope = _scope(kind, key)
    as_of, as_of_form = as_of_from(request.GET)
    if as_of_refused(as_of_form):
        return refuse_as_of(request, as_of_form)
    if request.method == "POST":
        if not roles.is_isu_staff(request.user):
            raise PermissionDenied
        try:
            services.publish_status(scope, as_of=as_of, by=request.user)
        except services.Refused as exc:
            messages.error(request, str(exc))
        except selectors.Unknown:
            raise Http404("nothing is assessed there") from None
        else:
            messages.success(request, _("Published as of %(d)s.") % {"d": as_of.isoformat()})
        return redirect(reverse("staff:finance:status", args=[kind, key]) + f"?as_of={as_of}")
    st = _status_or_404(scope, as_of)
    name = f"ccm-contributions-{kind}-{key}-{as_of.isoformat()}"
    if fmt == "xlsx":
        return attachment(documents.status_xlsx(st), f"{name}.xlsx", XLSX)
    if fmt == "pdf":
        language = get_language() if get_language() in ("en", "fr", "es") else "en"
        return attachment(documents.status_pdf(st, language), f"{name}.pdf", "application/pdf")
    return render(
        request,
        "finance/staff/status.html",
        {
            "status": st,
            "as_of_form": as_of_form,
            "kind": kind,
            "key": key,
            "published": selectors.published(scope),
            "writes": roles.is_isu_staff(request.user),
        },
    )


@staff_or_presidency_required
def cash(request: HttpRequest, code: str) -> HttpResponseBase:
    """A meeting's cash against its estimated costs as of any date, its go/no-go date and who
    has not paid."""
    if not selectors.reads_finance(request.user):
        raise PermissionDenied
    as_of, as_of_form = as_of_from(request.GET)
    if as_of_refused(as_of_form):
        return refuse_as_of(request, as_of_form)
    try:
        meeting = selectors.meeting_of(code)
    except selectors.Unknown:
        raise Http404("no such meeting") from None
    return render(
        request,
        "finance/staff/cash.html",
        {"cash": selectors.cash(meeting, as_of), "as_of_form": as_of_form},
    )


@staff_or_presidency_required
def appeal(request: HttpRequest) -> HttpResponseBase:
    """The Presidency's appeal letter to every State that owes, with its balance (PDF)."""
    if not selectors.reads_finance(request.user):
        raise PermissionDenied
    as_of, as_of_form = as_of_from(request.GET)
    if as_of_refused(as_of_form):
        return refuse_as_of(request, as_of_form)
    pdf, _n = documents.appeal_pdf(as_of)
    return attachment(pdf, f"ccm-appeal-{as_of.isoformat()}.pdf", "application/pdf")


# Public ---------------------------------------------------------------------------------


@public_page
def contributions(request: HttpRequest) -> HttpResponse:
    """The statuses of contributions the ISU has published (nothing else of finance is public)."""
    found = selectors.published()
    return render(
        request,
        "finance/contributions.html",
        {
            "published": [
                (p, *p.scope.split(":", 1), selectors.scope_label(p.scope)) for p in found
            ],
            "cost_shares": selectors.published_cost_shares(),  # issue #25
        },
    )


@public_page
def contribution(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """One published status of contributions, as of the date it was published for."""
    scope = _scope(kind, key)
    found = selectors.published(scope)
    if not found:
        raise Http404("not published")
    publication = found[0]
    return render(
        request,
        "finance/contribution.html",
        {
            "status": _status_or_404(scope, publication.as_of),
            "publication": publication,
        },
    )
