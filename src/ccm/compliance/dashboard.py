"""The public compliance dashboard: figures, lists, rates chart and map for one date.

Everything shown (and downloaded) is computed here from the engine's inputs read once: six queries
whatever the number of States.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.compliance import exports, rules
from ccm.compliance.choices import COMPLIANCE_COLOURS, COMPLIANCE_LABELS, KIND_LABELS
from ccm.compliance.rules import Compliance, Kind, Obligation, Tally
from ccm.registry import charts as registry_charts
from ccm.registry.models import State

if TYPE_CHECKING:  # an annotation only: the selectors import letters, which import this
    from ccm.compliance.selectors import EngineInputs


class Standing(enum.StrEnum):
    """A State's reporting standing on one date (the map's colours), in order of precedence."""

    OVERDUE = "overdue"  # initial or latest annual report certainly overdue
    UNKNOWN = "unknown"  # one of them not in our record, none certainly overdue (issue #24)
    DUE = "due"
    UP_TO_DATE = "up_to_date"
    NOT_IN_FORCE = "not_in_force"


STANDING_LABELS = {
    Standing.OVERDUE: gettext_lazy("initial or latest annual report overdue"),
    Standing.UNKNOWN: gettext_lazy(
        "initial or latest annual report not in our record (unknown whether submitted)"
    ),
    Standing.DUE: gettext_lazy("a report is due soon"),
    Standing.UP_TO_DATE: gettext_lazy("initial and latest annual report submitted"),
    Standing.NOT_IN_FORCE: gettext_lazy("no obligation (Convention not in force for it)"),
}
STANDING_COLOURS = {
    Standing.OVERDUE: COMPLIANCE_COLOURS[Compliance.OVERDUE],
    Standing.UNKNOWN: COMPLIANCE_COLOURS[Compliance.UNKNOWN],
    Standing.DUE: "#f0e442",
    Standing.UP_TO_DATE: "#009e73",
    Standing.NOT_IN_FORCE: "#d9d9d9",
}
# The standing a State's reports give it: the first that applies wins.
_STANDING_OF = {
    Compliance.OVERDUE: Standing.OVERDUE,
    Compliance.UNKNOWN: Standing.UNKNOWN,
    Compliance.DUE: Standing.DUE,
}


@dataclass(frozen=True)
class Line:
    """One obligation in a list of the dashboard."""

    list: str
    state: State
    obligation: Obligation

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.obligation.kind])

    @property
    def status_label(self) -> str:
        return str(COMPLIANCE_LABELS[self.obligation.status])

    def record(self) -> dict[str, Any]:
        return {
            "list": self.list,
            "name": self.state.name_en,
            **exports.obligation_record(self.obligation),
        }


@dataclass
class Dashboard:
    as_of: date
    initial: Tally
    annual: list[Tally]
    year: int | None  # the latest annual report whose deadline has passed
    current: Tally | None
    overdue_initial: list[Line]  # certainly overdue (issue #24)
    missing_annual: list[Line]  # certainly overdue, for the latest year fallen due
    due_soon: list[Line]
    in_force: int
    standings: dict[str, Standing]
    states: dict[str, State]
    has_demo: bool
    obligations: list[Obligation]  # every obligation on the date, for letters and reminders
    # Issue #15: published lists or counts at or near the date, beside the system's range
    published_initial: list[dict[str, Any]] = field(default_factory=list)
    published_annual: list[dict[str, Any]] = field(default_factory=list)
    # Issue #24: not in our record and nothing showing they never came: neither received nor
    # overdue, listed apart with a link to the evidence
    unknown_initial: list[Line] = field(default_factory=list)
    unknown_annual: list[Line] = field(default_factory=list)

    def named(self, codes: list[str]) -> list[State]:
        return sorted((self.states[c] for c in codes if c in self.states), key=lambda s: s.name)

    @property
    def initial_certain(self) -> list[State]:
        return self.named(self.initial.certainly_overdue)

    @property
    def initial_unknown(self) -> list[State]:
        return self.named(self.initial.unknown)

    @property
    def current_certain(self) -> list[State]:
        return self.named(self.current.certainly_overdue) if self.current else []

    @property
    def current_unknown(self) -> list[State]:
        return self.named(self.current.unknown) if self.current else []

    # Had every report not in our record arrived (issue #24: the upper end of the range)
    @property
    def initial_submitted_max(self) -> int:
        return self.initial.submitted + len(self.initial.unknown)

    @property
    def current_submitted_max(self) -> int:
        return self.current.submitted + len(self.current.unknown) if self.current else 0

    @property
    def initial_rate(self) -> str:
        return percent_range(self.initial.rate, self.initial.rate_max)

    @property
    def current_rate(self) -> str:
        return percent_range(self.current.rate, self.current.rate_max) if self.current else "—"

    @property
    def lines(self) -> list[Line]:
        return (
            self.overdue_initial
            + self.unknown_initial
            + self.missing_annual
            + self.unknown_annual
            + self.due_soon
        )

    def record(self) -> dict[str, Any]:
        """Exactly what the page shows, as data (the JSON download)."""
        return {
            "as_of": self.as_of.isoformat(),
            "includes_demonstration_data": self.has_demo,
            "states_in_force": self.in_force,
            "initial": exports.tally_record(self.initial),
            "published_initial": self.published_initial,
            "published_annual": self.published_annual,
            "annual_year": self.year,
            "annual": [exports.tally_record(t) for t in self.annual],
            "lists": {
                "overdue_initial": [line.record() for line in self.overdue_initial],
                "missing_annual": [line.record() for line in self.missing_annual],
                "due_soon": [line.record() for line in self.due_soon],
                "unknown_initial": [line.record() for line in self.unknown_initial],
                "unknown_annual": [line.record() for line in self.unknown_annual],
            },
        }


def latest_annual_year(as_of: date) -> int:
    """The year covered by the last annual report whose 30 April deadline has passed."""
    return as_of.year - 1 if as_of > rules.annual_report_due(as_of.year - 1) else as_of.year - 2


def build(snap: EngineInputs, as_of: date) -> Dashboard:
    lists = snap.lists
    states = State.objects.in_bulk()
    items = snap.obligations(as_of)
    initial, annual = rules.summarise(items)
    year = latest_annual_year(as_of)
    current = next((t for t in annual if t.period == year), None)
    by_name = lambda line: line.state.name  # noqa: E731

    def lines(name: str, chosen: list[Obligation]) -> list[Line]:
        return sorted((Line(name, states[o.iso3], o) for o in chosen), key=by_name)

    reports = [o for o in items if o.kind.is_report]
    standings: dict[str, Standing] = {}
    order = list(Standing)
    for o in reports:
        now = standings.get(o.iso3, Standing.UP_TO_DATE)
        # The map shows where a State stands now: its initial report, and the latest annual
        # (and retention) report whose deadline has passed; older gaps are in the lists.
        current_report = o.kind is Kind.INITIAL or o.period == year
        found = _STANDING_OF.get(o.status)
        if found is not None and (current_report or found is Standing.DUE):
            now = min(now, found, key=order.index)
        standings[o.iso3] = now

    def initial_with(status: Compliance) -> list[Obligation]:
        return [o for o in items if o.kind is Kind.INITIAL and o.status is status]

    def annual_with(status: Compliance) -> list[Obligation]:
        return [
            o for o in items if o.kind is Kind.ANNUAL and o.period == year and o.status is status
        ]

    return Dashboard(
        as_of=as_of,
        initial=initial,
        annual=annual,
        year=year if current else None,
        current=current,
        overdue_initial=lines("overdue_initial", initial_with(Compliance.OVERDUE)),
        missing_annual=lines("missing_annual", annual_with(Compliance.OVERDUE)),
        unknown_initial=lines("unknown_initial", initial_with(Compliance.UNKNOWN)),
        unknown_annual=lines("unknown_annual", annual_with(Compliance.UNKNOWN)),
        due_soon=lines("due_soon", [o for o in reports if o.status is Compliance.DUE]),
        in_force=len(standings),
        standings=standings,
        states=states,
        has_demo=any(o.demo for o in items),
        obligations=items,
        published_initial=exports.published_near(lists, "initial", None, as_of),
        published_annual=exports.published_near(lists, "annual", year, as_of) if current else [],
    )


def standing_map(board: Dashboard, query: str = "") -> dict[str, object]:
    legend = [{"colour": STANDING_COLOURS[s], "label": STANDING_LABELS[s]} for s in Standing]
    title = _("Reporting status of States on %(day)s") % {
        "day": date_format(board.as_of, "DATE_FORMAT")
    }
    entries = []
    for iso3, state in board.states.items():
        standing = board.standings.get(iso3, Standing.NOT_IN_FORCE)
        entries.append((state, STANDING_COLOURS[standing], str(STANDING_LABELS[standing])))
    return registry_charts.world_map(entries, legend, title, query)


def percent_range(low: float | None, high: float | None) -> str:
    """A share as the page shows it: "10%", or "10–81%" where the evidence leaves a range."""
    if low is None:
        return "—"
    lo, hi = round(low * 100), round((low if high is None else high) * 100)
    return f"{lo}%" if lo == hi else f"{lo}–{hi}%"


CHART_W, CHART_H = 720, 260
PAD_L, PAD_R, PAD_T, PAD_B = 40, 10, 14, 34


def rates_chart(board: Dashboard) -> dict[str, object]:
    """Bars per annual year: share submitted (at all) and share submitted on time, each a solid
    bar for what the record shows and a pale one above it up to what the reports not in our
    record would add had they all arrived (issue #24: a range, never a guess)."""
    years = [t for t in board.annual if t.fallen_due]
    inner_w, inner_h = CHART_W - PAD_L - PAD_R, CHART_H - PAD_T - PAD_B
    slot = inner_w / max(len(years), 1)
    bar = max(min(slot * 0.36, 18), 2)
    bars = []
    for i, t in enumerate(years):
        x0 = PAD_L + i * slot + slot / 2 - bar
        series = (
            (t.rate, t.rate_max, "submitted"),
            (t.on_time_rate, t.on_time_rate_max, "on_time"),
        )
        for j, (low, high, name) in enumerate(series):
            share, most = low or 0.0, max(high or 0.0, low or 0.0)
            height = round(inner_h * share, 1)
            top = round(inner_h * most, 1)
            bars.append(
                {
                    "x": round(x0 + j * bar, 1),
                    "y": round(PAD_T + inner_h - height, 1),
                    "w": round(bar, 1),
                    "h": height,
                    # the pale part: from the certain share up to the maximum
                    "y_max": round(PAD_T + inner_h - top, 1),
                    "h_unknown": round(top - height, 1),
                    "series": name,
                    "percent": round(share * 100),
                    "label": percent_range(low, high),
                    "period": t.period,
                }
            )
    return {
        "width": CHART_W,
        "height": CHART_H,
        "bars": bars,
        "years": [
            {"x": round(PAD_L + i * slot + slot / 2, 1), "label": t.period}
            for i, t in enumerate(years)
        ],
        "y_ticks": [
            {"y": round(PAD_T + inner_h * (1 - p / 100), 1), "label": f"{p}%"}
            for p in (0, 25, 50, 75, 100)
        ],
        "plot": {"left": PAD_L, "right": CHART_W - PAD_R, "top": PAD_T, "bottom": CHART_H - PAD_B},
        "rows": [
            {
                "tally": t,
                "rate": percent_range(t.rate, t.rate_max),
                "on_time_rate": percent_range(t.on_time_rate, t.on_time_rate_max),
            }
            for t in years
        ],
        "has_unknown": any(t.unknown for t in years),
        "colours": {"submitted": "#0072b2", "on_time": "#009e73"},
    }
