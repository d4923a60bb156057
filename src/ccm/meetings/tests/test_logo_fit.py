"""The logo by the rules (issue #25): every line inside the canvas in every language, MEASURED
(the SVG rendered to PNG and its edges looked at; the glyphs' advance widths read with fontTools
from the font file the renderer embeds); the place translated where a UN source gives its name,
and left as written (and said) where none does; the Convention's name in the text; the
standard logo without a national logo."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from ccm.core.testing.permissions import assert_matrix
from ccm.meetings import logo, services
from ccm.meetings.models import Meeting
from ccm.meetings.tests.test_logo import FLAG

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
EDGE = 24  # pixels at each side that only the background may touch
LONG_VENUE = ("Palais des Nations, Room XIX, Conference Services of the United Nations Office at "
              "Geneva and the Implementation Support Unit of the Convention")  # fmt: skip
CONVENTION = {"en": "Convention on Cluster Munitions",
              "fr": "Convention sur les armes à sous-munitions",
              "es": "Convención sobre Municiones en Racimo"}  # fmt: skip


@pytest.fixture
def meetings(registry_reference: None) -> None:
    services.load_meetings()


def long_meeting() -> Meeting:
    return Meeting.objects.create(
        code="17MSP", kind="MSP", number=17, start_date=date(2030, 9, 4),
        end_date=date(2030, 9, 6), city="Geneva", venue=LONG_VENUE, source="test",
    )  # fmt: skip


def edges_touched(png: bytes) -> dict[str, int]:
    """How many non-background pixels lie within EDGE of each side of the rendered logo."""
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("L")
        width, height = rgb.size
        boxes = {"left": (0, 0, EDGE, height), "right": (width - EDGE, 0, width, height),
                 "bottom": (0, height - 8, width, height)}  # fmt: skip
        touched = {}
        for side, box in boxes.items():
            histogram = rgb.crop(box).histogram()
            touched[side] = sum(histogram[:250])  # anything darker than the white background
        return touched


def inked_columns(png: bytes, top: int) -> tuple[int, int]:
    """The leftmost and rightmost columns with ink under `top` (the text's extent)."""
    with Image.open(io.BytesIO(png)) as image:
        grey = image.convert("L")
        box = grey.point(lambda v: 255 if v < 200 else 0).crop((0, top, grey.width, grey.height))
        found = box.getbbox()
        assert found is not None, "no text was drawn"
        return found[0], found[2]


def texts(svg: str) -> list[tuple[str, float, bool]]:
    root = ElementTree.fromstring(svg)
    return [(t.text or "", float(t.get("font-size", "0")), t.get("font-weight") == "700")
            for t in root.iter(f"{SVG}text")]  # fmt: skip


@pytest.mark.parametrize("languages", [["en"], ["fr"], ["es"], ["en", "fr", "es"]])
def test_every_line_is_inside_the_canvas_measured_on_the_rendering(
    meetings: None, languages: list[str]
) -> None:
    meeting = long_meeting()
    svg = logo.compose(meeting, logo.read_logo("flag.svg", FLAG), languages)
    png = logo.to_png(svg)
    assert edges_touched(png) == {"left": 0, "right": 0, "bottom": 0}
    left, right = inked_columns(png, logo.TEXT_TOP)
    assert left >= logo.MARGIN - 4 and right <= logo.WIDTH - logo.MARGIN + 4, (left, right)
    # The glyphs' advance widths, read with fontTools from the file the PDF embeds
    for text, size, bold in texts(svg):
        assert logo.metrics(bold).width(text, size) <= logo.TEXT_WIDTH, text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(io.BytesIO(logo.to_pdf(svg))).pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    # the measured fonts are the ones drawn (the placeholder mark's "MARK" is in another)
    assert {name.split("+", 1)[1] for name in fonts} >= {"DejaVu-Sans", "DejaVu-Sans-Bold"}
    # The long place wrapped onto several lines, nothing dropped
    for language in languages:
        shown = " ".join(t for t, _s, _b in texts(svg))
        assert CONVENTION[language] in shown
        assert "Implementation Support Unit of the Convention" in shown  # kept as written


def test_the_check_sees_a_line_that_would_be_cut(
    meetings: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The measurement has teeth: the same logo without fitting touches both edges."""
    monkeypatch.setattr(logo, "fit", lambda text, size, bold, width=0: [(text, size)])
    svg = logo.compose(long_meeting(), logo.read_logo("flag.svg", FLAG), ["es"])
    touched = edges_touched(logo.to_png(svg))
    assert touched["left"] > 0 and touched["right"] > 0


def test_fit_shrinks_then_wraps() -> None:
    assert logo.fit("Short", 40, True) == [("Short", 40)]
    shrunk = logo.fit("x" * 60, 40, False)  # a little too wide at 40: smaller, one line
    assert len(shrunk) == 1 and shrunk[0][1] < 40
    wrapped = logo.fit(LONG_VENUE, 28, False)
    assert len(wrapped) >= 2 and " ".join(t for t, _s in wrapped) == LONG_VENUE
    assert all(logo.metrics(False).width(t, s) <= logo.TEXT_WIDTH for t, s in wrapped)
    word = logo.fit("W" * 200, 28, False)  # one word too long for any line: smaller still
    assert len(word) == 1 and logo.metrics(False).width(*word[0]) <= logo.TEXT_WIDTH


@pytest.mark.parametrize(
    ("language", "place"),
    [("en", "Palais des Nations, Room XIX, Geneva"),
     ("fr", "Palais des Nations, Salle XIX, Genève"),
     ("es", "Palacio de las Naciones, Sala XIX, Ginebra")],
)  # fmt: skip
def test_the_venue_is_translated_and_the_conventions_name_is_in_the_text(
    meetings: None, language: str, place: str
) -> None:
    seventh = Meeting.objects.get(code="7MSP")
    assert logo.place(seventh, language) == (place, [])
    svg = logo.compose(seventh, logo.read_logo("flag.svg", FLAG), [language])
    shown = [t for t, _s, _b in texts(svg)]
    assert CONVENTION[language] in shown and place in shown
    assert "Room XIX" not in svg or language == "en"


def test_the_meetings_page_shows_the_place_as_the_logo_does(meetings: None) -> None:
    page = Client().get("/es/meetings/7MSP/").content.decode()
    assert "Palacio de las Naciones, Sala XIX, Ginebra (Suiza)" in page
    french = Client().get("/fr/meetings/7MSP/").content.decode()
    assert "Palais des Nations, Salle XIX, Genève" in french
    # a language the table does not give (the logo's are en, fr, es): as written, and said
    assert logo.place(Meeting.objects.get(code="7MSP"), "ar")[1] == [
        "Palais des Nations", "Room XIX", "Geneva"]  # fmt: skip


def test_what_has_no_known_translation_stays_as_written_and_is_said(
    meetings: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thirteenth = Meeting.objects.get(code="13MSP")  # "Palais des Nations (Tempus Building)"
    assert logo.place(thirteenth, "fr") == ("Palais des Nations (Tempus Building), Genève",
                                            ["Palais des Nations (Tempus Building)"])  # fmt: skip
    first = Meeting.objects.get(code="1MSP")  # Vientiane: no UN source in our data
    assert logo.place(first, "es") == ("Vientiane", ["Vientiane"])
    assert logo.untranslated(first, ["en", "es"]) == {"es": ["Vientiane"]}
    flag = tmp_path / "flag.svg"
    flag.write_bytes(FLAG)
    call_command("logo", "--meeting", "1MSP", "--national-logo", str(flag), "--language",
                 "es", "--out", str(tmp_path / "1msp.svg"))  # fmt: skip
    said = capsys.readouterr()
    assert "es: left as written (no known translation): Vientiane" in said.err


def test_the_place_names_have_their_sources() -> None:
    names, prefixes = logo.place_names()
    rows = [*names.values(), *prefixes.values()]
    assert rows and all(r["source"] and r["fr"] and r["es"] for r in rows)


def test_the_standard_logo_without_a_national_logo(
    personas: dict[str, Client], meetings: None
) -> None:
    lao = Meeting.objects.get(code="3RC").presidency
    assert not lao.national_logo
    everyone = {p: 200 for p in ("anonymous", "other_focal_point", "focal_point", "presidency",
                                 "staff")}  # fmt: skip
    for fmt in ("svg", "png"):  # public, as the meeting's page
        assert_matrix(personas, f"/meetings/3RC/logo.{fmt}", everyone)
    client = Client()
    svg = client.get("/meetings/3RC/logo.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(svg.content)
    classes = [g.get("class") for g in root.iter(f"{SVG}g")]
    assert "mark" in classes and "national" not in classes
    assert "3rd Review Conference" in svg.content.decode()
    assert "Convention on Cluster Munitions" in svg.content.decode()
    png = client.get("/meetings/3RC/logo.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert edges_touched(png.content) == {"left": 0, "right": 0, "bottom": 0}
    pdf = client.get("/meetings/3RC/logo.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    spanish = client.get("/es/meetings/3RC/logo.svg").content.decode()
    assert "Convención sobre Municiones en Racimo" in spanish
    # A Meeting with no Presidency at all has the standard logo too
    long_meeting()
    assert client.get("/meetings/17MSP/logo.svg").status_code == 200
    assert client.get("/meetings/99MSP/logo.svg").status_code == 404
