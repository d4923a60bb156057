"""The ISU's pages of contacts (issue #26): list and filter, add, correct, deactivate and invite,
import a file of contacts, and the States Parties without an address on record. Staff only; the
Presidency reads contacts on /my/contacts/ as before. The Django admin stays for superusers."""

from __future__ import annotations

import csv
import io

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ccm.accounts import selectors, services
from ccm.accounts.decorators import staff_required
from ccm.core import panels
from ccm.core.files import attachment
from ccm.core.forms import Styled, table_upload
from ccm.core.spreadsheets import workbook
from ccm.core.tables import RowsRefused
from ccm.registry import services as registry
from ccm.registry.filters import ContactFilterSet
from ccm.registry.forms import ContactForm
from ccm.registry.models import ContactRole, State
from ccm.registry.selectors import states_parties_without_address

ERRORS_SHOWN = 50


def _back(request: HttpRequest, default: str) -> str:
    """Where to go after an action: the page it was made from (`next`), if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if target and safe else default


@staff_required
def contact_list(request: HttpRequest) -> HttpResponse:
    """Every contact, filtered by State, role, active, address and language."""
    states = list(State.objects.all())
    data = request.GET.copy()
    data.setdefault("active", "yes")  # the contacts letters go to, unless asked otherwise
    found = ContactFilterSet(
        data, queryset=selectors.contact_list_for_user(request.user), states=states
    )
    status = 200 if found.is_valid() else 400
    rows = list(found.qs) if status == 200 else []
    return render(
        request,
        "accounts/staff/contacts.html",
        {"filter": found, "contacts": rows, "back": request.get_full_path()},
        status=status,
    )


def _form_page(
    request: HttpRequest, form: ContactForm, contact: object = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "accounts/staff/contact_form.html",
        {"form": form, "contact": contact, "next": _back(request, "")},
        status=status,
    )


@staff_required
def add_contact(request: HttpRequest) -> HttpResponse:
    """A new contact; `?state=CHL` chooses the State (the links from the list of States
    without an address)."""
    initial = {"state": request.GET.get("state", "").upper()[:3]}
    if request.GET.get("role") in ContactRole.values:
        initial["role"] = request.GET["role"]
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                contact = registry.add_contact(by=request.user, **form.values())  # type: ignore[arg-type]
            except registry.ContactRefused as exc:
                form.add_error("email", str(exc))
            else:
                messages.success(request, _("%(name)s is added.") % {"name": contact.name})
                return redirect(_back(request, reverse("staff:contacts:list")))
        return _form_page(request, form, status=400)
    return _form_page(request, form)


@staff_required
def edit_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a contact, from the copy shown: if someone saved it meanwhile, nothing is
    overwritten (409) and the page says so, keeping what was typed."""
    contact = selectors.contact_for_user(request.user, pk)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST":
        if form.is_valid():
            revision = form.cleaned_data.get("revision")
            try:
                registry.update_contact(
                    contact,
                    revision=-1 if revision is None else revision,
                    by=request.user,  # type: ignore[arg-type]
                    **form.values(),
                )
            except registry.ContactConflict:
                form.add_error(
                    None,
                    _(
                        "Someone changed this contact since you opened it: nothing was saved. "
                        "Open it again to see the changes, then make yours."
                    ),
                )
                return _form_page(request, form, contact, status=409)
            except registry.ContactRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("%(name)s is saved.") % {"name": contact.name})
                return redirect(_back(request, reverse("staff:contacts:list")))
        return _form_page(request, form, contact, status=400)
    return _form_page(request, form, contact)


