"""The private pages of universalization (issue #14), for the ISU, the Presidency and the
universalization coordinators: the States not party and where each stands, one State's file
(log a contact, its positions, intentions and stage), démarche campaigns; and the ISU's imports
of recorded votes and entries in the register of use."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ccm.accounts import roles
from ccm.accounts.decorators import staff_required
from ccm.core.commands import ERRORS_SHOWN
from ccm.core.files import attachment
from ccm.core.numbers import whole
from ccm.core.tables import RowsRefused
from ccm.outreach import forms, letters, rules, selectors, services
from ccm.outreach.choices import Stage
from ccm.registry.choices import Region


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Every State not party: stage, positions, last contact, next step; filters by region and
    stage; the next steps due."""
    today = timezone.localdate()
    every = selectors.pipeline_for_user(request.user, today)
    region, stage = request.GET.get("region", ""), request.GET.get("stage", "")
    rows = [r for r in every if (not region or r.state.region == region)
            and (not stage or r.stage == stage)]  # fmt: skip
    counts = {s.value: 0 for s in Stage}
    for r in every:
        counts[r.stage] += 1
    return render(request, "outreach/staff/index.html", {
        "rows": rows, "due": selectors.steps_due(today), "today": today,
        "regions": Region.choices, "stages": Stage.choices, "region": region, "stage": stage,
        "counts": [(Stage(k).label, n) for k, n in counts.items()],
        "is_staff": roles.is_isu_staff(request.user),
    })  # fmt: skip


FORMS = {
    "log": forms.LogForm, "position": forms.PositionForm, "intention": forms.IntentionForm,
    "stage": forms.StageForm,
}  # fmt: skip


@login_required
def state(request: HttpRequest, iso3: str) -> HttpResponseBase:
    """One State's outreach file; log a contact (with its next step), a position or an
    intention with its source, a stage; mark a next step done."""
    found = selectors.state_outreach_for_user(request.user, iso3)
    the_state = found.standing.state
    action = request.POST.get("action", "")
    today = timezone.localdate()
    bound = {name: cls(request.POST if action == name else None,
                       initial={"on": today, "as_of": today, "stated_on": today, "since": today})
             for name, cls in FORMS.items()}  # fmt: skip
    if request.method == "POST":
        by = request.user
        try:
            if action == "done":
                entry = selectors.outreach_entry_for_user(by, whole(request.POST.get("entry")) or 0)
                if entry.state_id != the_state.iso3:
                    raise PermissionDenied
                services.step_done(entry, on=today, by=by)
                return redirect("staff:outreach:state", iso3=the_state.iso3)
            form = bound.get(action)
            if form is not None and form.is_valid():
                d = form.cleaned_data
                if action == "log":
                    services.log_outreach(the_state, by=by, **d)
                elif action == "position":
                    services.add_position(the_state, by=by, **d)
                elif action == "intention":
                    services.add_intention(the_state, by=by, **d)
                else:
                    services.set_stage(the_state, by=by, **d)
                messages.success(request, _("Saved."))
                return redirect("staff:outreach:state", iso3=the_state.iso3)
        except services.Refused as exc:
            if action in bound:
                bound[action].add_error(None, str(exc))
            else:
                messages.error(request, str(exc))
    status = 400 if request.method == "POST" else 200
    return render(request, "outreach/staff/state.html", {
        "file": found, "state": the_state, "forms": bound, "today": today,
    }, status=status)  # fmt: skip


@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/staff/campaigns.html",
                  {"campaigns": selectors.campaigns_for_user(request.user)})  # fmt: skip


