"""The hostile files of the security review (issue #32, findings 5, 6 and 10) as a corpus: each
upload is refused with its one-line reason, or accepted; none escapes as an exception other
than the refusal. Documents are checked by structure, workbooks before openpyxl reads them,
JSON documents before and while they are parsed."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ccm.core import files, jsondocs, spreadsheets, tables
from ccm.core.testing.files import DOC, DOCX, PDF, doc, docx

MACRO_MAIN = b"application/vnd.ms-word.document.macroEnabled.main+xml"
NOT_PDF = "The file is not a readable PDF document"
NOT_DOCX = "The file is not a readable Word (.docx) document"
NOT_DOC = "The file is not a readable Word (.doc) document"
MACROS = "The Word document holds macros"
WRONG = "content is not a"


def checked(name: str, data: bytes) -> str:
    """The refusal's message ("" when accepted); the upload is left at its start."""
    upload = SimpleUploadedFile(name, data)
    try:
        files.validate_document_file(upload)
    except ValidationError as exc:
        assert len(exc.messages) == 1 and "\n" not in exc.messages[0]
        return exc.messages[0]
    finally:
        assert upload.tell() == 0
    return ""


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(io.BytesIO(DOCX)) as real:
            for item in real.infolist():
                archive.writestr(item.filename, real.read(item))
        archive.writestr("word/media/padding.xml", b" " * 50_000_000)
    return out.getvalue()


