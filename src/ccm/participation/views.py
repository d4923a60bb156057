"""The invitee's registration, reached only through its personal link (issue #12). It works
without JavaScript and on a phone, in en/fr/es. Opening the link asks for one click: mail
scanners that fetch links must not use up a link meant to work once."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccm.participation import forms, rules, selectors, services
from ccm.participation.models import Delegation

REFUSED_STATUS = {"forged": 403, "revoked": 403, "expired": 410, "used": 410}
EXTRA_ROWS = 3


def _refused(request: HttpRequest, refused: services.LinkRefused, token: str) -> HttpResponse:
    reissue = refused.reason in ("used", "expired") and refused.invitation is not None
    return render(request, "participation/link_refused.html", {
        "reason": refused.reason, "token": token if reissue else "",
    }, status=REFUSED_STATUS[refused.reason])  # fmt: skip


def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what the link is for, and a button; POST: the link is used, and this browser holds
    the registration from then on."""
    carried = services.secret_of(token)
    held = request.session.get(selectors.SESSION_KEY)
    if carried and isinstance(held, dict) and (held.get("i"), held.get("s")) == carried:
        return redirect("participation:registration")  # its own link, clicked again here
    try:
        invitation = (services.open_link if request.method == "POST" else services.check_link)(
            token
        )
    except services.LinkRefused as refused:
        return _refused(request, refused, token)
    if request.method == "POST":
        request.session.cycle_key()  # a new session id for what the link opened
        request.session[selectors.SESSION_KEY] = services.session_value(invitation)
        return redirect("participation:registration")
    return render(request, "participation/link.html", {"invitation": invitation})


@require_POST
def new_link(request: HttpRequest) -> HttpResponse:
    """A new link for an invitee whose link was used or expired, sent to the invitation's own
    addresses (never to one typed here); at most one every ten minutes, none once
    registration has closed."""
    token = request.POST.get("token", "")
    try:
        services.check_link(token)
        sent = False  # a link that works needs no new one
    except services.LinkRefused as refused:
        sent = refused.reason in ("used", "expired") and services.reissue_link(
            token, base_url=settings.CCM_BASE_URL
        )
    return render(request, "participation/new_link.html", {"sent": sent},
                  status=200 if sent else 400)  # fmt: skip


def registration(request: HttpRequest) -> HttpResponse:
    """The delegation of the invitee whose link opened this session."""
    invitation = selectors.invitation_of_session(request.session)
    if invitation is None:
        return render(request, "participation/no_session.html", status=403)
    delegation = Delegation.objects.filter(invitation=invitation).first()
    members = list(delegation.members.all()) if delegation else []
    closes = services.closes(invitation.meeting)
    open_now = rules.may_register(closes, timezone.localdate())
    initial = [{"role": m.role, "name": m.name, "title": m.title, "gender": m.gender,
                "email": m.email, "arrives_on": m.arrives_on, "leaves_on": m.leaves_on}
               for m in members] or [{"role": "head"}]  # fmt: skip
    status = 200
    if request.method == "POST" and open_now:
        rows = forms.MemberFormSet(request.POST, prefix="m")
        form = forms.DelegationForm(request.POST, request.FILES)
        if "more" in request.POST:  # more rows, nothing saved: the page keeps what was typed
            rows = _more_rows(request.POST)
        elif rows.is_valid() and form.is_valid():
            chosen = [r for r in rows.cleaned_data if r.get("name")]
            try:
                services.save_delegation(
                    invitation,
                    members=chosen,
                    note_verbale=form.cleaned_data["note_verbale"],
                    revision=form.cleaned_data["revision"],
                    by=None,
                )
            except (services.Refused, services.ConflictError) as exc:
                form.add_error(None, _why(exc))
                status = 409 if isinstance(exc, services.ConflictError) else 400
            else:
                return redirect("participation:registration")
        else:
            status = 400
    else:
        rows = forms.MemberFormSet(prefix="m", initial=initial + [{}] * EXTRA_ROWS)
        form = forms.DelegationForm(initial={"revision": delegation.revision if delegation else 0})
    return render(request, "participation/registration.html", {
        "invitation": invitation, "meeting": invitation.meeting, "delegation": delegation,
        "members": members, "rows": rows, "form": form, "open": open_now, "closes": closes,
    }, status=status)  # fmt: skip


def _why(exc: Exception) -> str:
    if isinstance(exc, services.ConflictError):
        return _("Someone changed the delegation meanwhile: nothing was saved. Open the page "
                 "again to see it.")  # fmt: skip
    return str(exc)


def _more_rows(data: Any) -> Any:
    """The rows as typed (even those not yet valid), with five more empty ones: no JavaScript
    needed, nothing saved, nothing lost."""
    try:
        total = min(int(data.get("m-TOTAL_FORMS", "0")), 55)
    except ValueError:
        total = 0
    fields = list(forms.MemberForm.base_fields)
    kept = [{f: data.get(f"m-{i}-{f}", "") for f in fields} for i in range(total)]
    kept = [{k: v for k, v in row.items() if v} for row in kept]
    return forms.MemberFormSet(prefix="m", initial=kept + [{}] * 5)
