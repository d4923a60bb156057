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
from ccm.compliance.choices import COMPLIANCE_LABELS, KIND_LABELS
from ccm.compliance.rules import Compliance, Kind, Obligation, Tally
from ccm.registry import charts as registry_charts
from ccm.registry.models import State

if TYPE_CHECKING:  # an annotation only: the selectors import letters, which import this
    from ccm.compliance.selectors import EngineInputs


class Standing(enum.StrEnum):
    """A State's reporting standing on one date (the map's colours)."""

    OVERDUE = "overdue"
    DUE = "due"
    UP_TO_DATE = "up_to_date"
    NOT_IN_FORCE = "not_in_force"


STANDING_LABELS = {
    Standing.OVERDUE: gettext_lazy("initial or latest annual report overdue"),
    Standing.DUE: gettext_lazy("a report is due soon"),
    Standing.UP_TO_DATE: gettext_lazy("initial and latest annual report submitted"),
    Standing.NOT_IN_FORCE: gettext_lazy("no obligation (Convention not in force for it)"),
}
STANDING_COLOURS = {
    Standing.OVERDUE: "#d55e00",
    Standing.DUE: "#f0e442",
    Standing.UP_TO_DATE: "#009e73",
    Standing.NOT_IN_FORCE: "#d9d9d9",
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
    overdue_initial: list[Line]
    missing_annual: list[Line]
    due_soon: list[Line]
    in_force: int
    standings: dict[str, Standing]
    states: dict[str, State]
    has_demo: bool
    obligations: list[Obligation]  # every obligation on the date, for letters and reminders
    # Issue #15: published lists or counts at or near the date, beside the system's range
    published_initial: list[dict[str, Any]] = field(default_factory=list)
    published_annual: list[dict[str, Any]] = field(default_factory=list)

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

    @property
    def lines(self) -> list[Line]:
        return self.overdue_initial + self.missing_annual + self.due_soon

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
    for o in reports:
        now = standings.get(o.iso3, Standing.UP_TO_DATE)
        # The map shows where a State stands now: its initial report, and the latest annual
        # (and retention) report whose deadline has passed; older gaps are in the lists.
        current_report = o.kind is Kind.INITIAL or o.period == year
        if o.status is Compliance.OVERDUE and current_report:
            now = Standing.OVERDUE
        elif o.status is Compliance.DUE and now is not Standing.OVERDUE:
            now = Standing.DUE
        standings[o.iso3] = now
    return Dashboard(
        as_of=as_of,
        initial=initial,
        annual=annual,
        year=year if current else None,
        current=current,
        overdue_initial=lines(
            "overdue_initial",
            [o for o in items if o.kind is Kind.INITIAL and o.status is Compliance.OVERDUE],
        ),
        missing_annual=lines(
            "missing_annual",
            [
                o
                for o in items
                if o.kind is Kind.ANNUAL and o.period == year and o.status is Compliance.OVERDUE
            ],
        ),
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


CHART_W, CHART_H = 720, 260
PAD_L, PAD_R, PAD_T, PAD_B = 40, 10, 14, 34


def rates_chart(board: Dashboard) -> dict[str, object]:
    """Bars per annual year: share submitted (at all) and share submitted on time."""
    years = [t for t in board.annual if t.fallen_due]
    inner_w, inner_h = CHART_W - PAD_L - PAD_R, CHART_H - PAD_T - PAD_B
    slot = inner_w / max(len(years), 1)
    bar = max(min(slot * 0.36, 18), 2)
    bars = []
    for i, t in enumerate(years):
        x0 = PAD_L + i * slot + slot / 2 - bar
        for j, (value, series) in enumerate(((t.rate, "submitted"), (t.on_time_rate, "on_time"))):
            share = value or 0.0
            height = round(inner_h * share, 1)
            bars.append(
                {
                    "x": round(x0 + j * bar, 1),
                    "y": round(PAD_T + inner_h - height, 1),
                    "w": round(bar, 1),
                    "h": height,
                    "series": series,
                    "percent": round(share * 100),
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
        "rows": years,
        "colours": {"submitted": "#0072b2", "on_time": "#009e73"},
    }
