"""Documents for tests, made here so that every app's tests upload real ones: uploads are
checked by structure (`core.files`), so `%PDF-` followed by anything is no longer a PDF."""

from __future__ import annotations

import io
import struct
import zipfile


def _pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Resources<<>>>>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


PDF = _pdf()

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="%s"/></Types>'
)
WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>Article 7 report</w:t></w:r></w:p></w:body></w:document>"
)


def docx(
    *, main: bytes = WORD_MAIN, extra: dict[str, bytes] | None = None, leave_out: str = ""
) -> bytes:
    """A minimal Word document, as Word writes its parts; `extra` parts added, one left out."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES % main,
        "_rels/.rels": RELS,
        "word/document.xml": DOCUMENT,
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != leave_out:
                archive.writestr(name, data)
    return out.getvalue()


DOCX = docx()


def _entry(name: str, kind: int, start: int = 0xFFFFFFFE, size: int = 0) -> bytes:
    """One 128-byte OLE2 directory entry ([MS-CFB] 2.6)."""
    encoded = name.encode("utf-16-le") + b"\0\0"
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)  # name length, type, black
        + struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF if kind != 5 else 1)
        + b"\0" * 16  # CLSID
        + b"\0" * 4  # state bits
        + b"\0" * 16  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


def doc(*, streams: tuple[str, ...] = ("WordDocument",), major: int = 3) -> bytes:
    """A minimal OLE2 compound file (version 3: 512-byte sectors): the header, one FAT sector,
    one directory sector holding the root and `streams` (empty)."""
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16  # CLSID
        + struct.pack("<HHHHH", 0x3E, major, 0xFFFE, 9, 6)  # minor, major, order, shifts
        + b"\0" * 6
        + struct.pack("<IIIII", 0, 1, 1, 0, 4096)  # dir sectors, FAT sectors, dir start, sig
        + struct.pack("<IIII", 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)  # mini FAT, DIFAT
    )
    header += struct.pack("<I", 0) + struct.pack("<I", 0xFFFFFFFF) * 108  # DIFAT: FAT at 0
    fat = struct.pack("<II", 0xFFFFFFFD, 0xFFFFFFFE) + struct.pack("<I", 0xFFFFFFFF) * 126
    entries = [_entry("Root Entry", 5)] + [_entry(name, 2) for name in streams]
    directory = b"".join(entries).ljust(512, b"\0")
    return header + fat + directory


DOC = doc()
