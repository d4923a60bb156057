"""The meeting logo (issue #11): composed for several Presidencies and languages, exported as SVG,
PNG and PDF that open; every kind of unsafe SVG refused; the command's contract."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.core.management import CommandError, call_command
from PIL import Image
from pypdf import PdfReader

from ccm.core.testing.commands import output
from ccm.meetings import logo, services
from ccm.meetings.models import Meeting

pytestmark = pytest.mark.django_db
S = b'<svg xmlns="http://www.w3.org/2000/svg"'
FLAG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">'
        b'<rect width="300" height="100" fill="#000"/><rect y="100" width="300" height="100" '
        b'fill="#d00"/><title>National logo</title></svg>')  # fmt: skip


def png(width: int = 60, height: int = 40) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 90, 160)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def meetings(registry_reference: None) -> None:
    services.load_meetings()


@pytest.mark.parametrize(
    ("code", "languages", "said"),
    [
        ("7MSP", ["en"], ["7th Meeting of States Parties", "4 September 2017 – 6 September 2017",
                          "Palais des Nations, Room XIX, Geneva"]),
        ("7MSP", ["fr", "es"], ["7e Assemblée des États parties",
                                "7.ª Reunión de los Estados Partes"]),
        ("2RC-1", ["en"], ["2nd Review Conference (part 1)", "Lausanne"]),
        ("13MSP", ["es"], ["13.ª Reunión de los Estados Partes"]),
    ],
)  # fmt: skip
def test_the_logo_holds_both_marks_and_the_title(
    meetings: None, code: str, languages: list[str], said: list[str]
) -> None:
    svg = logo.compose(Meeting.objects.get(code=code), logo.read_logo("flag.svg", FLAG), languages)
    root = ElementTree.fromstring(svg)  # well-formed
    groups = {g.get("class"): g for g in root.iter("{http://www.w3.org/2000/svg}g")}
    assert "MARK" in ElementTree.tostring(groups["mark"], encoding="unicode")
    assert "National logo" in ElementTree.tostring(groups["national"], encoding="unicode")
    for text in said:
        assert text in svg, text
    if code == "2RC-1":  # held virtually: the place is the city, never "virtual"
        assert "virtual" not in svg


def test_a_png_national_logo_and_the_three_formats_open(meetings: None) -> None:
    svg = logo.compose(Meeting.objects.get(code="7MSP"), logo.read_logo("de.png", png()), ["en"])
    assert 'href="data:image/png;base64,' in svg
    pdf = logo.to_pdf(svg)
    reader = PdfReader(io.BytesIO(pdf))
    assert (
        len(reader.pages) == 1 and "7th Meeting of States Parties" in reader.pages[0].extract_text()
    )
    with Image.open(io.BytesIO(logo.to_png(svg))) as image:
        assert image.format == "PNG" and image.size == (logo.WIDTH, logo.HEIGHT)
        pixel = image.convert("RGB").getpixel((image.width - 140, 130))
        assert pixel == (0, 90, 160)  # the national logo, where the template puts it


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("a.svg", S + b'><script>alert(1)</script></svg>',
         "<script>"),
        ("a.svg", S + b' onload="alert(1)"/>', "event attribute"),
        ("a.svg", S + b'><rect onclick="x()"/></svg>', "onclick"),
        ("a.svg", S + b'><foreignObject><p>x</p>'
                  b'</foreignObject></svg>', "foreignobject"),
        ("a.svg", S + b' xmlns:xlink="http://www.w3.org/1999/xlink">'
                  b'<image xlink:href="http://evil.example/x.png"/></svg>', "outside itself"),
        ("a.svg", S + b'><use href="other.svg#a"/></svg>',
         "outside itself"),
        ("a.svg", S + b'><a href="javascript:alert(1)">x</a>'
                  b'</svg>', "outside itself"),
        ("a.svg", S + b'><rect style="fill:url(http://e.x/a)"'
                  b'/></svg>', "loads something"),
        ("a.svg", S + b'><style>@import url(http://e.x/a.css);'
                  b'</style></svg>', "style sheet"),
        ("a.svg", b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "boom">]>' + S
         + b'>&x;</svg>', "DTD or entities"),
        ("a.svg", b'<?xml version="1.0"?><!DOCTYPE svg SYSTEM "http://e.x/svg.dtd">' + S
         + b'/>', "DTD or entities"),
        ("a.svg", S + b'><set attributeName="href" to="x"/>'
                  b'</svg>', "<set>"),
        ("a.svg", b"<html><body>not an svg</body></html>", "not an SVG"),
        ("a.svg", b"<svg", "not a readable SVG"),
        ("a.svg", S + b'>' + b" " * logo.MAX_BYTES + b"</svg>",
         "larger than"),
        ("a.png", b"GIF89a....", "not a PNG"),
        ("a.png", b"\x89PNG\r\n\x1a\nbroken", "not a readable PNG"),
        ("a.gif", b"GIF89a", "an SVG or a PNG"),
    ],
)  # fmt: skip
def test_unsafe_or_unreadable_logos_are_refused(name: str, data: bytes, said: str) -> None:
    with pytest.raises(logo.UnsafeLogo, match=said):
        logo.read_logo(name, data)


def test_a_huge_png_is_refused() -> None:
    with pytest.raises(logo.UnsafeLogo, match="too large in pixels"):
        logo.read_logo("big.png", png(5000, 4000))


def test_the_command_writes_each_format_or_nothing(meetings: None, tmp_path: Path) -> None:
    flag = tmp_path / "flag.svg"
    flag.write_bytes(FLAG)
    for suffix in ("svg", "png", "pdf"):
        out = tmp_path / f"7msp.{suffix}"
        printed = output("logo", "--meeting", "7MSP", "--national-logo", str(flag),
                         "--language", "en,fr", "--out", str(out))  # fmt: skip
        assert str(out) in printed and out.stat().st_size > 0
    assert (tmp_path / "7msp.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "7msp.png").read_bytes().startswith(b"\x89PNG")
    unsafe = tmp_path / "unsafe.svg"
    unsafe.write_bytes(S + b' onload="x()"/>')
    for args, said in (
        (["--meeting", "99MSP", "--national-logo", str(flag)], "no meeting '99MSP'"),
        (["--meeting", "7MSP", "--national-logo", str(unsafe)], "unsafe.svg: refused"),
        (["--meeting", "7MSP", "--national-logo", str(tmp_path / "none.svg")], "no such file"),
        (["--meeting", "7MSP", "--national-logo", str(flag), "--language", "de"], "--language"),
    ):
        out = tmp_path / "refused.svg"
        with pytest.raises(CommandError, match=said) as refused:
            call_command("logo", *args, "--out", str(out))
        assert refused.value.returncode == 2 and not out.exists()
    with pytest.raises(CommandError, match="is not .svg, .png or .pdf"):
        call_command("logo", "--meeting", "7MSP", "--national-logo", str(flag),
                     "--out", str(tmp_path / "x.gif"))  # fmt: skip


def test_the_meeting_page_shows_the_logo_with_the_national_one_once_uploaded(
    meetings: None, settings: Any, tmp_path: Path
) -> None:
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile
    from django.test import Client

    settings.MEDIA_ROOT = tmp_path
    # Issue #25 corrects issue #11's rule: without a national logo the standard logo is shown
    # (the Convention's mark alone), never a 404
    assert 'id="meeting-logo"' in Client().get("/meetings/7MSP/").content.decode()
    standard = Client().get("/meetings/7MSP/logo.svg")
    assert standard.status_code == 200 and 'class="national"' not in standard.content.decode()
    presidency = Meeting.objects.get(code="7MSP").presidency
    presidency.national_logo.save("de.svg", ContentFile(FLAG))
    page = Client().get("/fr/meetings/7MSP/").content.decode()
    assert 'id="meeting-logo"' in page and 'src="/fr/meetings/7MSP/logo.svg"' in page
    svg = Client().get("/fr/meetings/7MSP/logo.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in svg["Content-Security-Policy"]
    assert "7e Assemblée des États parties" in svg.content.decode()
    both = Client().get("/meetings/7MSP/logo.svg", {"lang": "en,es"}).content.decode()
    assert "7th Meeting" in both and "7.ª Reunión" in both
    assert Client().get("/meetings/7MSP/logo.png").content.startswith(b"\x89PNG")
    assert Client().get("/meetings/7MSP/logo.pdf").content.startswith(b"%PDF-")
    assert Client().get("/meetings/7MSP/logo.gif").status_code == 404
    presidency.national_logo = ContentFile(S + b' onload="x()"/>', name="evil.svg")
    with pytest.raises(ValidationError, match="This logo is refused: the SVG holds an event"):
        presidency.full_clean()
