"""What the security review found in logos (issue #32): a corpus of hostile logos, each refused
with its message or accepted and drawn, none an error; attribute text smuggled into the root tag
never becomes an attribute; no renderer reaches the network from a stored logo; a logo that
cannot be drawn is refused at upload and a stored one that fails is left out; renderings are
kept per data revision."""

from __future__ import annotations

import io
import logging
import re
import struct
import zlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from ccm.core.testing.listener import listening
from ccm.core.tests.test_pdf_offline import hostile_svgs
from ccm.meetings import letters, logo, services
from ccm.meetings.models import Meeting, Presidency, validate_logo

S = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">'
BODY = '<rect width="300" height="100" fill="#000"/><rect y="100" width="300" height="100" fill="#d00"/></svg>'  # noqa: E501
FLAG = (S + BODY).encode()
ILLUSTRATOR = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<!-- Generator: Adobe Illustrator 27.5.0, SVG '
    b'Export Plug-In . SVG Version: 6.00 Build 0)  -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG '
    b'1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg version="1.1" '
    b'id="Layer_1" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'x="0px" y="0px" viewBox="0 0 300 200" style="enable-background:new 0 0 300 200;" '
    b'xml:space="preserve"><style type="text/css">\n\t.st0{fill:#000000;}\n\t.st1{fill:#DD0000;}'
    b'\n</style><rect class="st0" width="300" height="100"/><rect y="100" class="st1" '
    b'width="300" height="100"/></svg>'
)
INKSCAPE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!-- Created with Inkscape '
    b'(http://www.inkscape.org/) -->\n<svg width="300" height="200" viewBox="0 0 300 200" '
    b'version="1.1" id="svg1" inkscape:version="1.3" sodipodi:docname="flag.svg" '
    b'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
    b'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
    b'xmlns="http://www.w3.org/2000/svg" xmlns:svg="http://www.w3.org/2000/svg" '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><sodipodi:namedview id="namedview1" '
    b'pagecolor="#ffffff" inkscape:zoom="1"/><metadata><rdf:RDF><dc:title>Flag</dc:title>'
    b'</rdf:RDF></metadata><g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1">'
    b'<rect style="fill:#000000;stroke:none;-inkscape-font-specification:Sans" id="rect1" '
    b'width="300" height="100" x="0" y="0"/><rect style="fill:#dd0000" width="300" '
    b'height="100" y="100"/></g></svg>'
)


def png(width: int = 60, height: int = 40) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def bad_crc_png() -> bytes:
    good = bytearray(png())
    ihdr_crc = 8 + 8 + 13  # signature, IHDR length and type, its 13 bytes
    good[ihdr_crc : ihdr_crc + 4] = b"\0\0\0\0"
    return bytes(good)


