"""What meetings contributes to pages composed of panels (core.panels): on the person's home
page, the ISU's meetings (to record one and its documents) and the Presidency's meeting logo
(issue #26)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ccm.accounts import roles
from ccm.core.panels import Panel, register


def home_links(request: HttpRequest, **page: Any) -> dict[str, Any] | None:
    user = request.user
    if roles.is_isu_staff(user):
        return {"staff": True, "presidencies": []}
    states = roles.presiding_state_ids(user)
    if not states:
        return None
    from ccm.meetings.models import Presidency

    # The account's Presidencies whose Meeting is not yet held: those it works on
    found = [p for p in Presidency.objects.filter(state_id__in=states).select_related("meeting")
             if p.meeting.status() != "held"]  # fmt: skip
    return {"staff": False, "presidencies": found} if found else None


def register_panels() -> None:
    register(Panel("my.home", "meetings", "meetings/includes/home_links.html", home_links))
