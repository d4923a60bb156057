"""Staff pages: letters (preview, PDF) and the import of the ISU's register of reports."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ccm.accounts import roles
from ccm.registry.filters import AsOfForm, as_of_error, as_of_from, as_of_status
from ccm.reporting import dashboard, imports, letters, services
from ccm.reporting.models import ReminderLog
from ccm.reporting.selectors import snapshot


def _staff_or_presidency(request: HttpRequest) -> None:
    if not roles.reads_all(request.user):
        raise PermissionDenied


def _letter_response(html: str, fmt: str, filename: str) -> HttpResponse:
    if fmt == "pdf":
        response = HttpResponse(letters.pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
        return response
    return HttpResponse(html)


def _board(request: HttpRequest) -> tuple[dashboard.Dashboard, AsOfForm]:
    as_of, form = as_of_from(request.GET)
    return dashboard.build(snapshot(include_demo=True), as_of), form


@login_required
def letters_index(request: HttpRequest) -> HttpResponse:
    """The letters as of a date: the circular in three languages, one reminder per State."""
    _staff_or_presidency(request)
    board, form = _board(request)
    due = letters.reminders(board)
    last_sent = ReminderLog.objects.values("state_id").annotate(last=Max("sent_at"))
    sent = {row["state_id"]: row["last"] for row in last_sent}
    return render(
        request,
        "reporting/staff/letters.html",
        {
            "as_of": board.as_of,
            "form": form,
            "board": board,
            "reminders": [(r, sent.get(r.state.iso3)) for r in due],
            "letter_languages": letters.LETTER_LANGUAGES,
        },
        status=as_of_status(form),
    )


@login_required
def circular(request: HttpRequest) -> HttpResponse:
    _staff_or_presidency(request)
    board, form = _board(request)
    if as_of_status(form) == 400:
        return HttpResponseBadRequest(as_of_error(form), content_type="text/plain; charset=utf-8")
    language = request.GET.get("lang", "en")
    if language not in letters.LETTER_LANGUAGES:
        raise Http404(language)
    html = letters.render_circular(board, language)
    name = f"ccm-circular-article7-{board.as_of.isoformat()}-{language}"
    return _letter_response(html, request.GET.get("format", "html"), name)


@login_required
def reminder(request: HttpRequest, iso3: str) -> HttpResponse:
    _staff_or_presidency(request)
    board, form = _board(request)
    if as_of_status(form) == 400:
        return HttpResponseBadRequest(as_of_error(form), content_type="text/plain; charset=utf-8")
    found = next((r for r in letters.reminders(board) if r.state.iso3 == iso3.upper()), None)
    if found is None:
        raise Http404(iso3)
    html = letters.render_reminder(found)
    name = f"ccm-reminder-{found.state.iso3}-{board.as_of.isoformat()}"
    return _letter_response(html, request.GET.get("format", "html"), name)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Register of reports received (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    source = forms.CharField(
        label=_("Source, for rows that give none"),
        required=False,
        max_length=300,
        help_text=_("For example: ISU register of reports, export of 27 November 2026."),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a CSV or XLSX file."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


@login_required
def import_register(request: HttpRequest) -> HttpResponse:
    """Staff import the register; every bad row is listed and nothing is written."""
    if not roles.is_isu_staff(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[imports.RowError] = []
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.import_reports(
                upload.name,
                upload.read(),
                by=request.user,  # type: ignore[arg-type]
                default_source=form.cleaned_data["source"],
            )
        except imports.ImportError_ as exc:
            errors = exc.errors
    return render(
        request,
        "reporting/staff/import.html",
        {
            "form": form,
            "errors": errors,
            "report": report,
            "columns": imports.REQUIRED + imports.OPTIONAL,
        },
    )
