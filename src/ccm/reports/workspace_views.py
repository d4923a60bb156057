"""A focal point's workspace (issue #9): their State's report obligations, its reports in
preparation and submitted, starting the report that is due, and submitting it. Every page reads
through an access helper: the State's focal points and ISU staff only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.validators import MaxValueValidator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from ccm.accounts import roles
from ccm.core import panels
from ccm.core.languages import UN_LANGUAGES as UN_LANGUAGE_CHOICES
from ccm.core.numbers import whole
from ccm.reports import (
    checks,
    definition,
    form_pages,
    presentation,
    selectors,
    services,
    workbooks,
)
from ccm.reports.choices import Channel, SubmissionKind
from ccm.reports.models import REPORT_FILE_TYPES, ReportVersion, Submission
from ccm.reports.rules import LANGUAGE_CODES


def _lang() -> str:
    language = (get_language() or "en")[:2]
    return language if language in definition.LANGUAGES else "en"


CONFLICT_ON_SUBMIT = gettext_lazy(
    "The report changed meanwhile (a form was saved, or another version submitted): nothing "
    "was recorded. Look at the report again before you go on."
)


class StartForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, k) for k in definition.KINDS])
    period = forms.IntegerField(required=False, min_value=definition.FIRST_YEAR)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No report covers a year to come (issue #24): the bound moves with the calendar.
        period = self.fields["period"]
        assert isinstance(period, forms.IntegerField)
        period.max_value = timezone.localdate().year
        period.validators.append(MaxValueValidator(period.max_value))

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("kind") == SubmissionKind.ANNUAL and data.get("period") is None:
            raise forms.ValidationError(_("An annual report needs the year it covers."))
        if data.get("kind") == SubmissionKind.INITIAL:
            data["period"] = None
        return data


UN_LANGUAGES = dict(UN_LANGUAGE_CHOICES)


class RecordReceivedForm(forms.Form):
    """ISU staff record a report a State sent by e-mail, once its forms are transcribed."""

    received_on = forms.DateField(
        label=gettext_lazy("Received on"),
        help_text=gettext_lazy("The day the State's e-mail arrived."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Received"),
        choices=[
            (Channel.EMAIL_UN, Channel.EMAIL_UN.label),
            (Channel.VIA_ISU, Channel.VIA_ISU.label),
        ],
    )
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages of the file"),
        choices=[(code, UN_LANGUAGES[code]) for code in sorted(LANGUAGE_CODES)],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    file = forms.FileField(
        label=gettext_lazy("The file the State sent (PDF or Word)"),
        validators=Submission._meta.get_field("file").validators,
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{t}" for t in REPORT_FILE_TYPES)}
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, field in self.fields.items():
            if name != "languages":
                css = "form-select" if name == "channel" else "form-control"
                field.widget.attrs["class"] = css
            if self.is_bound and name in self.errors:
                field.widget.attrs["aria-invalid"] = "true"
                field.widget.attrs["aria-describedby"] = f"id_{name}-errors"

    def clean_received_on(self):  # type: ignore[no-untyped-def]
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A report cannot be received in the future."))
        return day


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """A focal point of one State goes straight to it; of several, chooses one; ISU staff
    choose any State to enter a report it sent by e-mail."""
    mine = sorted(roles.state_ids_of(request.user))
    staff = roles.is_isu_staff(request.user) and roles.two_factor_ok(request.user)
    if staff and request.GET.get("state"):
        state = selectors.workspace_state_for_user(request.user, request.GET["state"])
        return redirect("workspace:state", iso3=state.iso3)
    if len(mine) == 1 and not staff:
        return redirect("workspace:state", iso3=mine[0])
    states = selectors.states_named(mine)
    open_queries = selectors.open_queries_by_state(mine)
    context = {
        "states": [(s, open_queries.get(s.iso3, 0)) for s in states],
        "all_states": selectors.all_states() if staff else [],
        "delegated": selectors.delegated_to(request.user),
    }
    return render(request, "reports/workspace/choose.html", context)


@login_required
def state_workspace(request: HttpRequest, iso3: str) -> HttpResponse:
    state = selectors.workspace_state_for_user(request.user, iso3)
    open_queries = selectors.open_queries_by_report(state.iso3)
    return render(
        request,
        "reports/workspace/state.html",
        {
            "state": state,
            "reports": [
                (r, open_queries.get(r.pk, 0)) for r in selectors.reports_in_preparation(state.iso3)
            ],
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
    request: HttpRequest,
    report: object,
    problems: list[tuple[str, str]] | None,
    status: int = 200,
    record_form: RecordReceivedForm | None = None,
    workbook_problems: list[str] | None = None,
) -> HttpResponse:
    template = definition.load(report.template)  # type: ignore[attr-defined]
    drafts = {d.form: d for d in report.drafts.all()}  # type: ignore[attr-defined]
    versions = [
        (v, services.receipt_number(v))
        for v in report.versions.select_related("submitted_by").order_by("number")  # type: ignore[attr-defined]
    ]
    rows = [(form, drafts.get(form.code), form.title[_lang()]) for form in template.forms]
    explained = _explanations(request)
    findings = (
        [
            (f, explained.get(f.id, ""))
            for f in services.cross_year_findings(report, services.draft_document(report)["forms"])  # type: ignore[arg-type]
        ]
        if len(drafts) == len(rows)
        else []
    )
    return render(
        request,
        "reports/workspace/report.html",
        {
            "report": report,
            "rows": rows,
            "versions": versions,
            "problems": problems,
            "answered": sum(1 for _form, draft, _title in rows if draft),
            "record_form": record_form or RecordReceivedForm(),
            "findings": findings,
            "queries": selectors.queries_of(report),  # type: ignore[arg-type]
            "is_staff": roles.is_isu_staff(request.user),
            "delegations": selectors.delegations_of(report),  # type: ignore[arg-type]
            "form_codes": [(f.code, f.title[_lang()]) for f in template.forms],
            "workbook_problems": workbook_problems or [],
            "latest_findings": [
                (checks.from_record(r), r.get("explanation", "")) for r in versions[-1][0].checks
            ]
            if versions
            else [],
            "on_behalf": _on_behalf(request, report),
            # The deadline and status of this report's obligation, as compliance computes them
            # for the State's page (one truth): a panel compliance registers (issue #26).
            "deadline_panels": panels.render(
                "workspace.report",
                request,
                report=report,
                state=report.state,  # type: ignore[attr-defined]
            ),
        },
        status=status,
    )


def _explanations(request: HttpRequest) -> dict[str, str]:
    """What the person wrote to explain each cross-year finding, by the finding's id."""
    prefix = "explain:"
    return {
        key[len(prefix) :]: request.POST.get(key, "")
        for key in request.POST
        if key.startswith(prefix) and request.POST.get(key, "").strip()
    }


