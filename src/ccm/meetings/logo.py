"""The meeting logo (issue #11): one template composes the Convention's mark, the Presidency's
national logo and the meeting's title, dates and place in the chosen language(s); exported as
SVG, PDF (WeasyPrint, through `ccm.core.pdf`, which fetches nothing from the network) and PNG
(the PDF page rendered by PDFium).

Uploaded logos are untrusted (issue #32). An SVG is read by an XML parser without entities
(defusedxml): an XML declaration, comments, processing instructions and the standard SVG doctype
(as Illustrator and Inkscape write them) are fine, any other DTD is refused. What is dangerous is
refused, with the reason: a script, a `foreignObject`, an event attribute, a reference outside
itself, a style that loads anything (CSS is read by tinycss2, the parser WeasyPrint uses, so
escapes such as `u\\72l(` and comments are decoded before the check). The logo then kept is a new
tree REBUILT from an allow-list of elements, attributes and CSS properties, and serialised by
ElementTree: no markup of the upload is ever copied as text, and what the allow-list does not
name (editors' metadata, unknown attributes) is left out. A PNG is checked by Pillow. A logo is
also drawn once when it is uploaded (`check_upload`): one that cannot be drawn is refused then,
never accepted to break the meeting's PDFs later."""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape

from ccm.core.pdf import PDFIUM, html_to_pdf
from ccm.meetings.models import Meeting

if TYPE_CHECKING:
    from ccm.meetings.models import Presidency

logger = logging.getLogger(__name__)

MAX_BYTES = 512 * 1024
MAX_PIXELS = 4096 * 4096
# Elements drawn once `<use>` is followed: bounds a logo that clones clones of clones.
MAX_DRAWN = 50_000
PLACEHOLDER_MARK = Path(__file__).resolve().parent / "data" / "convention_mark_placeholder.svg"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "object", "embed", "audio", "video",
                      "handler", "listener", "animation", "set", "animate", "animatemotion",
                      "animatetransform", "animatecolor", "discard", "feimage"}  # fmt: skip
# The SVG doctypes editors write (no internal subset): harmless, the parser loads nothing.
STANDARD_DOCTYPES = {"-//W3C//DTD SVG 1.0//EN", "-//W3C//DTD SVG 1.1//EN",
                     "-//W3C//DTD SVG 1.1 Basic//EN", "-//W3C//DTD SVG 1.1 Tiny//EN"}  # fmt: skip
# Elements kept, by their lower-case name (SVG names are case-sensitive).
ELEMENTS = {name.lower(): name for name in (
    "svg", "g", "defs", "symbol", "use", "title", "desc", "path", "rect", "circle", "ellipse",
    "line", "polyline", "polygon", "text", "tspan", "textPath", "linearGradient",
    "radialGradient", "stop", "clipPath", "mask", "pattern", "marker", "style",
)}  # fmt: skip
ALIASES = {"a": "g", "switch": "g"}  # drawn as groups (a link's target is not kept)
TEXT_ELEMENTS = {"text", "tspan", "textPath", "title", "desc", "style"}
PRESENTATION = {
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset",
    "stroke-opacity", "opacity", "color", "display", "visibility", "overflow",
    "font-family", "font-size", "font-weight", "font-style", "font-variant", "font-stretch",
    "text-anchor", "dominant-baseline", "alignment-baseline", "baseline-shift",
    "letter-spacing", "word-spacing", "text-decoration", "direction", "writing-mode",
    "stop-color", "stop-opacity", "clip-path", "clip-rule", "mask", "marker-start",
    "marker-mid", "marker-end", "paint-order", "vector-effect", "shape-rendering",
    "text-rendering", "image-rendering", "color-interpolation", "transform-origin",
    "mix-blend-mode", "isolation",
}  # fmt: skip
# The CSS properties kept in style sheets and style="" attributes: the same as the attributes.
CSS_PROPERTIES = PRESENTATION | {"font", "transform"}
ATTRIBUTES = PRESENTATION | {
    "id", "class", "style", "transform", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r",
    "rx", "ry", "fx", "fy", "fr", "width", "height", "d", "points", "pathLength", "viewBox",
    "preserveAspectRatio", "version", "dx", "dy", "rotate", "textLength", "lengthAdjust",
    "startOffset", "offset", "gradientUnits", "gradientTransform", "spreadMethod",
    "clipPathUnits", "maskUnits", "maskContentUnits", "patternUnits", "patternContentUnits",
    "patternTransform", "markerWidth", "markerHeight", "markerUnits", "refX", "refY",
    "orient", "href", "role", "aria-label", "type", "xml:space",
}  # fmt: skip
CSS_FUNCTIONS = {"rgb", "rgba", "hsl", "hsla", "calc", "matrix", "translate", "translatex",
                 "translatey", "scale", "scalex", "scaley", "rotate", "skewx", "skewy"}  # fmt: skip
