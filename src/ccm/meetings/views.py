"""Public pages of meetings (issue #11): the calendar of meetings, each meeting's page, and an
iCalendar feed of them. They work without JavaScript."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from ccm.accounts import roles
from ccm.core.pagecache import public_page
from ccm.meetings import selectors
from ccm.meetings.choices import SuccessionStage


@public_page
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Upcoming meetings, then past ones by Presidency."""
    today = timezone.localdate()
    upcoming, past = selectors.calendar(today)
    return render(
        request, "meetings/meeting_list.html", {"upcoming": upcoming, "past": past, "today": today}
    )


@public_page
def meeting_page(request: HttpRequest, code: str) -> HttpResponse:
    from django.utils.translation import get_language

    from ccm.meetings import logo

    meeting = selectors.meeting(code)
    facts = list(meeting.facts.all())
    return render(
        request,
        "meetings/meeting_page.html",
        {
            "meeting": meeting,
            "status": meeting.status(),
            "facts": [f for f in facts if not f.cycle],
            "cycle": [f for f in facts if f.cycle],
            "documents": list(meeting.documents.all()),
            "deadlines": list(meeting.deadlines.all()),
            "plans": roles.reads_all(request.user),  # the Presidency and the ISU plan the work
            "invites": roles.is_isu_staff(request.user),
            # the place as the logo shows it, in the reader's language (one truth, issue #25)
            "place": logo.place(meeting, (get_language() or "en")[:2])[0],
            "has_logo": True,  # with the national logo, or the standard one (issue #25)
        },
    )


LOGO_TYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}


def meeting_logo(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The meeting's logo in the page's language (or ?lang=en,fr): SVG, PNG or PDF; with its
    Presidency's national logo, else the standard logo (the Convention's mark alone), issue
    #25."""
    from django.http import Http404
    from django.utils.translation import get_language

    from ccm.meetings import logo

    if fmt not in LOGO_TYPES:
        raise Http404(fmt)
    meeting = selectors.meeting(code)
    given = request.GET.get("lang", "") or (get_language() or "en")[:2]
    languages = [x for x in given.split(",") if x in ("en", "fr", "es")][:3] or ["en"]
    body = logo.rendered(meeting, languages, fmt)
    response = HttpResponse(body, content_type=LOGO_TYPES[fmt])
    response["Content-Disposition"] = f'inline; filename="{meeting.code}-logo.{fmt}"'
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    return response


def document_file(request: HttpRequest, code: str, pk: int, language: str) -> HttpResponseBase:
    """A document in one language, as a download (PDF or Word, checked when it was recorded)."""
    from django.http import FileResponse

    found = selectors.document_file(code, pk, language)
    extension = found.file.name.rsplit(".", 1)[-1].lower()
    name = f"{found.document.symbol.replace('/', '_')}-{language}.{extension}"
    return FileResponse(found.file.open("rb"), as_attachment=False, filename=name)


@public_page
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Every dated meeting and its deadlines as all-day events (RFC 5545), to subscribe to in
    a calendar."""
    cal = Calendar()
    cal.add("prodid", "-//ccm-isu//Convention on Cluster Munitions meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Meetings of the Convention on Cluster Munitions"))
    stamp = datetime.now(UTC).replace(microsecond=0)
    base = settings.CCM_BASE_URL.rstrip("/")
    for m in selectors.meetings().exclude(start_date=None).prefetch_related("deadlines"):
        if m.start_date is None:
            continue
        event = Event()
        event.add("uid", f"meeting-{m.code}@ccm-isu")
        event.add("dtstamp", stamp)
        event.add("dtstart", m.start_date)
        event.add("dtend", (m.end_date or m.start_date) + timedelta(days=1))
        event.add("summary", m.title)
        event.add("location", ", ".join(p for p in (m.venue, m.city) if p))
        event.add("status", "CANCELLED" if m.cancelled else "CONFIRMED")
        event.add("url", base + reverse("meetings:meeting", args=[m.code]))
        cal.add_component(event)
        for deadline in m.deadlines.all():  # notes verbales due, registration closes...
            step = Event()
            step.add("uid", f"deadline-{m.code}-{deadline.what}@ccm-isu")
            step.add("dtstamp", stamp)
            step.add("dtstart", deadline.due_on)
            step.add("dtend", deadline.due_on + timedelta(days=1))
            step.add("summary", f"{m.title}: {deadline.get_what_display()}")
            step.add("url", base + reverse("meetings:meeting", args=[m.code]))
            cal.add_component(step)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ccm-meetings.ics"'
    return response


@public_page
def presidency_list(request: HttpRequest) -> HttpResponse:
    """Every Presidency with its term, newest first; the one in office marked."""
    today = timezone.localdate()
    formal = selectors.formal_meetings()
    terms = selectors.terms(formal)
    current = selectors.in_office(today, formal)
    return render(request, "meetings/presidency_list.html", {
        "terms": list(reversed(terms)),
        "current": current.presidency.pk if current else None,
    })  # fmt: skip


@public_page
def presidency_page(request: HttpRequest, code: str) -> HttpResponse:
    """A Presidency: its State and President, its term, the meetings it presides or convenes, the
    Committee's themes and coordinators, and where the consultations on its successor stand."""
    today = timezone.localdate()
    formal = selectors.formal_meetings()  # once, for the term, the successor and who is in office
    known = selectors.terms(formal)
    term = selectors.term(code, known)
    presidency = term.presidency
    following = selectors.next_meeting(presidency.meeting, formal)
    succession = selectors.succession_of(following) if following else None
    works = roles.reads_all(request.user)
    return render(request, "meetings/presidency_page.html", {
        "term": term, "presidency": presidency,
        "convened": list(selectors.meetings().filter(held_under=presidency)),
        "themes": selectors.coordination(presidency),
        "following": following, "succession": succession,
        "stage": (stage := selectors.stage(succession, following, today) if following else None),
        "stage_label": SuccessionStage(stage).label if stage else "",
        "works": works,
        "in_office": (current := selectors.in_office(today, formal)) is not None
        and current.presidency.pk == presidency.pk,
    })  # fmt: skip
