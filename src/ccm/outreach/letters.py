"""The letters of a démarche campaign (issue #14): the campaign's text in the State's language,
its placeholders filled, on the Presidency's letterhead, printed as one PDF."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format

from ccm.core.pdf import html_to_pdf
from ccm.meetings import selectors as meetings
from ccm.outreach import rules
from ccm.outreach.choices import ask_paragraph

PLACEHOLDERS = ("state", "date", "ask")
FIELD = re.compile(r"\{(\w+)\}")


def unknown_placeholders(text: str) -> list[str]:
    return sorted({f"{{{m}}}" for m in FIELD.findall(text) if m not in PLACEHOLDERS})


def fill(text: str, values: dict[str, str]) -> str:
    return FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _name(state: Any, language: str) -> str:
    return getattr(state, f"name_{language}", "") or state.name_en


def request_of(target: Any, on: date) -> str:
    """The letter's request by the target's stage (issue #25), in the active language: ratify
    for a signatory, accede for a State that has not signed (sign and ratify while signature
    was open, before 1 August 2010); "" when the stage was not recorded (a campaign made
    before it was: the page says so)."""
    asked = rules.ask(target.stage, on) if target.stage else None
    return ask_paragraph(asked) if asked else ""


def letter_html(campaign: Any, target: Any, on: date) -> str:
    """One State's letter, in its target language (the campaign's English text where it has
    none in that language)."""
    language = target.language
    with translation.override(language):
        asked = request_of(target, on)
        values = {"state": _name(target.state, language), "date": date_format(on, "DATE_FORMAT"),
                  "ask": asked}  # fmt: skip
        subject = getattr(campaign, f"subject_{language}") or campaign.subject_en
        body = getattr(campaign, f"body_{language}") or campaign.body_en
        if asked and "{ask}" not in body:
            body = body.rstrip() + "\n\n{ask}"  # the request by stage closes the letter
        return render_to_string(
            "outreach/letters/letter.html",
            {
                "language": language,
                "subject": fill(subject, values),
                "on": on,
                "paragraphs": [
                    p.strip()
                    for p in fill(body, values).replace("\r\n", "\n").split("\n\n")
                    if p.strip()
                ],
                "state_name": values["state"],
                "letterhead": meetings.letterhead(language, on),
            },
        )


def letters_pdf(campaign: Any, on: date, language: str | None = None) -> tuple[bytes, int]:
    """Every target's letter (or those in `language`) in one PDF, a page break between them."""
    targets = campaign.targets.select_related("state").order_by("state__name_en")
    if language:
        targets = targets.filter(language=language)
    parts = [letter_html(campaign, t, on) for t in targets]
    html = render_to_string("outreach/letters/batch.html", {"letters": parts, "language": "en"})
    return html_to_pdf(html), len(parts)
