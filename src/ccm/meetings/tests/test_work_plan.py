"""The work plan up to a Meeting (issue #11): the Presidency and the ISU add items and say where
each stands; overdue items stand out; a stale change is refused; others may not see it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ccm.core.models import AuditEvent
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.meetings import rules, services
from ccm.meetings.models import WorkPlanItem

pytestmark = pytest.mark.django_db
URL = "/staff/meetings/3RC/work-plan/"  # the Presidency in office: its Meeting is to come
STAFF_AND_PRESIDENCY: dict[str, int | str] = {
    "anonymous": LOGIN, "other_focal_point": 403, "focal_point": 403, "presidency": 200,
    "staff": 200,
}  # fmt: skip


@pytest.fixture
def meetings(registry_reference: None) -> None:
    services.load_meetings()


def test_overdue_is_a_rule() -> None:
    today = date(2025, 6, 1)
    assert rules.item_overdue(date(2025, 5, 31), "planned", today)
    assert rules.item_overdue(date(2025, 5, 31), "in_progress", today)
    assert not rules.item_overdue(date(2025, 5, 31), "done", today)
    assert not rules.item_overdue(date(2025, 5, 31), "dropped", today)
    assert not rules.item_overdue(date(2025, 6, 1), "planned", today)


def test_the_presidency_adds_items_and_marks_them_done(
    personas: dict[str, Client], meetings: None
) -> None:
    assert_matrix(personas, URL, STAFF_AND_PRESIDENCY)
    yesterday = timezone.localdate() - timedelta(days=1)
    presidency = personas["presidency"]
    added = presidency.post(URL, {"title": "Letters to States not party", "theme":
                                  "universalization", "owner": "coordinator", "owner_state": "CHL",
                                  "due_date": yesterday.isoformat()})  # fmt: skip
    assert added.status_code == 302
    item = WorkPlanItem.objects.get()
    assert (item.owner, item.owner_state_id, item.status) == ("coordinator", "CHL", "planned")
    page = presidency.get(URL).content.decode()
    assert "1 item overdue." in page and 'data-overdue="1"' in page
    presidency.post(f"/staff/meetings/work-plan/{item.pk}/status/",
                    {"status": "done", "revision": "1"})  # fmt: skip
    item.refresh_from_db()
    assert (item.status, item.revision) == ("done", 2)
    assert "0 items overdue." in presidency.get(URL).content.decode()
    stale = presidency.post(f"/staff/meetings/work-plan/{item.pk}/status/",
                            {"status": "planned", "revision": "1"}, follow=True)  # fmt: skip
    assert "Someone changed this item meanwhile" in stale.content.decode()
    item.refresh_from_db()
    assert item.status == "done"
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs.count("workplan.item_added") == 1 and verbs.count("workplan.item_status") == 1


def test_bad_items_and_forged_ids_are_refused(personas: dict[str, Client], meetings: None) -> None:
    staff = personas["staff"]
    day = "2026-01-01"
    for data in (
        {"title": "x", "owner": "state", "due_date": day},  # no State
        {"title": "", "owner": "isu", "due_date": day},
        {"title": "x", "owner": "isu", "due_date": "01/02/2026"},  # which day? refused
        {"title": "x", "owner": "emperor", "due_date": day},
        {"title": "x", "owner": "state", "owner_state": "XXX", "due_date": day},
    ):
        assert staff.post(URL, data).status_code == 400, data
    assert not WorkPlanItem.objects.exists()
    assert staff.get("/staff/meetings/99MSP/work-plan/").status_code == 404
    assert (
        staff.post("/staff/meetings/work-plan/999/status/", {"status": "done"}).status_code == 404
    )
    assert_matrix(personas, URL, {**STAFF_AND_PRESIDENCY, "presidency": 302, "staff": 302},
                  method="post", data={"title": "x", "owner": "isu", "due_date": day})  # fmt: skip
    assert WorkPlanItem.objects.count() == 2  # the Presidency's and the ISU's
    item = WorkPlanItem.objects.first()
    status_url = f"/staff/meetings/work-plan/{item.pk}/status/"
    assert_matrix(personas, status_url, {**STAFF_AND_PRESIDENCY, "presidency": 302,
                                         "staff": 302}, method="post",
                  data={"status": "in_progress", "revision": "999"})  # fmt: skip
    item.refresh_from_db()
    assert item.status == "planned"  # every change above was from a stale copy
