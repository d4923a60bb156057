"""The Presidency's desk (issue #11), for the Presidency and the ISU: the letterhead, the
Coordination Committee (themes, coordinators, its meetings, attendance, minutes), the
consultations on the next Presidency, letters to all States, and the progress report."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ccm.accounts.decorators import staff_or_presidency_required
from ccm.core.files import stored_download
from ccm.core.numbers import whole
from ccm.meetings import forms, letters, rules, selectors, services
from ccm.meetings.choices import MeetingKind, SuccessionStage
from ccm.meetings.models import Meeting, Presidency, validate_logo
from ccm.registry.models import State, fold

REFUSALS = (services.Refused, services.ConflictError)


def _problem(request: HttpRequest, exc: Exception) -> None:
    """A refused change, said plainly: a conflict asks to look again; a rule says which."""
    messages.error(request, _why(exc))


def _why(exc: Exception) -> str:
    if isinstance(exc, services.ConflictError):
        return _("Someone changed this meanwhile: nothing was changed. Look at it again.")
    return _("Nothing was changed: %(why)s") % {"why": exc}


def _refused(form: django_forms.Form, exc: Exception) -> int:
    """The refusal shown on the form, which keeps what the person typed: 409 for a conflict,
    400 for a rule."""
    form.add_error(None, _why(exc))
    return 409 if isinstance(exc, services.ConflictError) else 400


class PresidencyForm(forms.RevisionForm):
    president = django_forms.CharField(label=gettext_lazy("President (person)"), max_length=200,
                                       required=False)  # fmt: skip
    president_title = django_forms.CharField(label=gettext_lazy("Title under the signature"),
                                             max_length=200, required=False)  # fmt: skip
    address = django_forms.CharField(label=gettext_lazy("Address for letters"), max_length=500,
                                     required=False, widget=django_forms.Textarea(
                                         attrs={"rows": 3}))  # fmt: skip
    national_logo = django_forms.FileField(
        label=gettext_lazy("National logo (SVG or PNG)"), required=False,
        validators=[validate_logo],
        widget=django_forms.ClearableFileInput(attrs={"accept": ".svg,.png"}),
    )  # fmt: skip


def _writing(request: HttpRequest) -> bool:
    return request.method == "POST"


@staff_or_presidency_required
def desk(request: HttpRequest, code: str) -> HttpResponse:
    """One page for a Presidency's work: what it signs with, and where everything stands."""
    presidency = selectors.presidency_for_user(request.user, code, write=_writing(request))
    following = selectors.next_meeting(presidency.meeting)
    succession = selectors.succession_of(following) if following else None
    today = timezone.localdate()
    form = PresidencyForm(
        request.POST or None, request.FILES or None,
        initial={"president": presidency.president, "president_title": presidency.president_title,
                 "address": presidency.address, "revision": presidency.revision},
    )  # fmt: skip
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_presidency(presidency, by=request.user, **form.cleaned_data)
            except REFUSALS as exc:
                status = _refused(form, exc)
            else:
                messages.success(request, _("The letterhead is saved."))
                return redirect("staff:meetings:desk", code=presidency.meeting.code)
    stage = selectors.stage(succession, following, today) if following else None
    items = selectors.work_plan(presidency.meeting)
    return render(request, "meetings/staff/desk.html", {
        "presidency": presidency, "meeting": presidency.meeting, "form": form,
        "following": following, "succession": succession, "stage": stage,
        "stage_label": SuccessionStage(stage).label if stage else "",
        "open_form": forms.OpenSuccessionForm(initial={"opens_on": today}),
        "progress": rules.progress([(i.due_date, i.status) for i in items], today),
        "report_languages": letters.LANGUAGES,  # not "languages": base.html names its own
        "may_change": selectors.may_change(request.user, presidency.meeting),
    }, status=status)  # fmt: skip


# The consultations on the next Presidency ------------------------------------------------


