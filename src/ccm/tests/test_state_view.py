"""One view of a State (issue #26, job 4 "Show me everything about Chile"): every app's part on
one page at /staff/states/<ISO3>/, what each role may read and do, forged codes, bounded
queries, and a public State page that stays free of anything private, cached or not."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.core.testing.queries import assert_queries_do_not_grow
from ccm.finance import documents
from ccm.registry.models import State
from ccm.tests import state_file
from ccm.tests.state_file import BANK, CONTACT, OUTREACH, PRIVATE, QUERY

URL = "/staff/states/CHL/"


@pytest.fixture
def chile_file(
    chile: State, peru: State, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Any
) -> State:
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(documents, "invoice_pdf", lambda invoice: b"%PDF-1.4\n%%EOF\n")
    invoice = state_file.invoice_chile_and_peru()
    state_file.add_records(chile, 1, invoice=invoice)
    state_file.add_records(peru, 1)
    return chile


def page(client: Client, url: str = URL) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_permission_matrix_with_forged_codes(personas: dict[str, Client], chile_file: State):
    assert_matrix(personas, URL, {
        "anonymous": LOGIN, "other_focal_point": 404, "focal_point": 200, "presidency": 200,
        "staff": 200,
    })  # fmt: skip
    # Another State's view, a code no State has, a code padded with SQL: 404 for all who
    # signed in, never a hint which States exist for a focal point.
    for forged in ("/staff/states/PER/", "/staff/states/XXX/", "/staff/states/CHL'--/",
                   "/staff/states/%20/", "/staff/states/CHLPER/"):  # fmt: skip
        peru = forged == "/staff/states/PER/"
        assert_matrix(personas, forged, {
            "anonymous": LOGIN, "other_focal_point": 200 if peru else 404, "focal_point": 404,
            "presidency": 200 if peru else 404, "staff": 200 if peru else 404,
        })  # fmt: skip
    # Lower case is the same State.
    assert personas["staff"].get("/staff/states/chl/").status_code == 200
    # Choosing a State: staff and the Presidency choose any; a focal point goes to its own.
    assert_matrix(personas, "/staff/states/", {
        "anonymous": LOGIN, "other_focal_point": 302, "focal_point": 302, "presidency": 200,
        "staff": 200,
    })  # fmt: skip
    assert personas["focal_point"].get("/staff/states/")["Location"] == URL
    assert personas["staff"].get("/staff/states/?state=chl")["Location"] == URL
    assert_matrix(personas, "/staff/states/?state=PER", {
        "anonymous": LOGIN, "other_focal_point": 302, "focal_point": 404, "presidency": 302,
        "staff": 302,
    })  # fmt: skip
    assert personas["staff"].get("/staff/states/?state=ZZZ").status_code == 404


def test_an_account_without_a_role_or_a_second_factor_sees_nothing(chile_file: State) -> None:
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import assert_two_factor_required, make_user

    client = Client()
    client.force_login(make_user(None))
    assert client.get(URL).status_code == 404
    assert client.get("/staff/states/").status_code == 403
    assert_two_factor_required(URL)
    client.force_login(make_user(Role.FOCAL_POINT))  # a focal point given no State yet
    assert client.get(URL).status_code == 404


def test_staff_see_every_part_with_their_actions(personas: dict[str, Client], chile_file: State):
    html = page(personas["staff"])
    for private in PRIVATE:
        assert private in html, private
    for part in ("sv-contacts", "sv-reporting", "sv-reports", "sv-finance", "sv-delegations",
                 "sv-outreach"):  # fmt: skip
        assert f'id="{part}"' in html, part
    # The actions: links to the pages that exist for each.
    for action in (
        "/my/reports/CHL/",  # record a report received by e-mail
        "/staff/reporting/queries/?state=CHL",
        "/staff/finance/payments/?state=CHL",  # record a payment
        "/staff/finance/ledger/CHL/",
        "/staff/participation/delegation/",  # check and confirm the delegation
        "/staff/outreach/states/CHL/",  # log an outreach contact
    ):
        assert action in html, action
    assert "Check and confirm" in html
    # Invite and add a contact: the ISU's contacts pages (issue #26), not the Django admin
    assert "/staff/contacts/?state=CHL" in html and "/staff/contacts/add/?state=CHL" in html
    assert "/admin/" not in html
    assert "Chile" in html and "Peru" not in html.split('id="state-view-panels"')[1]


def test_the_presidency_reads_but_neither_drafts_nor_queries(
    personas: dict[str, Client], chile_file: State
) -> None:
    html = page(personas["presidency"])
    for readable in (CONTACT, BANK, OUTREACH, 'id="sv-delegations"'):
        assert readable in html, readable
    assert QUERY not in html and 'id="sv-reports"' not in html  # drafts are the State's
    for staff_only in ("/staff/finance/payments/", "/admin/registry/contact/add/",
                       "/staff/contacts/", "/my/reports/CHL/",
                       "/staff/participation/delegation/"):  # fmt: skip
        assert staff_only not in html, staff_only
    assert "/staff/finance/ledger/CHL/" in html  # they read the ledger


def test_a_focal_point_reads_its_own_states_private_parts_only(
    personas: dict[str, Client], chile_file: State
) -> None:
    html = page(personas["focal_point"])
    for readable in (CONTACT, BANK, QUERY):
        assert readable in html, readable
    assert OUTREACH not in html and 'id="sv-delegations"' not in html
    assert "Prepare and submit our report" in html and "/my/reports/CHL/" in html
    for staff_only in ("/staff/finance/payments/", "/staff/finance/ledger/",
                       "/admin/registry/contact/add/", "/staff/contacts/",
                       "/staff/outreach/"):  # fmt: skip
        assert staff_only not in html, staff_only
    # Peru's focal point sees its own State, never a word of Chile's.
    peru = page(personas["other_focal_point"], "/staff/states/PER/")
    for private in PRIVATE[:3]:
        assert private not in peru, private
    assert "Contact PER 0" in peru and "REF-PER-0" in peru


def test_a_state_without_an_address_says_so(personas: dict[str, Client], peru: State) -> None:
    html = page(personas["staff"], "/staff/states/PER/")
    assert 'data-flag="no-address"' in html


def test_the_view_costs_the_same_queries_whatever_the_records_and_the_states(
    personas: dict[str, Client], chile_file: State
) -> None:
    added = {"n": 1}

    def add(n: int) -> None:
        state_file.add_records(chile_file, n, start=added["n"])
        state_file.more_states(n)
        added["n"] += n

    assert_queries_do_not_grow(personas["staff"], URL, add, most=60)


def test_the_payment_form_chooses_the_state_given(personas: dict[str, Client], chile: State):
    html = page(personas["staff"], "/staff/finance/payments/?state=CHL")
    assert '<option value="CHL" selected>' in html
    forged = page(personas["staff"], "/staff/finance/payments/?state=ZZZ%3Cscript%3E")
    assert " selected>" not in forged.split('name="state"')[1].split("</select>")[0]


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_visitor_after_staff_gets_nothing_private(
    chile: State, peru: State, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Any
) -> None:
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(documents, "invoice_pdf", lambda invoice: b"%PDF-1.4\n%%EOF\n")
    state_file.add_records(chile, 1, invoice=state_file.invoice_chile_and_peru())
    staff = Client()
    staff.force_login(make_user(Role.ISU_STAFF))
    anonymous = Client()
    for url in ("/states/CHL/", "/es/states/CHL/"):
        signed_in = staff.get(url)
        assert "X-Cache" not in signed_in and "no-store" in signed_in["Cache-Control"]
        text = signed_in.content.decode()
        assert 'id="state-view-link"' in text and CONTACT in text  # staff see their link
        first, second = anonymous.get(url), anonymous.get(url)
        assert second["X-Cache"] == "hit"  # the public page is still cached whole
        for response in (first, second):
            public = response.content.decode()
            for private in (*PRIVATE, 'id="state-view-link"', "/staff/states/"):
                assert private not in public, (url, private)
        staff.get(url)  # staff reading it again leaves the cached copy as it was
        assert anonymous.get(url).content == second.content
    view = staff.get(URL)
    assert "no-store" in view["Cache-Control"] and "X-Cache" not in view
    assert anonymous.get(URL).status_code == 302  # to sign in; nothing kept for anyone


def test_the_obligations_are_the_state_pages_own_and_the_reminder_opens(
    reference: None, personas: dict[str, Client]
) -> None:
    """One truth: the view lists exactly the obligations the State page's selector finds not
    met, counts unknowns apart from the certainly overdue, and its reminder link opens."""
    import re

    from django.utils import timezone

    from ccm.compliance import selectors as compliance
    from ccm.registry.selectors import membership_from_actions

    chile = State.objects.prefetch_related("actions").get(iso3="CHL")
    record = compliance.state_record(
        chile, membership_from_actions("CHL", chile.actions.all()), timezone.localdate()
    )
    html = page(personas["staff"])
    shown = re.findall(r'data-kind="(\w+)" data-period="(\d*)" data-status="(\w+)"', html)
    assert shown == [
        (o.kind.value, str(o.period or ""), o.status.value)
        for o in record.obligations
        if not o.status.is_satisfied
    ]
    overdue = sum(1 for o in record.obligations if o.status.value == "overdue")
    assert f"{overdue} certainly overdue" in html
    if "/staff/reporting/letters/reminder/CHL/" in html:
        assert personas["staff"].get("/staff/reporting/letters/reminder/CHL/").status_code == 200