def huge_png() -> bytes:
    """A PNG that says it is 20000 x 20000 pixels in a few hundred bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))  # fmt: skip


BOMB = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;'
        b'&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        + S.encode() + b"<text>&c;</text></svg>")  # fmt: skip
XXE = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       + S.encode() + b"<text>&x;</text></svg>")  # fmt: skip
USES = "".join(f'<g id="u{n}">' + f'<use href="#u{n - 1}"/>' * 10 + "</g>" for n in range(1, 7))

# (file name, content, the refusal's words, or None: accepted and drawn)
CORPUS: list[tuple[str, bytes, str | None]] = [
    ("script.svg", (S + "<script>alert(1)</script></svg>").encode(), "<script>"),
    ("fo.svg", (S + "<foreignObject><p>x</p></foreignObject></svg>").encode(), "foreignobject"),
    ("event.svg", (S + '<rect onclick="x()" width="1" height="1"/></svg>').encode(), "onclick"),
    ("root-event.svg", S.replace(">", ' onload="x()">').encode() + b"</svg>", "onload"),
    ("animate.svg", (S + '<animate attributeName="href" to="x"/></svg>').encode(), "<animate>"),
    ("href.svg", (S + '<image href="http://e.x/a.png" width="9" height="9"/></svg>').encode(),
     "outside itself"),
    ("data-href.svg", (S + '<image href="data:image/png;base64,AAAA"/></svg>').encode(),
     "outside itself"),
    ("link.svg", (S + '<a href="javascript:alert(1)"><rect width="1" height="1"/></a></svg>')
     .encode(), "outside itself"),
    ("escape-sheet.svg", (S + "<style>rect{fill:u\\72l(http://e.x/a)}</style>" + BODY).encode(),
     "style sheet loads something"),
    ("escape-attribute.svg", (S + '<rect style="fill:\\75rl(http://e.x/a)"/>' + BODY).encode(),
     "style attribute loads something"),
    ("escape-fill.svg", (S + '<rect fill="u\\72l(http://e.x/a)"/>' + BODY).encode(),
     "fill attribute loads something"),
    ("import.svg", (S + "<style>@import url(http://e.x/a.css);</style>" + BODY).encode(),
     "@import"),
    ("import-comment.svg", (S + "<style>@imp/**/ort 'http://e.x/a.css';</style>" + BODY).encode(),
     "style sheet loads something"),
    ("font-face.svg", (S + "<style>@font-face{font-family:x;src:u\\72l(http://e.x/f.woff)}"
                       "</style>" + BODY).encode(), "@font-face"),
    ("entity-bomb.svg", BOMB, "DTD or entities"),
    ("xxe.svg", XXE, "DTD or entities"),
    ("system-dtd.svg", b'<!DOCTYPE svg SYSTEM "http://e.x/svg.dtd">' + FLAG, "DTD or entities"),
    ("use-loop.svg", (S + '<g id="a"><use href="#a"/></g></svg>').encode(), "loop"),
    ("use-bomb.svg", (S + '<rect id="u0" width="1" height="1"/>' + USES + "</svg>").encode(),
     "draws more than"),
    ("infinite.svg", S.replace('width="300"', 'width="1e999"').encode() + b"</svg>",
     "size is not one that can be drawn"),
    ("zero-viewbox.svg", b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 0 10"/>',
     "size is not one that can be drawn"),
    ("bad-viewbox.svg", b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 x"/>',
     "viewBox is not four numbers"),
    ("latin1.svg", (S + "<title>Bandera de Espa\xf1a</title>" + BODY).encode("latin-1"),
     "not UTF-8"),
    ("png-named.svg", png(), "is a PNG image, not an SVG"),
    ("html.svg", b"<html><body>x</body></html>", "not an SVG"),
    ("crc.png", bad_crc_png(), "not a readable PNG"),
    ("huge.png", huge_png(), "too large in pixels"),
    ("svg-named.png", FLAG, "not a PNG"),
    # Accepted, and drawn
    ("flag.svg", FLAG, None),
    ("illustrator.svg", ILLUSTRATOR, None),
    ("inkscape.svg", INKSCAPE, None),
    ("comment-first.svg", b"<!-- made by hand -->\n" + FLAG, None),
    ("pi-first.svg", b'<?xml-stylesheet href="http://e.x/a.css"?>' + FLAG, None),
    ("declared-latin1.svg", b'<?xml version="1.0" encoding="ISO-8859-1"?>'
     + (S + "<title>Espa\xf1a</title>" + BODY).encode("latin-1"), None),
    ("huge-size.svg", S.replace('width="300" height="200"', 'width="100000000" '
                                'height="100000000"').encode() + b'<rect width="100000000" '
                                b'height="100000000" fill="#d00"/></svg>', None),
    ("internal-link.svg", (S + '<a href="#x"><rect width="300" height="200"/></a></svg>')
     .encode(), None),
    ("comment-url.svg", (S + "<style>rect{fill:url/**/(http://e.x/a)}</style>" + BODY).encode(),
     None),
    ("flag.png", png(), None),
]  # fmt: skip


@pytest.fixture
def meetings(registry_reference: None, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    services.load_meetings()


def store(code: str, name: str, data: bytes) -> Presidency:
    """A file kept as the Presidency's logo without the upload's checks: one that passed older
    checks, or was put there by hand."""
    presidency = Meeting.objects.get(code=code).presidency
    presidency.national_logo.save(name, ContentFile(data))
    return presidency


@pytest.mark.parametrize(("name", "data", "said"), CORPUS, ids=[c[0] for c in CORPUS])
def test_each_hostile_logo_is_refused_with_its_reason_or_drawn(
    name: str, data: bytes, said: str | None
) -> None:
    if said is not None:
        with pytest.raises(logo.UnsafeLogo, match=said):
            logo.check_upload(name, data)
        return
    national = logo.check_upload(name, data)
    svg = logo.marks(national)
    assert not re.search(r"http(?!://www\.w3\.org/(2000/svg|1999/xlink))", svg)
    with Image.open(io.BytesIO(logo.to_png(svg))) as image:
        # The national logo is drawn where the letterhead puts it, not left blank.
        colours = image.convert("RGB").crop((270, 20, 450, 180)).getcolors(1 << 16) or []
        assert any(c != (255, 255, 255) for _n, c in colours), name


def test_editors_metadata_is_left_out_and_the_drawing_kept() -> None:
    rebuilt = logo.check_svg(INKSCAPE)
    for gone in ("inkscape", "sodipodi", "metadata", "rdf", "namedview"):
        assert gone not in rebuilt, gone
    assert 'style="fill:#000000;stroke:none"' in rebuilt
    assert logo.check_svg(ILLUSTRATOR).count("<rect") == 2
    assert "Generator" not in logo.check_svg(ILLUSTRATOR)


@pytest.mark.parametrize(
    "smuggled",
    [
        'data-x=\' x="1" onload="alert(1)"\'',
        'data-x=\' width="1" onload="alert(1)" y="2"\'',
        'aria-label=\' height="1" onload="alert(1)"\'',
        "class='\" onload=\"alert(1)'",
        'id=\' preserveAspectRatio="x" onmouseover="alert(1)"\'',
    ],
)
def test_attribute_text_smuggled_into_the_root_tag_never_becomes_an_attribute(
    meetings: None, smuggled: str
) -> None:
    data = (S.replace(">", f" {smuggled}>") + BODY).encode()
    presidency = store("7MSP", "smuggled.svg", data)
    served = Client().get("/meetings/7MSP/logo.svg")
    assert served.status_code == 200
    root = ElementTree.fromstring(served.content)
    for element in root.iter():
        assert not any(
            name.rsplit("}", 1)[-1].lower().startswith("on") for name in element.attrib
        ), ElementTree.tostring(element)
    head = logo.marks(logo.read_logo("smuggled.svg", data))
    for element in ElementTree.fromstring(head).iter():
        assert not any(name.lower().startswith("on") for name in element.attrib)
    assert presidency.national_logo


def announcement(presidency: Presidency) -> Any:
    fields = {"dated": date(2025, 6, 1), **letters.starting_point("announcement")}
    return services.save_letter(presidency, fields, by=None)


def unchecked(data: bytes) -> ElementTree.Element:
    """The sanitiser switched off: what WeasyPrint is given is the hostile SVG as it is."""
    root = ElementTree.fromstring(data)
    for element in root.iter():
        element.tag = str(element.tag).rsplit("}", 1)[-1]
        for key in list(element.attrib):
            if key.startswith("{"):
                element.attrib["href"] = element.attrib.pop(key)
    root.set("viewBox", "0 0 100 100")
    return root


@pytest.mark.parametrize("sanitiser", ["on", "off"])
def test_no_renderer_reaches_the_network_from_a_stored_logo(
    meetings: None, monkeypatch: pytest.MonkeyPatch, sanitiser: str
) -> None:
    """Each hostile SVG is stored as the logo and every meetings document that draws it is
    made: the logo PDF and PNG, a letter on the letterhead and the work plan's report. With the
    sanitiser on, the logo is refused and left out; with it off, the URL fetcher alone keeps
    the renderers from the network."""
    if sanitiser == "off":
        monkeypatch.setattr(logo, "sanitised", unchecked)
        monkeypatch.setattr(logo, "check_svg", lambda data: data.decode())
    client = Client()
    with listening() as listener:
        for n, svg in enumerate(hostile_svgs(listener.url)):
            presidency = store("13MSP", f"hostile{n}.svg", svg.encode())
            for fmt in ("pdf", "png"):
                response = client.get(f"/meetings/13MSP/logo.{fmt}")
                # sanitiser on: the standard logo, the national one left out (issue #25)
                assert response.status_code == 200
            letter = announcement(presidency)
            assert letters.pdf(letters.render(letter, "en")).startswith(b"%PDF-")
            report = letters.render_report(presidency.meeting, [], "en", date(2025, 6, 1))
            assert letters.pdf(report).startswith(b"%PDF-")
    assert listener.paths == []


def test_a_logo_that_cannot_be_drawn_is_refused_at_upload(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(svg: str, scale: float = 1.0) -> bytes:
        raise AssertionError  # what the old logo code raised for a comment before <svg>

    monkeypatch.setattr(logo, "to_png", broken)
    with pytest.raises(logo.UnsafeLogo, match=r"cannot be drawn \(AssertionError\)"):
        logo.check_upload("flag.svg", FLAG)
    upload = SimpleUploadedFile("flag.svg", FLAG, content_type="image/svg+xml")
    with pytest.raises(ValidationError, match="This logo is refused: the logo cannot be drawn"):
        validate_logo(upload)


@pytest.mark.parametrize(
    ("name", "data"),
    [("script.svg", CORPUS[0][1]), ("crc.png", bad_crc_png()), ("empty.svg", b"")],
)
def test_a_stored_logo_that_fails_is_left_out_never_an_error(
    meetings: None, caplog: pytest.LogCaptureFixture, name: str, data: bytes
) -> None:
    presidency = store("13MSP", name, data)
    client = Client()
    with caplog.at_level(logging.WARNING, logger="ccm.meetings.logo"):
        for fmt in ("svg", "pdf", "png"):  # the standard logo, never a 404 (issue #25)
            assert client.get(f"/meetings/13MSP/logo.{fmt}").status_code == 200
        assert 'class="national"' not in client.get("/meetings/13MSP/logo.svg").content.decode()
        letter = announcement(presidency)
        html = letters.render(letter, "en")
        assert 'class="letterhead"' in html and "data:image/svg+xml" not in html
        assert letters.pdf(html).startswith(b"%PDF-")
    assert "national logo of" in caplog.text and "is left out" in caplog.text


def test_a_lost_logo_file_is_left_out(meetings: None, caplog: pytest.LogCaptureFixture) -> None:
    presidency = store("13MSP", "flag.svg", FLAG)
    Path(presidency.national_logo.path).unlink()
    assert Client().get("/meetings/13MSP/logo.png").status_code == 200  # standard (issue #25)
    assert 'class="national"' not in Client().get("/meetings/13MSP/logo.svg").content.decode()
    assert "is left out" in caplog.text


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []
    real: Callable[..., bytes] = logo.to_pdf

    def to_pdf(svg: str) -> bytes:
        made.append(svg)
        return real(svg)

    monkeypatch.setattr(logo, "to_pdf", to_pdf)
    return made


@pytest.fixture
def committed_logo(transactional_db: None, settings: Any, tmp_path: Path) -> Presidency:
    """A Presidency with a logo, written for real: the data revision moves only on commit."""
    from ccm.meetings.tests.factories import coming_meeting
    from ccm.registry.tests.factories import party

    settings.MEDIA_ROOT = tmp_path
    state = party("DEU", "Germany", signed="2008-12-03", deposited="2009-07-08")
    meeting = coming_meeting("14MSP", opens=date(2026, 9, 1))
    presidency = Presidency.objects.create(meeting=meeting, state=state, source="test")
    presidency.national_logo.save("flag.svg", ContentFile(FLAG))
    return presidency


def test_logo_renderings_are_kept_until_the_data_change(
    committed_logo: Presidency, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = counting(monkeypatch)
    client = Client()
    first = client.get("/meetings/14MSP/logo.png")
    again = client.get("/meetings/14MSP/logo.png")
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and len(made) == 1
    client.get("/meetings/14MSP/logo.pdf")
    client.get("/meetings/14MSP/logo.png", {"lang": "fr"})
    assert len(made) == 3  # another format, another language: drawn once each
    client.get("/meetings/14MSP/logo.pdf")
    assert len(made) == 3
    Meeting.objects.filter(pk=committed_logo.meeting_id).update(city="Lausanne")
    changed = client.get("/meetings/14MSP/logo.png")
    assert len(made) == 4 and changed.content != first.content  # the place is on the logo
