"""Uploaded documents (reports, meeting documents, notes verbales): PDF or Word only, checked by
their structure as well as their name, and no larger than CCM_REPORT_FILE_MAX_MB.

First bytes prove nothing (issue #32, finding 10): `PK\x03\x04` followed by anything was
recorded as a Word report, HTML after `%PDF-` accepted as a note verbale. So a PDF must open in
PDFium with at least one page; a .docx must be a whole zip, within limits read from its central
directory, holding the parts of a Word document and no macros; a .doc must carry a consistent
OLE2 header and name a WordDocument stream and no macro storage (its streams are not walked:
that needs an OLE2 reader, a dependency the check does not justify)."""

from __future__ import annotations

import io
import struct
import threading
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ccm.core.pdf import PDFIUM

DOCUMENT_TYPES = ["pdf", "doc", "docx"]
# A scanned or photographed paper (a note verbale received by e-mail, issue #25): PNG or JPEG,
# opened and decoded by Pillow, never just named so.
IMAGE_TYPES = ["png", "jpg", "jpeg"]
SCAN_TYPES = [*DOCUMENT_TYPES, *IMAGE_TYPES]
IMAGE_MAX_PIXELS = 12000 * 12000  # an A4 page scanned at 1200 dpi is ~10000 x 14000 / 1.2
# Magic numbers of the accepted types: checked first, then the structure (below).
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),  # OLE2 compound document (Word 97–2003)
    "docx": (b"PK\x03\x04",),  # Office Open XML is a zip archive
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
# A Word document unpacks to a few times its size (text compresses, images do not): these
# bound what anyone who opens it must unpack, read from the zip's central directory.
DOCX_MAX_MEMBERS = 2000
DOCX_MAX_UNPACKED_MB = 200
DOCX_MAX_RATIO = 200  # per part; real parts compress at most ~30 times
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def validate_document_file(upload: Any) -> None:
    """PDF or Word (or, where the field allows them, PNG and JPEG images), checked by content
    as well as name, and no larger than the setting. A wrong extension is said by
    FileExtensionValidator, which runs beside this one and says which types the field takes."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", 0) or 0
    limit = settings.CCM_REPORT_FILE_MAX_MB * 1024 * 1024
    if size > limit:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB."),
            params={"size": size / 1024 / 1024, "limit": settings.CCM_REPORT_FILE_MAX_MB},
            code="too_large",
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    signatures = SIGNATURES.get(extension)
    if signatures is None:
        return
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            _("The file's content is not a %(type)s document."),
            params={"type": extension.upper()},
            code="wrong_content",
        )
    if getattr(upload, "_committed", False):
        return  # a file stored earlier was checked when it was uploaded; not read again
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    problem = STRUCTURE[extension](data)
    if problem is not None:
        raise ValidationError(problem, code="wrong_structure")


def pdf_problem(data: bytes) -> Any:
    """Why PDFium cannot take this PDF, or None: it must open and hold a page."""
    import pypdfium2 as pdfium

    with PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except Exception:  # noqa: BLE001 - PdfiumError, and anything PDFium raises on hostile bytes
            return _("The file is not a readable PDF document: export or print it to PDF again.")
        try:
            pages = len(document)
        finally:
            document.close()
    if pages < 1:
        return _("The PDF document has no page.")
    return None


def docx_problem(data: bytes) -> Any:
    """Why this is not a Word document without macros, or None: a whole zip within the limits,
    with `[Content_Types].xml` naming a Word document as its main part, `word/document.xml`
    readable, and no VBA project."""
    not_word = _("The file is not a readable Word (.docx) document: save it again as .docx.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return not_word
    with archive:
        unpacked = sum(m.file_size for m in members)
        if (
            len(members) > DOCX_MAX_MEMBERS
            or unpacked > DOCX_MAX_UNPACKED_MB * 2**20
            or any(m.compress_size and m.file_size / m.compress_size > DOCX_MAX_RATIO
                   for m in members)
        ):  # fmt: skip
            return _(
                "The Word document unpacks to more than its content can be (a zip bomb?): "
                "save it again as .docx."
            )
        names = {m.filename.lower(): m.filename for m in members}
        if any(n.rsplit("/", 1)[-1] == "vbaproject.bin" for n in names):
            return _macros()
        if "[content_types].xml" not in names or "word/document.xml" not in names:
            return not_word
        try:
            types = _content_types(archive.read(names["[content_types].xml"]))
            with archive.open(names["word/document.xml"]) as part:
                while part.read(2**20):  # the whole part, so that its checksum is checked
                    pass
        except Exception:  # noqa: BLE001 - damaged XML, a bad checksum, truncated data
            return not_word
    if any("macroenabled" in t.lower() or "vba" in t.lower() for t in types.values()):
        return _macros()
    if types.get("/word/document.xml") != WORD_MAIN:
        return not_word
    return None


def _macros() -> Any:
    return _("The Word document holds macros: save it as a .docx document without macros.")


def _content_types(xml: bytes) -> dict[str, str]:
    """The content type of each part named in `[Content_Types].xml` ("/word/document.xml"),
    and of each default extension ("*.bin")."""
    from defusedxml import ElementTree

    root = ElementTree.fromstring(xml, forbid_dtd=True)
    types = {}
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "Override":
            types[(element.get("PartName") or "").lower()] = element.get("ContentType") or ""
        elif tag == "Default":
            types["*." + (element.get("Extension") or "").lower()] = (
                element.get("ContentType") or ""
            )
    return types


def doc_problem(data: bytes) -> Any:
    """Why this is not a Word 97–2003 document without macros, or None. The OLE2 header's fixed
    fields ([MS-CFB] 2.2) must hold their only allowed values, and the directory must name a
    WordDocument stream and no Macros or _VBA_PROJECT storage."""
    not_word = _("The file is not a readable Word (.doc) document: save it again as .docx.")
    if len(data) < 1536:  # the header and at least a FAT and a directory sector
        return not_word
    major, byte_order, sector_shift, mini_shift = struct.unpack_from("<HHHH", data, 26)
    reserved = data[34:40]
    (directory_sectors,) = struct.unpack_from("<I", data, 40)
    (mini_cutoff,) = struct.unpack_from("<I", data, 56)
    if (
        (major, sector_shift) not in ((3, 9), (4, 12))
        or byte_order != 0xFFFE
        or mini_shift != 6
        or reserved != b"\0" * 6
        or (major == 3 and directory_sectors != 0)
        or mini_cutoff != 4096
    ):
        return not_word
    names = _directory_names(data)
    if names & {"Macros", "_VBA_PROJECT", "_VBA_PROJECT_CUR", "VBA"}:
        return _macros()
    if "WordDocument" not in names:
        return not_word
    return None


def _directory_names(data: bytes) -> set[str]:
    """The names of the OLE2 directory entries, found where entries can be (128-byte aligned)
    by their form: a UTF-16 name, its length in bytes with the final NUL, a known entry type."""
    names = set()
    for offset in range(512, len(data) - 127, 128):
        length, kind = struct.unpack_from("<HB", data, offset + 64)
        if kind not in (1, 2, 5) or not 2 <= length <= 64 or length % 2:
            continue
        raw = data[offset : offset + length - 2]
        if data[offset + length - 2 : offset + length] != b"\0\0":
            continue
        try:
            name = raw.decode("utf-16-le")
        except UnicodeDecodeError:
            continue
        if name.isprintable():
            names.add(name)
    return names


_STRICT_IMAGES = threading.Lock()  # image_problem switches a Pillow global: one at a time


def image_problem(data: bytes) -> Any:
    """Why Pillow cannot take this as a PNG or JPEG image, or None: it must be one by its
    format, within the pixel limit (a decompression bomb is refused), and decode whole."""
    import warnings

    from PIL import Image, ImageFile

    not_image = _("The file is not a readable PNG or JPEG image: save or scan it again.")
    with _STRICT_IMAGES:
        # WeasyPrint turns Pillow's global LOAD_TRUNCATED_IMAGES on when it is imported; a
        # truncated upload must still fail here, whatever was rendered before in the process.
        lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as image:
                    if image.format not in ("PNG", "JPEG"):
                        return not_image
                    if image.width * image.height > IMAGE_MAX_PIXELS:
                        return _("The image is too large in pixels: scan it at a lower resolution.")
                    image.load()  # decodes every byte: a truncated file fails here
        except Exception:  # noqa: BLE001 - PIL raises many kinds on hostile bytes
            return not_image
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = lenient  # as it was
    return None


STRUCTURE = {
    "pdf": pdf_problem, "docx": docx_problem, "doc": doc_problem,
    "png": image_problem, "jpg": image_problem, "jpeg": image_problem,
}  # fmt: skip


def stored_download(field: Any, filename: str) -> Any:
    """A stored file as a download; 404 when it is missing from the storage (a lost file is
    not a server error)."""
    from django.http import FileResponse, Http404

    try:
        handle = field.open("rb")
    except OSError:
        raise Http404("the file is missing") from None
    return FileResponse(handle, as_attachment=True, filename=filename)


def attachment(data: bytes, filename: str, content_type: str) -> Any:
    """Bytes made for the person (a PDF, a spreadsheet) as a download named `filename`."""
    from django.http import HttpResponse

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
