"""Staff pages: letters (preview, PDF) and the import of the ISU's register of reports."""

from __future__ import annotations

import csv
import io

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ccm.accounts import roles
from ccm.core.as_of import AsOfForm, as_of_error, as_of_from, as_of_refused, refuse_as_of
from ccm.core.commands import ERRORS_SHOWN
from ccm.reporting import dashboard, imports, letters, services
from ccm.reporting.choices import Channel, SubmissionKind
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


def _board(request: HttpRequest) -> tuple[dashboard.Dashboard | None, AsOfForm]:
    """The dashboard as of the request's date; None when the date is refused (nothing computed)."""
    as_of, form = as_of_from(request.GET)
    if as_of_refused(form):
        return None, form
    return dashboard.build(snapshot(include_demo=True), as_of), form


def _refused(request: HttpRequest, form: AsOfForm) -> HttpResponse:
    """A refused date: one line for a PDF, the page with the form again for a preview."""
    if request.GET.get("format") == "pdf":
        return HttpResponseBadRequest(as_of_error(form), content_type="text/plain; charset=utf-8")
    return refuse_as_of(request, form)


@login_required
def letters_index(request: HttpRequest) -> HttpResponse:
    """The letters as of a date: the circular in three languages, one reminder per State."""
    _staff_or_presidency(request)
    board, form = _board(request)
    if board is None:
        return refuse_as_of(request, form)
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
    )


@login_required
def circular(request: HttpRequest) -> HttpResponse:
    _staff_or_presidency(request)
    board, form = _board(request)
    if board is None:
        return _refused(request, form)
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
    if board is None:
        return _refused(request, form)
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
            "errors": errors[:ERRORS_SHOWN],
            "error_count": len(errors),
            "more_errors": max(len(errors) - ERRORS_SHOWN, 0),
            "kinds": SubmissionKind.choices,
            "channels": Channel.choices,
            "language_codes": sorted(imports.LANGUAGE_CODES),
            "max_rows": settings.CCM_IMPORT_MAX_ROWS,
            "report": report,
            "columns": imports.REQUIRED + imports.OPTIONAL,
        },
    )


TEMPLATE_ROW = {
    "iso3": "CHL", "kind": "annual", "period": "2025", "received_on": "2026-04-28",
    "received_by": "", "channel": "email_un", "languages": "es,en", "un_link": "",
    "stated_due_date": "", "note": "", "source": "ISU register of reports", "relation": "original",
}  # fmt: skip


@login_required
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """An empty register with its columns and one example row, as CSV or XLSX."""
    if not roles.is_isu_staff(request.user):
        raise PermissionDenied
    if fmt not in ("csv", "xlsx"):
        raise Http404(fmt)
    columns = list(TEMPLATE_ROW)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerow(TEMPLATE_ROW)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        import xlsxwriter

        data = io.BytesIO()
        book = xlsxwriter.Workbook(data, {"in_memory": True, "strings_to_numbers": False})
        sheet = book.add_worksheet("register")
        bold = book.add_format({"bold": True})
        for column, name in enumerate(columns):
            sheet.write_string(0, column, name, bold)
            sheet.write_string(1, column, TEMPLATE_ROW[name])
            sheet.set_column(column, column, max(len(name), len(TEMPLATE_ROW[name])) + 2)
        sheet.freeze_panes(1, 0)
        book.close()
        response = HttpResponse(
            data.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="ccm-register-template.{fmt}"'
    return response
