"""Charts and maps draw the same geometry in every language (issue #7, item 12): numbers in SVG
markup never go through locale formatting (a French decimal comma broke every shape)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

GEOMETRY = ("viewBox", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height",
            "points", "d")  # fmt: skip
ATTRIBUTE = re.compile(r"\s(" + "|".join(GEOMETRY) + r')="([^"]*)"')


def geometry(html: str) -> list[list[tuple[str, str]]]:
    """Every numeric attribute of every SVG on the page, in document order."""
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert svgs, "no SVG on the page"
    return [ATTRIBUTE.findall(svg) for svg in svgs]


@pytest.mark.parametrize("path", ["/?as_of=2020-06-15", "/reporting/?as_of=2020-06-15"])
def test_every_chart_and_map_has_the_same_geometry_in_french_and_spanish(
    client: Client, path: str, reference: None
) -> None:
    english = geometry(client.get(path).content.decode())
    assert sum(len(svg) for svg in english) > 200  # shapes, bars and ticks were drawn
    assert any("." in value for svg in english for _, value in svg)  # decimals present
    for language in ("fr", "es"):
        other = geometry(client.get(f"/{language}{path}").content.decode())
        assert other == english, f"{language}: the SVG geometry differs from English"
