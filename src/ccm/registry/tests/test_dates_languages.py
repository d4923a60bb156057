"""Dates as each language writes them (issue #7, item 13): never "24 Jui 2025" (juin or
juillet?), "3 Dic 2008" or "al 28 noviembre 2026"."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "long", "june", "july", "december"),
    [
        ("en", "28 November 2026", "24 Jun 2025", "24 Jul 2025", "3 Dec 2008"),
        ("fr", "28 novembre 2026", "24 juin 2025", "24 juil. 2025", "3 déc. 2008"),
        ("es", "28 de noviembre de 2026", "24 jun 2025", "24 jul 2025", "3 dic 2008"),
    ],
)
def test_each_language_has_its_own_long_and_short_dates(
    language: str, long: str, june: str, july: str, december: str
) -> None:
    with translation.override(language):
        assert date_format(date(2026, 11, 28), "DATE_FORMAT") == long
        assert date_format(date(2025, 6, 24), "SHORT_DATE_FORMAT") == june
        assert date_format(date(2025, 7, 24), "SHORT_DATE_FORMAT") == july
        assert date_format(date(2008, 12, 3), "SHORT_DATE_FORMAT") == december


def test_pages_in_french_and_spanish_write_dates_their_way(
    client: Client, registry_reference: None
) -> None:
    fr = client.get("/fr/states/?as_of=2026-11-28").content.decode()
    assert "3 déc. 2008" in fr  # the signatures in Oslo
    assert "28 novembre 2026" in fr
    assert not re.search(r"\b\d{1,2} (Jui|Déc|Dic) \d{4}", fr)
    es = client.get("/es/states/?as_of=2026-11-28").content.decode()
    assert "3 dic 2008" in es
    assert "28 de noviembre de 2026" in es
    assert "28 noviembre 2026" not in es
    assert not re.search(r"\b\d{1,2} (Jui|Dic) \d{4}", es)
    home = client.get("/es/?as_of=2026-11-28").content.decode()
    assert "28 de noviembre de 2026" in home