@staff_or_presidency_required
def open_succession(request: HttpRequest, code: str) -> HttpResponse:
    """Consultations on the Presidency after `code`'s: of the next Meeting, or of the next
    Meeting of States Parties, created when it is not yet in the system."""
    presidency = selectors.presidency_for_user(request.user, code, write=_writing(request))
    if request.method != "POST":
        return redirect("staff:meetings:desk", code=presidency.meeting.code)
    form = forms.OpenSuccessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day the consultations open (YYYY-MM-DD)."))
        return redirect("staff:meetings:desk", code=presidency.meeting.code)
    following = selectors.next_meeting(presidency.meeting)
    last = (Meeting.objects.filter(kind=MeetingKind.MSP).exclude(number=None)
            .order_by("-number").first())  # fmt: skip
    try:  # the next Meeting, or else the Meeting of States Parties after the last numbered one
        made = services.open_succession(
            opens_on=form.cleaned_data["opens_on"], by=request.user, meeting=following,
            number=((last.number or 0) if last else 0) + 1,
        )  # fmt: skip
    except REFUSALS as exc:
        _problem(request, exc)
        return redirect("staff:meetings:desk", code=presidency.meeting.code)
    messages.success(request, _("The consultations are open."))
    return redirect("staff:meetings:succession", code=made.meeting.code)


SUCCESSION_FORMS: dict[str, type[forms.RevisionForm]] = {
    "volunteer": forms.VolunteerForm, "consultation": forms.ConsultationForm,
    "designate": forms.DesignateForm, "withdraw": forms.RevisionForm,
}  # fmt: skip


def _succession_form(action: str, meeting: Meeting, *args: Any, **kwargs: Any) -> Any:
    """Each form with its own ids (two of them ask for a State)."""
    if action == "designate":
        kwargs["meeting"] = meeting
    return SUCCESSION_FORMS[action](*args, auto_id=f"{action}_%s", **kwargs)


@staff_or_presidency_required
def succession(request: HttpRequest, code: str) -> HttpResponse:
    """Where the consultations on a Meeting's Presidency stand, and the steps to record: a
    State volunteering (with its letter), a consultation held, the State designated. A refused
    step is said on its form, which keeps what was typed."""
    found = selectors.succession_for_user(request.user, code, write=_writing(request))
    meeting = found.meeting
    bound: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in SUCCESSION_FORMS:
            raise Http404(action)
        form = _succession_form(action, meeting, request.POST, request.FILES)
        bound[action] = form
        status = 400
        if form.is_valid():
            try:
                _record(request, found, action, form.cleaned_data)
            except REFUSALS as exc:
                status = _refused(form, exc)
                if (
                    action == "withdraw"
                    or hasattr(meeting, "presidency")
                    or Presidency.objects.filter(meeting=meeting).exists()
                ):  # its form is not on the page: say it above
                    _problem(request, exc)
            else:
                return redirect("staff:meetings:succession", code=meeting.code)
    shown = selectors.succession_of(meeting) or found
    stage = selectors.stage(shown, meeting, timezone.localdate())
    initial = {"revision": shown.revision}
    context: dict[str, Any] = {
        "succession": shown, "meeting": meeting, "stage": stage,
        "stage_label": SuccessionStage(stage).label,
        "presidency": getattr(meeting, "presidency", None),
        "may_change": selectors.may_change_succession(request.user, found),
    }  # fmt: skip
    for action in ("volunteer", "consultation", "designate"):
        context[f"{action}_form"] = bound.get(action) or _succession_form(
            action, meeting, initial=initial
        )
    return render(request, "meetings/staff/succession.html", context, status=status)


def _record(request: HttpRequest, found: Any, action: str, data: dict[str, Any]) -> None:
    by, revision = request.user, data["revision"]
    if action == "volunteer":
        services.add_volunteer(found, state=data["state"], offered_on=data["offered_on"],
                               letter=data["letter"], revision=revision, by=by)  # fmt: skip
        messages.success(request, _("The offer is recorded."))
    elif action == "consultation":
        services.record_consultation(found, held_on=data["held_on"], summary=data["summary"],
                                     revision=revision, by=by)  # fmt: skip
        messages.success(request, _("The consultation is recorded."))
    elif action == "designate":
        services.designate(found, state=data["state"], by_meeting=data["by_meeting"],
                           president=data["president"], revision=revision, by=by)  # fmt: skip
        messages.success(request, _("The designation is recorded."))
    else:  # withdraw: the volunteer's id comes with the form and must be of this succession
        volunteer = found.volunteers.filter(pk=whole(request.POST.get("volunteer")) or -1).first()
        if volunteer is None:
            raise services.Refused(_("no such volunteer"))
        services.withdraw_volunteer(volunteer, on=timezone.localdate(), revision=revision, by=by)
        messages.success(request, _("The withdrawal is recorded."))


@staff_or_presidency_required
def volunteer_letter(request: HttpRequest, pk: int) -> HttpResponseBase:
    volunteer = selectors.volunteer_for_user(request.user, pk)
    if not volunteer.letter:
        raise Http404("no letter")
    extension = volunteer.letter.name.rsplit(".", 1)[-1].lower()
    name = f"{volunteer.succession.meeting.code}-{volunteer.state_id}-offer.{extension}"
    return stored_download(volunteer.letter, name)


