"""The ISU's and the Presidency's home as a to-do (issue #26): counts that link to lists, each
from the app that owns the records; a count is the length of the list it links to."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.compliance.tests.factories import complete_record
from ccm.core import todo
from ccm.core.models import EmailStatus, OutgoingEmail
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.finance.models import Invoice, Payment
from ccm.meetings.models import Presidency, WorkPlanItem
from ccm.meetings.tests.factories import add_deadline, coming_meeting
from ccm.outreach.models import Outreach
from ccm.participation.models import Delegation, Invitation
from ccm.registry.choices import ActionKind
from ccm.registry.tests import factories
from ccm.reports.checks import Finding
from ccm.reports.models import Query, Report, ReportVersion
from ccm.reports.tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

# Every app that owns something the ISU or the Presidency has to do registers its provider in
# its AppConfig.ready: one forgotten is a count missing from the home without anyone noticing.
PROVIDERS = {
    "accounts",
    "compliance",
    "finance",
    "meetings",
    "outreach",
    "participation",
    "reports",
}


def test_every_app_registers_its_to_do_provider() -> None:
    assert set(todo.providers()) == PROVIDERS


def _meeting() -> Any:
    today = timezone.localdate()
    found = coming_meeting(
        "14MSP", opens=today + timedelta(days=60), notes_verbales_due=today + timedelta(days=20)
    )
    add_deadline(found, "registration", today + timedelta(days=30))
    return found


def _add(n: int, meeting: Any) -> None:
    """n States Parties, each with something in every list of the to-do, and n States not
    party with an outreach step due."""
    today = timezone.localdate()
    for i in range(n):
        s = factories.StateFactory()
        factories.TreatyActionFactory(
            state=s, kind=ActionKind.SIGNATURE, date=today.replace(year=2009)
        )
        factories.TreatyActionFactory(
            state=s, kind=ActionKind.RATIFICATION, date=today.replace(year=2012)
        )
        if i % 2:
            factories.ContactFactory(state=s, role="permanent_mission")
        else:  # a complete record: what it lacks is certainly overdue; the others' unknown
            complete_record(s.iso3)
        sub = SubmissionFactory(
            state=s,
            kind="annual",
            period=today.year - 2,
            received_on=today - timedelta(days=400),
            source="t",
            origin="online",
        )
        report = Report.objects.create(state=s, kind="annual", period=today.year - 2, template="t")
        version = ReportVersion.objects.create(
            report=report,
            number=1,
            forms={},
            received_on=sub.received_on,
            entered_by_isu=False,
            record=sub,
            checks=[Finding("not_applicable", "F", "F", {"form": "F"}).as_record()],
        )
        Query.objects.create(version=version, form="F", text="Which areas?", state="open")
        invitation = Invitation.objects.create(
            meeting=meeting, state=s, category="party", expires_on=today + timedelta(days=90)
        )
        Delegation.objects.create(
            invitation=invitation,
            status="submitted",
            source="note" if i % 2 else "link",
            submitted_at=timezone.now(),
        )
        Invoice.objects.create(
            number=f"T-{s.iso3}",
            kind="invoice",
            state=s,
            currency="CHF",
            amount=Decimal("100.00"),
            issued_on=today - timedelta(days=90),
            due_on=None if i % 3 == 0 else today - timedelta(days=30),
        )
        Payment.objects.create(
            state=s,
            received_on=today,
            amount=Decimal("50.00"),
            currency="CHF",
            bank_reference=f"B{s.iso3}",
        )
        OutgoingEmail.objects.create(
            subject="Reminder",
            body="b",
            from_email="isu@x",
            to=["a@b"],
            status=EmailStatus.FAILED if i % 2 else EmailStatus.UNCERTAIN,
        )
        other = factories.StateFactory()
        factories.TreatyActionFactory(
            state=other, kind=ActionKind.SIGNATURE, date=today.replace(year=2009)
        )
        Outreach.objects.create(
            state=other,
            on=today,
            channel="meeting",
            actor="isu",
            next_step="Send the kit",
            next_due=today + timedelta(days=i % 40),
        )
    WorkPlanItem.objects.create(
        meeting=meeting, title=f"Item {n}", owner="presidency", due_date=today + timedelta(days=5)
    )


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(make_user(Role.ISU_STAFF))
    return client


def _items(client: Client) -> dict[str, todo.Item]:
    response = client.get("/my/")
    assert response.status_code == 200
    return {i.key: i for i in response.context["to_do"]}


def test_each_count_is_the_length_of_the_list_it_links_to(staff: Client) -> None:
    _add(6, _meeting())
    found = _items(staff)
    assert set(found) == {
        "compliance.overdue",
        "reports.open_queries",
        "reports.to_review",
        "participation.to_confirm",
        "participation.notes_verbales",
        "finance.overdue",
        "finance.unallocated",
        "accounts.no_focal_point",
        "accounts.no_address",
        "accounts.failed_emails",
        "outreach.steps_due",
        "meetings.deadlines",
        "meetings.work_plan",
    }
    lists = {
        "compliance.overdue": lambda c: c["board"].overdue_initial + c["board"].missing_annual,
        "reports.open_queries": lambda c: c["rows"],
        "reports.to_review": lambda c: {v for v, *_ in c["rows"]},
        "finance.unallocated": lambda c: c["unallocated"],
        "outreach.steps_due": lambda c: c["due"],
        "accounts.no_address": lambda c: c["states"],
    }
    for key, item in found.items():
        assert item.count > 0, key  # every list has something in it here
        own = staff.get(f"/my/todo/{key}/")
        assert own.status_code == 200
        assert own.context["item"].count == item.count, key
        assert len(own.context["item"].rows) == item.count
        if key in lists:  # the page the count links to lists as many
            page = staff.get(item.url)
            assert page.status_code == 200, key
            assert len(lists[key](page.context)) == item.count, key
        else:
            assert not item.url, f"{key} links to a list the test does not read"
    assert found["participation.to_confirm"].count == 3  # the invitees' own
    assert found["participation.notes_verbales"].count == 3  # entered from a note verbale
    assert found["finance.overdue"].count == 4 and len(found["finance.overdue"].unknown) == 2
    assert found["accounts.failed_emails"].count == 3
    assert len(found["accounts.failed_emails"].unknown) == 3


def test_unknown_is_never_counted_as_overdue(staff: Client) -> None:
    """A State whose report is not in our record and not known to be missing is shown apart."""
    today = timezone.localdate()
    s = factories.StateFactory(name_en="Unrecorded")
    factories.TreatyActionFactory(
        state=s, kind=ActionKind.RATIFICATION, date=today.replace(year=2012)
    )
    item = _items(staff)["compliance.overdue"]
    page = staff.get(item.url).context["board"]
    assert [r.label for r in item.rows] == [
        f"{x.state.name}: {x.kind_label}"
        + (f" {x.obligation.period}" if x.obligation.period else "")
        for x in page.overdue_initial + page.missing_annual
    ]
    assert len(item.unknown) == len(page.unknown_initial + page.unknown_annual)
    # no record held complete for it: its reports are unknown, listed apart, never overdue
    assert not any(r.label.startswith("Unrecorded") for r in item.rows)
    assert any(r.label.startswith("Unrecorded") for r in item.unknown)
    home = staff.get("/my/").content.decode()
    assert 'href="/my/todo/compliance.overdue/#unknown"' in home


def test_clearing_an_item_brings_its_count_down(staff: Client) -> None:
    _add(2, _meeting())
    before = _items(staff)["participation.to_confirm"].count
    d = Delegation.objects.filter(status="submitted").exclude(source="note").first()
    assert d is not None
    response = staff.post(
        f"/staff/participation/delegation/{d.pk}/", {"action": "confirm", "revision": d.revision}
    )
    assert response.status_code in (200, 302)
    assert _items(staff)["participation.to_confirm"].count == before - 1


def _home_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/my/").status_code == 200
    return len(ctx)


def test_the_homes_queries_do_not_grow_with_the_number_of_states(staff: Client) -> None:
    meeting = _meeting()
    presidency = Client()
    president = factories.StateFactory()
    Presidency.objects.create(meeting=meeting, state=president)
    presidency.force_login(make_user(Role.PRESIDENCY, president.iso3))
    _add(5, meeting)
    small, small_p = _home_queries(staff), _home_queries(presidency)
    _add(45, meeting)
    large, large_p = _home_queries(staff), _home_queries(presidency)
    assert small == large, f"{small} queries for 5 States, {large} for 50"
    assert small_p == large_p
    # staff: about two per item (the compliance engine's inputs included), and the page's own;
    # 31 measured once the address item reads the contacts page's own list (three queries)
    assert large <= 33 and large_p <= 12, (large, large_p)


def test_who_sees_which_to_do(personas: dict[str, Client], chile: Any) -> None:
    meeting = _meeting()
    Presidency.objects.create(meeting=meeting, state=chile)
    presidency = Client()
    presidency.force_login(make_user(Role.PRESIDENCY, "CHL"))
    personas["presidency"] = presidency
    _add(2, meeting)
    assert_matrix(
        personas,
        "/my/",
        {
            "anonymous": LOGIN,
            "other_focal_point": 200,
            "focal_point": 200,
            "presidency": 200,
            "staff": 200,
        },
    )
    for name in ("focal_point", "other_focal_point"):
        assert personas[name].get("/my/").context["to_do"] == []
    staff_keys = {i.key for i in personas["staff"].get("/my/").context["to_do"]}
    own = {i.key for i in presidency.get("/my/").context["to_do"]}
    assert own == {
        "meetings.deadlines",
        "meetings.work_plan",
        "meetings.letters",
        "meetings.consultations",
    }
    assert "finance.overdue" in staff_keys and "meetings.letters" not in staff_keys
    # the Presidency's counts are its own Meeting's only
    other = coming_meeting("15MSP", opens=timezone.localdate() + timedelta(days=70))
    add_deadline(other, "documents", timezone.localdate() + timedelta(days=10))
    mine = {i.key: i for i in presidency.get("/my/").context["to_do"]}
    assert all(r.label.startswith("14MSP") for r in mine["meetings.deadlines"].rows)
    # it leads the consultations on who presides over the next Meeting
    assert [r.label for r in mine["meetings.consultations"].rows] == ["Presidency of 15MSP"]
    everyone = {i.key: i for i in personas["staff"].get("/my/").context["to_do"]}
    assert any(r.label.startswith("15MSP") for r in everyone["meetings.deadlines"].rows)
    # the lists themselves, forged keys included
    for key, want in {
        "finance.overdue": 200,
        "meetings.deadlines": 200,
        "nope.nothing": 404,
    }.items():
        expected: dict[str, int | str] = {
            "anonymous": LOGIN,
            "other_focal_point": 403,
            "focal_point": 403,
            "presidency": 404,
            "staff": want,
        }
        if key == "meetings.deadlines":
            expected["presidency"] = 200
        assert_matrix(personas, f"/my/todo/{key}/", expected)
