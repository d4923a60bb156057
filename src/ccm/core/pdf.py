"""HTML printed to PDF with WeasyPrint (letters, reports). Debian's Pango is needed at run time."""

from __future__ import annotations


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
