"""What makes a record of a report received acceptable: one set of checks, pure functions of its
values, shared by the import of the register, the admin and the staff forms (issue #8).

Each check returns the problems it finds as codes with their values. Each channel words them
its own way: the import in the register's terms, row by row (`IMPORT_MESSAGES`, the words the
command-line output keeps), a form in the person's language beside the field (`FORM_MESSAGES`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date
from typing import Any

from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2010  # the Convention entered into force on 1 Aug 2010 (Art. 17(1))
LANGUAGE_CODES = {"ar", "en", "es", "fr", "ru", "zh"}  # the UN's six languages
# Kinds that answer an obligation of a State Party (Arts. 7(1), 7(2), 3(8)); a voluntary report
# may come from anyone.
OWED_KINDS = {"initial", "annual", "retention"}


@dataclass(frozen=True)
class Problem:
    field: str  # the model field it belongs to
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


def period_problems(kind: str, period: int | None, today: date) -> list[Problem]:
    """The year covered: within the Convention's years, none for an initial report, one for a
    retention report."""
    out = []
    if period is not None and not FIRST_YEAR <= period <= today.year:
        out.append(Problem("period", "period_range", {"period": period, "last": today.year}))
        period = None
    if kind == "initial" and period is not None:
        out.append(Problem("period", "initial_has_period"))
    if kind == "retention" and period is None:
        out.append(Problem("period", "retention_needs_period"))
    return out


def date_problems(
    received_on: date | None, received_by: date | None, period: int | None, today: date
) -> list[Problem]:
    """One of the two dates (the day, or the latest possible day), not in the future, not before
    the year the report covers began. A missing date is `no_date` (the caller decides when)."""
    out = []
    if received_on and received_by:
        out.append(Problem("received_by", "both_dates"))
    received = received_on or received_by
    where = "received_on" if received_on else "received_by"
    if received and received > today:
        out.append(Problem(where, "future", {"received": received}))
    # A year no calendar has (25568) is period_range's to say, never a traceback here.
    known = period if period is not None and MINYEAR <= period <= MAXYEAR else None
    if received and known is not None and received < date(known, 1, 1):
        out.append(Problem(where, "before_period", {"received": received, "period": period}))
    return out


def membership_problems(
    iso3: str, kind: str, deposit: date | None, received: date | None
) -> list[Problem]:
    """A report owed by a State Party comes from a State that had deposited its instrument."""
    if kind not in OWED_KINDS:
        return []
    if deposit is None:
        return [Problem("kind", "no_instrument", {"iso3": iso3})]
    if received and received < deposit:
        return [
            Problem("received_on", "before_deposit", {"received": received, "iso3": iso3,
                                                     "deposit": deposit})
        ]  # fmt: skip
    return []


def language_problems(codes: list[str]) -> list[Problem]:
    strange = [c for c in codes if c not in LANGUAGE_CODES]
    return [Problem("languages", "languages", {"codes": ", ".join(strange)})] if strange else []


def language_codes(text: str) -> list[str]:
    return [c.strip().lower() for c in text.split(",") if c.strip()]


# The register's words (plain English, column names): the import prints them, row by row.
IMPORT_MESSAGES = {
    "period_range": "period {period} is not a year from " + str(FIRST_YEAR) + " to {last}",
    "initial_has_period": "an initial report covers no calendar year: leave period empty",
    "retention_needs_period": "a retention report needs the year it covers (period)",
    "no_date": "give received_on, or received_by where only a latest date is known",
    "both_dates": "give received_on or received_by, not both",
    "future": "received date {received} is in the future",
    "before_period": "received {received}, before the year it covers ({period}) began",
    "no_instrument": "{iso3} has deposited no instrument: record its report as voluntary",
    "before_deposit": "received {received}, before {iso3} deposited its instrument ({deposit})",
    "languages": "languages {codes} are not UN language codes (ar en es fr ru zh)",
    "period_order": "the reporting period ends ({to}) before it begins ({from})",
    "period_dates": "{field} {day} is not a day from " + str(FIRST_YEAR) + "-01-01 to {last}",
    "submission_future": "the date of submission {day} is in the future",
    "submission_before_period": "the date of submission {day} is before the reporting period "
    "begins ({from})",
    "unchanged_no_earlier": "answered unchanged, but the State has no earlier report to point to",
    "unchanged_since_year": "unchanged since {since}, but the State's earlier reports cover "
    "{from} to {to}",
}

# A person's words, translated, shown beside the field.
FORM_MESSAGES = {
    "period_range": _("The year covered must be from %(first)d to %(last)d."),
    "initial_has_period": _(
        "An initial report covers no calendar year: leave the year covered empty."
    ),
    "retention_needs_period": _(
        "A report on retained or transferred munitions needs the year it covers."
    ),
    "no_date": _(
        "Give the date the report was received, or the date by which it was received where "
        "only that is known."
    ),
    "both_dates": _("Give the date received or the latest possible date, not both."),
    "future": _("This date is in the future."),
    "before_period": _("The report was received before the year it covers began."),
    "no_instrument": _(
        "This State has deposited no instrument: record its report as a voluntary report."
    ),
    "before_deposit": _("The report was received before the State deposited its instrument."),
    "languages": _("Not UN language codes: %(codes)s (use ar, en, es, fr, ru, zh)."),
    "period_order": _(
        "The reporting period ends before it begins: the second date (to) is on or after the "
        "first (from)."
    ),
    "period_dates": _("A day from 1 January %(first)d to %(last)s."),
    "submission_future": _("The date of submission is in the future."),
    "submission_before_period": _(
        "The date of submission is before the reporting period begins (%(from)s)."
    ),
    "unchanged_no_earlier": _(
        "“Unchanged since last report” needs an earlier report, and this State has none: "
        "answer “changed” or “not applicable”."
    ),
    "unchanged_since_year": _(
        "Unchanged since %(since)d? Give a year from %(from)d to %(to)d, the years of the "
        "State's earlier reports."
    ),
}


# Issue #24: an answer beside a form's status that only that status calls for; once the status
# changes it no longer applies (a "not applicable" explanation was published beside new data).
STATUS_ANSWERS = {"explanation": "not_applicable"}


def stale_answers(values: dict[str, Any]) -> list[str]:
    """The answers in a form's values that its status no longer calls for."""
    status = values.get("status")
    if not status:
        return []  # no status chosen yet: nothing says which answers apply
    return [
        name
        for name, wanted in STATUS_ANSWERS.items()
        if values.get(name) not in (None, "") and status != wanted  # an empty one says nothing
    ]


