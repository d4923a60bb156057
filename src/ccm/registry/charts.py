"""Server-drawn SVG: the membership chart and the status map. Templates draw; this computes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ccm.registry import maps, rules
from ccm.registry.choices import STATUS_COLOURS, STATUS_LABELS
from ccm.registry.models import State
from ccm.registry.selectors import StateRow

CHART_W, CHART_H = 720, 280
PAD_L, PAD_R, PAD_T, PAD_B = 44, 16, 16, 36


def membership_chart(series: list[rules.Counts]) -> dict[str, object]:
    """Step lines of States Parties, in-force and signatories over time."""
    start, end = series[0].day, series[-1].day
    span = max((end - start).days, 1)
    top = max(max(c.parties for c in series), max(c.signatories for c in series), 10)
    top = ((top + 19) // 20) * 20
    inner_w, inner_h = CHART_W - PAD_L - PAD_R, CHART_H - PAD_T - PAD_B

    def x(d: date) -> float:
        return round(PAD_L + inner_w * (d - start).days / span, 1)

    def y(v: int) -> float:
        return round(PAD_T + inner_h * (1 - v / top), 1)

    def steps(values: list[int]) -> str:
        pts: list[str] = []
        prev: int | None = None
        for c, v in zip(series, values, strict=True):
            if prev is not None and v != prev:
                pts.append(f"{x(c.day)},{y(prev)}")
            if v != prev or c is series[-1]:
                pts.append(f"{x(c.day)},{y(v)}")
            prev = v
        return " ".join(pts)

    return {
        "width": CHART_W,
        "height": CHART_H,
        "parties": steps([c.parties for c in series]),
        "in_force": steps([c.in_force for c in series]),
        "signatories": steps([c.signatories for c in series]),
        "colours": {
            "parties": STATUS_COLOURS[rules.Status.IN_FORCE],
            "in_force": STATUS_COLOURS[rules.Status.DEPOSITED],
            "signatories": STATUS_COLOURS[rules.Status.SIGNATORY],
        },
        "last": series[-1],
        "y_ticks": [{"y": y(v), "label": v} for v in range(0, top + 1, 20)],
        "x_ticks": [
            {"x": x(date(year, 1, 1)), "label": year}
            for year in range(start.year + 1, end.year + 1)
            if (end.year - start.year) <= 10 or year % 2 == 0
        ],
        "plot": {"left": PAD_L, "right": CHART_W - PAD_R, "top": PAD_T, "bottom": CHART_H - PAD_B},
        "yearly": [c for c in series if c.day.month == 1 and c.day.day == 1] + [series[-1]],
    }


@dataclass(frozen=True)
class MapItem:
    iso3: str
    name: str
    path: str
    dot: tuple[float, float] | None
    colour: str
    label: str
    url: str


def world_map(
    states: Iterable[tuple[State, str, str]],
    legend: list[dict[str, Any]],
    title: str,
    query: str = "",
) -> dict[str, object]:
    """A world map of States, each (State, colour, label), linked to the State's page (with
    `query`, e.g. the as-of date the page shows)."""
    shapes = maps.shapes()
    items: list[MapItem] = []
    seen: set[int] = set()
    for state, colour, label in states:
        shape = shapes.get(state.m49)
        if shape is None:
            continue
        seen.add(state.m49)
        items.append(
            MapItem(
                iso3=state.iso3,
                name=state.name,
                path=shape.path,
                dot=shape.dot,
                colour=colour,
                label=label,
                url=reverse("registry:state", args=[state.iso3]) + query,
            )
        )
    # Land that is no State of the table (territories, disputed areas) stays grey, unlinked.
    others = [s.path for m49, s in shapes.items() if m49 not in seen and s.path]
    # Shapes first, dots on top so small States stay visible.
    items.sort(key=lambda i: i.dot is not None)
    return {
        "width": maps.WIDTH,
        "height": maps.HEIGHT,
        "items": items,
        "others": others,
        "legend": legend,
        "title": title,
    }


def status_map(rows: list[StateRow], as_of: date, query: str = "") -> dict[str, object]:
    legend = [
        {"colour": STATUS_COLOURS[s], "label": STATUS_LABELS[s]}
        for s in (
            rules.Status.IN_FORCE,
            rules.Status.DEPOSITED,
            rules.Status.SIGNATORY,
            rules.Status.WITHDRAWN,
            rules.Status.NOT_SIGNED,
        )
    ]
    title = _("Status of States on %(day)s") % {"day": date_format(as_of, "DATE_FORMAT")}
    return world_map(
        ((r.state, STATUS_COLOURS[r.status], str(STATUS_LABELS[r.status])) for r in rows),
        legend,
        title,
        query,
    )
