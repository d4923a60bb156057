"""The signed-in area: a person's own page, and the contacts ISU staff manage."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from allauth.mfa.recovery_codes.views import ViewRecoveryCodesView
from allauth.mfa.totp.views import ActivateTOTPView
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccm.accounts import roles, selectors, services
from ccm.accounts.decorators import staff_required
from ccm.accounts.models import Role
from ccm.core import panels, todo
from ccm.registry.models import Contact, State


def _audience(user: roles.AnyUser) -> str | None:
    """Whose to-do a person sees (issue #26): the ISU's, its Presidency's, or none (a focal
    point's home lists its States, as before)."""
    if roles.is_isu_staff(user):
        return todo.STAFF
    if roles.role_of(user) == Role.PRESIDENCY:
        return todo.PRESIDENCY
    return None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    states = State.objects.filter(iso3__in=roles.state_ids_of(user))
    contacts = Contact.objects.filter(state__in=states).select_related("state")
    audience = _audience(user)
    return render(
        request,
        "accounts/home.html",
        {
            # What needs this person today: counts that link to lists, from each app (core.todo)
            "to_do": todo.items(user, audience, timezone.localdate()) if audience else [],
            "role": roles.role_of(user),
            "states": states,
            "contacts": contacts,
            "reads_all": roles.reads_all(user),
            "is_isu_staff": roles.is_isu_staff(user),
            # Links the domain apps add for this person (finance, ...): core.panels
            "home_panels": panels.render("my.home", request),
        },
    )


@login_required
def todo_list(request: HttpRequest, key: str) -> HttpResponse:
    """One item of the to-do as a list, where no other page lists exactly these rows: the rows
    its count was made of (one truth), and apart those neither done nor overdue."""
    audience = _audience(request.user)
    if audience is None:
        raise PermissionDenied
    found = todo.item(request.user, audience, timezone.localdate(), key)
    if found is None:
        raise Http404("no such item on this person's to-do")
    return render(request, "accounts/todo_list.html", {"item": found})


@login_required
def contacts(request: HttpRequest) -> HttpResponse:
    """All contacts (staff and Presidency), or a focal point's own States' contacts."""
    user = request.user
    state = request.GET.get("state", "").upper()
    qs = selectors.contact_list_for_user(user, state)
    return render(
        request,
        "accounts/contacts.html",
        {"contacts": qs, "state": state, "can_invite": roles.is_isu_staff(user)},
    )


@staff_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_for_user(request.user, pk)
    try:
        services.invite_focal_point(contact=contact, by=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": contact.email})
    return redirect("my:contacts")


@login_required
def managed_by_isu(request: HttpRequest, what: str) -> HttpResponse:
    """Stands in for allauth's e-mail management and two-factor deactivation. An account's address
    is the one its invitation was sent to, and a second factor cannot be switched off by whoever
    holds the session: only ISU staff change either, audited (issue #7: a focal point who
    added another State's contact's address gained that State)."""
    return render(
        request,
        "accounts/managed_by_isu.html",
        {"what": what, "email": request.user.email},  # type: ignore[union-attr]
        status=403 if request.method == "POST" else 200,
    )


class OwnContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = list(services.OWN_CONTACT_FIELDS)


@login_required
def edit_own_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """A focal point corrects their own contact details; the e-mail address stays the ISU's."""
    contact = selectors.own_contact_for_user(request.user, pk)
    form = OwnContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        services.update_own_contact(
            contact,
            by=request.user,  # type: ignore[arg-type]
            **{f: form.cleaned_data[f] for f in services.OWN_CONTACT_FIELDS},
        )
        messages.success(request, _("Your contact details are saved."))
        target = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        return redirect(target if target and safe else "my:home")
    return render(
        request,
        "accounts/own_contact.html",
        {"form": form, "contact": contact, "next": request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------
# Two-factor set-up that keeps where the person was going (issue #26)
# ---------------------------------------------------------------------------------------------


def _two_factor_next(request: HttpRequest) -> str:
    """The `next` a person was sent to the two-factor set-up with (RequireTwoFactorMiddleware,
    or a sign-in link), if it is a page of this site (allauth's own check); "" otherwise."""
    from allauth.account.utils import get_next_redirect_url

    return get_next_redirect_url(request) or ""


class ActivateTOTPKeepingNext(ActivateTOTPView):
    """allauth's set-up of an authenticator app, which forgets `next`: a colleague sent to set
    it up on the way to the form they were given (issue #26) goes on to that form, through the
    recovery codes when they were just made (shown once, so never skipped)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "next_url": _two_factor_next(self.request)}

    def get_success_url(self) -> str:
        url = super().get_success_url()
        target = _two_factor_next(self.request)
        if not target:
            return url
        if url == reverse("mfa_view_recovery_codes"):
            return f"{url}?{urlencode({'next': target})}"
        return target


class RecoveryCodesWithNext(ViewRecoveryCodesView):
    """The recovery codes, then "Continue to your form" (or the page the person was going to)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        target = _two_factor_next(self.request)
        try:
            name = resolve(urlsplit(target).path).view_name if target else ""
        except Resolver404:
            name = ""
        if name in ("my:home", "workspace:home"):
            target = ""  # where signing in leads anyway: the person's own page, as before
        return {
            **super().get_context_data(**kwargs),
            "next_url": target,
            "next_is_form": name in ("workspace:delegation", "workspace:form"),
        }


activate_totp = ActivateTOTPKeepingNext.as_view()
view_recovery_codes = RecoveryCodesWithNext.as_view()
