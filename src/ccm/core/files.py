"""Uploaded documents (reports, meeting documents): PDF or Word only, checked by their content
as well as their name, and no larger than CCM_REPORT_FILE_MAX_MB."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DOCUMENT_TYPES = ["pdf", "doc", "docx"]
# Magic numbers of the accepted types: a file is what its first bytes say, not its name.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),  # OLE2 compound document (Word 97–2003)
    "docx": (b"PK\x03\x04",),  # Office Open XML is a zip archive
}


def validate_document_file(upload: Any) -> None:
    """PDF or Word only, checked by content as well as name, and no larger than the setting.
    A wrong extension is said by FileExtensionValidator, which runs beside this one."""
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
