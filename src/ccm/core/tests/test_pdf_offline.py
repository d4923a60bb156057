"""Documents are rendered without reaching the network (issue #32): every way an HTML page or an
SVG in it can name a URL is tried against a local listener, which must hear nothing; only
`data:` URIs and the application's own static files are served to WeasyPrint."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from ccm.core.pdf import html_to_pdf, url_fetcher
from ccm.core.testing.listener import listening

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="100" height="100">{}<rect width="10" height="10"/><text font-family="x">x</text></svg>'
)


def hostile_svgs(url: str) -> list[str]:
    """SVGs naming `url` in every way an SVG can, one way each (a failing one stops the rest
    of its image)."""
    ways = [
        f"<style>@import url({url}/svg-import.css);</style>",
        f"<style>@font-face{{font-family:x;src:u\\72l({url}/svg-font.woff)}}</style>",
        f"<style>rect{{fill:url({url}/svg-fill.svg#a)}}</style>",
        f'<image href="{url}/svg-image.png" width="10" height="10"/>',
        f'<image xlink:href="{url}/svg-xlink.png" width="10" height="10"/>',
        f'<use href="{url}/svg-use.svg#a"/>',
        f'<rect width="10" height="10" style="fill:url({url}/svg-style.svg#a)"/>',
        f'<rect width="10" height="10" fill="url({url}/svg-attribute.svg#a)"/>',
        f'<link xmlns="http://www.w3.org/1999/xhtml" rel="stylesheet" href="{url}/svg-link.css"/>',
    ]
    return [SVG.format(way) for way in ways]


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def hostile_html(url: str) -> str:
    """An HTML page naming `url` in every way a page can, with the SVGs above inline and as
    images, so that each of WeasyPrint's fetching paths is tried."""
    svgs = hostile_svgs(url)
    css = base64.b64encode(f"@import url({url}/data-import.css);".encode()).decode()
    return (
        "<!doctype html><html><head>"
        f'<link rel="stylesheet" href="{url}/link.css">'
        f'<link rel="stylesheet" href="data:text/css;base64,{css}">'
        f"<style>@import url({url}/import.css); @import '{url}/import2.css';"
        f"@font-face{{font-family:y;src:u\\72l({url}/font.woff)}}"
        f"body{{font-family:y;background:url({url}/background.png)}}"
        f"li{{list-style-image:url('{url}/bullet.png')}}</style></head><body>"
        f'<img src="{url}/img.png"><object data="{url}/object.svg"></object>'
        f'<embed src="{url}/embed.svg"><iframe src="{url}/iframe.html"></iframe>'
        f'<ul><li>x</li></ul><p style="background-image:url({url}/inline.png)">x</p>'
        f'<img src="file:///etc/hostname"><img src="ftp://127.0.0.1/x.png">'
        + "".join(f'<img src="{data_uri(svg)}">' for svg in svgs)
        + "".join(svgs)
        + "</body></html>"
    )


def test_the_listener_hears_an_ordinary_renderer() -> None:
    """The test can fail: WeasyPrint's own fetcher follows these URLs."""
    from weasyprint import HTML

    with listening() as listener:
        HTML(string=hostile_html(listener.url)).write_pdf()
    heard = set(listener.paths)
    assert {"/link.css", "/import.css", "/font.woff", "/img.png", "/svg-font.woff",
            "/svg-image.png"} <= heard, heard  # fmt: skip


def test_html_to_pdf_fetches_nothing_a_page_names() -> None:
    with listening() as listener:
        pdf = html_to_pdf(hostile_html(listener.url))
    assert pdf.startswith(b"%PDF-")
    assert listener.paths == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.css",
        "ftp://127.0.0.1/x",
        "file:///etc/passwd",
        "file:///etc/hostname",
        "FILE:///etc/passwd",
        "file://127.0.0.1/etc/passwd",
        "gopher://127.0.0.1/x",
        "//127.0.0.1/x",
        "x.css",
    ],
)
def test_the_fetcher_refuses_everything_but_data_and_static_files(url: str) -> None:
    with pytest.raises(ValueError):
        url_fetcher()(url)


def test_the_fetcher_serves_data_uris_and_the_applications_static_files() -> None:
    assert url_fetcher()("data:text/plain;base64,aGk=").read() == b"hi"
    found = finders.find("vendor/bootstrap-5.3.9/bootstrap.min.css")
    assert found, "a static file to serve"
    path = Path(str(found)).resolve()
    assert url_fetcher()(path.as_uri()).read() == path.read_bytes()
    # A path that climbs out of the static root is refused.
    climbing = path.parent.as_uri() + "/../../../../../../../../etc/passwd"
    with pytest.raises(ValueError):
        url_fetcher()(climbing)