# The wrapper placing a logo takes over its position and size.
BOX = {"x", "y", "width", "height", "preserveAspectRatio", "viewBox"}
WIDTH, HEIGHT = 1200, 460


class UnsafeLogo(ValueError):
    """The logo is refused; the message says why, for a person."""


@dataclass(frozen=True)
class Logo:
    kind: str  # "svg" or "png"
    content: str  # the SVG's rebuilt markup, or a PNG as a data: URI


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _parse(data: bytes) -> ElementTree.Element:
    """The upload's XML tree: no entities, no DTD but the standard SVG doctype, no network."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    parser = DefusedXMLParser(forbid_dtd=False, forbid_entities=True, forbid_external=True)
    doctypes: list[tuple[Any, ...]] = []
    parser.parser.StartDoctypeDeclHandler = lambda *args: doctypes.append(args)
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        raise UnsafeLogo(f"the SVG declares a DTD or entities ({type(exc).__name__})") from None
    except ElementTree.ParseError as exc:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            if not data.lstrip().startswith(b"<?xml"):
                raise UnsafeLogo("the SVG is not UTF-8 and does not say its encoding") from None
        raise UnsafeLogo(f"not a readable SVG ({exc})") from None
    for _name, system_id, public_id, internal_subset in doctypes:
        if internal_subset or public_id not in STANDARD_DOCTYPES:
            what = public_id or system_id or "an internal subset"
            raise UnsafeLogo(f"the SVG declares a DTD or entities (DOCTYPE {what})")
    return root


def _refuse_dangers(root: ElementTree.Element) -> None:
    """What is dangerous anywhere in the upload is refused, even where the rebuild would drop
    it: the person learns their file holds it."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = _local(element.tag)
        if name in FORBIDDEN_ELEMENTS:
            raise UnsafeLogo(f"the SVG holds a <{name}> element")
        for attribute, value in element.attrib.items():
            key = _local(attribute)
            if key.startswith("on"):
                raise UnsafeLogo(f"the SVG holds an event attribute ({key})")
            if key == "href" and not value.strip().startswith("#"):
                raise UnsafeLogo("the SVG refers to something outside itself (href)")


def _css_value(tokens: list[Any], where: str) -> bool:
    """A CSS value is kept (True), dropped (False: a function we do not draw), or refused
    (it loads something: a url() other than one of the SVG's own fragments)."""
    import tinycss2.ast as css

    for token in tokens:
        if isinstance(token, css.URLToken):
            if not token.value.strip().startswith("#"):
                raise UnsafeLogo(f"{where} loads something outside itself")
        elif isinstance(token, css.FunctionBlock):
            if token.lower_name == "url":
                target = "".join(t.value for t in token.arguments if isinstance(t, css.StringToken))
                if not target.strip().startswith("#"):
                    raise UnsafeLogo(f"{where} loads something outside itself")
            elif token.lower_name not in CSS_FUNCTIONS or not _css_value(token.arguments, where):
                return False
        elif isinstance(token, css.AtKeywordToken | css.CurlyBracketsBlock):
            raise UnsafeLogo(f"{where} loads something outside itself")
        elif isinstance(token, css.SquareBracketsBlock | css.ParenthesesBlock):
            return False  # no property we keep needs them; `url/**/(...)` would hide in them
    return True


