"""Staff pages of the record: the import of the ISU's register of reports received."""

from __future__ import annotations

import csv
import io

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ccm.accounts.decorators import staff_required
from ccm.core.commands import ERRORS_SHOWN
from ccm.reports import checks, imports, selectors, services
from ccm.reports.choices import Channel, QueryState, SubmissionKind


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


@staff_required
def import_register(request: HttpRequest) -> HttpResponse:
    """Staff import the register; every bad row is listed and nothing is written."""
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
        "reports/import.html",
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


@staff_required
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """An empty register with its columns and one example row, as CSV or XLSX."""
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


@staff_required
def cross_year_findings(request: HttpRequest) -> HttpResponse:
    """Every submitted version whose cross-year checks found something, with the State's
    explanation where it gave one (issue #10)."""
    state = request.GET.get("state", "").strip().upper()[:3]
    rows = [
        (version, checks.from_record(record), record.get("explanation", ""))
        for version in selectors.versions_with_findings(state)
        for record in version.checks
    ]
    return render(
        request,
        "reports/findings.html",
        {"rows": rows, "state": state, "unexplained": sum(1 for r in rows if not r[2])},
    )


@staff_required
def queries(request: HttpRequest) -> HttpResponse:
    """The ISU's queries on reports, by State and state (issue #10)."""
    state = request.GET.get("state", "").strip().upper()[:3]
    status = request.GET.get("status", QueryState.OPEN)
    if status not in QueryState.values and status != "all":
        status = QueryState.OPEN
    rows = selectors.queries_list(state, "" if status == "all" else status)
    return render(
        request,
        "reports/queries.html",
        {"rows": rows, "state": state, "status": status, "states": QueryState.choices},
    )
