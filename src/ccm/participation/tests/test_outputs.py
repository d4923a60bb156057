"""The list of participants, the badges and the figures (issue #12): generated and opened."""

from __future__ import annotations

import io
import math
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

import ccm.meetings.tests.factories as factories
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.core.testing.queries import queries
from ccm.participation import outputs, services
from ccm.participation.models import Delegate, Invitation

pytestmark = pytest.mark.django_db
LIST_READERS: dict[str, int | str] = {
    "anonymous": LOGIN, "other_focal_point": 403, "focal_point": 403, "presidency": 200,
    "staff": 200,
}  # fmt: skip
STAFF_ONLY: dict[str, int | str] = {**LIST_READERS, "presidency": 403}


@pytest.fixture
def registered(registry_reference: None, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    settings.CCM_BASE_URL = "http://testserver"
    from ccm.meetings import services as meetings

    meetings.load_meetings()
    meeting = factories.coming_meeting("14MSP", opens=timezone.localdate() + timedelta(days=30))
    services.invite(meeting, categories={"party", "observer"}, by=None)
    chile = services.save_delegation(Invitation.objects.get(state_id="CHL"), members=[
        {"role": "adviser", "name": "Carla Díaz", "gender": "woman"},
        {"role": "head", "name": "Ana Pérez", "title": "Ambassador", "gender": "woman"},
        {"role": "alternate", "name": "Luis Soto", "gender": "man"},
    ], note_verbale=None, revision=0, by=None)  # fmt: skip
    services.save_delegation(Invitation.objects.get(state_id="USA"), members=[
        {"role": "head", "name": "=HYPERLINK(\"http://x\")", "gender": "unsaid"},
    ], note_verbale=None, revision=0, by=None)  # fmt: skip
    services.review_delegation(chile, confirm=True, revision=1, by=None)
    return meeting


def test_the_lists_of_participants(registered: Any, personas: dict[str, Client]) -> None:
    url = "/staff/participation/14MSP/participants/"
    assert_matrix(personas, url, LIST_READERS)
    page = personas["presidency"].get(url).content.decode()
    assert page.index("Ana Pérez") < page.index("Luis Soto") < page.index("Carla Díaz")
    assert page.index("Chile") < page.index("United States")  # States Parties first
    final = personas["staff"].get(f"{url}?final=1").content.decode()
    assert "Ana Pérez" in final and "HYPERLINK" not in final  # confirmed delegations only
    assert "1 States Parties, 0 signatories, 1 observer States, 0 organisations; 4 persons." \
        in page and "67% women" in page  # fmt: skip
    assert queries(personas["staff"], url) <= 9  # whatever the number of delegations
    pdf = personas["staff"].get(f"{url}?format=pdf&lang=fr")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Liste provisoire des participants" in text and "Ana Pérez" in text
    assert "4 personnes" in text
    book = load_workbook(io.BytesIO(personas["staff"].get(f"{url}?format=xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][1:4] == ("Chile", "head of delegation", "Ana Pérez")
    formula = next(r for r in rows if r[1].startswith("United States"))
    assert formula[3].startswith("=HYPERLINK")  # kept as text, not a live formula
    assert book.active.cell(row=rows.index(formula) + 1, column=4).data_type == "s"
    assert personas["staff"].get(f"{url}?format=doc").status_code == 404
    assert personas["staff"].get(f"{url}?format=pdf&lang=de").status_code == 404


def test_badges_and_the_scan_page(registered: Any, personas: dict[str, Client]) -> None:
    url = "/staff/participation/14MSP/badges.pdf"
    assert_matrix(personas, url, STAFF_ONLY)
    a6 = PdfReader(io.BytesIO(personas["staff"].get(url).content))
    assert len(a6.pages) == 4  # one per person
    text = a6.pages[0].extract_text()
    assert "Ana Pérez" in text and "Chile" in text
    a4 = PdfReader(io.BytesIO(personas["staff"].get(f"{url}?size=a4").content))
    assert len(a4.pages) == math.ceil(4 / 4)
    assert personas["staff"].get(f"{url}?size=letter").status_code == 404
    head = Delegate.objects.get(name="Ana Pérez")
    address = f"http://testserver/staff/participation/badge/{head.badge}/"
    assert outputs.qr_uri(address) == outputs.qr_uri(address)  # the same code every time
    assert outputs.qr_uri(address) != outputs.qr_uri(address + "x")
    badge = f"/staff/participation/badge/{head.badge}/"
    assert_matrix(personas, badge, STAFF_ONLY)
    assert "Ana Pérez" in personas["staff"].get(badge).content.decode()
    scanned = personas["staff"].get("/staff/participation/scan/", {"code": address})
    assert 'id="badge-found"' in scanned.content.decode()  # the whole address, as scanned
    unknown = personas["staff"].get("/staff/participation/badge/nothing-like-it/")
    assert unknown.status_code == 404 and 'id="badge-unknown"' in unknown.content.decode()
    # A member keeps their badge when the delegation changes
    chile = head.delegation
    services.save_delegation(chile.invitation, members=[
        {"role": "head", "name": "Ana Pérez", "gender": "woman"},
        {"role": "adviser", "name": "New Adviser", "gender": "man"},
    ], note_verbale=None, revision=chile.revision, by=None)  # fmt: skip
    assert Delegate.objects.get(name="Ana Pérez").badge == head.badge