@login_required
def new_campaign(request: HttpRequest) -> HttpResponseBase:
    """Choose the States by filters (previewed), write the letter in en/fr/es, start it."""
    if not selectors.reads_outreach(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    filters = forms.FilterForm(request.POST or request.GET or None)
    text = forms.CampaignForm(request.POST if request.POST.get("action") == "start" else None)
    chosen: list[Any] = []
    as_of = today
    criteria: dict[str, Any] = {}
    if filters.is_bound and filters.is_valid():
        # Issue #25: the States not party, and their stage, as of the chosen day
        as_of = filters.cleaned_data["as_of"]
        criteria = {k: v for k, v in filters.cleaned_data.items() if k != "as_of"}
        picked = rules.chosen(selectors.candidates(as_of), criteria)
        standing = {s.state.iso3: s for s in selectors.pipeline(as_of, set(picked))}
        chosen = [standing[iso3] for iso3 in picked if iso3 in standing]
    if text.is_bound and text.is_valid() and filters.is_valid():
        d = text.cleaned_data
        try:
            campaign = services.start_campaign(
                title=d["title"], filters=criteria, as_of=as_of, by=request.user,
                subjects={k: d[f"subject_{k}"] for k in ("en", "fr", "es")},
                bodies={k: d[f"body_{k}"] for k in ("en", "fr", "es")},
                states=[s.state for s in chosen],
            )  # fmt: skip
        except services.Refused as exc:
            text.add_error(None, str(exc))
        else:
            return redirect("staff:outreach:campaign", pk=campaign.pk)
    status = (
        400 if (text.is_bound and text.errors) or (filters.is_bound and filters.errors) else 200
    )
    return render(request, "outreach/staff/new_campaign.html", {
        "filters": filters, "text": text, "chosen": chosen, "as_of": as_of,
        "asks": selectors.asks_by_stage(chosen, as_of),
    }, status=status)  # fmt: skip


@login_required
def campaign(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A campaign: its States, letters (PDF per language), when sent, replies and next steps."""
    found = selectors.campaign_for_user(request.user, pk)
    today = timezone.localdate()
    sent = forms.SentForm(request.POST if request.POST.get("action") == "sent" else None,
                          initial={"sent_on": today})  # fmt: skip
    if request.method == "POST" and sent.is_valid():
        n = services.mark_sent(found, on=sent.cleaned_data["sent_on"], by=request.user)
        messages.success(request, _("%(n)d letters logged as sent.") % {"n": n})
        return redirect("staff:outreach:campaign", pk=found.pk)
    if request.GET.get("format") == "pdf":
        language = request.GET.get("language") or None
        if language not in (None, "en", "fr", "es"):
            language = None
        pdf, _n = letters.letters_pdf(found, today, language)
        return attachment(pdf, f"campaign-{found.pk}-{language or 'all'}.pdf", "application/pdf")
    return render(request, "outreach/staff/campaign.html", {
        "campaign": found, "rows": selectors.campaign_rows(found, today), "sent": sent,
        "today": today,
    }, status=400 if sent.errors else 200)  # fmt: skip


@staff_required
def import_votes(request: HttpRequest) -> HttpResponse:
    """A recorded vote from a CSV or XLSX list: every row valid or nothing is written."""
    form = forms.VoteImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        header = services.VoteHeader(
            symbol=d["symbol"] or "", year=d["year"], body=d["body"], voted_on=d["voted_on"],
            source=d["source"],
            official=(d["yes"], d["no"], d["abstain"]) if d["yes"] is not None else None,
        )  # fmt: skip
        try:
            found = services.import_votes(upload.name, upload.read(), header, by=request.user)
        except RowsRefused as exc:
            errors = [str(e) for e in exc.errors[:ERRORS_SHOWN]]
        except services.Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(code)s imported.") % {"code": found.code})
            return redirect("outreach:vote", code=found.code)
    status = 400 if (form.errors or errors) else 200
    return render(request, "outreach/staff/import_votes.html",
                  {"form": form, "errors": errors}, status=status)  # fmt: skip


@staff_required
def register(request: HttpRequest) -> HttpResponse:
    """Enter a reported use or a contamination fact, each with its source."""
    action = request.POST.get("action", "")
    use_form = forms.UseForm(request.POST if action == "use" else None)
    dirt = forms.ContaminationForm(request.POST if action == "contamination" else None)
    if request.method == "POST":
        try:
            if action == "use" and use_form.is_valid():
                services.report_use(by=request.user, **use_form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("outreach:use")
            if action == "contamination" and dirt.is_valid():
                d = dirt.cleaned_data
                services.record_contamination(d.pop("state"), by=request.user, **d)
                messages.success(request, _("Saved."))
                return redirect("outreach:use")
        except services.Refused as exc:
            (use_form if action == "use" else dirt).add_error(None, str(exc))
    status = 400 if request.method == "POST" else 200
    return render(request, "outreach/staff/register.html",
                  {"use_form": use_form, "dirt": dirt}, status=status)  # fmt: skip
