"""Public pages of structured reports: the list, a report's page, its JSON and PDF. Submitted
versions are public as the UN publishes every report it receives; drafts never are."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ccm.core.numbers import whole
from ccm.core.pagecache import public_page
from ccm.core.pdf import html_to_pdf
from ccm.reports import definition, diffs, presentation, selectors, services
from ccm.reports.choices import SubmissionKind

FORMATS = ("html", "json", "pdf")


class ReportFilter(forms.Form):
    state = forms.RegexField(
        label=_("State (ISO code)"), regex=r"^[A-Za-z]{3}$", required=False, max_length=3
    )
    year = forms.IntegerField(
        label=_("Year covered"), required=False, min_value=2010, max_value=2100
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All")), (SubmissionKind.INITIAL, SubmissionKind.INITIAL.label),
                 (SubmissionKind.ANNUAL, SubmissionKind.ANNUAL.label)],
    )  # fmt: skip


@public_page
def report_list(request: HttpRequest) -> HttpResponse:
    form = ReportFilter(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(
            request, "reports/report_list.html", {"form": form, "reports": []}, status=400
        )
    data = form.cleaned_data if form.is_bound else {}
    reports = selectors.public_reports(
        (data.get("state") or "").upper(), data.get("year"), data.get("kind") or ""
    )
    return render(request, "reports/report_list.html", {"form": form, "reports": reports})


@public_page
def report_page(
    request: HttpRequest, iso3: str, kind: str, period: int | None = None
) -> HttpResponse:
    fmt = request.GET.get("format", "html")
    if fmt not in FORMATS:
        return HttpResponseBadRequest("format: one of html, json, pdf", content_type="text/plain")
    number = request.GET.get("version")
    if number is not None and whole(number) is None:
        return HttpResponseBadRequest("version: a whole number", content_type="text/plain")
    version = selectors.report_version(
        iso3.upper(), kind, period, int(number) if number is not None else None
    )
    if version is None:
        raise Http404("no such report")
    name = (
        f"ccm-article7-{iso3.upper()}-{kind}{'-' + str(period) if period else ''}-v{version.number}"
    )
    if fmt == "json":
        body = json.dumps(services.report_document(version), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    before = selectors.version_before(version.report, version.number)
    context = {
        "version": version,
        "report": version.report,
        "forms": presentation.forms_of(version),
        "versions": selectors.versions_of(version.report),
        "before": before,
    }
    if fmt == "pdf":
        if before is not None:  # the annex: what changed since the version or year before
            annex = _changes(before, version)
            context["annex"] = annex
            context["annex_changed"] = [f for f in annex if f.changes]
            context["annex_same"] = [f for f in annex if not f.changes]
        html = render_to_string("reports/report_print.html", context, request=request)
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    return render(request, "reports/report_page.html", context)


def _lang() -> str:
    language = (get_language() or "en")[:2]
    return language if language in definition.LANGUAGES else "en"


def _changes(old: Any, new: Any) -> list[diffs.FormChanges]:
    return diffs.compare(definition.load(new.report.template), old.forms, new.forms, _lang())


@public_page
def report_changes(
    request: HttpRequest, iso3: str, kind: str, period: int | None = None
) -> HttpResponse:
    """What changed between two public versions (issue #10): `to` (default the latest) against
    `from`: a version number of the same report, or `previous`, the report of the year before;
    by default the version before, or for a first version the report of the year before."""
    given_to, given_from = request.GET.get("to", ""), request.GET.get("from", "")
    if given_to and whole(given_to) is None:
        return HttpResponseBadRequest("to: a version number", content_type="text/plain")
    if given_from and not (whole(given_from) is not None or given_from == "previous"):
        return HttpResponseBadRequest(
            "from: a version number, or previous", content_type="text/plain"
        )
    new = selectors.report_version(iso3.upper(), kind, period, int(given_to) if given_to else None)
    if new is None:
        raise Http404("no such report")
    if whole(given_from) is not None:
        old = selectors.report_version(new.report.state_id, kind, period, int(given_from))
    elif given_from == "previous":
        old = (
            selectors.report_version(new.report.state_id, kind, period - 1)
            if kind == SubmissionKind.ANNUAL and period
            else None
        )
    else:
        old = selectors.version_before(new.report, new.number)
    if old is None:
        raise Http404("nothing to compare with")
    changes = _changes(old, new)
    return render(
        request,
        "reports/report_changes.html",
        {
            "old": old,
            "new": new,
            "report": new.report,
            "changed": [f for f in changes if f.changes],
            "same": [f for f in changes if not f.changes],
            "count": sum(len(f.changes) for f in changes),
        },
    )
