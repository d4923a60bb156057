"""What the ISU produces from the registrations (issue #12): the provisional and the final list
of participants (page, PDF with the meeting's logo, XLSX), badges with a QR code (PDF, A6 or
four to an A4 sheet), and the figures of participation."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ccm.core import spreadsheets
from ccm.core.pdf import html_to_pdf
from ccm.meetings import selectors as meetings
from ccm.participation import rules, selectors
from ccm.participation.choices import Category
from ccm.participation.models import Delegation

BADGE_SIZES = ("a6", "a4")


@dataclass(frozen=True)
class Group:
    category: str
    label: str
    delegations: list[Delegation]


def groups(delegations: list[Delegation]) -> list[Group]:
    """Delegations under their category's heading, in the list's order (the selector's)."""
    out: list[Group] = []
    for value, label in Category.choices:
        found = [d for d in delegations if d.invitation.category == value]
        if found:
            out.append(Group(value, str(label), found))
    return out


def statistics(delegations: list[Delegation]) -> rules.Statistics:
    return rules.statistics(
        (d.invitation.category, [m.gender for m in d.members.all()]) for d in delegations
    )


def context(meeting: Any, *, final: bool) -> dict[str, Any]:
    listed = selectors.participants(meeting, final=final)
    return {"meeting": meeting, "final": final, "groups": groups(listed),
            "stats": statistics(listed)}  # fmt: skip


def list_pdf(meeting: Any, *, final: bool, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string("participation/outputs/list.html", {
            **context(meeting, final=final), "language": language,
            "logo": meetings.logo_uri(meeting, [language]),
        })  # fmt: skip
    return html_to_pdf(html)


def list_xlsx(meeting: Any, *, final: bool) -> bytes:
    """One row per person, the head of each delegation first; text stays text (no formulas)."""
    buffer = io.BytesIO()
    book = spreadsheets.workbook(buffer)
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(_("Participants")[:31])
    headers = [_("Category"), _("Delegation"), _("Role"), _("Name"), _("Title or position")]
    for col, text in enumerate(headers):
        sheet.write_string(0, col, text, bold)
    row = 1
    for group in groups(selectors.participants(meeting, final=final)):
        for delegation in group.delegations:
            for member in delegation.members.all():
                values = [group.label, delegation.invitation.invitee_name,
                          str(member.get_role_display()), member.name, member.title]  # fmt: skip
                for col, value in enumerate(values):
                    sheet.write_string(row, col, value)
                row += 1
    sheet.freeze_panes(1, 0)
    for col, width in enumerate((28, 34, 20, 30, 40)):
        sheet.set_column(col, col, width)
    book.close()
    return buffer.getvalue()


def qr_uri(text: str) -> str:
    """A QR code of `text` as an SVG data: URI (segno: pure Python)."""
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def badges_pdf(meeting: Any, *, base_url: str, size: str = "a6") -> bytes:
    """One badge per person on the provisional list: the meeting's logo, the name, the
    delegation and a QR code of the badge's address (looked up on the scan page)."""
    if size not in BADGE_SIZES:
        raise ValueError(size)
    people = []
    for group in groups(selectors.participants(meeting)):
        for delegation in group.delegations:
            for member in delegation.members.all():
                url = f"{base_url.rstrip('/')}/staff/participation/badge/{member.badge}/"
                people.append({"member": member, "delegation": delegation,
                               "category": group.category, "qr": qr_uri(url)})  # fmt: skip
    per_page = 1 if size == "a6" else 4
    pages = [people[i : i + per_page] for i in range(0, len(people), per_page)]
    with translation.override("en"):
        html = render_to_string("participation/outputs/badges.html", {
            "meeting": meeting, "pages": pages, "size": size,
            "logo": meetings.logo_uri(meeting, ["en", "fr", "es"]),
        })  # fmt: skip
    return html_to_pdf(html)
