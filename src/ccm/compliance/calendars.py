"""iCalendar feeds of a State's deadlines (RFC 5545, written by the icalendar library)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from ccm.compliance.choices import COMPLIANCE_LABELS, KIND_ARTICLES, KIND_LABELS
from ccm.compliance.rules import Obligation
from ccm.registry.models import State

ALARM_DAYS = 30


def title(o: Obligation) -> str:
    label = str(KIND_LABELS[o.kind])
    if o.period:
        return _("%(label)s for %(year)s (Art. %(article)s)") % {
            "label": label,
            "year": o.period,
            "article": KIND_ARTICLES[o.kind],
        }
    return _("%(label)s (Art. %(article)s)") % {"label": label, "article": KIND_ARTICLES[o.kind]}


def description(o: Obligation) -> str:
    """The event's text: the engine's one status, so "overdue" only when the evidence says so
    (issue #24); a receipt from the demonstration history says it is one."""
    label = str(COMPLIANCE_LABELS[o.status])
    return _("%(status)s (demonstration data)") % {"status": label} if o.demo else label


def feed(state: State, items: list[Obligation], base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//ccm-isu//Convention on Cluster Munitions deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("CCM deadlines: %(state)s") % {"state": state.name})
    stamp = datetime.now(UTC).replace(microsecond=0)
    for o in items:
        event = Event()
        event.add("uid", f"{state.iso3}-{o.kind.value}-{o.period or 0}@ccm-isu")
        event.add("dtstamp", stamp)
        event.add("dtstart", o.due_date)
        event.add("dtend", o.due_date + timedelta(days=1))
        event.add("summary", f"{state.name}: {title(o)}")
        event.add("description", description(o))
        event.add("url", f"{base_url.rstrip('/')}/states/{state.iso3}/")
        event.add("transp", "TRANSPARENT")
        if not o.status.is_satisfied:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", title(o))
            alarm.add("trigger", timedelta(days=-ALARM_DAYS))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
