"""The public pages of meetings (issue #11): the calendar, a meeting's page, the iCalendar
feed; public to everyone, light, bounded in queries."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from icalendar import Calendar

from ccm.core.testing.permissions import assert_matrix
from ccm.core.testing.queries import queries
from ccm.meetings import services
from ccm.meetings.models import Document, DocumentFile, Meeting

pytestmark = pytest.mark.django_db
PUBLIC = {"anonymous": 200, "other_focal_point": 200, "focal_point": 200, "presidency": 200,
          "staff": 200}  # fmt: skip


@pytest.fixture
def meetings(registry_reference: None) -> None:
    services.load_meetings()


def test_the_meetings_page_lists_upcoming_and_past_by_presidency(
    personas: dict[str, Client], meetings: None
) -> None:
    assert_matrix(personas, "/meetings/", PUBLIC)
    html = Client().get("/meetings/").content.decode()
    upcoming = html[html.index('id="upcoming"') : html.index('id="past-heading"')]
    assert "3rd Review Conference" in upcoming and "dates to be announced" in upcoming
    assert "7th Meeting of States Parties" in html
    assert 'href="/presidencies/7MSP/">Germany</a> — Michael Biontino' in html
    assert queries(Client(), "/meetings/") <= 3


def test_a_meeting_page_says_what_when_where_who_and_the_sources(
    personas: dict[str, Client], meetings: None
) -> None:
    assert_matrix(personas, "/meetings/7MSP/", PUBLIC)
    html = Client().get("/meetings/7msp/").content.decode()
    assert "Palais des Nations, Room XIX, Geneva" in html and 'data-status="held"' in html
    assert "Notes verbales were due by Fri 18 Aug 2017" in html
    assert "Bangkok regional seminar" in html  # the year leading up to it
    assert "<strong>Dates and venue</strong>" in html  # a fact says what it is about in words
    french = Client().get("/fr/meetings/7MSP/").content.decode()
    assert '<h1 class="h2">7e Assemblée des États parties</h1>' in french
    assert Client().get("/meetings/99MSP/").status_code == 404
    Document.objects.create(
        meeting=Meeting.objects.get(code="7MSP"), symbol="CCM/MSP/2017/1",
        title="Provisional agenda", kind="agenda", issued_on=date(2017, 6, 1),
    )  # fmt: skip
    assert "CCM/MSP/2017/1" in Client().get("/meetings/7MSP/").content.decode()
    # the meeting, its facts, documents, their files and its deadlines
    assert queries(Client(), "/meetings/7MSP/") <= 5
    page = Client().get("/meetings/7MSP/").content.decode()
    assert 'data-deadline="notes_verbales"' in page and "18 August 2017" in page


def test_the_calendar_feed_holds_every_dated_meeting(meetings: None) -> None:
    response = Client().get("/meetings/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    dated = Meeting.objects.exclude(start_date=None).count()
    held = [e for e in events if str(e["uid"]).startswith("meeting-")]
    assert len(held) == dated
    deadline = next(e for e in events if str(e["uid"]) == "deadline-7MSP-notes_verbales@ccm-isu")
    assert deadline.decoded("dtstart") == date(2017, 8, 18)
    assert str(deadline["summary"]).startswith("7th Meeting of States Parties: notes verbales")
    assert queries(Client(), "/meetings/calendar.ics") <= 2
    seventh = next(e for e in events if str(e["uid"]) == "meeting-7MSP@ccm-isu")
    assert seventh.decoded("dtstart") == date(2017, 9, 4)
    assert seventh.decoded("dtend") == date(2017, 9, 7)  # all-day: the day after it closes
    assert str(seventh["summary"]) == "7th Meeting of States Parties"


def test_documents_in_each_language_checked_by_content(
    personas: dict[str, Client], meetings: None, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    seventh = Meeting.objects.get(code="7MSP")
    document = Document(meeting=seventh, symbol=" CCM/MSP/2017/WP.1 ", title="Working paper",
                        kind="working_paper")  # fmt: skip
    document.full_clean()
    document.save()
    assert document.symbol == "CCM/MSP/2017/WP.1"
    pdf = b"%PDF-1.4\n%%EOF\n"
    DocumentFile.objects.create(document=document, language="fr",
                                file=ContentFile(pdf, name="wp1-fr.pdf"))  # fmt: skip
    html = Client().get("/meetings/7MSP/").content.decode()
    link = f"/meetings/7MSP/documents/{document.pk}/fr/"
    assert f'href="{link}" hreflang="fr" lang="fr">French</a>' in html
    assert_matrix(personas, link, PUBLIC)
    response = Client().get(link)
    assert b"".join(response.streaming_content) == pdf
    assert 'filename="CCM_MSP_2017_WP.1-fr.pdf"' in response["Content-Disposition"]
    assert Client().get(f"/meetings/7MSP/documents/{document.pk}/es/").status_code == 404
    assert Client().get(f"/meetings/8MSP/documents/{document.pk}/fr/").status_code == 404
    # Refused: a symbol that is not one, a second document with the same symbol, a file whose
    # content is not what its name says, a type that is not PDF or Word.
    with pytest.raises(ValidationError, match="the series is one of"):
        Document(meeting=seventh, symbol="CCM/MSP/2017/XX.1", title="x", kind="other").full_clean()
    with pytest.raises(ValidationError, match="already exists"):
        Document(meeting=seventh, symbol="CCM/MSP/2017/WP.1", title="x", kind="other").full_clean()
    for name, content, said in (("wp1-es.pdf", b"<html>", "not a PDF document"),
                                ("wp1-es.exe", pdf, "not allowed")):  # fmt: skip
        bad = DocumentFile(document=document, language="es", file=ContentFile(content, name=name))
        with pytest.raises(ValidationError, match=said):
            bad.full_clean()