# The Coordination Committee --------------------------------------------------------------


@staff_or_presidency_required
def coordination(request: HttpRequest, code: str) -> HttpResponse:
    """A Presidency year's themes and coordinators, and the Committee's meetings."""
    presidency = selectors.presidency_for_user(request.user, code, write=_writing(request))
    action = request.POST.get("action", "")
    theme_form = forms.ThemeForm(request.POST if action == "theme" else None)
    meeting_form = forms.CoordinationMeetingForm(request.POST if action == "meeting" else None)
    status = 200
    if request.method == "POST":
        if action == "coordinators":
            return _coordinators(request, presidency)
        if action == "copy":
            return _copy(request, presidency)
        if action not in ("theme", "meeting"):
            raise Http404(action)
        status = 400
        by = request.user
        if action == "theme" and theme_form.is_valid():
            try:
                services.add_theme(presidency, by=by, **theme_form.cleaned_data)
            except REFUSALS as exc:
                status = _refused(theme_form, exc)
            else:
                messages.success(request, _("The theme is added."))
                return redirect("staff:meetings:coordination", code=presidency.meeting.code)
        if action == "meeting" and meeting_form.is_valid():
            try:
                made = services.add_coordination_meeting(presidency, by=by,
                                                         **meeting_form.cleaned_data)  # fmt: skip
            except REFUSALS as exc:
                status = _refused(meeting_form, exc)
            else:
                messages.success(request, _("The meeting is recorded."))
                return redirect("staff:meetings:coordination_meeting", code=made.code)
    earlier = (  # the latest other year with themes, to copy them from
        Presidency.objects.filter(coordination__isnull=False).exclude(pk=presidency.pk)
        .select_related("meeting").order_by("-meeting__start_date").first()
    )  # fmt: skip
    themes = selectors.coordination(presidency)
    return render(request, "meetings/staff/coordination.html", {
        "presidency": presidency,
        "themes": [(t, rules.digest(s.iso3 for s in t.coordinators.all())) for t in themes],
        "meetings": selectors.coordination_meetings(presidency), "theme_form": theme_form,
        "meeting_form": meeting_form, "earlier": earlier,
        "states": sorted(State.objects.all(), key=lambda s: fold(s.name)),  # the reader's names
        "may_change": selectors.may_change(request.user, presidency.meeting),
    }, status=status)  # fmt: skip


def _coordinators(request: HttpRequest, presidency: Presidency) -> HttpResponse:
    found = presidency.coordination.filter(pk=whole(request.POST.get("theme")) or -1).first()
    form = forms.CoordinatorsForm(request.POST)
    if found is None or not form.is_valid():
        messages.error(request, _("Nothing was changed: choose States from the list."))
    else:
        try:
            chosen = list(form.cleaned_data["coordinators"])
            seen = request.POST.get("seen", "")
            services.set_coordinators(found, coordinators=chosen, seen=seen, by=request.user)
        except REFUSALS as exc:
            _problem(request, exc)
        else:
            messages.success(request, _("The coordinators are saved."))
    return redirect("staff:meetings:coordination", code=presidency.meeting.code)


def _copy(request: HttpRequest, presidency: Presidency) -> HttpResponse:
    source = (Presidency.objects.filter(meeting__code=request.POST.get("source", ""))
              .exclude(pk=presidency.pk).first())  # fmt: skip
    if source is None:
        raise Http404("no such Presidency")
    added = services.copy_themes(presidency, source=source, by=request.user)
    messages.success(request, _("%(n)d themes copied; name their coordinators.") % {"n": added})
    return redirect("staff:meetings:coordination", code=presidency.meeting.code)


