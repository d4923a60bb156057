"""A focal point's workspace (issue #9): their State's report obligations, its reports in
preparation and submitted, starting the report that is due, and submitting it. Every page reads
through an access helper: the State's focal points and ISU staff only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccm.accounts import roles
from ccm.core import panels
from ccm.reports import definition, form_pages, selectors, services
from ccm.reports.choices import SubmissionKind


def _lang() -> str:
    language = (get_language() or "en")[:2]
    return language if language in definition.LANGUAGES else "en"


class StartForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, k) for k in definition.KINDS])
    period = forms.IntegerField(required=False, min_value=2010, max_value=2100)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("kind") == SubmissionKind.ANNUAL and data.get("period") is None:
            raise forms.ValidationError(_("An annual report needs the year it covers."))
        if data.get("kind") == SubmissionKind.INITIAL:
            data["period"] = None
        return data


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """A focal point of one State goes straight to it; of several, chooses one."""
    mine = sorted(roles.state_ids_of(request.user))
    if len(mine) == 1:
        return redirect("workspace:state", iso3=mine[0])
    states = selectors.states_named(mine)
    return render(request, "reports/workspace/choose.html", {"states": states}, status=200)


@login_required
def state_workspace(request: HttpRequest, iso3: str) -> HttpResponse:
    state = selectors.workspace_state_for_user(request.user, iso3)
    return render(
        request,
        "reports/workspace/state.html",
        {
            "state": state,
            "reports": selectors.reports_in_preparation(state.iso3),
            "panels": panels.render("workspace.state", request, state=state),
        },
    )


@login_required
@require_POST
def start(request: HttpRequest, iso3: str) -> HttpResponse:
    state = selectors.workspace_state_for_user(request.user, iso3)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("workspace:state", iso3=state.iso3)
    report = services.start_report(
        state=state,
        kind=form.cleaned_data["kind"],
        period=form.cleaned_data["period"],
        by=request.user,  # type: ignore[arg-type]
    )
    return redirect("workspace:report", pk=report.pk)


@login_required
def report_overview(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_user(request.user, pk)
    return _overview(request, report, problems=None)


def _overview(
    request: HttpRequest, report: object, problems: list[tuple[str, str]] | None, status: int = 200
) -> HttpResponse:
    template = definition.load(report.template)  # type: ignore[attr-defined]
    drafts = {d.form: d for d in report.drafts.all()}  # type: ignore[attr-defined]
    versions = list(report.versions.order_by("number"))  # type: ignore[attr-defined]
    rows = [(form, drafts.get(form.code), form.title[_lang()]) for form in template.forms]
    return render(
        request,
        "reports/workspace/report.html",
        {
            "report": report,
            "rows": rows,
            "versions": versions,
            "problems": problems,
            "answered": sum(1 for _form, draft, _title in rows if draft),
        },
        status=status,
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_user(request.user, pk)
    try:
        version = services.submit_report(report, by=request.user)  # type: ignore[arg-type]
    except services.NotReady as exc:
        return _overview(request, report, exc.problems, status=400)
    except services.ConflictError as exc:
        messages.error(request, str(exc))
        return redirect("workspace:report", pk=report.pk)
    messages.success(
        request,
        _("Submitted: receipt %(number)s. The report is now public.")
        % {"number": services.receipt_number(version)},
    )
    return redirect("workspace:report", pk=report.pk)


@login_required
@require_POST
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_user(request.user, pk)
    if report.drafts.exists():
        return redirect("workspace:report", pk=report.pk)
    try:
        services.start_amendment(report, by=request.user)  # type: ignore[arg-type]
    except ValueError:
        messages.error(request, _("Nothing is submitted yet: there is nothing to amend."))
    return redirect("workspace:report", pk=report.pk)


@login_required
def edit_form(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """One form of the report: shown with its draft, saved on its own (Save, or as the person
    works with htmx), what is wrong said beside each input. A save from an older copy is refused
    (409) and what the person typed stays on the page for them to compare."""
    report = selectors.report_for_user(request.user, pk)
    template = definition.load(report.template)
    form = next((f for f in template.forms if f.code == code), None)
    if form is None:
        raise Http404(code)
    draft = report.drafts.filter(form=code).first()
    status = 200
    conflict = ""
    if request.method == "POST":
        values = form_pages.values_from(form, request.POST)
        given = request.POST.get("revision", "")
        revision = int(given) if given.isdigit() else None
        try:
            draft, problems = services.save_form(
                report,
                code,
                values,
                revision=revision,
                by=request.user,  # type: ignore[arg-type]
            )
        except services.ConflictError as exc:
            conflict, status = str(exc), 409
            problems = services.form_problems(template, code, values)
            draft = report.drafts.filter(form=code).first()
        else:
            messages.success(request, _("Saved."))
    else:
        values = draft.values if draft else {}
        problems = services.form_problems(template, code, values) if draft else []
    context = {
        "report": report,
        "form": form,
        "title": form.title[(get_language() or "en")[:2]]
        if (get_language() or "en")[:2] in definition.LANGUAGES
        else form.title["en"],
        "page": form_pages.page(template, form, values, problems, get_language()),
        "draft": draft,
        "conflict": conflict,
        "can_carry": form.code != "cover" and services.previous_version(report) is not None,
        "codes": [f.code for f in template.forms],
    }
    partial = bool(getattr(request, "htmx", False))
    name = "reports/workspace/form_fields.html" if partial else "reports/workspace/form.html"
    return render(request, name, context, status=status)


@login_required
@require_POST
def carry(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    report = selectors.report_for_user(request.user, pk)
    try:
        services.carry_forward(report, code, by=request.user)  # type: ignore[arg-type]
    except ValueError:
        messages.error(request, _("No earlier report holds this form."))
    return redirect("workspace:form", pk=report.pk, code=code)