def _declarations(nodes: list[Any], where: str) -> str:
    """The declarations an allow-list keeps, serialised by tinycss2 (escapes re-made)."""
    import tinycss2
    import tinycss2.ast as css

    kept = []
    for node in nodes:
        if isinstance(node, css.AtRule):
            raise UnsafeLogo(f"{where} loads something outside itself (@{node.lower_at_keyword})")
        if not isinstance(node, css.Declaration) or node.lower_name not in CSS_PROPERTIES:
            continue
        if _css_value(node.value, where):
            value = tinycss2.serialize(node.value).strip()
            kept.append(f"{node.lower_name}:{value}{' !important' if node.important else ''}")
    return ";".join(kept)


def _style_attribute(value: str) -> str:
    import tinycss2

    nodes = tinycss2.parse_blocks_contents(value, skip_comments=True, skip_whitespace=True)
    return _declarations(nodes, "the SVG's style attribute")


def _style_sheet(text: str) -> str:
    """A `<style>` element's rules rebuilt: plain selectors, allowed declarations."""
    import tinycss2
    import tinycss2.ast as css

    where = "the SVG's style sheet"
    rules = []
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if isinstance(rule, css.AtRule):  # @import, @font-face and the like: they load
            raise UnsafeLogo(f"{where} loads something outside itself (@{rule.lower_at_keyword})")
        if not isinstance(rule, css.QualifiedRule):
            continue
        simple = (css.IdentToken, css.HashToken, css.LiteralToken, css.WhitespaceToken)
        if not all(isinstance(token, simple) for token in rule.prelude):
            continue  # a selector beyond names, classes and ids: left out
        body = tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                              skip_whitespace=True)  # fmt: skip
        declarations = _declarations(body, where)
        if declarations:
            rules.append(f"{tinycss2.serialize(rule.prelude).strip()}{{{declarations}}}")
    return "\n".join(rules)


def _attribute_value(key: str, value: str) -> str | None:
    """An attribute's value once checked (None: left out)."""
    import tinycss2

    where = f"the SVG's {key} attribute"
    if key == "style":
        return _style_attribute(value)
    if key == "href":
        return value.strip()  # checked: "#" and a fragment of the SVG itself
    if "\\" in value or "url" in value.lower() or "@" in value:
        tokens = tinycss2.parse_component_value_list(value, skip_comments=True)
        if not _css_value(tokens, where):
            return None
    return value


def _rebuild(source: ElementTree.Element, top: bool = True) -> ElementTree.Element | None:
    """A new element from the allow-lists (see the module), or None to leave it out."""
    if not isinstance(source.tag, str):
        return None  # a comment or processing instruction inside the SVG
    namespace = source.tag[1:].split("}", 1)[0] if source.tag.startswith("{") else SVG_NS
    local = source.tag.rsplit("}", 1)[-1]
    name = ELEMENTS.get(ALIASES.get(local.lower(), local.lower()))
    if namespace != SVG_NS or name is None:
        return None  # editors' metadata (Inkscape's, Adobe's, RDF) and what we do not draw
    element = ElementTree.Element(name)
    for attribute, value in source.attrib.items():
        if attribute == f"{{{XLINK_NS}}}href":
            key = "href"
        elif attribute == "{http://www.w3.org/XML/1998/namespace}space":
            key = "xml:space"
        elif attribute.startswith("{") or attribute not in ATTRIBUTES:
            continue
        else:
            key = attribute
        if key == "href" and (name != "use" and name != "textPath" and "Gradient" not in name
                              and name != "pattern"):  # fmt: skip
            continue
        checked = _attribute_value(key, value)
        if checked is not None and (checked or key != "style"):
            element.set(key, checked)
    if name == "style":
        element.text = _style_sheet("".join(source.itertext()))
        return element
    if name in TEXT_ELEMENTS:
        element.text = source.text
    for child in source:
        rebuilt = _rebuild(child, top=False)
        if rebuilt is not None:
            if name in TEXT_ELEMENTS:
                rebuilt.tail = child.tail
            element.append(rebuilt)
    return element