DOCUMENTS = [
    ("report.pdf", PDF, ""),
    ("report.docx", DOCX, ""),
    ("report.doc", DOC, ""),
    ("nv.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>", NOT_PDF),
    ("nv.pdf", b"%PDF-", NOT_PDF),
    ("nv.pdf", PDF[: len(PDF) // 2], NOT_PDF),
    ("nv.pdf", b"<html>%PDF-1.4</html>", WRONG),
    ("report.docx", b"PK\x03\x04" + b"anything at all" * 10, NOT_DOCX),
    ("report.docx", DOCX[:-40], NOT_DOCX),  # the central directory cut off
    ("report.docx", docx(leave_out="word/document.xml"), NOT_DOCX),
    ("report.docx", docx(leave_out="[Content_Types].xml"), NOT_DOCX),
    (
        "report.docx",
        docx(main=b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
        NOT_DOCX,
    ),  # fmt: skip
    ("report.docx", docx(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), MACROS),
    ("report.docx", docx(main=MACRO_MAIN), MACROS),  # a .docm renamed
    ("report.docx", docx(extra={"[Content_Types].xml": b"<Types><!DOCTYPE x>"}), NOT_DOCX),
    ("report.docx", _bomb(), "zip bomb"),
    ("report.docx", PDF, WRONG),
    ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, NOT_DOC),
    ("report.doc", doc(streams=("Workbook",)), NOT_DOC),  # an Excel file renamed
    ("report.doc", doc(streams=("WordDocument", "Macros")), MACROS),
    ("report.doc", doc(major=7), NOT_DOC),
    ("report.doc", DOC[:600], NOT_DOC),
]


@pytest.mark.parametrize(("name", "data", "said"), DOCUMENTS)
def test_documents_are_checked_by_structure_not_first_bytes(
    name: str, data: bytes, said: str
) -> None:
    message = checked(name, data)
    assert (said in message) if said else message == "", message


def test_a_zip_bomb_is_refused_from_its_central_directory_at_once() -> None:
    bomb = _bomb()
    assert len(bomb) < 200_000
    start = time.perf_counter()
    assert "zip bomb" in checked("report.docx", bomb)
    assert time.perf_counter() - start < 0.5


def test_a_stored_file_is_not_read_again(tmp_path: object) -> None:
    """A record saved again is not re-parsed (a 20 MB PDF on every admin save): the file was
    checked when it was uploaded."""
    from unittest import mock

    upload = SimpleUploadedFile("old.pdf", b"%PDF-1.4 stored before the check")
    upload._committed = True  # type: ignore[attr-defined]
    with mock.patch.object(files, "pdf_problem") as parse:
        files.validate_document_file(upload)
    parse.assert_not_called()


# ------------------------------------------------------------------------------------------
# Workbooks: every read error a named problem, the limits before openpyxl
# ------------------------------------------------------------------------------------------


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            dst.writestr(item.filename, replace.get(item.filename, src.read(item.filename)))
        for name, part in replace.items():
            if name not in src.namelist():
                dst.writestr(name, part)
    return out.getvalue()


BASE = workbook([["iso3", "period"], ["CHL", 2023], ["PER", "text"]])
SHEET = "xl/worksheets/sheet1.xml"
with zipfile.ZipFile(io.BytesIO(BASE)) as _z:
    XML = _z.read(SHEET)


def with_cell(cell: bytes) -> bytes:
    """The base workbook with B2 replaced by `cell`."""
    old = XML[XML.index(b'<c r="B2"') :]
    old = old[: old.index(b"</c>") + 4]
    return rezip(BASE, {SHEET: XML.replace(old, cell)})


LIMITS = spreadsheets.Limits(unpacked_bytes=50 * 2**20)
WORKBOOKS = [
    ("a NaN number", with_cell(b'<c r="B2"><v>NaN</v></c>'), "Sheet!B2: NaN is not a number"),
    ("infinity", with_cell(b'<c r="B2" t="n"><v>1e999</v></c>'), "Sheet!B2: 1e999 is not a"),
    ("an invalid date", with_cell(b'<c r="B2" t="d"><v>2024-13-45</v></c>'),
     "Sheet!B2: 2024-13-45 is not a date"),
    ("a reference past Excel's", with_cell(b'<c r="ZZZZZ12"><v>1</v></c>'),
     "Sheet: ZZZZZ12 is not a cell reference"),
    ("a row past Excel's", with_cell(b'<c r="B99999999"><v>1</v></c>'),
     "Sheet: B99999999 is not a cell reference"),
    ("a shared string out of range", with_cell(b'<c r="B2" t="s"><v>99999</v></c>'),
     "Sheet!B2: the cell names text 99999, which the workbook does not hold"),
    ("a negative shared string", with_cell(b'<c r="B2" t="s"><v>-1</v></c>'),
     "Sheet!B2: the cell names text -1"),
    ("a boolean that is not", with_cell(b'<c r="B2" t="b"><v>maybe</v></c>'),
     "Sheet!B2: maybe is not TRUE or FALSE"),
    ("an unknown type", with_cell(b'<c r="B2" t="zz"><v>1</v></c>'),
     "Sheet!B2: the cell type zz is unknown"),
    ("a style that is not a number", with_cell(b'<c r="B2" s="x"><v>1</v></c>'),
     "Sheet!B2: the cell's style x is not a number"),
    ("a row that is not a number", rezip(BASE, {SHEET: XML.replace(b'<row r="2"', b'<row r="x"')}),
     "Sheet: row x is not a row number"),
    ("truncated sheet XML", rezip(BASE, {SHEET: XML[: len(XML) // 2]}),
     "not a readable XLSX workbook (the sheet Sheet is damaged: "),
    ("an empty sheet part", rezip(BASE, {SHEET: b""}), "the sheet Sheet is damaged"),
    ("entities in a sheet", rezip(BASE, {SHEET: b'<!DOCTYPE w [<!ENTITY a "a">]>' + XML}),
     "declares XML entities or a document type"),
    ("a damaged zip", BASE[: len(BASE) // 2], "not an XLSX workbook ("),
    ("no zip at all", b"PK\x03\x04 not a zip", "not an XLSX workbook ("),
    ("no workbook part", rezip(BASE, {"xl/workbook.xml": b""}), "xl/workbook.xml is damaged"),
    ("damaged shared strings", rezip(BASE, {"xl/sharedStrings.xml": b"<sst><si><t>a"}),
     "xl/sharedStrings.xml is damaged"),
    ("too many parts", rezip(BASE, {f"x/{n}.xml": b"" for n in range(1001)}),
     "parts, over the limit of 1000"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "data", "said"), WORKBOOKS, ids=[w[0] for w in WORKBOOKS])
def test_each_hostile_workbook_is_a_named_problem(what: str, data: bytes, said: str) -> None:
    with pytest.raises(spreadsheets.Unreadable) as refused:
        spreadsheets.open_workbook(data, LIMITS)
    assert any(said in problem for problem in refused.value.problems), refused.value.problems
    assert all("\n" not in problem for problem in refused.value.problems)


def test_a_good_workbook_passes_and_opens() -> None:
    book = spreadsheets.open_workbook(BASE, LIMITS)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    assert rows == [("iso3", "period"), ("CHL", 2023), ("PER", "text")]


def test_every_bad_cell_is_named_not_only_the_first() -> None:
    twice = XML.replace(
        b'<c r="A2" t="inlineStr">', b'<c r="A2" t="b"><v>9</v></c><c r="Q2" t="inlineStr">'
    )
    data = rezip(BASE, {SHEET: twice.replace(b'<row r="3"', b'<row r="x"')})
    with pytest.raises(spreadsheets.CellsUnreadable) as refused:
        spreadsheets.open_workbook(data, LIMITS)
    assert refused.value.problems == [
        "Sheet!A2: 9 is not TRUE or FALSE",
        "Sheet: row x is not a row number",
    ]


def test_44_mb_of_shared_strings_are_refused_in_well_under_a_second() -> None:
    """Found in review: an 8 MB workbook with 44 MB of shared strings kept a worker 29 s and
    300 MB; refused now from the zip's central directory."""
    strings = b"<sst>" + b"<si><t>" + b"x" * 200 + b"</t></si>" * 1 + b"</sst>"
    padding = b"".join(b"<si><t>%08d%s</t></si>" % (n, b"y" * 200) for n in range(210_000))
    data = rezip(BASE, {"xl/sharedStrings.xml": strings[:-6] + padding + b"</sst>"})
    start = time.perf_counter()
    with pytest.raises(spreadsheets.Unreadable) as refused:
        spreadsheets.open_workbook(data, LIMITS)
    assert time.perf_counter() - start < 0.5
    assert str(refused.value) == "its text unpacks to 44 MB, over the limit of 5 MB"


def test_the_cells_are_bounded() -> None:
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c><c r="B%d"><v>2</v></c></row>' % (n, n, n)
                    for n in range(1, 601))  # fmt: skip
    sheet = XML[: XML.index(b"<sheetData>")] + b"<sheetData>" + rows + b"</sheetData></worksheet>"
    data = rezip(BASE, {SHEET: sheet})
    spreadsheets.open_workbook(data, LIMITS).close()
    with pytest.raises(spreadsheets.Unreadable) as refused:
        spreadsheets.open_workbook(data, spreadsheets.Limits(50 * 2**20, cells=1000))
    assert str(refused.value) == "more than 1000 cells: split the workbook"


# ------------------------------------------------------------------------------------------
# JSON documents: size, depth and numbers bounded; one line each
# ------------------------------------------------------------------------------------------

JSON_DOCUMENTS = [
    (b"[" * 100_000 + b"]" * 100_000, "nested deeper than 32 levels (at character 33)"),
    (b'{"a": ' * 50_000, "nested deeper than 32 levels"),
    (b'{"count": 10000000000000000000000000000000000000000}',
     "the number 1000000000…0000 (41 characters) has more than 15 digits: no count is that large"),
    (b'{"count": -1234567890123456}', "the number -1234567890123456 has more than 15 digits"),
    (b'{"amount": 1e40}', "the number 1e40 is larger than 15 digits allow"),
    (b'{"amount": 1e999}', "the number 1e999 is larger than 15 digits allow"),
    (b'{"amount": NaN}', "NaN is not a number JSON has"),
    (b'{"amount": -Infinity}', "-Infinity is not a number JSON has"),
    (b'{"a": 1,', "not a JSON document (Expecting property name enclosed in double quotes at "
                 "line 1, column 9)"),
    (b"\xff\xfe{}", "not UTF-8 text (byte 0)"),
    (b"", "not a JSON document (Expecting value at line 1, column 1)"),
    (b" " * (21 * 2**20), "larger than 20 MB"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "said"), JSON_DOCUMENTS, ids=range(len(JSON_DOCUMENTS)))
def test_each_hostile_json_document_is_refused_in_one_line(data: bytes, said: str) -> None:
    with pytest.raises(jsondocs.JSONRefused) as refused:
        jsondocs.load_json(data)
    assert str(refused.value) == said or said in str(refused.value), str(refused.value)
    assert "\n" not in str(refused.value)


def test_brackets_and_numbers_inside_strings_do_not_count() -> None:
    text = '{"note": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ \\" {{{ 1e999", "n": [1, 2.5, -3]}'
    assert jsondocs.load_json(text.encode()) == {
        "note": "[" * 36 + ' " {{{ 1e999',
        "n": [1, 2.5, -3],
    }
    assert jsondocs.too_deep('[{"a": "]]]"}, [[]]]', 2) == 17
    assert jsondocs.too_deep('[{"a": "[[["}, [[]]]', 3) is None


CELL_TYPES = st.sampled_from(["n", "s", "b", "d", "e", "str", "inlineStr", "x", ""])
CELL_TEXT = st.one_of(
    st.sampled_from(["0", "1", "-1", "NaN", "inf", "1e999", "1E+20", ".5", "5.", "1_000",
                     "2024-02-30", "2024-05-10T12:00:00", "99999", " 1 ", "٣", "+2", "--1"]),
    st.text(alphabet="0123456789.eE+-:TZ ", max_size=12),
)  # fmt: skip
STYLES = st.sampled_from(["", "0", "x", "-1", "99999"])
REFERENCES = st.one_of(
    st.none(),
    st.sampled_from(["B2", "XFD1048576", "XFE1", "A0", "ZZZZZ12", "b2", "$B$2", "B2:C3", ""]),
    st.text(alphabet="ABZ019$", max_size=8),
)


@settings(max_examples=300, deadline=None)
@given(
    kind=CELL_TYPES, value=CELL_TEXT, reference=REFERENCES, style=st.sampled_from(["", "0", "x"])
)
def test_a_workbook_check_passes_only_what_openpyxl_reads(
    kind: str, value: str, reference: str | None, style: str
) -> None:
    """Fuzz: whatever a cell holds, either the check names a problem or openpyxl reads every
    row without an error: no read error is left for the importers to meet."""
    from xml.sax.saxutils import quoteattr

    attributes = b"".join(
        b" %s=%s" % (name, quoteattr(text).encode())
        for name, text in ((b"r", reference), (b"t", kind or None), (b"s", style or None))
        if text is not None
    )
    data = with_cell(b"<c%s><v>%s</v></c>" % (attributes, value.encode()))
    try:
        book = spreadsheets.open_workbook(data, LIMITS)
    except spreadsheets.Unreadable as exc:
        assert exc.problems and all("\n" not in p for p in exc.problems)
        return
    try:
        for row in book.active.iter_rows(values_only=True):
            assert row is not None
    finally:
        book.close()


@settings(max_examples=200, deadline=None)
@given(at=st.integers(0, len(XML) - 1), cut=st.integers(0, 40), junk=st.binary(max_size=12))
def test_damaged_sheet_xml_is_a_named_problem_or_read_whole(at: int, cut: int, junk: bytes) -> None:
    """Fuzz: bytes of the sheet replaced anywhere; the import names the damage in one line, or
    reads the table. (openpyxl also reads the sheet's properties, which the check does not
    mirror: a damaged one, such as `ummaryRight=`, is named from openpyxl's own error.)"""
    data = rezip(BASE, {SHEET: XML[:at] + junk + XML[at + cut :]})
    try:
        table = tables.read_table("fuzz.xlsx", data)
    except tables.Unreadable as exc:
        assert exc.problems and all(p and "\n" not in p for p in exc.problems)
    else:
        assert isinstance(table.header, list)


def test_a_truncated_image_is_refused_even_after_weasyprint_is_imported() -> None:
    """WeasyPrint turns Pillow's global LOAD_TRUNCATED_IMAGES on when it is imported, which
    made a truncated scan pass once any PDF had been rendered in the process (issue #25)."""

    import weasyprint  # noqa: F401 - imported for its side effect on Pillow
    from PIL import Image, ImageFile

    from ccm.core.files import image_problem

    scan = io.BytesIO()
    Image.effect_noise((200, 200), 64).save(scan, format="PNG")
    whole = scan.getvalue()
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # the side effect this test is about
    assert image_problem(whole) is None
    assert "not a readable PNG or JPEG" in str(image_problem(whole[: len(whole) // 2]))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as WeasyPrint wants it
