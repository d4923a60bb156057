"""What universalization contributes to pages composed of panels (core.panels): on the State
page, its votes on the General Assembly resolution and the register of use and contamination
(public); for a State not party, where outreach stands (the ISU, the Presidency and the
universalization coordinators only); on the home page of those, a link."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from ccm.core.panels import Panel, register
from ccm.outreach import selectors


def state_votes(request: HttpRequest, *, state: Any, **page: Any) -> dict[str, Any] | None:
    votes = selectors.vote_history(state.iso3)
    use = selectors.use_reports(state.iso3)
    dirt = selectors.contamination_of(state.iso3)
    if not (votes or use or dirt):
        return None
    return {"votes": votes, "use": use, "dirt": dirt}


def state_outreach(
    request: HttpRequest, *, state: Any, membership: Any, **page: Any
) -> dict[str, Any] | None:
    """Where outreach stands with a State not party today (nothing for a State Party)."""
    today = timezone.localdate()
    if membership.status_on(today).is_party or not selectors.reads_outreach(request.user):
        return None
    found = selectors.pipeline(today, {state.iso3})
    if not found:
        return None
    return {"standing": found[0]}


def home_links(request: HttpRequest, **page: Any) -> dict[str, Any] | None:
    return {} if selectors.reads_outreach(request.user) else None


def staff_state_outreach(request: HttpRequest, *, state: Any, **page: Any) -> dict[str, Any] | None:
    """On the one-page view of a State (issue #26): its votes on the General Assembly resolution
    (public, shown to every reader of the view) and, for the ISU, the Presidency and the
    universalization coordinators, its outreach file: stage, positions, the latest contacts and
    the next steps, with the link to log a contact."""
    votes = selectors.vote_history(state.iso3)
    found = None
    if selectors.reads_outreach(request.user):
        found = selectors.state_outreach_for_user(request.user, state.iso3)
    if not (votes or found):
        return None
    return {"votes": votes, "file": found, "latest": found.log[:5] if found else []}


def register_panels() -> None:
    register(Panel("staff.state", "outreach", "outreach/includes/staff_state_outreach.html",
                   staff_state_outreach, order=60))  # fmt: skip
    register(Panel("state.main", "votes", "outreach/includes/state_votes.html", state_votes,
                   order=150))  # fmt: skip
    register(Panel("state.side", "outreach", "outreach/includes/state_outreach.html",
                   state_outreach, order=50))  # fmt: skip
    register(Panel("my.home", "outreach", "outreach/includes/home_links.html", home_links))