def _drawn(root: ElementTree.Element) -> int:
    """How many elements are drawn once every `<use>` is followed; UnsafeLogo for a loop or a
    logo that multiplies itself past MAX_DRAWN."""
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    cost: dict[int, int] = {}
    active: set[int] = set()

    def count(element: ElementTree.Element) -> int:
        key = id(element)
        if key in cost:
            return cost[key]
        if key in active:
            raise UnsafeLogo("the SVG uses itself in a loop (<use>)")
        active.add(key)
        total = 1 + sum(count(child) for child in element)
        target = by_id.get((element.get("href") or "").lstrip("#"))
        if element.tag == "use" and target is not None:
            total += count(target)
        active.discard(key)
        if total > MAX_DRAWN:
            raise UnsafeLogo(f"the SVG draws more than {MAX_DRAWN} shapes")
        cost[key] = total
        return total

    return count(root)


def _number(value: str | None) -> float | None:
    match = re.match(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(?:px)?\s*$", value or "")
    return float(match.group(1)) if match else None


def _view_box(root: ElementTree.Element) -> str:
    """The logo's own coordinates: its viewBox, else its width and height; UnsafeLogo for
    numbers nothing can draw."""
    given = root.get("viewBox")
    if given is not None:
        parts = [_number(p) for p in re.split(r"[\s,]+", given.strip())]
        numbers = [p for p in parts if p is not None]
        if len(parts) != 4 or len(numbers) != 4:
            raise UnsafeLogo("the SVG's viewBox is not four numbers")
    else:
        width, height = _number(root.get("width")), _number(root.get("height"))
        numbers = [0.0, 0.0, width or 100.0, height or 100.0]
    if not all(math.isfinite(n) and abs(n) < 1e9 for n in numbers) or min(numbers[2:]) <= 0:
        raise UnsafeLogo("the SVG's size is not one that can be drawn")
    return " ".join(f"{n:g}" for n in numbers)


def sanitised(data: bytes) -> ElementTree.Element:
    """The uploaded SVG checked and rebuilt (see the module), as a tree of plain SVG names."""
    if len(data) > MAX_BYTES:
        raise UnsafeLogo(f"the SVG is larger than {MAX_BYTES // 1024} KB")
    source = _parse(data)
    if _local(str(source.tag)) != "svg":
        raise UnsafeLogo("not an SVG: its root element is not <svg>")
    _refuse_dangers(source)
    root = _rebuild(source)
    if root is None:
        raise UnsafeLogo("not an SVG: its root element is not <svg>")
    root.set("viewBox", _view_box(root))
    _drawn(root)
    return root


def _serialise(root: ElementTree.Element) -> str:
    out = ElementTree.Element(root.tag, {"xmlns": SVG_NS, **root.attrib})
    out.text = root.text
    out.extend(list(root))
    return ElementTree.tostring(out, encoding="unicode")


def check_svg(data: bytes) -> str:
    """An SVG that is safe to place in a page (rebuilt), or UnsafeLogo."""
    return _serialise(sanitised(data))


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
    except Image.DecompressionBombError:  # Pillow's own bound, met before ours
        raise UnsafeLogo("the PNG is too large in pixels") from None
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds on a damaged image
        raise UnsafeLogo(f"not a readable PNG ({type(exc).__name__})") from None
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def read_logo(name: str, data: bytes) -> Logo:
    """An uploaded national logo, by its content (the name only says which check to run)."""
    if name.lower().endswith(".svg"):
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            raise UnsafeLogo("the file is a PNG image, not an SVG: name it .png")
        try:
            return Logo("svg", check_svg(data))
        except UnicodeDecodeError:
            raise UnsafeLogo("the SVG is not UTF-8 text") from None
    if name.lower().endswith(".png"):
        return Logo("png", check_png(data))
    raise UnsafeLogo("a logo is an SVG or a PNG file")


def _nested(logo: Logo, x: int, y: int, size: int) -> str:
    """A logo placed in a square box, its proportions kept: a new <svg> element built as a tree
    (the box, then the logo's own viewBox and attributes, then its children)."""
    box = {"x": str(x), "y": str(y), "width": str(size), "height": str(size),
           "preserveAspectRatio": "xMidYMid meet"}  # fmt: skip
    if logo.kind == "png":
        return ElementTree.tostring(ElementTree.Element("image", {**box, "href": logo.content}),
                                    encoding="unicode")  # fmt: skip
    root = sanitised(logo.content.encode())
    kept = {key: value for key, value in root.attrib.items() if key not in BOX}
    wrapper = ElementTree.Element("svg", {**box, "viewBox": root.get("viewBox", ""), **kept})
    wrapper.text = root.text
    wrapper.extend(list(root))
    return ElementTree.tostring(wrapper, encoding="unicode")


# The text's layout (issue #25): every line is measured with the advance widths of the font the
# renderers draw it with (DejaVu Sans, via fontconfig, as WeasyPrint and Chromium find it) and
# shrunk, then wrapped, to fit between the margins; the canvas grows to hold the lines.
MARGIN = 40
TEXT_WIDTH = WIDTH - 2 * MARGIN
FONT_FAMILY = "DejaVu Sans"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {False: FONT_DIR / "DejaVuSans.ttf", True: FONT_DIR / "DejaVuSans-Bold.ttf"}
SMALLEST = 0.7  # a line shrinks to 70% of its size before it wraps
# (what, font size, bold) of each line of a language's block
LINES = (("convention", 30, False), ("title", 40, True), ("when", 28, False),
         ("place", 28, False))  # fmt: skip
TEXT_TOP = 258  # under the marks (they end at y=230)
PLACE_NAMES = Path(__file__).resolve().parent / "data" / "ccm_place_names.csv"


@dataclass(frozen=True)
class Metrics:
    """Advance widths of one font file, in font units, by character."""

    units_per_em: int
    advances: dict[int, int]
    fallback: int

    def width(self, text: str, size: float) -> float:
        units = sum(self.advances.get(ord(c), self.fallback) for c in text)
        return units * size / self.units_per_em


_METRICS: dict[bool, Metrics] = {}


def metrics(bold: bool) -> Metrics:
    """The font's widths, read once with fontTools from the file the renderers use. Without
    the file (a machine with no DejaVu fonts) a deliberately wide estimate, logged, so that the
    text still fits: it is then smaller than it need be, never cut."""
    if bold not in _METRICS:
        path = FONT_FILES[bold]
        try:
            from fontTools.ttLib import TTFont

            with TTFont(str(path), lazy=True) as font:
                cmap = font.getBestCmap()
                hmtx = font["hmtx"]
                upm = font["head"].unitsPerEm
                advances = {code: hmtx[name][0] for code, name in cmap.items()}
            _METRICS[bold] = Metrics(upm, advances, max(advances.values()))
        except Exception as exc:  # noqa: BLE001 - any failure to read the font: the estimate
            logger.warning("logo: font %s not readable (%r): widths estimated", path, exc)
            _METRICS[bold] = Metrics(1000, {}, 800)
    return _METRICS[bold]


def fit(text: str, size: int, bold: bool, width: float = TEXT_WIDTH) -> list[tuple[str, float]]:
    """`text` as lines that each fit in `width` at their size: the whole line at its size or
    smaller (down to SMALLEST), else wrapped between words at the smallest size; a single word
    too long for the width shrinks until it fits."""
    font = metrics(bold)
    limit = width * 0.98  # the renderers' kerning and rounding, with room to spare
    smallest = size * SMALLEST
    step = size
    while step >= smallest:
        if font.width(text, step) <= limit:
            return [(text, step)]
        step -= 1
    out: list[tuple[str, float]] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if not line or font.width(candidate, smallest) <= limit:
            line = candidate
        else:
            out.append((line, smallest))
            line = word
    if line:
        out.append((line, smallest))
    return [(t, s if font.width(t, s) <= limit else limit / font.width(t, 1.0)) for t, s in out]


@functools.cache
def place_names() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """The names of places and the words of venues (a room) in French and Spanish, as UN
    sources write them (data/ccm_place_names.csv, each row with its source)."""
    import csv

    names: dict[str, dict[str, str]] = {}
    prefixes: dict[str, dict[str, str]] = {}
    with PLACE_NAMES.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            (prefixes if row["kind"] == "prefix" else names)[row["en"]] = row
    return names, prefixes


def _piece(piece: str, language: str) -> tuple[str, bool]:
    """One piece of a place in a language, and whether it was translated (a piece with no
    known name stays as written: nothing is invented)."""
    if language == "en":
        return piece, True
    names, prefixes = place_names()
    if language not in ("fr", "es"):  # the languages the table gives
        return piece, False
    base, _sep, rest = piece.partition(" (")
    suffix = f" ({rest}" if rest else ""
    if base in names:
        return names[base][language] + suffix, not suffix
    word, _space, tail = base.partition(" ")
    if word in prefixes and tail:
        return f"{prefixes[word][language]} {tail}" + suffix, not suffix
    return piece, False


def place(meeting: Meeting, language: str) -> tuple[str, list[str]]:
    """Where the meeting is held, in a language, and the pieces left as written for want of a
    known translation (said by the `logo` command, never guessed)."""
    pieces = [p.strip() for p in meeting.venue.split(",")] if meeting.venue else []
    pieces += [meeting.city] if meeting.city else []
    shown, untranslated = [], []
    for piece in pieces:
        if not piece or piece.lower() == "virtual":
            continue
        text, known = _piece(piece, language)
        shown.append(text)
        if not known:
            untranslated.append(piece)
    return ", ".join(shown), untranslated


def _lines(meeting: Meeting, language: str) -> list[str]:
    """The Convention's name, the meeting's title, its dates and its place, in a language."""
    from django.utils.translation import gettext

    with translation.override(language):
        convention = gettext("Convention on Cluster Munitions")
        title = meeting.title
        if meeting.start_date:
            start = date_format(meeting.start_date, "DATE_FORMAT")
            end = date_format(meeting.end_date, "DATE_FORMAT") if meeting.end_date else ""
            when = f"{start} – {end}" if end and end != start else start
        else:
            when = ""
    return [convention, title, when, place(meeting, language)[0]]


def untranslated(meeting: Meeting, languages: list[str]) -> dict[str, list[str]]:
    """By language, the pieces of the place shown as written (no known translation)."""
    return {x: left for x in languages if (left := place(meeting, x)[1])}


def layout(meeting: Meeting, languages: list[str]) -> tuple[list[tuple[str, float, bool, float]],
                                                            int]:  # fmt: skip
    """Each line of text as (text, font size, bold, baseline y), and the canvas's height."""
    out = []
    y = float(TEXT_TOP)
    for language in languages:
        for text, (_what, size, bold) in zip(_lines(meeting, language), LINES, strict=True):
            if not text:
                continue
            for line, line_size in fit(text, size, bold):
                baseline = y + line_size * 0.95  # DejaVu's ascent is 0.93 em
                out.append((line, line_size, bold, baseline))
                y = baseline + line_size * 0.3
        y += 24  # between languages
    return out, max(HEIGHT, math.ceil(y + 16))


def compose(
    meeting: Meeting, national: Logo | None, languages: list[str], mark: Logo | None = None
) -> str:
    """The logo as SVG: the Convention's mark left, the national logo right (the standard logo
    without one has the mark alone, centred), and under them one block of lines per language:
    the Convention's name, the meeting's title, dates and place, each fitted to the width."""
    mark = mark or Logo("svg", check_svg(PLACEHOLDER_MARK.read_bytes()))
    lines, height = layout(meeting, languages)
    text = []
    for line, size, bold, baseline in lines:
        weight = ' font-weight="700"' if bold else ""
        text.append(f'<text x="{WIDTH // 2}" y="{baseline:.1f}" font-size="{size:.1f}"{weight}>'
                    f"{escape(line)}</text>")  # fmt: skip
    marks_svg = (
        f'<g class="mark">{_nested(mark, 40, 30, 200)}</g>'
        f'<g class="national">{_nested(national, WIDTH - 240, 30, 200)}</g>'
        if national is not None
        else f'<g class="mark">{_nested(mark, (WIDTH - 200) // 2, 30, 200)}</g>'
    )
    title = _lines(meeting, languages[0])[1] if languages else meeting.title
    return (
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}">'
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>'
        + marks_svg
        + f'<g font-family="{FONT_FAMILY}, sans-serif" text-anchor="middle" fill="#1d2a36">'
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
    match = re.search(r'width="(\d+)" height="(\d+)"', svg)
    width, height = (int(match.group(1)), int(match.group(2))) if match else (WIDTH, HEIGHT)
    page = (f"<style>@page{{size:{width}px {height}px;margin:0}}body{{margin:0}}</style>"
            f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}" '
            f'style="width:{width}px;height:{height}px;display:block">')  # fmt: skip
    return html_to_pdf(page)