@staff_or_presidency_required
def coordination_meeting(request: HttpRequest, code: str) -> HttpResponse:
    """One meeting of the Committee: who attended, its minutes, the work-plan items it agreed."""
    meeting = selectors.coordination_meeting_for_user(request.user, code, write=_writing(request))
    minutes = getattr(meeting, "minutes", None)
    action = request.POST.get("action", "")
    rows = list(meeting.attendance.select_related("state"))
    attendance_form = forms.AttendanceForm(
        request.POST if action == "attendance" else None,
        initial={
            "present": [a.state for a in rows if a.state and a.presence == "present"],
            "apologies": [a.state for a in rows if a.state and a.presence == "apologies"],
            "organisations": "\n".join(a.organisation for a in rows if not a.state),
            "seen": services.attendance_seen(meeting),
        },
    )  # fmt: skip
    minutes_form = forms.MinutesForm(
        request.POST if action == "minutes" else None,
        request.FILES if action == "minutes" else None,
        initial={"revision": minutes.revision if minutes else 0,
                 "summary": minutes.summary if minutes else ""},
    )  # fmt: skip
    status = 200
    if request.method == "POST":
        if action not in ("attendance", "minutes"):
            raise Http404(action)
        status = 400
        if action == "attendance" and attendance_form.is_valid():
            data = attendance_form.cleaned_data
            try:
                services.record_attendance(
                    meeting, present=list(data["present"]), apologies=list(data["apologies"]),
                    organisations=data["organisations"].splitlines(), seen=data["seen"],
                    by=request.user,
                )  # fmt: skip
            except REFUSALS as exc:
                status = _refused(attendance_form, exc)
            else:
                messages.success(request, _("The attendance is saved."))
                return redirect("staff:meetings:coordination_meeting", code=meeting.code)
        if action == "minutes" and minutes_form.is_valid():
            data = minutes_form.cleaned_data
            try:
                services.record_minutes(meeting, summary=data["summary"], file=data["file"],
                                        revision=data["revision"], by=request.user)  # fmt: skip
            except REFUSALS as exc:
                status = _refused(minutes_form, exc)
            else:
                messages.success(request, _("The minutes are saved."))
                return redirect("staff:meetings:coordination_meeting", code=meeting.code)
    presidency = meeting.held_under
    plan = selectors.work_plan(presidency.meeting) if presidency else []
    items = [i for i in plan if i.from_meeting_id == meeting.pk]
    return render(request, "meetings/staff/coordination_meeting.html", {
        "meeting": meeting, "presidency": presidency, "minutes": minutes,
        "present": [a for a in rows if a.presence == "present"],
        "apologies": [a for a in rows if a.presence == "apologies"],
        "attendance_form": attendance_form, "minutes_form": minutes_form, "items": items,
        "may_change": selectors.may_change(request.user, meeting),
    }, status=status)  # fmt: skip


@staff_or_presidency_required
def minutes_file(request: HttpRequest, code: str) -> HttpResponseBase:
    meeting = selectors.minutes_meeting_for_user(request.user, code)
    extension = meeting.minutes.file.name.rsplit(".", 1)[-1].lower()
    return stored_download(meeting.minutes.file, f"{meeting.code}-minutes.{extension}")


# Letters to all States ------------------------------------------------------------------


@staff_or_presidency_required
def letter_list(request: HttpRequest, code: str) -> HttpResponse:
    """The Presidency's letters, and a new one (written in English, and French and Spanish
    where the Presidency gives them)."""
    presidency = selectors.presidency_for_user(request.user, code, write=_writing(request))
    start = letters.starting_point(request.GET.get("start", ""))
    initial = {"revision": 0, "dated": timezone.localdate(), **start}
    form = forms.LetterForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        saved, status = _save_letter(request, form, presidency)
        if saved:
            return saved
    return render(request, "meetings/staff/letters.html", {
        "presidency": presidency, "letters": list(presidency.letters.all()), "form": form,
        "placeholders": rules.PLACEHOLDERS, "figures": letters.vocabulary(),
        "started": bool(start),
        "starting_points": [(key, versions.get(get_language()[:2], versions["en"])["title"])
                            for key, versions in letters.starting_points().items()],
        "may_change": selectors.may_change(request.user, presidency.meeting),
    }, status=status)  # fmt: skip


def _save_letter(
    request: HttpRequest, form: forms.LetterForm, presidency: Presidency, found: Any = None
) -> tuple[HttpResponse | None, int]:
    """A new letter or a change to one: the letter's page, or the status with the refusal
    said on the form, which keeps what was typed."""
    if not form.is_valid():
        return None, 400
    try:
        data = form.cleaned_data
        saved = services.save_letter(presidency, data, letter=found, revision=data["revision"],
                                     by=request.user)  # fmt: skip
    except REFUSALS as exc:
        return None, _refused(form, exc)
    messages.success(request, _("The letter is saved."))
    return redirect("staff:meetings:letter", pk=saved.pk), 302


