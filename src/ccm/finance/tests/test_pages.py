"""The finance command's contract, and who sees and changes what (issue #13): the permission
matrix of every page, forged ids in URLs and form data, the State page's panel, query counts."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.finance import services
from ccm.finance.models import Assessment, Invoice, Payment
from ccm.finance.tests.factories import assessed
from ccm.registry.models import State
from ccm.registry.selectors import state_rows

pytestmark = pytest.mark.django_db
D = Decimal
STAFF_ONLY: dict[str, int | str] = {
    "anonymous": LOGIN,
    "other_focal_point": 403,
    "focal_point": 403,
    "presidency": 403,
    "staff": 200,
}
READERS: dict[str, int | str] = {**STAFF_ONLY, "presidency": 200}


def run(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("assess", *args, stdout=out)
    return json.loads(out.getvalue())


# The command ---------------------------------------------------------------------------------


def test_assess_prints_the_contract_and_stores_nothing(reference: None) -> None:
    found = run(
        "--cost",
        "250000",
        "--currency",
        "CHF",
        "--year",
        "2016",
        "--payers",
        "parties",
        "--as-of",
        "2016-06-01",
        "--format",
        "json",
    )
    assert found["cost"] == "250000.00" and found["currency"] == "CHF"
    assert found["scale_period"] == "2016-2018"
    parties = {r.state.iso3 for r in state_rows(date(2016, 6, 1)) if r.status.is_party}
    payers = {p["iso3"] for p in found["payers"]}
    excluded = {e["iso3"] for e in found["excluded"]}
    assert payers | excluded == parties and not payers & excluded
    assert sum(D(p["amount"]) for p in found["payers"]) == D("250000.00")
    assert all(set(p) >= {"iso3", "rate", "share", "amount"} for p in found["payers"])
    assert all(isinstance(p["amount"], str) for p in found["payers"])
    assert set(found["settings"]) >= {"ceiling", "floor", "minimum", "without_rate"}
    assert Assessment.objects.count() == 0
    saved = run(
        "--cost", "1000", "--currency", "CHF", "--year", "2016", "--as-of", "2016-06-01", "--save"
    )
    assert saved["saved"]["reference"] == "ISU-2016-1" and Assessment.objects.count() == 1


def test_assess_for_a_meeting_takes_its_payers(reference: None) -> None:
    import ccm.meetings.tests.factories as meeting_factories

    meeting_factories.coming_meeting("15MSP", opens=date(2027, 9, 6))
    found = run(
        "--cost",
        "1000.00",
        "--currency",
        "USD",
        "--year",
        "2027",
        "--payers",
        "meeting:15MSP",
        "--as-of",
        "2027-01-01",
        "--ceiling",
        "22",
    )
    assert sum(D(p["amount"]) for p in found["payers"]) == D("1000.00")
    assert found["settings"]["ceiling"] == "22"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cost", "-5"], "--cost: '-5' is not an amount of zero or more"),
        (["--cost", "lots"], "--cost: 'lots' is not an amount"),
        (["--cost", "1.234"], "--cost: '1.234' has more than two decimals"),
        (["--currency", "EUR"], "--currency: 'EUR' is not one of CHF, USD"),
        (["--year", "2031"], "no scale of assessments is loaded for 2031"),
        (["--year", "twenty"], "--year: 'twenty' is not a year (YYYY)"),
        (["--payers", "meeting:NOPE"], "no meeting 'NOPE'"),
        (["--payers", "everyone"], "payers 'everyone': use 'parties' or 'meeting:CODE'"),
        (["--format", "xml"], "--format: 'xml' is not one of json, table"),
        (["--ceiling", "0.1"], "the ceiling is too low for so few payers to cover the cost"),
    ],
)
def test_bad_input_exits_2_with_one_line(reference: None, args: list[str], message: str) -> None:
    base = {"--cost": "100", "--currency": "CHF", "--year": "2026", "--as-of": "2026-01-01"}
    given = dict(zip(args[::2], args[1::2], strict=True))
    argv = [x for k, v in {**base, **given}.items() for x in (k, v)]
    with pytest.raises(CommandError) as exc:
        call_command("assess", *argv)
    assert exc.value.returncode == 2
    assert str(exc.value) == message


# Who sees what ------------------------------------------------------------------------------


@pytest.fixture
def issued(
    reference: None, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Assessment:
    settings.MEDIA_ROOT = tmp_path
    from ccm.finance import documents

    monkeypatch.setattr(documents, "invoice_pdf", lambda invoice: b"%PDF-1.4\n%%EOF\n")
    first = assessed("100000.00", year=2025, as_of=date(2025, 1, 1))
    services.issue_invoices(first, by=None, issued_on=date(2025, 2, 1), size=None, send=False)
    return first


def test_the_permission_matrix(issued: Assessment, personas: dict[str, Client]) -> None:
    chile = Invoice.objects.get(number="ISU-2025-1-CHL")
    assert_matrix(personas, "/staff/finance/", READERS)
    assert_matrix(personas, "/staff/finance/assess/", STAFF_ONLY)
    assert_matrix(personas, f"/staff/finance/assessments/{issued.pk}/", READERS)
    assert_matrix(personas, f"/staff/finance/invoices/{chile.pk}/", READERS)
    assert_matrix(personas, "/staff/finance/payments/", STAFF_ONLY)
    assert_matrix(personas, "/staff/finance/status/isu/2025/", READERS)
    assert_matrix(personas, "/staff/finance/status/isu/2025/contributions.xlsx", READERS)
    assert_matrix(personas, "/staff/finance/appeal.pdf?as_of=2025-03-01", READERS)
    # An invoice's PDF: its own State's focal point too, not another State's, to whom it
    # answers as an invoice that does not exist (a 403 would show that the number is one)
    assert_matrix(
        personas,
        f"/finance/invoices/{chile.pk}.pdf",
        {
            "anonymous": LOGIN,
            "other_focal_point": 404,
            "focal_point": 200,
            "presidency": 200,
            "staff": 200,
        },
    )
    assert personas["focal_point"].get("/finance/invoices/999999.pdf").status_code == 404
    # Writes: the ISU only
    payment = {
        "state": "CHL",
        "received_on": "2025-03-01",
        "amount": "10",
        "currency": "CHF",
        "bank_reference": "X",
        "invoice": chile.number,
    }
    for persona in ("presidency", "focal_point", "other_focal_point"):
        assert personas[persona].post("/staff/finance/payments/", payment).status_code == 403
        assert (
            personas[persona]
            .post(
                f"/staff/finance/assessments/{issued.pk}/",
                {"issued_on": "2025-02-01", "due_on": "2025-03-01"},
            )
            .status_code
            == 403
        )
        assert (
            personas[persona]
            .post(f"/staff/finance/invoices/{chile.pk}/", {"amount": "1", "reason": "x"})
            .status_code
            == 403
        )
    assert Payment.objects.count() == 0 and Invoice.objects.filter(kind="credit").count() == 0
    assert personas["staff"].post("/staff/finance/payments/", payment).status_code == 302
    assert Payment.objects.count() == 1


def test_forged_ids_are_refused(issued: Assessment, personas: dict[str, Client]) -> None:
    staff = personas["staff"]
    assert staff.get("/staff/finance/assessments/999999/").status_code == 404
    assert staff.get("/staff/finance/invoices/999999/").status_code == 404
    assert staff.get("/staff/finance/meetings/NOPE/cash/").status_code == 404
    assert (
        staff.post(
            "/staff/finance/payments/999999/allocate/", {"invoice": "ISU-2025-1-CHL", "amount": "1"}
        ).status_code
        == 404
    )
    # A payment of Peru set against Chile's invoice: refused, nothing written
    peru = services.record_payment(
        State.objects.get(iso3="PER"),
        received_on=date(2025, 3, 1),
        amount=D("50.00"),
        currency="CHF",
        bank_reference="P",
        by=None,
    )
    staff.post(
        f"/staff/finance/payments/{peru.pk}/allocate/",
        {"invoice": "ISU-2025-1-CHL", "amount": "50.00"},
    )
    assert not peru.allocations.exists()
    bad = staff.post(
        "/staff/finance/payments/",
        {
            "state": "CHL",
            "received_on": "2025-03-01",
            "amount": "10",
            "currency": "CHF",
            "invoice": "ISU-2025-1-PER",
        },
    )
    assert bad.status_code == 400 and "another State" in bad.content.decode()
    unknown = staff.post(
        "/staff/finance/payments/",
        {"state": "XXX", "received_on": "2025-03-01", "amount": "10", "currency": "CHF"},
    )
    assert unknown.status_code == 400
    for amount in ("-1", "abc", "1.001"):
        refused = staff.post(
            "/staff/finance/payments/",
            {"state": "CHL", "received_on": "2025-03-01", "amount": amount, "currency": "CHF"},
        )
        assert refused.status_code == 400
    assert Payment.objects.count() == 1
    over = staff.post(
        f"/staff/finance/invoices/{Invoice.objects.get(number='ISU-2025-1-CHL').pk}/",
        {"amount": "999999", "reason": "too much"},
    )
    assert over.status_code == 400 and not Invoice.objects.filter(kind="credit").exists()


def test_the_state_page_shows_the_account_to_those_it_concerns(
    issued: Assessment, personas: dict[str, Client]
) -> None:
    for persona, sees in (
        ("anonymous", False),
        ("other_focal_point", False),
        ("focal_point", True),
        ("presidency", True),
        ("staff", True),
    ):
        html = personas[persona].get("/states/CHL/").content.decode()
        assert ('id="finance-account"' in html) is sees, persona
        assert ("ISU-2025-1-CHL" in html) is sees, persona


def test_pages_take_a_bounded_number_of_queries(
    issued: Assessment, personas: dict[str, Client]
) -> None:
    staff = personas["staff"]
    counts = []
    for url in (
        "/staff/finance/status/isu/2025/",
        f"/staff/finance/assessments/{issued.pk}/",
        "/staff/finance/",
    ):
        with CaptureQueriesContext(connection) as ctx:
            assert staff.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert max(counts) <= 40, counts  # 110 States invoiced: no query per State


def test_staff_assess_and_save_through_the_page(
    reference: None, personas: dict[str, Client]
) -> None:
    staff = personas["staff"]
    data = {
        "purpose": "isu",
        "year": "2026",
        "cost": "12,500.50",
        "as_of": "2026-01-01",
        "without_rate": "exclude",
        "exclude_reason": "no UN rate and no notional rate",  # issue #25: a reason is required
        "action": "preview",
    }
    preview = staff.post("/staff/finance/assess/", data)
    assert preview.status_code == 200 and 'id="preview"' in preview.content.decode()
    assert Assessment.objects.count() == 0
    saved = staff.post("/staff/finance/assess/", {**data, "action": "save"})
    assert saved.status_code == 302 and Assessment.objects.get().cost == D("12500.50")
    for bad in (
        {"cost": "-1"},
        {"year": "2031"},
        {"purpose": "estimate"},
        {"without_rate": "minimum"},
        {"ceiling": "0.1"},
    ):
        assert (
            staff.post("/staff/finance/assess/", {**data, **bad, "action": "save"}).status_code
            == 400
        )
    assert Assessment.objects.count() == 1
    # Assessed, nothing invoiced yet: the status says so
    status = staff.get("/staff/finance/status/isu/2026/").content.decode()
    assert "Nothing has been invoiced yet." in status


def test_an_invoice_pdf_opens(
    reference: None, personas: dict[str, Client], settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    first = assessed("1000.00", year=2025, as_of=date(2025, 1, 1))
    services.issue_invoices(first, by=None, size=1, send=False)
    invoice = Invoice.objects.get()
    body = b"".join(personas["staff"].get(f"/finance/invoices/{invoice.pk}.pdf").streaming_content)
    text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
    assert invoice.number in text


def test_the_rest_of_the_permission_matrix(issued: Assessment, personas: dict[str, Client]) -> None:
    from django.utils import timezone

    import ccm.meetings.tests.factories as meeting_factories

    meeting_factories.coming_meeting("15MSP", opens=timezone.localdate() + timedelta(days=120))
    assert_matrix(personas, "/staff/finance/meetings/15MSP/cash/", READERS)
    assert_matrix(personas, "/staff/finance/status/isu/2025/contributions.pdf", READERS)
    public = {k: 200 for k in READERS}
    assert_matrix(personas, "/contributions/", public)
    chile = Invoice.objects.get(number="ISU-2025-1-CHL")
    paid = services.record_payment(
        chile.state,
        received_on=date(2025, 3, 1),
        amount=D("5.00"),
        currency="CHF",
        bank_reference="R",
        by=None,
    )
    # Allocating and reversing: the ISU only, whoever else posts (forged or not)
    for url, data in (
        (
            f"/staff/finance/payments/{paid.pk}/allocate/",
            {"invoice": chile.number, "amount": "5.00"},
        ),
        (f"/staff/finance/payments/{paid.pk}/reverse/", {"reason": "test"}),
    ):
        assert_matrix(personas, url, {**STAFF_ONLY, "staff": 302}, method="post", data=data)
    # Allocated once by staff, then reversed (which takes the allocation back)
    assert paid.allocations.filter(amount__gt=0).count() == 1
    assert Payment.objects.filter(reverses=paid).count() == 1
    assert (
        personas["staff"]
        .post("/staff/finance/payments/999999/reverse/", {"reason": "x"})
        .status_code
        == 404
    )
