"""The pages of a formal meeting's costs as the UN administers them (issue #25): the cost-share
table the ISU prepares and publishes (public page, CSV, PDF), and the UN's assessment notices
and payments the ISU records, one by one or from the UN's statement. The cash before the
meeting (views.cash) reads those records. ISU staff write; the Presidency reads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from ccm.accounts import roles
from ccm.accounts.decorators import staff_or_presidency_required
from ccm.core.files import attachment
from ccm.core.pagecache import public_page
from ccm.core.tables import RowsRefused
from ccm.finance import documents, forms, selectors, services
from ccm.finance.models import Assessment

ERRORS_SHOWN = 50


def _language() -> str:
    found = get_language()
    return found if found in ("en", "fr", "es") else "en"


def _file(assessment: Assessment, fmt: str) -> HttpResponseBase:
    name = f"ccm-cost-shares-{assessment.reference}"
    if fmt == "csv":
        return attachment(documents.cost_share_csv(assessment), f"{name}.csv", "text/csv")
    if fmt == "pdf":
        pdf = documents.cost_share_pdf(assessment, _language())
        return attachment(pdf, f"{name}.pdf", "application/pdf")
    raise Http404("no such format")


def _version(meeting: Any, request: HttpRequest) -> tuple[Assessment | None, list[Assessment]]:
    versions = selectors.cost_share_assessments(meeting)
    wanted = request.GET.get("version", "")
    if not wanted:
        return (versions[0] if versions else None), versions
    found = next((a for a in versions if str(a.version) == wanted), None)
    if found is None:
        raise Http404("no such version")
    return found, versions


@staff_or_presidency_required
def cost_shares(request: HttpRequest, code: str) -> HttpResponseBase:
    """A formal meeting's cost-share table (any version); the ISU publishes it."""
    meeting = selectors.formal_meeting_for_user(request.user, code, write=request.method == "POST")
    if request.method == "POST":
        form = forms.PublishCostShareForm(request.POST)
        chosen = None
        if form.is_valid():
            chosen = next(
                (
                    a
                    for a in selectors.cost_share_assessments(meeting)
                    if a.pk == form.cleaned_data["assessment"]
                ),
                None,
            )
        if chosen is None:  # another meeting's assessment, or none: not this page's to publish
            raise Http404("no such cost-share table")
        try:
            services.publish_cost_share(chosen, by=request.user)
        except services.Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Cost-share table %(ref)s published.") % {"ref": chosen.reference}
            )
        return redirect("staff:finance:cost_shares", code=meeting.code)
    assessment, versions = _version(meeting, request)
    context: dict[str, Any] = {
        "meeting": meeting,
        "assessment": assessment,
        "versions": versions,
        "published": selectors.published_cost_share(meeting.code),
        "writes": roles.is_isu_staff(request.user),
    }
    if assessment is not None:
        context.update(documents.cost_share_context(assessment))
    return render(request, "finance/staff/cost_shares.html", context)


@staff_or_presidency_required
def cost_share_file(request: HttpRequest, code: str, fmt: str) -> HttpResponseBase:
    meeting = selectors.formal_meeting_for_user(request.user, code)
    assessment, _versions = _version(meeting, request)
    if assessment is None:
        raise Http404("no cost-share table")
    return _file(assessment, fmt)


@staff_or_presidency_required
def un_records(request: HttpRequest, code: str) -> HttpResponseBase:
    """The UN's notices and payments for a formal meeting; the ISU enters one or imports the
    UN's statement (every row checked first; nothing written on any error)."""
    meeting = selectors.formal_meeting_for_user(request.user, code, write=request.method == "POST")
    action = request.POST.get("action", "")
    today = timezone.localdate()
    entry_form = forms.UNRecordForm(
        request.POST if action == "entry" else None, initial={"reported_on": today}
    )
    import_form = forms.UNStatementForm(
        request.POST if action == "import" else None,
        request.FILES if action == "import" else None,
        initial={"reported_on": today},
    )
    import_errors: list[str] = []
    if request.method == "POST":
        if action == "entry" and entry_form.is_valid():
            d = entry_form.cleaned_data
            try:
                services.record_un(
                    d["kind"], meeting, state=d["state"], on=d["on"], amount=d["amount"],
                    reference=d["reference"], reported_on=d["reported_on"], note=d["note"],
                    by=request.user,
                )  # fmt: skip
            except services.Refused as exc:
                entry_form.add_error(None, str(exc))
            else:
                messages.success(request, _("Recorded."))
                return redirect("staff:finance:un_records", code=meeting.code)
        elif action == "import" and import_form.is_valid():
            upload = import_form.cleaned_data["file"]
            try:
                done = services.import_un_statement(
                    meeting, upload.name, upload.read(),
                    reported_on=import_form.cleaned_data["reported_on"], by=request.user,
                )  # fmt: skip
            except RowsRefused as exc:
                import_errors = [str(e) for e in exc.errors[:ERRORS_SHOWN]]
                if len(exc.errors) > ERRORS_SHOWN:
                    import_errors.append(
                        _("… and %(n)d more.") % {"n": len(exc.errors) - ERRORS_SHOWN}
                    )
            except services.Refused as exc:
                import_form.add_error(None, str(exc))
            else:
                parts = [
                    ngettext("%(n)d notice", "%(n)d notices", done.notices) % {"n": done.notices},
                    ngettext("%(n)d payment", "%(n)d payments", done.payments)
                    % {"n": done.payments},
                    ngettext(
                        "%(n)d row already recorded", "%(n)d rows already recorded", done.unchanged
                    )
                    % {"n": done.unchanged},
                ]
                messages.success(
                    request, _("Statement imported: %(parts)s.") % {"parts": ", ".join(parts)}
                )
                return redirect("staff:finance:cash", code=meeting.code)
        elif action not in ("entry", "import"):
            raise Http404("no such action")
    records = selectors.un_records(meeting)
    failed = bool(entry_form.errors or import_form.errors or import_errors)
    return render(
        request,
        "finance/staff/un_records.html",
        {
            "meeting": meeting,
            "records": records,
            "tables": [
                (_("Assessment notices sent by the UN"), records.notices, "un-notices"),
                (_("Payments received by the UN"), records.payments, "un-payments"),
            ],
            "entry_form": entry_form,
            "import_form": import_form,
            "import_errors": import_errors,
            "writes": roles.is_isu_staff(request.user),
        },
        status=400 if failed else 200,
    )


# Public -----------------------------------------------------------------------------------


def _published_or_404(code: str) -> Any:
    found = selectors.published_cost_share(code)
    if found is None:
        raise Http404("not published")
    return found


@public_page
def cost_share(request: HttpRequest, code: str) -> HttpResponse:
    """A meeting's cost-share table as the ISU published it: paid through the UN."""
    publication = _published_or_404(code)
    assessment = publication.assessment
    return render(
        request,
        "finance/cost_share.html",
        {"publication": publication, **documents.cost_share_context(assessment)},
    )


def cost_share_public_file(request: HttpRequest, code: str, fmt: str) -> HttpResponseBase:
    return _file(_published_or_404(code).assessment, fmt)
