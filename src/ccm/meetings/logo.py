"""The meeting logo (issue #11): one template composes the Convention's mark, the Presidency's
national logo and the meeting's title, dates and place in the chosen language(s); exported as
SVG, PDF (WeasyPrint) and PNG (the PDF page rendered by PDFium).

Uploaded logos are untrusted. An SVG is parsed without DTDs or entities (defusedxml) and refused
if it holds a script, a `foreignObject`, an event attribute, a reference outside itself or a
style that loads anything; a PNG is checked by its signature, its size and by Pillow. Nothing
unsafe is ever cleaned and kept: it is refused, with the reason."""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape

from ccm.meetings.models import Meeting

MAX_BYTES = 512 * 1024
MAX_PIXELS = 4096 * 4096
PLACEHOLDER_MARK = Path(__file__).resolve().parent / "data" / "convention_mark_placeholder.svg"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK = "{http://www.w3.org/1999/xlink}href"
FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "object", "embed", "audio", "video",
                      "handler", "listener", "animation", "set", "animate"}  # fmt: skip
WIDTH, HEIGHT = 1200, 420


class UnsafeLogo(ValueError):
    """The logo is refused; the message says why, for a person."""


@dataclass(frozen=True)
class Logo:
    kind: str  # "svg" or "png"
    content: str  # the SVG's markup (checked), or a PNG as a data: URI


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def check_svg(data: bytes) -> str:
    """An SVG that is safe to place in a page, or UnsafeLogo."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if len(data) > MAX_BYTES:
        raise UnsafeLogo(f"the SVG is larger than {MAX_BYTES // 1024} KB")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeLogo(f"the SVG declares a DTD or entities ({type(exc).__name__})") from None
    except ElementTree.ParseError as exc:
        raise UnsafeLogo(f"not a readable SVG ({exc})") from None
    if _local(root.tag) != "svg":
        raise UnsafeLogo("not an SVG: its root element is not <svg>")
    for element in root.iter():
        name = _local(str(element.tag))
        if name in FORBIDDEN_ELEMENTS:
            raise UnsafeLogo(f"the SVG holds a <{name}> element")
        for attribute, value in element.attrib.items():
            key = _local(attribute)
            if key.startswith("on"):
                raise UnsafeLogo(f"the SVG holds an event attribute ({key})")
            if key == "href" and not value.strip().startswith("#"):
                raise UnsafeLogo("the SVG refers to something outside itself (href)")
            if re.search(r"url\(\s*['\"]?(?!#)|@import|expression\(|javascript:", value, re.I):
                raise UnsafeLogo(f"the SVG's {key} attribute loads something outside itself")
        if name == "style" and re.search(
            r"url\(\s*['\"]?(?!#)|@import|expression\(|javascript:", element.text or "", re.I
        ):
            raise UnsafeLogo("the SVG's style sheet loads something outside itself")
    return data.decode("utf-8", errors="strict") if isinstance(data, bytes) else data


def check_png(data: bytes) -> str:
    """A PNG as a data: URI once it is known to be one, small enough; or UnsafeLogo."""
    from PIL import Image

    if len(data) > MAX_BYTES:
        raise UnsafeLogo(f"the PNG is larger than {MAX_BYTES // 1024} KB")
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise UnsafeLogo("not a PNG image: its content says otherwise")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG" or image.width * image.height > MAX_PIXELS:
                raise UnsafeLogo("the PNG is too large in pixels")
            image.verify()
    except UnsafeLogo:
        raise
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds on a damaged image
        raise UnsafeLogo(f"not a readable PNG ({type(exc).__name__})") from None
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def read_logo(name: str, data: bytes) -> Logo:
    """An uploaded national logo, by its content (the name only says which check to run)."""
    if name.lower().endswith(".svg"):
        try:
            return Logo("svg", check_svg(data))
        except UnicodeDecodeError:
            raise UnsafeLogo("the SVG is not UTF-8 text") from None
    if name.lower().endswith(".png"):
        return Logo("png", check_png(data))
    raise UnsafeLogo("a logo is an SVG or a PNG file")


def _nested(logo: Logo, x: int, y: int, size: int) -> str:
    """A logo placed in a square box, its proportions kept."""
    if logo.kind == "png":
        return (f'<image x="{x}" y="{y}" width="{size}" height="{size}" '
                f'preserveAspectRatio="xMidYMid meet" href="{logo.content}"/>')  # fmt: skip
    markup = re.sub(r"<\?xml[^>]*\?>", "", logo.content).strip()
    opening = re.match(r"<svg\b[^>]*>", markup)
    assert opening is not None  # checked: the root is <svg>
    tag = opening.group(0)
    attrs = re.sub(r'\s(?:x|y|width|height|preserveAspectRatio)="[^"]*"', "", tag[4:-1])
    if "viewBox" not in attrs:  # its own width and height give its coordinates
        w = re.search(r'\swidth="([\d.]+)(?:px)?"', tag)
        h = re.search(r'\sheight="([\d.]+)(?:px)?"', tag)
        attrs += f' viewBox="0 0 {w.group(1) if w else size} {h.group(1) if h else size}"'
    box = f'x="{x}" y="{y}" width="{size}" height="{size}" preserveAspectRatio="xMidYMid meet"'
    return f"<svg {box}{attrs}>" + markup[len(tag) :]


def _lines(meeting: Meeting, language: str) -> list[str]:
    with translation.override(language):
        title = meeting.title
        if meeting.start_date:
            start = date_format(meeting.start_date, "DATE_FORMAT")
            end = date_format(meeting.end_date, "DATE_FORMAT") if meeting.end_date else ""
            when = f"{start} – {end}" if end and end != start else start
        else:
            when = ""
    place = ", ".join(p for p in (meeting.venue, meeting.city) if p and p.lower() != "virtual")
    return [title, when, place]


def compose(
    meeting: Meeting, national: Logo, languages: list[str], mark: Logo | None = None
) -> str:
    """The logo as SVG: the Convention's mark left, the national logo right, the title between
    and under them, one line block per language."""
    mark = mark or Logo("svg", check_svg(PLACEHOLDER_MARK.read_bytes()))
    blocks = [_lines(meeting, language) for language in languages]
    height = HEIGHT + 110 * (len(blocks) - 1)
    text = []
    y = 300
    for title, when, place in blocks:
        text.append(f'<text x="{WIDTH // 2}" y="{y}" font-size="40" font-weight="700">'
                    f"{escape(title)}</text>")  # fmt: skip
        detail = " · ".join(p for p in (when, place) if p)
        if detail:
            text.append(
                f'<text x="{WIDTH // 2}" y="{y + 48}" font-size="28">{escape(detail)}</text>'
            )
        y += 110
    return (
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(blocks[0][0])}">'
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>'
        f'<g class="mark">{_nested(mark, 40, 30, 200)}</g>'
        f'<g class="national">{_nested(national, WIDTH - 240, 30, 200)}</g>'
        f'<g font-family="DejaVu Sans, sans-serif" text-anchor="middle" fill="#1d2a36">'
        + "".join(text)
        + "</g></svg>"
    )


def marks(national: Logo, mark: Logo | None = None) -> str:
    """The two marks side by side, without the title: the letterhead's logo, legible at the
    size of a letterhead (the full logo's title would be too small to read there)."""
    mark = mark or Logo("svg", check_svg(PLACEHOLDER_MARK.read_bytes()))
    return (
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" width="460" '
        f'height="200" viewBox="0 0 460 200">'
        f'<g class="mark">{_nested(mark, 0, 0, 200)}</g>'
        f'<g class="national">{_nested(national, 260, 0, 200)}</g></svg>'
    )


def to_pdf(svg: str) -> bytes:
    from weasyprint import HTML

    match = re.search(r'width="(\d+)" height="(\d+)"', svg)
    width, height = (int(match.group(1)), int(match.group(2))) if match else (WIDTH, HEIGHT)
    page = (f"<style>@page{{size:{width}px {height}px;margin:0}}body{{margin:0}}</style>"
            f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}" '
            f'style="width:{width}px;height:{height}px;display:block">')  # fmt: skip
    return HTML(string=page).write_pdf()


def to_png(svg: str, scale: float = 1.0) -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(to_pdf(svg))
    try:
        image = document[0].render(scale=scale * 96 / 72).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
    finally:
        document.close()
