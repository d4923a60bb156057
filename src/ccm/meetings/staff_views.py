"""Staff and Presidency pages of meetings (issue #11): the work plan up to a Meeting; the ISU's
pages to record a meeting, change it and upload its documents (issue #26)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ccm.accounts.decorators import staff_or_presidency_required, staff_required
from ccm.core.numbers import whole
from ccm.meetings import forms as meeting_forms
from ccm.meetings import letters, selectors, services
from ccm.meetings.choices import ItemStatus, MeetingKind, Owner
from ccm.meetings.models import Meeting
from ccm.registry.models import State


class ItemForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Item"), max_length=300)
    theme = forms.CharField(label=gettext_lazy("Theme"), max_length=100, required=False)
    owner = forms.ChoiceField(label=gettext_lazy("Owner"), choices=Owner.choices)
    owner_state = forms.ModelChoiceField(
        label=gettext_lazy("Owner State (for a State or a coordinator)"),
        queryset=State.objects.order_by("name_en"),
        required=False,
        to_field_name="iso3",
    )
    due_date = forms.DateField(  # ISO only: 01/02/2026 reads differently around the world
        label=gettext_lazy("Due on"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}))  # fmt: skip
    from_meeting = forms.ModelChoiceField(
        label=gettext_lazy("Agreed at the coordination meeting of"),
        queryset=Meeting.objects.none(), required=False, to_field_name="code",
    )  # fmt: skip

    def __init__(self, *args: object, meeting: Meeting, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["from_meeting"]
        field.queryset = Meeting.objects.filter(  # type: ignore[attr-defined]
            kind=MeetingKind.COORDINATION, held_under__meeting=meeting
        ).order_by("start_date")
        field.label_from_instance = lambda m: date_format(  # type: ignore[attr-defined]
            m.start_date, "DATE_FORMAT"
        )
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name in ("owner", "owner_state") else (
                "form-control")  # fmt: skip

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("owner") in (Owner.STATE, Owner.COORDINATOR) and not data.get("owner_state"):
            self.add_error("owner_state", _("Name the State that owns this item."))
        return data


@staff_or_presidency_required
def work_plan(request: HttpRequest, code: str) -> HttpResponse:
    """The work plan up to a Meeting: overdue items stand out; the Presidency and the ISU add
    items and say where each stands."""
    meeting = selectors.meeting(code)
    if request.method == "POST" and not selectors.may_change(request.user, meeting):
        raise PermissionDenied  # a Presidency account leaves a past year's plan as it was
    form = ItemForm(request.POST or None, meeting=meeting,
                    initial={"from_meeting": request.GET.get("from", "")})  # fmt: skip
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            services.add_work_plan_item(
                meeting, title=data["title"], theme=data["theme"], owner=data["owner"],
                owner_state=data["owner_state"], due_date=data["due_date"], notes=data["notes"],
                from_meeting=data["from_meeting"], by=request.user,
            )  # fmt: skip
            messages.success(request, _("Item added to the work plan."))
            return redirect("staff:meetings:work_plan", code=meeting.code)
        status = 400
    items = selectors.work_plan(meeting)
    today = timezone.localdate()
    return render(
        request,
        "meetings/staff/work_plan.html",
        {
            "meeting": meeting,
            "rows": [(item, item.overdue(today)) for item in items],
            "overdue": sum(1 for item in items if item.overdue(today)),
            "form": form,
            "statuses": ItemStatus.choices,
            "report_languages": [(c, n) for c, n in settings.LANGUAGES if c in letters.LANGUAGES],
        },
        status=status,
    )


@staff_or_presidency_required
@require_POST
def item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.work_plan_item(pk)
    if not selectors.may_change(request.user, item.meeting):
        raise PermissionDenied
    given = request.POST.get("revision", "")
    try:
        services.set_item_status(
            item, status=request.POST.get("status", ""),
            revision=whole(given) or -1, by=request.user,
        )  # fmt: skip
    except services.ConflictError:
        messages.error(request, _("Someone changed this item meanwhile: nothing was changed. "
                                  "Look at it again."))  # fmt: skip
    except ValueError:
        messages.error(request, _("Choose one of the statuses."))
    return redirect("staff:meetings:work_plan", code=item.meeting.code)


# Meetings and their documents, recorded by the ISU (issue #26) ---------------------------

REFUSALS = (services.Refused, services.ConflictError)


def _refused(form: forms.Form, exc: Exception) -> int:
    """The refusal said on the form, which keeps what was typed: 409 for a conflict (nothing
    overwritten), 400 for a rule."""
    if isinstance(exc, services.ConflictError):
        form.add_error(None, _("Someone changed this meeting meanwhile: nothing was changed. "
                               "Look at it again."))  # fmt: skip
        return 409
    form.add_error(None, _("Nothing was changed: %(why)s") % {"why": exc})
    return 400


@staff_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Every meeting the ISU records, latest first, with a door to record a new one."""
    return render(request, "meetings/staff/meetings.html",
                  {"meetings": selectors.staff_meetings()})  # fmt: skip


