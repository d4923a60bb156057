"""Pure rules of meetings (issue #11): UN document symbols, a meeting's status on a date, the
ordinal in a meeting's name. No database here."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# CCM/MSP/2017/1, CCM/CONF/2015/WP.3, CCM/MSP/2019/PM.1/2, CCM/MSP/2017/INF.1/Rev.1
BODIES = {"MSP": "Meeting of States Parties", "CONF": "Review Conference"}
SERIES = ("WP", "INF", "CRP", "L")  # working paper, information, conference room paper, limited
SUFFIXES = ("Add", "Rev", "Corr")  # addendum, revision, corrigendum
FIRST_YEAR, LAST_YEAR = 2008, 2100  # the Convention was adopted in 2008
_SYMBOL = re.compile(
    r"^CCM/(?P<body>[A-Z]+)/(?P<year>\d{4})"
    r"(?:/PM\.(?P<pm>[1-9]\d*))?"
    r"/(?:(?P<series>[A-Z]+)\.)?(?P<number>[1-9]\d*)"
    r"(?P<suffixes>(?:/(?:Add|Rev|Corr)\.[1-9]\d*)*)$"
)


# Formal meetings are convened under the Convention: the Meetings of States Parties (Art. 11),
# the Review Conferences (Art. 12) and their preparatory meetings; their costs are shared under
# Art. 14(1) by the States Parties and the States not party that take part, through the UN.
# Every other kind (intersessional meetings, Coordination Committee meetings, regional seminars and
# workshops, round tables, retreats) is informal: hosted or sponsored, never assessed under Art. 14.
FORMAL_KINDS = frozenset({"MSP", "RC", "PM"})


def is_formal(kind: str) -> bool:
    """Whether a meeting of this kind is a formal meeting of the Convention (Art. 11, 12, 14(1))."""
    return kind in FORMAL_KINDS


class SymbolError(ValueError):
    """Not a CCM document symbol; the message says why, for a person."""


@dataclass(frozen=True)
class Symbol:
    body: str  # MSP or CONF
    year: int
    number: int
    series: str = ""  # "", WP, INF, CRP or L
    preparatory: int | None = None  # PM.<n>: a preparatory meeting's document
    suffixes: tuple[tuple[str, int], ...] = ()  # (("Rev", 1),)

    def __str__(self) -> str:
        out = f"CCM/{self.body}/{self.year}"
        if self.preparatory:
            out += f"/PM.{self.preparatory}"
        out += f"/{self.series + '.' if self.series else ''}{self.number}"
        return out + "".join(f"/{kind}.{n}" for kind, n in self.suffixes)


def parse_symbol(text: str) -> Symbol:
    """A UN document symbol of the Convention, checked part by part (SymbolError otherwise)."""
    symbol = (text or "").strip()
    match = _SYMBOL.match(symbol)
    if match is None:
        raise SymbolError(
            f"{symbol!r} is not a document symbol such as CCM/MSP/2017/1, CCM/CONF/2015/WP.3 "
            "or CCM/MSP/2019/PM.1/2"
        )
    body, year = match["body"], int(match["year"])
    if body not in BODIES:
        raise SymbolError(f"{symbol}: the body is MSP or CONF, not {body}")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise SymbolError(f"{symbol}: the year {year} is outside {FIRST_YEAR}–{LAST_YEAR}")
    series = match["series"] or ""
    if series and series not in SERIES:
        raise SymbolError(f"{symbol}: the series is one of {', '.join(SERIES)}, not {series}")
    suffixes = tuple(
        (kind, int(n)) for kind, n in re.findall(r"/(Add|Rev|Corr)\.(\d+)", match["suffixes"])
    )
    return Symbol(
        body, year, int(match["number"]), series,
        int(match["pm"]) if match["pm"] else None, suffixes,
    )  # fmt: skip


def status_on(start: date | None, end: date | None, cancelled: bool, today: date) -> str:
    """planned, convened (under way), held or cancelled: a meeting's state on a day."""
    if cancelled:
        return "cancelled"
    if start is None:
        return "planned"
    last = end or start
    if last < today:
        return "held"
    if start <= today:
        return "convened"
    return "planned"


def ordinal(n: int, language: str) -> str:
    """1st, 2nd, 3rd, 11th; 1re, 2e; 1.ª, 2.ª (a meeting's number in its name)."""
    if language == "fr":
        return "1re" if n == 1 else f"{n}e"
    if language == "es":
        return f"{n}.ª"
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def mode_of(venue: str) -> str:
    """The reference data say it in the venue: "virtual", "(hybrid)"."""
    text = venue.lower()
    if "hybrid" in text:
        return "hybrid"
    if text.strip() == "virtual":
        return "virtual"
    return "in_person"


def item_overdue(due: date, status: str, today: date) -> bool:
    """A work-plan item is overdue once its day has passed and it is neither done nor dropped."""
    return status in ("planned", "in_progress") and due < today


# The Meetings a President presides over (Arts. 11 and 12). Not ART14_KINDS: a preparatory meeting
# is formal (its costs are shared) but has no Presidency of its own.
PRESIDED_KINDS = ("MSP", "RC")


def succession_stage(
    opens_on: date | None, today: date, volunteers: int, consultations: int, designated: bool
) -> str:
    """Where the consultations on the next Presidency stand on a day: not yet open, open with no
    volunteer, volunteers come forward, consultations under way, or a State designated."""
    if designated:
        return "designated"
    if opens_on is None or today < opens_on:
        return "not_open"
    if consultations:
        return "consulting"
    if volunteers:
        return "volunteered"
    return "open"


PLACEHOLDERS = ("State", "meeting", "dates", "place", "President")
_PLACEHOLDER = re.compile(r"\[([^\[\]\n]{1,30})\]")


def unknown_placeholders(text: str) -> list[str]:
    """The [bracketed] words of a letter's text that are not placeholders (a typo shows)."""
    return sorted({m for m in _PLACEHOLDER.findall(text) if m not in PLACEHOLDERS})


def fill(text: str, values: dict[str, str]) -> str:
    """A letter's text with its placeholders replaced: plain text in, plain text out (the
    template escapes it), so a letter can never carry markup or template code."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def paragraphs(text: str) -> list[str]:
    """A letter's text split at blank lines; single line breaks stay inside a paragraph."""
    return [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]


@dataclass(frozen=True)
class Progress:
    """Where a work plan stands on a day: counts by status, overdue items, share done."""

    total: int
    by_status: dict[str, int]
    overdue: int

    @property
    def done_percent(self) -> int:
        """Done out of those not dropped, rounded down (a plan is 100% only when all is done)."""
        live = self.total - self.by_status.get("dropped", 0)
        return (self.by_status.get("done", 0) * 100 // live) if live else 0


def progress(items: list[tuple[date, str]], today: date) -> Progress:
    """The progress of (due date, status) items on `today`."""
    by_status: dict[str, int] = {}
    for _due, status in items:
        by_status[status] = by_status.get(status, 0) + 1
    overdue = sum(1 for due, status in items if item_overdue(due, status, today))
    return Progress(len(items), by_status, overdue)


def digest(items: Iterable[str]) -> str:
    """A short fingerprint of a set of values (order does not matter): what a person saw of a
    list, to refuse a change made from an older copy of it."""
    joined = "\n".join(sorted(items))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]