@staff_required
@require_POST
def deactivate_contact(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_for_user(request.user, pk)
    services.deactivate_contact(contact, by=request.user)  # type: ignore[arg-type]
    messages.success(
        request,
        _("%(name)s is deactivated: no letter goes to this contact any more.")
        % {"name": contact.name},
    )
    return redirect(_back(request, reverse("staff:contacts:list")))


@staff_required
@require_POST
def reactivate_contact(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_for_user(request.user, pk)
    registry.set_contact_active(contact, active=True, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("%(name)s is active again.") % {"name": contact.name})
    return redirect(_back(request, reverse("staff:contacts:list")))


@staff_required
@require_POST
def invite_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """The focal-point invitation (accounts.services.invite_focal_point), from the staff list."""
    contact = selectors.contact_for_user(request.user, pk)
    if not contact.active:
        messages.error(request, _("This contact is inactive: reactivate it before inviting."))
        return redirect(_back(request, reverse("staff:contacts:list")))
    try:
        services.invite_focal_point(contact=contact, by=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": contact.email})
    return redirect(_back(request, reverse("staff:contacts:list")))


class ContactImportForm(Styled):
    file = forms.FileField(label=gettext_lazy("Contacts (CSV or XLSX)"))

    def clean_file(self) -> object:
        return table_upload(self.cleaned_data["file"])


@staff_required
def import_contacts(request: HttpRequest) -> HttpResponse:
    """A file of contacts: every row valid, or nothing written and every bad row named."""
    form = ContactImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                made = registry.import_contacts(upload.name, upload.read(), by=request.user)  # type: ignore[arg-type]
            except RowsRefused as exc:
                errors = [str(e) for e in exc.errors[:ERRORS_SHOWN]]
                if len(exc.errors) > ERRORS_SHOWN:
                    errors.append(_("… and %(n)d more.") % {"n": len(exc.errors) - ERRORS_SHOWN})
            else:
                messages.success(
                    request,
                    ngettext("%(n)d contact imported.", "%(n)d contacts imported.", len(made))
                    % {"n": len(made)},
                )
                return redirect("staff:contacts:list")
    return render(
        request,
        "accounts/staff/import.html",
        {
            "form": form,
            "errors": errors,
            "required": registry.CONTACT_COLUMNS,
            "optional": registry.CONTACT_OPTIONAL,
            "roles": ContactRole.values,
        },
        status=status,
    )


@staff_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The columns of a contacts import, as an empty CSV or XLSX file to fill in."""
    columns = registry.CONTACT_COLUMNS + registry.CONTACT_OPTIONAL
    if kind == "csv":
        out = io.StringIO()
        csv.writer(out).writerow(columns)
        return attachment(out.getvalue().encode("utf-8"), "contacts.csv", "text/csv")
    if kind != "xlsx":
        raise Http404(kind)
    buffer = io.BytesIO()
    book = workbook(buffer)
    sheet = book.add_worksheet("contacts")
    bold = book.add_format({"bold": True})
    for i, column in enumerate(columns):
        sheet.write_string(0, i, column, bold)
        sheet.set_column(i, i, 22)
    notes = book.add_worksheet("columns")
    explained = [
        ("state", _("ISO 3166 alpha-3 code of the State, e.g. CHL")),
        ("name", _("the person's name")),
        ("role", " | ".join(ContactRole.values)),
        ("email", _("e-mail address; unique within the State")),
        ("language", _("en, fr or es; left empty, the working language of the State")),
    ]
    for i, (column, text) in enumerate(explained):
        notes.write_string(i, 0, column, bold)
        notes.write_string(i, 1, str(text))
    notes.set_column(0, 0, 12)
    notes.set_column(1, 1, 70)
    book.close()
    return attachment(
        buffer.getvalue(),
        "contacts.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@staff_required
def without_address(request: HttpRequest) -> HttpResponse:
    """The States Parties (today) with no address on record, and the invitees of meetings that
    the invitations could not reach for the same reason (panels of the apps that send them),
    each with a link to add an address."""
    today = timezone.localdate()
    states = states_parties_without_address(today)
    return render(
        request,
        "accounts/staff/without_address.html",
        {
            "states": states,
            "today": today,
            "back": request.get_full_path(),
            "panels": panels.render(
                "contacts.without_address", request, back=request.get_full_path()
            ),
        },
    )