@staff_or_presidency_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.letter_for_user(request.user, pk, write=_writing(request))
    initial = {f: getattr(found, f) for f in services.LETTER_FIELDS} | {"revision": found.revision}
    form = forms.LetterForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        saved, status = _save_letter(request, form, found.presidency, found)
        if saved:
            return saved
    return render(request, "meetings/staff/letter.html", {
        "letter": found, "presidency": found.presidency, "form": form,
        "placeholders": rules.PLACEHOLDERS, "figures": letters.vocabulary(),
        # the figures as of the letter's date, with their sources: for the author, not sent
        "sources": letters.sources(found, get_language()[:2]), "audiences": _audiences(),
        "may_change": selectors.may_change(request.user, found.presidency.meeting),
    }, status=status)  # fmt: skip


def _audiences() -> list[tuple[str, str]]:
    return [("parties", _("States Parties")),
            ("parties_signatories", _("States Parties and signatories")),
            ("all", _("every State"))]  # fmt: skip


def _pdf_or_html(request: HttpRequest, html: str, name: str) -> HttpResponse:
    if request.GET.get("format") == "pdf":
        response = HttpResponse(letters.pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    return HttpResponse(html)


@staff_or_presidency_required
def letter_language(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    found = selectors.letter_for_user(request.user, pk)
    if language not in found.languages:
        raise Http404(language)
    return _pdf_or_html(request, letters.render(found, language), f"letter-{found.pk}-{language}")


@staff_or_presidency_required
def letter_to_states(request: HttpRequest, pk: int) -> HttpResponse:
    """One letter per State (States Parties on the letter's date by default), each in the
    State's working language where the letter was written in it."""
    found = selectors.letter_for_user(request.user, pk)
    audience = request.GET.get("to", "parties")
    if audience not in letters.AUDIENCES:
        raise Http404(audience)
    states = letters.audience(audience, found.dated)
    html = letters.render_to_states(found, states)
    return _pdf_or_html(request, html, f"letter-{found.pk}-{audience}")


# The progress report on the work plan ---------------------------------------------------


@staff_or_presidency_required
def progress_report(request: HttpRequest, code: str) -> HttpResponse:
    """The Presidency's progress report on the work plan up to its Meeting, in en/fr/es."""
    meeting = selectors.meeting(code)
    language = request.GET.get("lang", "en")
    if language not in letters.LANGUAGES:
        raise Http404(language)
    items = selectors.work_plan(meeting)
    html = letters.render_report(meeting, items, language, timezone.localdate())
    return _pdf_or_html(request, html, f"{meeting.code}-work-plan-progress-{language}")


# The meeting logo (issue #26) ------------------------------------------------------------

LOGO_LANGUAGES = ("en", "fr", "es")


@staff_or_presidency_required
def logo_page(request: HttpRequest, code: str) -> HttpResponse:
    """The meeting's logo for its Presidency and the ISU: the standard logo (the Convention's
    mark alone) until a national logo is uploaded, then both marks; a preview in English,
    French and Spanish, each downloadable as SVG, PNG and PDF; the national logo uploaded
    (checked and sanitised by meetings.logo: an unsafe file is refused) or removed."""
    from ccm.meetings import logo

    meeting = selectors.logo_meeting_for_user(request.user, code, write=_writing(request))
    presidency = selectors.presidency_of(meeting)
    revision = presidency.revision if presidency else 0
    form = forms.LogoForm(request.POST or None, request.FILES or None,
                          initial={"revision": revision})  # fmt: skip
    status = 200
    if request.method == "POST" and presidency is not None:
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["national_logo"]
            if not upload and upload is not False:
                form.add_error("national_logo", _("Choose the logo to upload."))
            else:
                try:  # the letterhead's service: the rest of the letterhead as it stands
                    services.update_presidency(
                        presidency, president=presidency.president,
                        president_title=presidency.president_title, address=presidency.address,
                        revision=form.cleaned_data["revision"], national_logo=upload,
                        by=request.user,
                    )  # fmt: skip
                except REFUSALS as exc:
                    status = _refused(form, exc)
                else:
                    messages.success(request, _("The national logo is saved.") if upload else
                                     _("The national logo is removed."))  # fmt: skip
                    return redirect("staff:meetings:logo", code=meeting.code)
    national = logo.stored(presidency) if presidency is not None else None
    names = dict(settings.LANGUAGES)
    return render(request, "meetings/staff/logo.html", {
        "meeting": meeting, "presidency": presidency, "form": form,
        "national": national is not None,
        "previews": [(code, names.get(code, code)) for code in LOGO_LANGUAGES],
        "may_change": presidency is not None and selectors.may_change(request.user, meeting),
        "untranslated": logo.untranslated(meeting, list(LOGO_LANGUAGES)),
    }, status=status)  # fmt: skip