def to_png(svg: str, scale: float = 1.0) -> bytes:
    # PDFium reads only the bytes it is given: it has no way to fetch anything.
    import pypdfium2 as pdfium

    pdf = to_pdf(svg)
    with PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            image = document[0].render(scale=scale * 96 / 72).to_pil()
        finally:
            document.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def check_upload(name: str, data: bytes) -> Logo:
    """An uploaded logo, checked (`read_logo`) and drawn once, as the letterhead draws it, to PDF
    and PNG: a logo that cannot be drawn is refused now, never accepted to fail later."""
    national = read_logo(name, data)
    try:
        to_png(marks(national), scale=0.25)
    except Exception as exc:  # noqa: BLE001 - whatever the renderers raise, the upload is refused
        logger.info("logo %s refused: it cannot be drawn (%r)", name, exc)
        raise UnsafeLogo(f"the logo cannot be drawn ({type(exc).__name__})") from None
    return national


def stored(presidency: Presidency) -> Logo | None:
    """The Presidency's national logo, read again from its file; None (and a warning in the
    log) when there is none, the file is lost or it no longer passes the checks: a document
    that embeds the logo is then made without it, never an error."""
    if not presidency.national_logo:
        return None
    try:
        with presidency.national_logo.open("rb") as fh:
            return read_logo(presidency.national_logo.name, fh.read(MAX_BYTES + 1))
    except Exception as exc:  # noqa: BLE001 - a stored logo never stops a document
        logger.warning("the national logo of %s is left out: %r", presidency.meeting, exc)
        return None