def without_stale_answers(values: dict[str, Any]) -> dict[str, Any]:
    stale = stale_answers(values)
    return {k: v for k, v in values.items() if k not in stale}


def unchanged_problems(values: dict[str, Any], earlier_years: list[int]) -> list[Problem]:
    """ "Unchanged since last report" points to an earlier report (Art. 7(2): the annual update
    of the information of the report before): refused when there is none, or when the year
    given is not within the years of the State's earlier reports."""
    if not isinstance(values, dict) or values.get("status") != "unchanged":
        return []
    if not earlier_years:
        return [Problem("status", "unchanged_no_earlier")]
    since = values.get("unchanged_since")
    first, last = min(earlier_years), max(earlier_years)
    if isinstance(since, int) and not first <= since <= last:
        return [Problem("unchanged_since", "unchanged_since_year",
                        {"since": since, "from": first, "to": last})]  # fmt: skip
    return []


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None  # not a date: the schema says so at its field


def calendar_year(period: int) -> tuple[date, date]:
    """The reporting period of an annual report by default: the calendar year it covers
    (Art. 7(2): "updated annually ... covering the last calendar year")."""
    return date(period, 1, 1), date(period, 12, 31)


def cover_defaults(kind: str, period: int | None) -> dict[str, Any]:
    """What a new cover page starts with, shown to the person (never saved unseen): an annual
    report's reporting period is its calendar year; an initial report's is the State's own."""
    if kind != "annual" or period is None or not FIRST_YEAR <= period <= MAXYEAR:
        return {}
    start, end = calendar_year(period)
    return {"period_from": start.isoformat(), "period_to": end.isoformat()}


def cover_problems(values: Any, today: date) -> list[Problem]:
    """The cover page's dates as the published form prints them (CCM/MSP/2010/PM/10): a
    reporting period from a day to a day, within the Convention's years up to the end of this
    year, that ends on or after it begins; a date of submission not in the future and not
    before the period begins. A date the schema cannot read is the schema's to say."""
    if not isinstance(values, dict):
        return []
    out = []
    last = date(today.year, 12, 31)
    start, end = _day(values.get("period_from")), _day(values.get("period_to"))
    for name, day in (("period_from", start), ("period_to", end)):
        if day is not None and not date(FIRST_YEAR, 1, 1) <= day <= last:
            out.append(Problem(name, "period_dates", {"field": name, "day": day, "last": last}))
    if start is not None and end is not None and end < start:
        out.append(Problem("period_to", "period_order", {"from": start, "to": end}))
    submitted = _day(values.get("submission_date"))
    if submitted is not None and submitted > today:
        out.append(Problem("submission_date", "submission_future", {"day": submitted}))
    elif submitted is not None and start is not None and submitted < start:
        out.append(Problem("submission_date", "submission_before_period",
                           {"day": submitted, "from": start}))  # fmt: skip
    return out


def import_message(problem: Problem) -> str:
    return IMPORT_MESSAGES[problem.code].format(**problem.params)


def form_message(problem: Problem) -> str:
    return str(FORM_MESSAGES[problem.code]) % {"first": FIRST_YEAR, **problem.params}


def document_warnings(
    kind: str,
    period: int | None,
    forms: dict[str, Any],
    received_on: date,
    deposit: date | None,
    today: date,
    iso3: str,
) -> list[str]:
    """What a document the ISU records on a State's behalf may hold that the rules would not
    accept from a form: said as warnings (the ISU records what the State sent), in the register's
    words. The record's checks come first, then the document's own consistency."""
    problems = period_problems(kind, period, today)
    problems += date_problems(received_on, None, period, today)
    problems += membership_problems(iso3, kind, deposit, received_on)
    out = [import_message(p) for p in problems]
    cover = forms.get("cover", {})
    if kind == "annual" and period is not None:
        expected = (f"{period}-01-01", f"{period}-12-31")
        given = (cover.get("period_from"), cover.get("period_to"))
        if given != expected:
            out.append(
                f"forms.cover: the reporting period {given[0]} to {given[1]} is not the calendar "
                f"year {period} the annual report covers (Art. 7(2))"
            )
    for code, values in sorted(forms.items()):
        if not isinstance(values, dict):
            continue
        if values.get("status") == "unchanged" and not values.get("unchanged_since"):
            out.append(f"forms.{code}: unchanged since when? unchanged_since is missing")
        for table, rows in values.items():
            if not isinstance(rows, list):
                continue
            for index, row in enumerate(rows):
                year = row.get("year") if isinstance(row, dict) else None
                if isinstance(year, int) and period is not None and year > period:
                    out.append(
                        f"forms.{code}.{table}[{index}].year: {year} is after the year the "
                        f"report covers ({period})"
                    )
    return out
