"""The ISU's pages of a meeting's participation (issue #12): who is invited, sending the
letters in batches with their log, and checking each delegation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ccm.accounts.decorators import staff_or_presidency_required, staff_required
from ccm.core.files import stored_download
from ccm.core.numbers import whole
from ccm.meetings import selectors as meetings
from ccm.participation import forms, rules, selectors, services
from ccm.participation.choices import Category, Source
from ccm.participation.models import Delegation, Invitation


@staff_required
def invitations(request: HttpRequest, code: str) -> HttpResponse:
    """Who is invited to a meeting, by category, and where each invitation stands; invite by
    category, region, sub-region or a chosen list of States (previewed first: the invitations
    made are those previewed), or by hand; send the letters in batches (the page shows how many
    remain)."""
    meeting = meetings.meeting(code)
    action = request.POST.get("action", "")
    invite_form = forms.InviteForm(request.POST if action in ("preview", "invite") else None)
    add_form = forms.AddInviteeForm(request.POST if action == "add" else None)
    status = 200
    preview = None
    if request.method == "POST":
        by = request.user
        if action in ("preview", "invite") and invite_form.is_valid():
            selection = invite_form.selection_kwargs()
            seen = invite_form.cleaned_data["seen"]
            if action == "invite" and seen:
                try:
                    added = services.invite(meeting, by=by, seen=seen, **selection)
                except services.ConflictError:
                    status = 409
                    invite_form.add_error(None, _("Who would be invited changed since the "
                                                  "preview: nothing was done. Look at the list "
                                                  "again."))  # fmt: skip
                else:
                    messages.success(request, _("%(n)d invited.") % {"n": added})
                    return redirect("staff:participation:invitations", code=meeting.code)
            # A preview first: who the selection invites, before anything is written
            preview = services.plan(meeting, services.Selection.of(**selection))
        elif action in ("preview", "invite"):
            status = 400
        if action == "add" and add_form.is_valid():
            try:
                services.add_invitee(
                    meeting,
                    state=add_form.cleaned_data["state"],
                    organisation=add_form.cleaned_data["organisation"],
                    by=by,
                )
            except services.Refused as exc:
                add_form.add_error(None, str(exc))
            else:
                messages.success(request, _("Invited."))
                return redirect("staff:participation:invitations", code=meeting.code)
        if action == "send":
            batch = services.send_batch(meeting, base_url=settings.CCM_BASE_URL, by=by)
            messages.success(
                request,
                _("%(sent)d sent; %(left)d still to send; %(none)d without an address on record.")
                % {"sent": batch.sent, "left": batch.remaining, "none": batch.without_address},
            )
            return redirect("staff:participation:invitations", code=meeting.code)
        if action == "revoke":
            chosen = whole(request.POST.get("invitation")) or -1
            found = Invitation.objects.filter(meeting=meeting, pk=chosen).first()
            if found is None:
                raise Http404("no such invitation")
            services.revoke(found, by=by)
            messages.success(request, _("The invitation is revoked: its link no longer works."))
            return redirect("staff:participation:invitations", code=meeting.code)
        if action not in ("preview", "invite", "add"):
            raise Http404(action)
        if action == "add":
            status = 400
    rows = list(selectors.invitations(meeting))
    for row in rows:
        row.log = list(row.events.all())  # type: ignore[attr-defined]  # prefetched
    by_category = {c: [r for r in rows if r.category == c] for c in Category.values}
    return render(request, "participation/staff/invitations.html", {
        "meeting": meeting, "invite_form": invite_form, "add_form": add_form,
        "preview": preview, "chosen": _hidden(invite_form) if preview is not None else [],
        "groups": [(label, by_category[value]) for value, label in Category.choices
                   if by_category[value]],
        "to_send": sum(1 for r in rows if r.sent_at is None and r.revoked_at is None),
        "unreached": selectors.unreached(meeting, rows),
        "total": len(rows),
    }, status=status)  # fmt: skip


def _hidden(form: forms.InviteForm) -> list[tuple[str, str]]:
    """The previewed selection, as the confirming form carries it back."""
    data = form.cleaned_data
    return ([("categories", c) for c in data["categories"]]
            + [("regions", r) for r in data["regions"]]
            + [("subregions", r) for r in data["subregions"]]
            + [("states", s.iso3) for s in data["states"]])  # fmt: skip


@staff_required
def delegations(request: HttpRequest, code: str) -> HttpResponse:
    """The registered delegations to check, the States not party taking part, the figures."""
    meeting = meetings.meeting(code)
    listed = selectors.participants(meeting)
    stats = rules.statistics(
        (d.invitation.category, [m.gender for m in d.members.all()]) for d in listed
    )
    return render(request, "participation/staff/delegations.html", {
        "meeting": meeting, "delegations": listed, "stats": stats,
        "taking_part": selectors.taking_part(meeting),
        "closes": services.closes(meeting),
    })  # fmt: skip


@staff_required
def delegation(request: HttpRequest, pk: int) -> HttpResponse:
    """A delegation to check: confirm it or ask a question; and, after registration has closed,
    change its members for the invitee (only the ISU can then)."""
    found = selectors.delegation_for_user(request.user, pk)
    action = request.POST.get("action", "")
    form = forms.ReviewForm(request.POST if action in ("confirm", "query") else None,
                            initial={"revision": found.revision})  # fmt: skip
    members = [{"role": m.role, "name": m.name, "title": m.title, "gender": m.gender,
                "email": m.email, "arrives_on": m.arrives_on, "leaves_on": m.leaves_on}
               for m in found.members.all()]  # fmt: skip
    if action == "members":
        rows = forms.MemberFormSet(request.POST, prefix="m")
        edit = forms.DelegationForm(request.POST, request.FILES)
    else:
        rows = forms.MemberFormSet(prefix="m", initial=members + [{}] * 2)
        edit = forms.DelegationForm(initial={"revision": found.revision})
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if action in ("confirm", "query") and form.is_valid():
                services.review_delegation(
                    found, confirm=action == "confirm", query=form.cleaned_data["query"],
                    revision=form.cleaned_data["revision"], by=request.user,
                )  # fmt: skip
                return redirect("staff:participation:delegation", pk=found.pk)
            if action == "members" and rows.is_valid() and edit.is_valid():
                chosen = [r for r in rows.cleaned_data if r.get("name")]
                data = edit.cleaned_data
                services.save_delegation(
                    found.invitation, members=chosen, note_verbale=data["note_verbale"],
                    revision=data["revision"], by=request.user, staff=True, source=Source.ISU,
                )  # fmt: skip
                return redirect("staff:participation:delegation", pk=found.pk)
            if action not in ("confirm", "query", "members"):
                messages.error(request, _("Choose to confirm, to ask a question or to save."))
        except (services.Refused, services.ConflictError) as exc:
            status = 409 if isinstance(exc, services.ConflictError) else 400
            target = edit if action == "members" else form
            target.add_error(None, str(exc) if isinstance(exc, services.Refused) else _(
                "Someone changed the delegation meanwhile: nothing was changed."))  # fmt: skip
    return render(request, "participation/staff/delegation.html", {
        "delegation": found, "invitation": found.invitation, "form": form, "rows": rows,
        "edit": edit, "closes": services.closes(found.invitation.meeting),
    }, status=status)  # fmt: skip


@staff_required
def note_verbale(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = selectors.delegation_for_user(request.user, pk)
    if not found.note_verbale:
        raise Http404("no note verbale")
    extension = found.note_verbale.name.rsplit(".", 1)[-1].lower()
    return stored_download(found.note_verbale, f"note-verbale-{found.pk}.{extension}")


@staff_required
def choose_note_verbale(request: HttpRequest, code: str) -> HttpResponseBase:
    """Whose note verbale staff are about to enter (issue #25): a State invited to the meeting
    opens its delegation's entry; one not invited is refused with the reason."""
    meeting = meetings.meeting(code)
    form = forms.ChooseInviteeForm(request.GET if "state" in request.GET else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                found = services.invitation_of_state(meeting, form.cleaned_data["state"].iso3)
            except services.Refused as exc:
                form.add_error("state", str(exc))
            else:
                return redirect("staff:participation:enter_note_verbale", pk=found.pk)
    return render(request, "participation/staff/choose_note_verbale.html",
                  {"meeting": meeting, "form": form}, status=status)  # fmt: skip


@staff_required
def enter_note_verbale(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff enter, or correct, an invitee's delegation from the note verbale it sent by e-mail
    (issue #25): the note, the day it came, the members as the invitee's own form has them.
    The same service as the invitee's registration, so the same rules and audit; a version
    saved meanwhile (by the invitee's link or another note) makes this one refused, not
    merged."""
    invitation = selectors.invitation_for_user(request.user, pk)
    delegation = Delegation.objects.filter(invitation=invitation).first()
    members = list(delegation.members.all()) if delegation else []
    status = 200
    if request.method == "POST":
        rows = forms.MemberFormSet(request.POST, prefix="m")
        form = forms.NoteVerbaleForm(request.POST, request.FILES)
        if "more" in request.POST:  # more rows, nothing saved (the file is chosen again)
            from ccm.participation.views import _more_rows

            rows = _more_rows(request.POST)
            form = forms.NoteVerbaleForm(initial={
                "revision": request.POST.get("revision", 0),
                "received_on": request.POST.get("received_on"),
            })  # fmt: skip
        elif rows.is_valid() and form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.enter_note_verbale(
                    invitation, members=[r for r in rows.cleaned_data if r.get("name")],
                    note_verbale=data["note_verbale"], received_on=data["received_on"],
                    revision=data["revision"], by=request.user,
                )  # fmt: skip
            except (services.Refused, services.ConflictError) as exc:
                status = 409 if isinstance(exc, services.ConflictError) else 400
                form.add_error(None, str(exc) if isinstance(exc, services.Refused) else _(
                    "The delegation was changed meanwhile (by its link or another entry): "
                    "nothing was saved. Open the page again to see it."))  # fmt: skip
            else:
                messages.success(request, _("The delegation is entered from the note verbale: "
                                            "check it and confirm it."))  # fmt: skip
                return redirect("staff:participation:delegation", pk=saved.pk)
        else:
            status = 400
    else:
        initial = [{"role": m.role, "name": m.name, "title": m.title, "gender": m.gender,
                    "email": m.email, "arrives_on": m.arrives_on, "leaves_on": m.leaves_on}
                   for m in members] or [{"role": "head"}]  # fmt: skip
        rows = forms.MemberFormSet(prefix="m", initial=initial + [{}] * 3)
        form = forms.NoteVerbaleForm(initial={"revision": delegation.revision if delegation else 0})
    return render(request, "participation/staff/enter_note_verbale.html", {
        "invitation": invitation, "meeting": invitation.meeting, "delegation": delegation,
        "members": members, "rows": rows, "form": form,
    }, status=status)  # fmt: skip


@staff_required
def preview_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """An invitation's letter as the invitee will receive it (PDF, or `?format=html` to read it
    in the browser), without sending it."""
    from ccm.participation import letters

    invitation = selectors.invitation_for_user(request.user, pk)
    fmt = request.GET.get("format", "pdf")
    if fmt not in ("pdf", "html"):
        raise Http404(fmt)
    html = letters.render_letter(invitation, settings.CCM_BASE_URL.rstrip("/") +
                                 "/register/…/")  # fmt: skip
    if fmt == "html":
        return HttpResponse(html)
    response = HttpResponse(letters.html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="invitation-{invitation.pk}.pdf"'
    return response


@staff_or_presidency_required
def participants(request: HttpRequest, code: str) -> HttpResponse:
    """The provisional (everyone registered) or final (confirmed) list of participants, by
    category, each delegation with its head first: page, PDF (in en/fr/es) or XLSX."""
    from ccm.participation import outputs

    meeting = meetings.meeting(code)
    final = request.GET.get("final") == "1"
    fmt = request.GET.get("format", "html")
    kind = "final" if final else "provisional"
    if fmt == "pdf":
        language = request.GET.get("lang", "en")
        if language not in ("en", "fr", "es"):
            raise Http404(language)
        body = outputs.list_pdf(meeting, final=final, language=language)
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="{meeting.code}-participants-{kind}-{language}.pdf"'
        )
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            outputs.list_xlsx(meeting, final=final),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{meeting.code}-participants-{kind}.xlsx"'
        )
        return response
    if fmt != "html":
        raise Http404(fmt)
    return render(request, "participation/staff/participants.html",
                  outputs.context(meeting, final=final))  # fmt: skip


@staff_required
def badges(request: HttpRequest, code: str) -> HttpResponse:
    from ccm.participation import outputs

    meeting = meetings.meeting(code)
    size = request.GET.get("size", "a6")
    if size not in outputs.BADGE_SIZES:
        raise Http404(size)
    body = outputs.badges_pdf(meeting, base_url=settings.CCM_BASE_URL, size=size)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{meeting.code}-badges-{size}.pdf"'
    return response


@staff_required
def scan(request: HttpRequest, code: str = "") -> HttpResponse:
    """Who a badge belongs to: from its QR code (the scanner opens the address, or types it
    into the box)."""
    given = code or request.GET.get("code", "")
    found = selectors.badge_for_user(request.user, given) if given else None
    return render(request, "participation/staff/scan.html", {"given": given, "found": found},
                  status=404 if given and found is None else 200)  # fmt: skip
