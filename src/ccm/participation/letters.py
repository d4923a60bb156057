"""Invitation letters per category in en/fr/es, on the Presidency's letterhead with the
meeting's logo (PDF), and the e-mails that carry them with the personal link (issue #12)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ccm.core.pdf import html_to_pdf
from ccm.meetings import selectors as meetings
from ccm.participation.models import Invitation


def _when(meeting: Any) -> str:
    if not meeting.start_date:
        return _("dates to be announced")
    start = date_format(meeting.start_date, "DATE_FORMAT")
    if meeting.end_date and meeting.end_date != meeting.start_date:
        return f"{start} – {date_format(meeting.end_date, 'DATE_FORMAT')}"
    return start


def render_letter(invitation: Invitation, link: str, language: str | None = None) -> str:
    """The invitation letter (HTML, printed to PDF), in the invitee's language or `language`."""
    from ccm.participation import services

    language = language or invitation.language
    meeting = invitation.meeting
    presidency = meetings.presidency_of(meeting)
    with translation.override(language):
        closes = services.closes(meeting)
        return render_to_string("participation/letters/invitation.html", {
            "language": language, "invitation": invitation, "meeting": meeting,
            "when": _when(meeting),
            "place": ", ".join(p for p in (meeting.venue, meeting.city) if p),
            "closes": closes, "link": link,
            "letterhead": meetings.letterhead_of(presidency, language) if presidency else None,
            "logo": meetings.logo_uri(meeting, [language]),
        })  # fmt: skip


def invitation_email(invitation: Invitation, link: str) -> tuple[str, str, bytes]:
    """(subject, text, the letter as PDF) in the invitee's language."""
    with translation.override(invitation.language):
        meeting = invitation.meeting
        subject = _("Invitation: %(meeting)s") % {"meeting": meeting.title}
        body = render_to_string("participation/email/invitation.txt", {
            "invitation": invitation, "meeting": meeting, "when": _when(meeting), "link": link,
        })  # fmt: skip
    return subject, body, html_to_pdf(render_letter(invitation, link))


def new_link_email(invitation: Invitation, link: str) -> tuple[str, str]:
    with translation.override(invitation.language):
        meeting = invitation.meeting
        subject = _("Your link to register for the %(meeting)s") % {"meeting": meeting.title}
        body = render_to_string("participation/email/new_link.txt", {
            "invitation": invitation, "meeting": meeting, "link": link,
        })  # fmt: skip
    return subject, body