def _on_behalf(request: HttpRequest, report: object) -> bool:
    """ISU staff who are not this State's focal point enter what the State sent; they never
    submit online in its name."""
    return roles.is_isu_staff(request.user) and (
        report.state_id not in roles.state_ids_of(request.user)  # type: ignore[attr-defined]
    )


NOT_DECLARED = gettext_lazy("Tick the declaration to submit the report: nothing was recorded.")


def _problem_links(report: Any, problems: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Each problem with the form it belongs to (a link to fix it), from its JSON path."""
    out = []
    for path, reason in problems:
        parts = path.split(".")
        code = parts[2] if len(parts) > 2 and parts[1] == "forms" else ""
        out.append((path, reason, code))
    return out


def _check_page(
    request: HttpRequest,
    report: Any,
    *,
    status: int = 200,
    not_declared: bool = False,
    conflict: bool = False,
) -> HttpResponse:
    """ "Check your answers" (issue #26): every form's summary, what stops submission, the
    findings to explain, the declaration and the words that the report is public at once."""
    drafts = {d.form: d.values for d in report.drafts.all()}
    shown = presentation.forms_of(ReportVersion(report=report, forms=drafts))
    answered = [(f, f.code in drafts) for f in shown]
    problems = services.readiness(report)
    explained = _explanations(request)
    findings = [(f, explained.get(f.id, "")) for f in services.cross_year_findings(report, drafts)]
    user = request.user
    return render(
        request,
        "reports/workspace/check.html",
        {
            "report": report,
            "forms": answered,
            "problems": _problem_links(report, problems),
            "findings": findings,
            "seen": services.draft_state(report),
            "declarant": user.get_full_name() or user.email,  # type: ignore[union-attr]
            "today": timezone.localdate(),
            "not_declared": not_declared,
            "conflict": conflict,
            "versions": report.versions.exists(),
        },
        status=status,
    )


@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: "check your answers". POST: submit from that page, with the declaration ticked and
    the page's `seen` token (a report changed since is refused with 409, nothing recorded)."""
    report = selectors.report_for_user(request.user, pk)
    if _on_behalf(request, report):
        messages.error(request, _("ISU staff record a report the State sent: use the form below."))
        return redirect("workspace:report", pk=report.pk)
    if request.method != "POST":
        if not report.drafts.exists() and report.versions.exists():
            return redirect("workspace:report", pk=report.pk)  # submitted: nothing to check
        return _check_page(request, report)
    try:
        version = services.submit_report(
            report,
            by=request.user,  # type: ignore[arg-type]
            explanations=_explanations(request),
            declared=request.POST.get("declaration") == "1",
            seen=request.POST.get("seen", ""),
        )
    except services.NotDeclared:
        return _check_page(request, report, status=400, not_declared=True)
    except services.NotReady:
        return _check_page(request, report, status=400)
    except services.ConflictError:
        return _check_page(request, report, status=409, conflict=True)
    messages.success(
        request,
        _("Submitted: receipt %(number)s. The report is now public.")
        % {"number": services.receipt_number(version)},
    )
    return redirect("workspace:report", pk=report.pk)


@login_required
@require_POST
def record_received(request: HttpRequest, pk: int) -> HttpResponse:
    """ISU staff record the report a State sent by e-mail, from the forms they transcribed, with
    the file attached: a version entered on the State's behalf."""
    report = selectors.report_for_user(request.user, pk)
    if not _on_behalf(request, report):
        raise Http404("only ISU staff enter a report on a State's behalf")
    form = RecordReceivedForm(request.POST, request.FILES)
    if not form.is_valid():
        return _overview(request, report, None, status=400, record_form=form)
    data = form.cleaned_data
    try:
        version = services.record_received_report(
            report,
            received_on=data["received_on"],
            channel=data["channel"],
            file=data["file"],
            languages=data["languages"],
            by=request.user,  # type: ignore[arg-type]
            explanations=_explanations(request),
        )
    except services.NotReady as exc:
        return _overview(request, report, exc.problems, status=400, record_form=form)
    except services.ConflictError:
        messages.error(request, CONFLICT_ON_SUBMIT)
        return redirect("workspace:report", pk=report.pk)
    messages.success(
        request,
        _("Recorded as received on %(day)s, entered by the ISU: receipt %(number)s.")
        % {"day": version.received_on.isoformat(), "number": services.receipt_number(version)},
    )
    for warning in version.warnings:
        messages.warning(request, warning)
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
    (409) and what the person typed stays on the page for them to compare. A colleague asked
    to fill this form sees it alone (issue #10)."""
    report, colleague = selectors.report_form_for_user(request.user, pk, code)
    template = definition.load(report.template)
    form = next((f for f in template.forms if f.code == code), None)
    if form is None:
        raise Http404(code)
    draft = report.drafts.filter(form=code).first()
    status = 200
    conflict = saved = False
    revision: int | None = draft.revision if draft else None
    if request.method == "POST":
        values = form_pages.values_from(form, request.POST)
        # "Save mine over theirs" after a conflict names the revision the person has now seen.
        given = request.POST.get("overwrite") or request.POST.get("revision", "")
        revision = whole(given)
        try:
            draft, problems = services.save_form(
                report,
                code,
                values,
                revision=revision,
                by=request.user,  # type: ignore[arg-type]
            )
        except services.ConflictError:
            # Refused, not merged: their version stays; the page keeps what this person typed
            # and the revision they started from, so saving as they work keeps being refused
            # until they choose (see theirs, save theirs over, or discard theirs).
            conflict, status = True, 409
            problems = services.form_problems(template, code, values, report)
            draft = report.drafts.select_related("updated_by").filter(form=code).first()
        else:
            values = draft.values  # as saved: an answer that no longer applies is gone
            saved = True
            if problems:  # saved as a draft all the same; the problems are listed below
                messages.warning(
                    request,
                    ngettext(
                        "Saved, with %(n)d problem: see below.",
                        "Saved, with %(n)d problems: see below.",
                        len(problems),
                    )
                    % {"n": len(problems)},
                )
            else:
                messages.success(request, _("Saved."))
                if request.POST.get("next") == "1" and not colleague:
                    return _to_next_form(request, report, template, code)
    elif draft is not None:
        values = draft.values
        problems = services.form_problems(template, code, values, report)
    else:  # a cover page never saved starts with the calendar year, shown (issue #25)
        values = services.new_cover(report) if code == "cover" else {}
        problems = []
    shown = form_pages.page(template, form, values, problems, get_language())
    context = {
        "report": report,
        "form": form,
        "title": form.title[(get_language() or "en")[:2]]
        if (get_language() or "en")[:2] in definition.LANGUAGES
        else form.title["en"],
        "page": shown,
        # After a save with problems, each listed under "Saved, with N problems" (issue #26).
        "saved_problems": form_pages.problem_list(shown) if saved and problems else [],
        "warnings": services.form_warnings(code, values) if draft else [],
        "draft": draft,
        "conflict": conflict,
        "revision": revision if conflict else (draft.revision if draft else None),
        "can_carry": form.code != "cover" and services.previous_version(report) is not None,
        "codes": [f.code for f in template.forms],
        "last": template.forms[-1].code == code,
        "colleague": colleague,
        # The colleague's own request: "I have finished", or when they said it (issue #26).
        "delegation": (
            selectors.own_delegation(request.user, report.pk, code) if colleague else None
        ),
    }
    partial = bool(getattr(request, "htmx", False))
    context["partial"] = partial  # the page's own messages: the base page shows them otherwise
    name = "reports/workspace/form_fields.html" if partial else "reports/workspace/form.html"
    return render(request, name, context, status=status)


def _to_next_form(
    request: HttpRequest, report: Any, template: definition.Template, code: str
) -> HttpResponse:
    """ "Save and go to the next form": the form after this one, or "check your answers"
    after the last."""
    codes = [f.code for f in template.forms]
    after = codes[codes.index(code) + 1 :]
    url = (
        reverse("workspace:form", args=[report.pk, after[0]])
        if after
        else reverse("workspace:submit", args=[report.pk])
    )
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


@login_required
@require_POST
def carry(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    report, _colleague = selectors.report_form_for_user(request.user, pk, code)
    try:
        services.carry_forward(report, code, by=request.user)  # type: ignore[arg-type]
    except ValueError:
        messages.error(request, _("No earlier report holds this form."))
    return redirect("workspace:form", pk=report.pk, code=code)


WORKBOOK_MAX_MB = 10


@login_required
def workbook(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the report's offline workbook in the chosen language. POST: the filled workbook
    back into the drafts, all of it or nothing, every problem named by sheet and cell."""
    report = selectors.report_for_user(request.user, pk)
    if request.method == "POST":
        upload = request.FILES.get("workbook")
        problems: list[str] = []
        if upload is None:
            problems = [_("Choose the workbook to upload (an .xlsx file).")]
        elif (upload.size or 0) > WORKBOOK_MAX_MB * 1024 * 1024:
            problems = [_("The file is larger than %(n)d MB.") % {"n": WORKBOOK_MAX_MB}]
        elif not (upload.name or "").lower().endswith(".xlsx"):
            problems = [_("Choose an .xlsx workbook downloaded from this page.")]
        else:
            try:
                saved, left_out = services.import_workbook(
                    report,
                    upload.read(),
                    by=request.user,  # type: ignore[arg-type]
                )
            except workbooks.WorkbookRefused as exc:
                problems = exc.problems
            else:
                answers = dict(report.drafts.filter(form__in=saved).values_list("form", "values"))
                for code in saved:  # to explain, as on the form's page (issue #25)
                    for warning in services.form_warnings(code, answers.get(code, {})):
                        messages.warning(request, warning)
                messages.success(
                    request,
                    _("Saved from the workbook: %(saved)s.") % {"saved": ", ".join(saved)}
                    + (
                        " "
                        + _("Left empty, so not changed: %(codes)s.")
                        % {"codes": ", ".join(left_out)}
                        if left_out
                        else ""
                    ),
                )
                return redirect("workspace:report", pk=report.pk)
        return _overview(request, report, None, status=400, workbook_problems=problems)
    language = request.GET.get("lang", _lang())
    if language not in definition.LANGUAGES:
        raise Http404(language)
    data = services.workbook_of(report, language)
    year = f"-{report.period}" if report.period else ""
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"ccm-article7-{report.state_id}-{report.kind}{year}-{language}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def raise_query(request: HttpRequest, pk: int) -> HttpResponse:
    """ISU staff ask the State about a form, or a value, of a submitted version."""
    report = selectors.report_for_user(request.user, pk)
    if not roles.is_isu_staff(request.user):
        raise Http404("only ISU staff raise queries")
    number = request.POST.get("version", "")
    asked = whole(number)
    version = report.versions.filter(number=asked).first() if asked is not None else None
    if version is None:
        raise Http404("no such version")
    try:
        services.raise_query(
            version,
            form=request.POST.get("form", ""),
            about=request.POST.get("about", ""),
            text=request.POST.get("text", ""),
            by=request.user,  # type: ignore[arg-type]
        )
    except ValueError:
        messages.error(request, _("Choose a form and say what you ask."))
    else:
        messages.success(request, _("Query sent to the State's focal points."))
    return redirect("workspace:report", pk=report.pk)


@login_required
@require_POST
def reply_query(request: HttpRequest, pk: int) -> HttpResponse:
    query = selectors.query_for_user(request.user, pk)
    try:
        services.reply_to_query(
            query,
            text=request.POST.get("text", ""),
            by=request.user,  # type: ignore[arg-type]
        )
    except ValueError:
        messages.error(request, _("Write the reply first (a closed query takes no reply)."))
    else:
        messages.success(request, _("Reply sent."))
    return redirect("workspace:report", pk=query.version.report_id)


@login_required
@require_POST
def close_query(request: HttpRequest, pk: int) -> HttpResponse:
    query = selectors.query_for_user(request.user, pk)
    if not roles.is_isu_staff(request.user):
        raise Http404("only ISU staff close queries")
    services.close_query(
        query,
        by=request.user,  # type: ignore[arg-type]
        reopen=request.POST.get("reopen") == "1",
    )
    return redirect("workspace:report", pk=query.version.report_id)


@login_required
def open_delegation(request: HttpRequest, token: str) -> HttpResponse:
    """A colleague's personal link: the one form they were asked to fill, or a clear refusal."""
    try:
        delegation = services.accept_delegation(token, user=request.user)  # type: ignore[arg-type]
    except services.DelegationRefused as exc:
        return render(
            request, "reports/workspace/delegation_refused.html", {"reason": exc.reason}, status=403
        )
    return redirect("workspace:form", pk=delegation.report_id, code=delegation.form)


@login_required
@require_POST
def finish_form(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The colleague says they have finished the form they were given: the focal point who
    asked is told by e-mail (issue #26). Only that colleague; saying it twice changes nothing."""
    delegation = selectors.own_delegation(request.user, pk, code)
    try:
        services.finish_delegation(delegation, by=request.user)  # type: ignore[arg-type]
    except services.FinishRefused as exc:
        return render(
            request, "reports/workspace/delegation_refused.html", {"reason": exc.reason}, status=403
        )
    messages.success(request, _("Thank you: the focal point was told that you have finished."))
    return redirect("workspace:form", pk=pk, code=code)


@login_required
@require_POST
def delegate(request: HttpRequest, pk: int) -> HttpResponse:
    """A focal point (or the ISU) asks a colleague to fill one form."""
    from django.core.exceptions import ValidationError

    report = selectors.report_for_user(request.user, pk)
    try:
        delegation = services.delegate_form(
            report,
            form=request.POST.get("form", ""),
            email=request.POST.get("email", ""),
            by=request.user,  # type: ignore[arg-type]
        )
    except (ValueError, ValidationError):
        messages.error(request, _("Give the colleague's e-mail address and choose a form."))
    else:
        messages.success(
            request,
            _("%(email)s was sent a personal link to fill form %(form)s.")
            % {"email": delegation.email, "form": delegation.form},
        )
    return redirect("workspace:report", pk=report.pk)


@login_required
@require_POST
def revoke_delegation(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = selectors.delegation_for_user(request.user, pk)
    services.revoke_delegation(delegation, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The colleague's link no longer works."))
    return redirect("workspace:report", pk=delegation.report_id)
