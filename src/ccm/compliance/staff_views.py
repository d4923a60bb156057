"""Staff and Presidency pages: letters (preview, PDF) as of a date."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ccm.accounts.decorators import staff_or_presidency_required, staff_required
from ccm.compliance import dashboard, letters, selectors, services
from ccm.compliance.models import ReminderLog
from ccm.compliance.selectors import engine_inputs, reminder_for_user
from ccm.core.as_of import AsOfForm, as_of_error, as_of_from, as_of_refused, refuse_as_of


def _letter_response(html: str, fmt: str, filename: str) -> HttpResponse:
    if fmt == "pdf":
        response = HttpResponse(letters.pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
        return response
    return HttpResponse(html)


def _board(request: HttpRequest) -> tuple[dashboard.Dashboard | None, AsOfForm]:
    """The dashboard as of the request's date; None when the date is refused (nothing computed)."""
    as_of, form = as_of_from(request.GET)
    if as_of_refused(form):
        return None, form
    return dashboard.build(engine_inputs(include_demo=True), as_of), form


def _refused(request: HttpRequest, form: AsOfForm) -> HttpResponse:
    """A refused date: one line for a PDF, the page with the form again for a preview."""
    if request.GET.get("format") == "pdf":
        return HttpResponseBadRequest(as_of_error(form), content_type="text/plain; charset=utf-8")
    return refuse_as_of(request, form)


@staff_or_presidency_required
def letters_index(request: HttpRequest) -> HttpResponse:
    """The letters as of a date: the circular in three languages, one reminder per State."""
    board, form = _board(request)
    if board is None:
        return refuse_as_of(request, form)
    found = letters.letters_by_state(board.obligations, board.as_of, board.states)
    last_sent = ReminderLog.objects.values("state_id").annotate(last=Max("sent_at"))
    sent = {row["state_id"]: row["last"] for row in last_sent}
    return render(
        request,
        "compliance/staff/letters.html",
        {
            "as_of": board.as_of,
            "form": form,
            "board": board,
            "circular": letters.circular(board),
            "reminders": [(r, sent.get(r.state.iso3)) for r in found if r.is_reminder],
            # Issue #24: only reports not in our record: no reminder, a request to confirm
            "confirm_only": [(r, sent.get(r.state.iso3)) for r in found if not r.is_reminder],
            "letter_languages": letters.LETTER_LANGUAGES,
        },
    )


@staff_or_presidency_required
def circular(request: HttpRequest) -> HttpResponse:
    board, form = _board(request)
    if board is None:
        return _refused(request, form)
    language = request.GET.get("lang", "en")
    if language not in letters.LETTER_LANGUAGES:
        raise Http404(language)
    html = letters.render_circular(board, language)
    name = f"ccm-circular-article7-{board.as_of.isoformat()}-{language}"
    return _letter_response(html, request.GET.get("format", "html"), name)


@staff_or_presidency_required
def reminder(request: HttpRequest, iso3: str) -> HttpResponse:
    as_of, form = as_of_from(request.GET)
    if as_of_refused(form):
        return _refused(request, form)
    found = reminder_for_user(request.user, iso3, as_of)
    html = letters.render_reminder(found)
    name = f"ccm-reminder-{found.state.iso3}-{as_of.isoformat()}"
    return _letter_response(html, request.GET.get("format", "html"), name)


@staff_required
def declared_holdings(request: HttpRequest) -> HttpResponse:
    """Stockpiles and contaminated areas declared in reports and not yet on record (issue #10):
    staff confirm each, and the obligation to destroy or clear follows, the report its source."""
    if request.method == "POST":
        version = request.POST.get("version", "")
        try:
            holding = services.confirm_declared_holding(
                state_id=request.POST.get("state", ""),
                kind=request.POST.get("kind", ""),
                version_id=int(version) if version.isdigit() else 0,
                by=request.user,
            )
        except ValueError:
            messages.error(request, _("Nothing to confirm: the list has changed. Look again."))
        else:
            messages.success(
                request,
                _("Confirmed: %(holding)s. The State's obligations now include it.")
                % {"holding": f"{holding.state.name}, {holding.get_kind_display()}"},
            )
        return redirect("staff:reporting:declared")
    return render(
        request,
        "compliance/staff/declared_holdings.html",
        {"declared": selectors.holdings_to_confirm()},
    )
