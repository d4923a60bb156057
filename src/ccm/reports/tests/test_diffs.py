"""What changed between two reports (issue #10): the pure comparison, the public page between
two versions and against the year before, and the PDF's annex."""

from __future__ import annotations

import copy
import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from ccm.reports import definition, diffs, services
from ccm.reports.tests.factories import example_report_document

TEMPLATE = definition.load("2010")
EXAMPLE = definition.example_document(TEMPLATE)
G_PEOPLE = next(f.label["en"] for f in TEMPLATE.form("G").fields if f.name == "people_reached")


def changes_of(old: dict[str, Any], new: dict[str, Any], lang: str = "en") -> dict[str, list]:
    return {
        f.code: [(c.kind, c.where, c.old, c.new) for c in f.changes]
        for f in diffs.compare(TEMPLATE, old, new, lang)
        if f.changes
    }


def test_identical_reports_have_no_change() -> None:
    assert changes_of(EXAMPLE["forms"], copy.deepcopy(EXAMPLE["forms"])) == {}


def test_cells_fields_and_answers_that_changed_with_their_values() -> None:
    new = copy.deepcopy(EXAMPLE["forms"])
    new["B"]["stockpiles"][0]["munitions"] = 70
    new["B"]["stockpiles"][0].pop("lot_numbers")
    new["G"]["people_reached"] = 20000
    new["H"] = {"status": "not_applicable"}
    new["F"]["contaminated"][0]["area_m2"] = 100000.5
    found = changes_of(EXAMPLE["forms"], new)
    assert found["B"] == [
        ("removed", "Cluster munitions stockpiled, by type (item b), 1: Lot numbers", "L-2001-17",
         ""),
        ("changed", "Cluster munitions stockpiled, by type (item b), 1: Cluster munitions", "120",
         "70"),
    ]  # fmt: skip
    assert found["G"] == [("changed", G_PEOPLE, "15000", "20000")]
    assert found["F"][0][1].endswith("1: Area (m²)") and found["F"][0][2:] == ("125000", "100000.5")
    assert found["H"][0] == ("changed", "Answer", "Changed", "Not applicable")
    assert ("removed", "Casualties, by year, sex and age group", "", "") not in found["H"]
    assert {kind for kind, *_ in found["H"][1:]} == {"removed"}


def test_a_row_inserted_at_the_top_is_one_row_added_not_every_row_changed() -> None:
    old = {"F": {"status": "changed", "cleared": [
        {"year": 2023, "location": "A", "area_m2": 10, "remnants_destroyed": 1},
        {"year": 2024, "location": "B", "area_m2": 20, "remnants_destroyed": 2},
    ]}}  # fmt: skip
    new = copy.deepcopy(old)
    new["F"]["cleared"].insert(0, {"year": 2025, "location": "C", "area_m2": 5,
                                   "remnants_destroyed": 0})  # fmt: skip
    (change,) = changes_of(old, new)["F"]
    assert change[0] == "added" and change[3] == "2025; C; 5 m²; 0"


def test_labels_follow_the_language_and_unchanged_forms_say_since_when() -> None:
    new = copy.deepcopy(EXAMPLE["forms"])
    new["C"] = {"status": "unchanged", "unchanged_since": 2022}
    (form,) = [f for f in diffs.compare(TEMPLATE, EXAMPLE["forms"], new, "fr") if f.code == "C"]
    assert form.unchanged_since == 2022
    assert (form.changes[0].where, form.changes[0].new) == (
        "Réponse",
        "Inchangé depuis le dernier rapport",
    )


@pytest.mark.django_db
def test_the_public_page_and_the_pdf_annex(chile: Any, fast_pdf: None) -> None:
    first = example_report_document()
    services.import_report_document(first, received_on=date(2025, 4, 28), by=None)
    second = copy.deepcopy(first)
    second["forms"]["B"]["stockpiles"][0]["munitions"] = 70
    services.import_report_document(second, received_on=date(2025, 6, 2), by=None)
    client = Client()
    page = client.get("/reports/CHL/annual/2024/").content.decode()
    assert "What changed since version 1" in page
    html = client.get("/reports/CHL/annual/2024/changes/").content.decode()
    assert "1 change." in html and 'data-path="B.stockpiles[0].munitions"' in html
    assert "<del>120</del>" in html and "<ins>70</ins>" in html
    same = client.get("/reports/CHL/annual/2024/changes/", {"from": "2", "to": "2"})
    assert "0 changes." in same.content.decode()
    for bad in ({"from": "x"}, {"to": "-1"}):
        assert client.get("/reports/CHL/annual/2024/changes/", bad).status_code == 400
    assert client.get("/reports/CHL/annual/2024/changes/", {"from": "9"}).status_code == 404
    assert client.get("/reports/CHL/annual/2024/changes/", {"from": "previous"}).status_code == 404
    assert client.get("/reports/PER/annual/2024/changes/").status_code == 404
    # Next year's report against this one.
    later = copy.deepcopy(second)
    later["period"] = 2025
    later["forms"]["cover"].update(period_from="2025-01-01", period_to="2025-12-31")
    later["forms"]["G"]["people_reached"] = 1
    services.import_report_document(later, received_on=date(2026, 4, 2), by=None)
    against = client.get("/reports/CHL/annual/2025/changes/").content.decode()
    assert "the report for 2024, version 2" in against and "3 changes." in against


@pytest.mark.django_db
def test_the_pdf_has_the_changes_as_an_annex(chile: Any) -> None:
    first = example_report_document()
    services.import_report_document(first, received_on=date(2025, 4, 28), by=None)
    second = copy.deepcopy(first)
    second["forms"]["B"]["stockpiles"][0]["munitions"] = 70
    services.import_report_document(second, received_on=date(2025, 6, 2), by=None)
    pdf = Client().get("/reports/CHL/annual/2024/", {"format": "pdf"}).content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Annex: what changed since version 1" in text and "70" in text