def rendered(meeting: Meeting, languages: list[str], fmt: str) -> bytes:
    """The meeting's logo as SVG, PDF or PNG: with its Presidency's national logo, or the
    standard logo (the Convention's mark alone) when there is none or it can no longer be drawn
    (logged). Kept per data revision (`ccm.core.revision`): drawing a PDF or PNG costs
    0.1-0.6 s and any visitor may ask for it. Any committed write (a new national logo, a new
    title) changes the revision, so no copy outlives its data."""
    from django.core.cache import caches
    from django.db import DatabaseError, connection

    from ccm.core import pagecache, revision

    presidency = getattr(meeting, "presidency", None) or meeting.held_under

    def draw() -> bytes:
        national = stored(presidency) if presidency is not None else None
        svg = compose(meeting, national, languages)
        return svg.encode() if fmt == "svg" else to_png(svg) if fmt == "png" else to_pdf(svg)

    if revision.pending(connection):
        return draw()  # this transaction's writes are in no revision yet
    try:
        token = revision.current()
    except DatabaseError:
        return draw()
    national_name = presidency.national_logo.name if presidency is not None else ""
    key = f"logo:{token}:{meeting.pk}:{national_name}:{','.join(languages)}:{fmt}"
    key = "logo:" + hashlib.sha256(key.encode()).hexdigest()  # any file name, a safe key
    cache = caches[pagecache.ALIAS]
    body = cache.get(key)
    if body is None:
        body = draw()
        cache.set(key, body)
    return body
