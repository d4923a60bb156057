"""An invoice batch lists every State it could not reach, across all batches, with the reason
and a link to add an address (issue #26: the page reported only the last batch's failures)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.finance import selectors, services
from ccm.finance.models import Invoice
from ccm.finance.tests.factories import assessed
from ccm.registry.models import Contact

pytestmark = pytest.mark.django_db
READERS: dict[str, int | str] = {
    "anonymous": LOGIN,
    "other_focal_point": 403,
    "focal_point": 403,
    "presidency": 200,
    "staff": 200,
}


@pytest.fixture
def cheap_pdfs(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.MEDIA_ROOT = tmp_path
    from ccm.finance import documents

    monkeypatch.setattr(documents, "invoice_pdf", lambda invoice: b"%PDF-1.4\n%%EOF\n")


def test_three_batches_list_the_failures_of_the_first_and_the_third(
    reference: None, cheap_pdfs: None, personas: dict[str, Client], settings: Any
) -> None:
    settings.CCM_INVOICE_BATCH_SIZE = 2
    found = assessed("100000.00", year=2025, as_of=date(2025, 1, 1))
    order = [d.state.iso3 for d in services.dues(found) if d.difference]
    first, third = order[0], order[4]  # batch 1 holds 0-1, batch 2 holds 2-3, batch 3 holds 4-5
    # Every payer has an address but these two (and those after the third batch)
    Contact.objects.filter(state_id__in=order).delete()
    for iso3 in order:
        if iso3 not in (first, third):
            Contact.objects.create(
                state_id=iso3, name="FP", role="national_focal_point", email=f"fp@{iso3}.example"
            )
    staff = personas["staff"]
    url = f"/staff/finance/assessments/{found.pk}/"
    today = date.today()
    form = {"issued_on": today.isoformat(), "due_on": (today + timedelta(days=30)).isoformat()}
    warnings = []
    for _ in range(3):
        answer = staff.post(url, form, follow=True)
        assert answer.status_code == 200
        warnings.append([str(m) for m in answer.context["messages"] if m.level_tag == "warning"])
    assert Invoice.objects.count() == 6
    # The second batch reached everyone, yet its page still says the first batch's failure
    assert "1 document issued but not e-mailed so far" in " ".join(warnings[1])
    assert "2 documents issued but not e-mailed so far" in " ".join(warnings[2])
    # A later page, not only the last batch's answer, lists both with the reason and the fix
    page = staff.get(url).content.decode()
    section = page[page.index('id="not-emailed"') :]
    for iso3 in (first, third):
        assert f'id="not-emailed-{iso3}"' in section
        assert f"/staff/contacts/add/?state={iso3}&amp;role=permanent_mission" in section
    assert section.count("no address on record when it was issued") == 2
    assert [u.state.iso3 for u in selectors.not_emailed(found)] == sorted(
        [first, third], key=lambda iso3: str(Invoice.objects.get(state_id=iso3).state.name_en)
    )
    # An address added afterwards: the reason stays (the document was not e-mailed), and the
    # page says one is on record now
    Contact.objects.create(state_id=first, name="M", role="permanent_mission", email="m@x.example")
    page = staff.get(url).content.decode()
    item = page[page.index(f'id="not-emailed-{first}"') :].split("</li>")[0]
    assert "an address is on record now" in item
    # Who may see the list: the page's own matrix, unchanged
    assert_matrix(personas, url, READERS)


def test_documents_issued_without_e_mail_are_listed_as_such(
    reference: None, cheap_pdfs: None
) -> None:
    found = assessed("100000.00", year=2025, as_of=date(2025, 1, 1))
    services.issue_invoices(found, by=None, size=1, send=False)
    (only,) = selectors.not_emailed(found)
    assert not only.no_address  # nobody tried to e-mail it: not "no address on record"


def test_the_list_is_a_fixed_number_of_queries(reference: None, cheap_pdfs: None) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = assessed("100000.00", year=2025, as_of=date(2025, 1, 1))
    Contact.objects.all().delete()
    services.issue_invoices(found, by=None, size=None)
    with CaptureQueriesContext(connection) as ctx:
        listed = selectors.not_emailed(found)
    assert len(listed) == Invoice.objects.count() > 50
    assert len(ctx.captured_queries) <= 3
