"""HTML printed to PDF with WeasyPrint (letters, reports, badges, logos). Debian's Pango is needed
at run time.

Every WeasyPrint rendering in the project goes through `html_to_pdf`, which gives WeasyPrint a URL
fetcher that reaches no network (issue #32): what a document or an uploaded logo names (an image,
a style sheet, `@import`, a font, an SVG `href`) is served only from `data:` URIs, which name no
place, or from the application's own static files; http, https, ftp and any other file are
refused, so no document can make the server request an address. Pages rendered to PNG
(`pypdfium2`) cannot fetch anything: PDFium only reads the bytes it is given (it has no network
code, and no JavaScript runs without a form environment, which is never made)."""

from __future__ import annotations

import logging
import mimetypes
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)

# PDFium is not thread-safe (pypdfium2 says so): every use in a process holds this lock, so that
# threaded servers (runserver, gthread workers) never run two documents at once.
PDFIUM = threading.RLock()


def _static_roots() -> list[Path]:
    """The directories the application's static files come from (collected, and the finders')."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    roots = [Path(settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    return [root.resolve() for root in roots]


def static_file(url: str) -> Path | None:
    """The file a `file:` URL names, when it is one of the application's static files."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if not path.is_file():
        return None
    for root in _static_roots():
        if path.is_relative_to(root):
            return path
    return None


def url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves `data:` URIs and the application's static files and
    refuses everything else (WeasyPrint then leaves the resource out and logs a warning)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
            if scheme == "data":
                # urllib's data: handler decodes the URI in memory; it opens nothing.
                return super().fetch(url, headers)
            found = static_file(url) if scheme == "file" else None
            if found is None:
                logger.warning("refused to fetch %.200s while rendering a document", url)
                raise ValueError("documents fetch nothing outside the application")
            kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                found.as_uri(), found.read_bytes(), headers={"Content-Type": kind}
            )

    return LocalOnly(allowed_protocols=("data", "file"), allow_redirects=False)


def html_to_pdf(html: str) -> bytes:
    """The one way the project calls WeasyPrint (see the module)."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=url_fetcher()).write_pdf()
