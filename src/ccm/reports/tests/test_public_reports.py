"""Submitted reports are public as the UN publishes them (issue #9): the list, a report's page
in the page's language, its JSON and PDF, every version readable, and a link from the State page."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from ccm.core.testing.permissions import assert_matrix
from ccm.reports import definition, services

pytestmark = pytest.mark.django_db

PUBLIC = {name: 200 for name in
          ("anonymous", "other_focal_point", "focal_point", "presidency", "staff")}  # fmt: skip


def _submit(received: str = "2025-04-28", **changes: Any) -> None:
    document = definition.example_document(definition.load("2010"))
    document["forms"]["B"]["stockpiles"][0].update(changes)
    services.import_report_document(document, received_on=date.fromisoformat(received), by=None)


def test_report_pages_are_public_for_everyone(personas: dict[str, Client]) -> None:
    _submit()
    for url in (
        "/reports/",
        "/reports/?state=chl&year=2024&kind=annual",
        "/reports/CHL/annual/2024/",
        "/reports/CHL/annual/2024/?format=json",
        "/fr/reports/CHL/annual/2024/",
    ):
        assert_matrix(personas, url, PUBLIC)


def test_the_page_shows_every_form_in_the_page_language(client: Client, chile: Any) -> None:
    _submit()
    html = client.get("/reports/CHL/annual/2024/").content.decode()
    for code in "ABCDEFGHIJ":
        assert f'id="form-{code}"' in html
    assert "Stockpiles and their destruction" in html and "77280" in html
    assert "Area (m²)" in html  # units in the table headers
    assert "Female" in html  # a choice by its label
    fr = client.get("/fr/reports/CHL/annual/2024/").content.decode()
    assert "Stocks et leur destruction" in fr and "Femmes" in fr
    es = client.get("/es/reports/CHL/annual/2024/").content.decode()
    assert "Existencias y su destrucción" in es


def test_every_version_stays_readable_and_the_json_is_the_document(
    client: Client, chile: Any
) -> None:
    _submit()
    _submit("2025-06-01", munitions=100)
    latest = client.get("/reports/CHL/annual/2024/?format=json")
    assert latest["Content-Type"].startswith("application/json")
    assert json.loads(latest.content)["version"] == 2
    first = json.loads(client.get("/reports/CHL/annual/2024/?version=1&format=json").content)
    assert first["forms"]["B"]["stockpiles"][0]["munitions"] == 120
    html = client.get("/reports/CHL/annual/2024/").content.decode()
    assert 'href="?version=1"' in html
    listing = client.get("/reports/?state=CHL").content.decode()
    assert "/reports/CHL/annual/2024/" in listing


def test_the_pdf_is_a_real_pdf_with_the_report(client: Client, chile: Any) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    _submit()
    response = client.get("/reports/CHL/annual/2024/?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Stockpiles and their destruction" in text and "M26 rocket" in text


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/reports/CHL/annual/2023/", 404),
        ("/reports/PER/annual/2024/", 404),
        ("/reports/CHL/annual/2024/?version=9", 404),
        ("/reports/CHL/annual/2024/?version=x", 400),
        ("/reports/CHL/annual/2024/?format=exe", 400),
        ("/reports/?year=abc", 400),
        ("/reports/?state=CHILE", 400),
    ],
)
def test_unknown_reports_and_bad_parameters_are_refused(
    client: Client, chile: Any, url: str, status: int
) -> None:
    _submit()
    assert client.get(url).status_code == status


def test_the_state_page_links_to_the_structured_report(client: Client, chile: Any) -> None:
    _submit()
    html = client.get("/states/CHL/?as_of=2025-06-01").content.decode()
    assert 'href="/reports/CHL/annual/2024/?version=1"' in html
