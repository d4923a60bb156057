"""A formal meeting's costs as the UN administers them (issue #25, item 1): the cost-share table
prepared and published, the UN's notices and payments recorded (by hand or from its statement,
all rows or nothing), the cash before the meeting read from them, no meeting-cost invoice from
the ISU, no Art. 14 assessment of an informal meeting; who may see and do what."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

import ccm.meetings.tests.factories as meeting_factories
from ccm.core.tables import RowsRefused
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.core.testing.queries import queries
from ccm.finance import documents, selectors, services
from ccm.finance.models import (
    Assessment,
    CostSharePublication,
    Immutable,
    Invoice,
    UNNotice,
    UNPayment,
    UNStatement,
)
from ccm.finance.tests.factories import assessed
from ccm.registry.models import State

pytestmark = pytest.mark.django_db
D = Decimal
COST = "400000.00"
HEADER = "meeting,iso3,type,date,amount_usd,reference\n"


def _meeting(code: str = "15MSP") -> tuple[Any, Assessment]:
    opens = timezone.localdate() + timedelta(days=120)
    meeting = meeting_factories.coming_meeting(code, opens=opens)
    estimate = assessed(COST, year=opens.year, as_of=timezone.localdate(), purpose="estimate",
                        meeting=code)  # fmt: skip
    return meeting, estimate


def _meeting_of_kind(code: str, kind: str, opens: date, city: str = "") -> Any:
    """A one-day meeting of any kind (made as a coming MSP, then given its kind: the meetings
    factories of this branch make only MSPs)."""
    found = meeting_factories.coming_meeting(code, opens=opens, days=1)
    type(found).objects.filter(pk=found.pk).update(kind=kind, number=None, city=city)
    found.refresh_from_db()
    return found


def _bangkok() -> Any:
    """The regional seminar in Bangkok (2017): informal, never assessed under Art. 14. The
    shipped meetings have it (as kind REG) when the reference data are loaded."""
    from ccm.meetings import selectors as meetings

    shipped = meetings.meetings().filter(code="REG-BKK-2017").first()
    if shipped is not None:
        assert shipped.kind == "REG"
        return shipped
    return _meeting_of_kind("REG-BKK-2017", "REG", date(2017, 3, 14), city="Bangkok")


def _share(estimate: Assessment, iso3: str) -> Decimal:
    found = estimate.lines.get(state_id=iso3).amount
    assert found is not None
    return found


def _statement(rows: list[str]) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def _counts() -> tuple[int, int, int]:
    return UNNotice.objects.count(), UNPayment.objects.count(), UNStatement.objects.count()


# The cost-share table ----------------------------------------------------------------------------


def test_the_cost_share_table_adds_up_exactly_and_says_it_is_paid_through_the_un(
    reference: None, personas: dict[str, Client]
) -> None:
    meeting, estimate = _meeting()
    rows = selectors.cost_share_rows(estimate)
    amounts = [a for _ln, _s, a in rows if a is not None]
    assert sum(amounts, D("0.00")) == D(COST) and len(amounts) > 100
    body = documents.cost_share_csv(estimate).decode()
    table = list(csv.DictReader(io.StringIO(body)))
    assert table[-1]["state"] == "Total" and table[-1]["amount_usd"] == COST
    assert sum(D(r["amount_usd"]) for r in table[:-1] if r["amount_usd"]) == D(COST)
    assert {r["iso3"] for r in table[:-1]} == {ln.state_id for ln, _s, _a in rows}
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        documents.cost_share_pdf(estimate, "en"))).pages)  # fmt: skip
    assert "United Nations" in text and "not to the Implementation Support Unit" in " ".join(
        text.split()
    )
    # Not public until the ISU publishes it; then public, with its CSV and PDF
    public = "/finance/meeting-costs/15MSP/"
    assert Client().get(public).status_code == 404
    staff = personas["staff"]
    page = staff.get("/staff/finance/meetings/15MSP/cost-shares/")
    assert page.status_code == 200 and 'id="not-published"' in page.content.decode()
    done = staff.post("/staff/finance/meetings/15MSP/cost-shares/", {"assessment": estimate.pk})
    assert done.status_code == 302 and CostSharePublication.objects.get().assessment == estimate
    html = Client().get(public).content.decode()
    assert 'id="paid-through-un"' in html and 'id="cost-share-total"' in html
    assert "400,000.00" in html
    assert Client().get(public + "cost-shares.csv").content.decode() == body
    assert Client().get(public + "cost-shares.pdf")["Content-Type"] == "application/pdf"
    assert "15MSP-1" in Client().get("/contributions/").content.decode()


# The UN's statement -------------------------------------------------------------------------


def test_a_good_statement_is_imported_and_the_same_file_again_is_refused(reference: None) -> None:
    meeting, estimate = _meeting()
    today = timezone.localdate()
    fra, deu = _share(estimate, "FRA"), _share(estimate, "DEU")
    data = _statement([
        f"15MSP,FRA,notice,{today},{fra},UNODA/15MSP/FRA",
        f"15MSP,DEU,notice,{today},{deu},UNODA/15MSP/DEU",
        f"15MSP,FRA,payment,{today},{fra},RCPT-0001",
    ])  # fmt: skip
    done = services.import_un_statement(meeting, "unoda.csv", data, reported_on=today, by=None)
    assert (done.notices, done.payments, done.unchanged) == (2, 1, 0)
    assert _counts() == (2, 1, 1)
    with pytest.raises(services.Refused, match="already imported"):
        services.import_un_statement(meeting, "unoda.csv", data, reported_on=today, by=None)
    assert _counts() == (2, 1, 1)
    # The UN's next statement repeats what it said before: left as it is, the new row added
    later = data + f"15MSP,DEU,payment,{today},1000.00,RCPT-0002\n".encode()
    again = services.import_un_statement(meeting, "unoda-2.csv", later, reported_on=today, by=None)
    assert (again.notices, again.payments, again.unchanged) == (0, 1, 3)
    assert _counts() == (2, 2, 2)
    notice = UNNotice.objects.get(state_id="FRA")
    notice.amount = D("1.00")
    with pytest.raises(Immutable):
        notice.save()
    with pytest.raises(Immutable):
        notice.delete()


def test_a_statement_as_xlsx_is_imported(reference: None) -> None:
    from openpyxl import Workbook

    meeting, estimate = _meeting()
    today = timezone.localdate()
    book = Workbook()
    sheet = book.active
    sheet.append(["meeting", "iso3", "type", "date", "amount_usd", "reference", "state"])
    sheet.append(["15MSP", "CHE", "notice", today, float(_share(estimate, "CHE")), "N-CHE",
                  "Switzerland"])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    done = services.import_un_statement(
        meeting, "unoda.xlsx", buffer.getvalue(), reported_on=today, by=None
    )
    assert done.notices == 1 and UNNotice.objects.get().amount == _share(estimate, "CHE")


def test_a_statement_with_a_bad_row_writes_nothing_and_names_each_row(reference: None) -> None:
    meeting, estimate = _meeting()
    today = timezone.localdate()
    data = _statement([
        f"15MSP,FRA,notice,{today},{_share(estimate, 'FRA')},UNODA/15MSP/FRA",  # good: line 2
        f"15MSP,XXX,notice,{today},10.00,N-1",  # line 3: unknown State
        f"15MSP,DEU,invoice,{today},10.00,N-2",  # line 4: type
        "15MSP,DEU,payment,2026-13-45,10.00,R-1",  # line 5: date
        f"15MSP,DEU,payment,{today},-5,R-2",  # line 6: amount
        f"15MSP,DEU,payment,{today},10.001,R-3",  # line 7: more than cents
        f"15MSP,DEU,payment,{today},10.00,",  # line 8: no reference
        f"15MSP,FRA,notice,{today},10.00,UNODA/15MSP/FRA",  # line 9: twice in the file
        f"15MSP,DEU,payment,{today + timedelta(days=1)},10.00,R-4",  # line 10: after the date
    ])  # fmt: skip
    with pytest.raises(RowsRefused) as refused:
        services.import_un_statement(meeting, "unoda.csv", data, reported_on=today, by=None)
    found = {(e.line, str(e).split(": ")[1].split(" ")[1]) for e in refused.value.errors}
    assert found == {
        (3, "iso3"), (4, "type"), (5, "date"), (6, "amount_usd"), (7, "amount_usd"),
        (8, "reference"), (9, "reference"), (10, "date"),
    }, refused.value.errors  # fmt: skip
    assert all(str(e).startswith("unoda.csv, line ") for e in refused.value.errors)
    assert _counts() == (0, 0, 0)
    # A missing column, an empty file, a file that is not a table: refused, nothing written
    for bad in (b"meeting,iso3,type,date,amount_usd\n15MSP,FRA,notice,2026-01-01,1\n",
                HEADER.encode(), b"\x00\xff\xfe garbage"):  # fmt: skip
        with pytest.raises(RowsRefused):
            services.import_un_statement(meeting, "bad.csv", bad, reported_on=today, by=None)
    assert _counts() == (0, 0, 0)


def test_a_statement_of_another_meeting_is_refused(reference: None) -> None:
    meeting, estimate = _meeting()
    _meeting("16MSP")
    today = timezone.localdate()
    data = _statement([f"16MSP,FRA,notice,{today},{_share(estimate, 'FRA')},N-FRA"])
    with pytest.raises(RowsRefused) as refused:
        services.import_un_statement(meeting, "unoda.csv", data, reported_on=today, by=None)
    (error,) = refused.value.errors
    assert error.line == 2 and "column meeting" in str(error) and "another meeting" in str(error)
    assert _counts() == (0, 0, 0)
    # A correction that changes a recorded row is refused: it comes with its own reference
    france = State.objects.get(iso3="FRA")
    services.record_un("notice", meeting, state=france, on=today, amount=D("10.00"),
                       reference="N-FRA", reported_on=today, by=None)  # fmt: skip
    changed = _statement([f"15MSP,FRA,notice,{today},11.00,N-FRA"])
    with pytest.raises(RowsRefused, match="a correction has its own reference"):
        services.import_un_statement(meeting, "unoda.csv", changed, reported_on=today, by=None)
    with pytest.raises(services.Refused, match="today or earlier"):
        services.import_un_statement(meeting, "x.csv", changed, reported_on=today + timedelta(1),
                                     by=None)  # fmt: skip
    assert _counts() == (1, 0, 0)


def test_entering_one_record_refuses_what_the_un_cannot_have_reported(reference: None) -> None:
    meeting, _estimate = _meeting()
    france = State.objects.get(iso3="FRA")
    today = timezone.localdate()
    good: dict[str, Any] = {"state": france, "on": today, "amount": D("10.00"),
                            "reference": "R-1", "reported_on": today, "by": None}  # fmt: skip
    for change, message in (
        ({"amount": D("0.00")}, "more than zero"),
        ({"amount": D("1.005")}, "to the cent"),
        ({"on": today + timedelta(days=1)}, "on or before"),
        ({"reported_on": today + timedelta(days=1)}, "today or earlier"),
        ({"reference": "  "}, "reference"),
    ):
        with pytest.raises(services.Refused, match=message):
            services.record_un("payment", meeting, **{**good, **change})
    services.record_un("payment", meeting, **good)
    with pytest.raises(services.Refused, match="already has"):
        services.record_un("payment", meeting, **good)
    with pytest.raises(services.Refused, match="informal"):
        services.record_un("payment", _bangkok(), **good)
    assert UNPayment.objects.count() == 1


# The cash before the meeting -------------------------------------------------------------------


def test_the_cash_reads_the_un_records_partial_payments_and_unknown(
    reference: None, personas: dict[str, Client]
) -> None:
    meeting, estimate = _meeting()
    today = timezone.localdate()
    url = "/staff/finance/meetings/15MSP/cash/"
    # Nothing reported by the UN: unknown, never "everyone has paid"
    cash = selectors.cash(meeting, today)
    assert not cash.known and not cash.all_paid and cash.unpaid == []
    html = personas["staff"].get(url).content.decode()
    assert 'id="cash-unknown"' in html and 'id="all-paid"' not in html
    assert "received: unknown" in html
    fra, deu = _share(estimate, "FRA"), _share(estimate, "DEU")
    statement = _statement([
        f"15MSP,FRA,notice,{today},{fra},N-FRA",
        f"15MSP,DEU,notice,{today},{deu},N-DEU",
        f"15MSP,FRA,payment,{today},{fra},R-FRA",
        f"15MSP,DEU,payment,{today},1000.00,R-DEU",
    ])  # fmt: skip
    services.import_un_statement(meeting, "s.csv", statement, reported_on=today, by=None)
    cash = selectors.cash(meeting, today)
    assert cash.known and cash.last_report == today
    assert cash.required == D(COST) and cash.received == fra + D("1000.00")
    assert cash.short == D(COST) - fra - D("1000.00")
    assert [(r.state.iso3, r.outstanding) for r in cash.unpaid] == [("DEU", deu - D("1000.00"))]
    assert cash.not_invoiced == D(COST) - fra - deu
    assert cash.outstanding == deu - D("1000.00") + D(COST) - fra - deu
    assert not cash.all_paid
    assert "CHL" in {r.state.iso3 for r in cash.without_notice}
    html = personas["staff"].get(url).content.decode()
    assert 'id="unpaid"' in html and "Germany" in html.split('id="unpaid"')[1][:300]
    assert 'id="all-paid"' not in html and 'id="cash-report"' in html
    assert 'id="not-invoiced"' in html and 'id="without-notice"' in html
    # As of yesterday the UN had reported nothing: unknown again
    assert not selectors.cash(meeting, today - timedelta(days=1)).known
    # The meeting's status of contributions says the same, from the same records (one truth)
    st = selectors.status("meeting:15MSP", today)
    assert st.through_un and st.currency == "USD"
    assert {r.state.iso3: (r.assessed, r.paid) for r in st.rows} == {
        "FRA": (fra, fra), "DEU": (deu, D("1000.00"))}  # fmt: skip
    assert st.total("paid") == cash.received and st.total("outstanding") == deu - D("1000.00")
    page = personas["staff"].get("/staff/finance/status/meeting/15MSP/").content.decode()
    assert 'id="status-through-un"' in page and 'id="status-DEU"' in page
    # What the UN still asks for an earlier year's meeting is arrears
    last = _meeting_of_kind("14MSP", "MSP", date(today.year - 1, 9, 1))
    chl = State.objects.get(iso3="CHL")
    services.record_un("notice", last, state=chl, on=last.start_date, amount=D("250.00"),
                       reference="N-14", reported_on=today, by=None)  # fmt: skip
    chile = [r for r in selectors.status("meeting:15MSP", today).rows if r.state.iso3 == "CHL"]
    assert [(r.assessed, r.arrears) for r in chile] == [(D("0.00"), D("250.00"))]
    index = personas["staff"].get("/staff/finance/").content.decode()
    assert "15MSP" in index.split('id="upcoming-cash"')[1][:500]


def test_the_cash_page_costs_the_same_queries_whatever_the_records(
    reference: None, personas: dict[str, Client]
) -> None:
    meeting, estimate = _meeting()
    today = timezone.localdate()
    url = "/staff/finance/meetings/15MSP/cash/"
    lines = list(estimate.lines.exclude(amount=None))
    rows = [f"15MSP,{ln.state_id},notice,{today},{ln.amount},N-{ln.state_id}" for ln in lines[:5]]
    services.import_un_statement(meeting, "a.csv", _statement(rows), reported_on=today, by=None)
    few = queries(personas["staff"], url)
    rows = [f"15MSP,{ln.state_id},notice,{today},{ln.amount},N-{ln.state_id}" for ln in lines]
    services.import_un_statement(meeting, "b.csv", _statement(rows), reported_on=today, by=None)
    assert queries(personas["staff"], url) == few and few <= 30


# No meeting-cost invoice from the ISU ------------------------------------------------------------


def test_the_isu_never_invoices_a_meetings_costs(
    reference: None, personas: dict[str, Client], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    meeting, estimate = _meeting()
    with pytest.raises(services.Refused, match="paid through the United Nations"):
        services.issue_invoices(estimate, by=None, size=None, send=False)
    url = f"/staff/finance/assessments/{estimate.pk}/"
    page = personas["staff"].get(url).content.decode()
    assert 'id="issue-form"' not in page and 'id="paid-through-un-panel"' in page
    today = timezone.localdate().isoformat()
    refused = personas["staff"].post(url, {"issued_on": today, "due_on": today})
    assert refused.status_code == 400 and "through the United Nations" in refused.content.decode()
    assert not Invoice.objects.exists()
    # The ISU budget is still invoiced by the ISU
    isu = assessed("1000.00", year=2026, as_of=date(2026, 1, 1))
    assert services.issue_invoices(isu, by=None, size=None, send=False).issued


def test_a_meeting_invoice_issued_before_stays_readable_and_is_named_on_the_cash_page(
    reference: None, personas: dict[str, Client]
) -> None:
    meeting, estimate = _meeting()
    old = Invoice.objects.create(
        number="15MSP-1-CHL",
        kind="invoice",
        state_id="CHL",
        assessment=estimate,
        currency="USD",
        amount=_share(estimate, "CHL"),
        issued_on=timezone.localdate(),
        due_on=timezone.localdate(),
    )  # fmt: skip  (as the ISU issued them before issue #25)
    assert personas["staff"].get(f"/staff/finance/invoices/{old.pk}/").status_code == 200
    html = personas["staff"].get("/staff/finance/meetings/15MSP/cash/").content.decode()
    assert 'id="isu-invoices"' in html
    st = selectors.status("meeting:15MSP", timezone.localdate())
    assert st.rows == [] and st.isu_invoices == 1
    from ccm.finance.reminders import send_invoice_reminders

    later = timezone.localdate() + timedelta(days=400)
    outcome = send_invoice_reminders(later, dry_run=True)
    assert outcome.sent == [] and any("through the UN" in s for s in outcome.skipped)
    page = personas["staff"].get("/staff/finance/status/meeting/15MSP/").content.decode()
    assert "No notice or payment of the UN is recorded yet" in page
    assert selectors.cash(meeting, timezone.localdate()).received == 0


# An informal meeting is not assessed under Art. 14 --------------------------------------------


def test_an_informal_meeting_is_not_assessed(reference: None, personas: dict[str, Client]) -> None:
    _bangkok()
    with pytest.raises(CommandError) as exc:
        call_command("assess", "--cost", "50000", "--currency", "USD", "--year", "2017",
                     "--payers", "meeting:REG-BKK-2017", "--as-of", "2017-01-15",
                     "--format", "json", stdout=io.StringIO())  # fmt: skip
    assert exc.value.returncode == 2
    assert "informal meeting" in str(exc.value) and "Art. 14(1)" in str(exc.value)
    preview = personas["staff"].post("/staff/finance/assess/", {
        "purpose": "estimate", "year": "2017", "meeting": "REG-BKK-2017", "cost": "50000",
        "as_of": "2017-01-15", "without_rate": "exclude", "action": "preview",
    })  # fmt: skip
    assert preview.status_code == 400 and "informal meeting" in preview.content.decode()
    assert 'id="preview"' not in preview.content.decode()
    assert not Assessment.objects.exists()
    # A preparatory meeting is formal: its costs are shared (issue #25; a second FORMAL_KINDS
    # in meetings.rules once made it informal)
    prep = _meeting_of_kind("2RC-PM", "PM", date(2020, 6, 29))
    found = selectors.compute(cost=D("1000.00"), currency="USD", year=2020,
                              payers=f"meeting:{prep.code}", as_of=date(2020, 1, 1))  # fmt: skip
    assert found.meeting == prep and found.result.lines
    for url in ("/staff/finance/meetings/REG-BKK-2017/un/",
                "/staff/finance/meetings/REG-BKK-2017/cost-shares/"):  # fmt: skip
        assert personas["staff"].get(url).status_code == 404


# Who sees and does what -----------------------------------------------------------------------

READERS: dict[str, int | str] = {
    "anonymous": LOGIN,
    "other_focal_point": 403,
    "focal_point": 403,
    "presidency": 200,
    "staff": 200,
}
WRITERS: dict[str, int | str] = {**READERS, "presidency": 403}


def test_the_permission_matrix_of_the_meeting_cost_pages(
    reference: None, personas: dict[str, Client]
) -> None:
    meeting, estimate = _meeting()
    base = "/staff/finance/meetings/15MSP"
    for url in (f"{base}/cost-shares/", f"{base}/cost-shares.csv", f"{base}/cost-shares.pdf",
                f"{base}/un/", f"{base}/cash/"):  # fmt: skip
        assert_matrix(personas, url, READERS)
    today = timezone.localdate().isoformat()
    entry = {"action": "entry", "kind": "payment", "state": "FRA", "on": today,
             "amount": "10", "reference": "R-1", "reported_on": today}  # fmt: skip
    assert_matrix(personas, f"{base}/un/", {**WRITERS, "staff": 302}, method="post", data=entry)
    assert UNPayment.objects.count() == 1
    publish = {"assessment": estimate.pk}
    assert_matrix(personas, f"{base}/cost-shares/", {**WRITERS, "staff": 302}, method="post",
                  data=publish)  # fmt: skip
    public = "/finance/meeting-costs/15MSP/"
    everyone = dict.fromkeys(READERS, 200)
    for url in (public, public + "cost-shares.csv", public + "cost-shares.pdf"):
        assert_matrix(personas, url, everyone)
    staff = personas["staff"]
    # Forged ids: another meeting's assessment, an unknown meeting, a State that is not one
    other_meeting, other = _meeting("16MSP")
    assert staff.post(f"{base}/cost-shares/", {"assessment": other.pk}).status_code == 404
    assert staff.post(f"{base}/cost-shares/", {"assessment": "x"}).status_code == 404
    assert staff.get("/staff/finance/meetings/NOPE/un/").status_code == 404
    assert staff.get(f"{base}/cost-shares/?version=99").status_code == 404
    assert staff.get(f"{base}/cost-shares.exe").status_code == 404
    assert (
        staff.post(f"{base}/un/", {**entry, "state": "XXX", "reference": "R-2"}).status_code == 400
    )
    assert staff.post(f"{base}/un/", {**entry, "action": "other"}).status_code == 404
    assert UNPayment.objects.count() == 1
    assert Client().get("/finance/meeting-costs/16MSP/").status_code == 404  # not published
    assert other_meeting.code == "16MSP"


def test_staff_import_a_statement_through_the_page(
    reference: None, personas: dict[str, Client]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting, estimate = _meeting()
    today = timezone.localdate()
    url = "/staff/finance/meetings/15MSP/un/"
    bad = _statement([f"15MSP,XXX,notice,{today},10.00,N-1"])
    answer = personas["staff"].post(url, {"action": "import", "reported_on": today.isoformat(),
                                          "file": SimpleUploadedFile("s.csv", bad)})  # fmt: skip
    html = answer.content.decode()
    assert answer.status_code == 400 and 'id="import-errors"' in html
    assert "s.csv, line 2: column iso3: unknown State" in html and _counts() == (0, 0, 0)
    wrong = personas["staff"].post(url, {"action": "import", "reported_on": today.isoformat(),
                                         "file": SimpleUploadedFile("s.txt", bad)})  # fmt: skip
    assert wrong.status_code == 400 and _counts() == (0, 0, 0)
    good = _statement([f"15MSP,FRA,notice,{today},{_share(estimate, 'FRA')},N-FRA"])
    done = personas["staff"].post(url, {"action": "import", "reported_on": today.isoformat(),
                                        "file": SimpleUploadedFile("s.csv", good)})  # fmt: skip
    assert done.status_code == 302 and done["Location"].endswith("/meetings/15MSP/cash/")
    assert _counts() == (1, 0, 1) and meeting.code == "15MSP"
