"""One view of a State for the people who work on it (issue #26, "Show me everything about
Chile"): status, contacts, reports and queries, invoices and payments, delegations, outreach and
votes on one page, each part a panel its own app contributes (slot "staff.state", core.panels),
with the actions the reader's role may take.

It is a page of its own under /staff/ rather than panels added to the public State page: the
public page stays light and is cached whole for anonymous visitors (core.pagecache), and
nothing private is ever rendered into a page that may be cached. ISU staff and the Presidency
open any State; a focal point its own States; anyone else gets 404, forged codes alike."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from ccm.accounts import roles, selectors
from ccm.core import panels
from ccm.registry.choices import STATUS_COLOURS, STATUS_LABELS
from ccm.registry.selectors import membership_from_actions

SLOT = "staff.state"


@never_cache
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Choose a State (a plain select, no script); `?state=CHL` goes to its view."""
    chosen = request.GET.get("state", "")
    if chosen:
        state = selectors.state_view_for_user(request.user, chosen)
        return redirect("staff:states:state", iso3=state.iso3)
    states = selectors.states_for_view(request.user)
    if not states:
        raise PermissionDenied
    if len(states) == 1 and not roles.reads_all(request.user):
        return redirect("staff:states:state", iso3=states[0].iso3)
    return render(request, "accounts/staff/state_index.html", {"states": states})


@never_cache
@login_required
def state(request: HttpRequest, iso3: str) -> HttpResponse:
    found = selectors.state_view_for_user(request.user, iso3)
    membership = membership_from_actions(found.iso3, found.actions.all())
    today = timezone.localdate()
    status = membership.status_on(today)
    page = {"state": found, "membership": membership, "status": status, "as_of": today}
    return render(
        request,
        "accounts/staff/state.html",
        {
            **page,
            "status_label": STATUS_LABELS[status],
            "status_colour": STATUS_COLOURS[status],
            "role": roles.role_of(request.user),
            "panels": panels.render(SLOT, request, **page),
        },
    )