@staff_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    form = meeting_forms.MeetingForm(request.POST or None, initial={"mode": "in_person"})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = services.create_meeting(
                    code=data["code"], values=form.values(),
                    presidency_state=data["presidency_state"], president=data["president"],
                    deadlines=form.deadlines(), by=request.user,
                )  # fmt: skip
            except REFUSALS as exc:
                status = _refused(form, exc)
            else:
                messages.success(request, _("The meeting is recorded."))
                return redirect("staff:meetings:meeting", code=made.code)
    return render(request, "meetings/staff/meeting_form.html", {"form": form}, status=status)


@staff_required
def meeting_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The ISU's page of a meeting: its facts to change (from the copy seen: a change made
    meanwhile by someone else is refused, 409), its documents, and the doors to its logo, work
    plan, Presidency and public page."""
    meeting = selectors.meeting_for_staff(request.user, code)
    form = meeting_forms.MeetingForm(request.POST or None, editing=True,
                                     initial=meeting_forms.initial_of(meeting))  # fmt: skip
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_meeting(
                    meeting, values=form.values(), presidency_state=data["presidency_state"],
                    president=data["president"], deadlines=form.deadlines(),
                    revision=data["revision"], by=request.user,
                )  # fmt: skip
            except REFUSALS as exc:
                status = _refused(form, exc)
            else:
                messages.success(request, _("The meeting is saved."))
                return redirect("staff:meetings:meeting", code=meeting.code)
    return render(request, "meetings/staff/meeting_form.html", {
        "form": form, "meeting": meeting, "documents": list(meeting.documents.all()),
        "presidency": selectors.presidency_of(meeting),
    }, status=status)  # fmt: skip


@staff_required
def documents(request: HttpRequest, code: str) -> HttpResponse:
    """A meeting's documents, a new one with its symbol and files, or one more language of
    one; a refusal is said on its form, nothing is written."""
    meeting = selectors.meeting_for_staff(request.user, code)
    action = request.POST.get("action", "")
    form = meeting_forms.DocumentForm(request.POST if action == "document" else None,
                                      request.FILES if action == "document" else None,
                                      auto_id="document_%s")  # fmt: skip
    file_form = meeting_forms.DocumentFileForm(request.POST if action == "file" else None,
                                               request.FILES if action == "file" else None,
                                               auto_id="file_%s")  # fmt: skip
    status = 200
    if request.method == "POST":
        status = 400
        if action == "document" and form.is_valid():
            data = form.cleaned_data
            try:
                services.add_document(
                    meeting, symbol=data["symbol"], title=data["title"], kind=data["kind"],
                    issued_on=data["issued_on"], files=form.files_by_language(), by=request.user,
                )  # fmt: skip
            except REFUSALS as exc:
                status = _refused(form, exc)
            else:
                messages.success(request, _("The document is recorded."))
                return redirect("staff:meetings:documents", code=meeting.code)
        elif action == "file":
            if file_form.is_valid():
                data = file_form.cleaned_data
                # the document's id comes with the form: it must be one of THIS meeting's
                found = meeting.documents.filter(pk=data["document"]).first()
                if found is None:
                    raise Http404("no such document of this meeting")
                try:
                    services.add_document_file(found, language=data["language"],
                                               file=data["file"], by=request.user)  # fmt: skip
                except REFUSALS as exc:
                    status = _refused(file_form, exc)
                else:
                    messages.success(request, _("The file is recorded."))
                    return redirect("staff:meetings:documents", code=meeting.code)
        elif action != "document":
            raise Http404(action)
    return render(request, "meetings/staff/documents.html", {
        "meeting": meeting, "documents": list(meeting.documents.all()), "form": form,
        "file_form": file_form,
    }, status=status)  # fmt: skip
