"""The count of States Parties over time beside the action plans' targets (server-drawn SVG)."""

from __future__ import annotations

from datetime import date
from typing import Any

W, H = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 32


def progress_chart(counts: list[tuple[date, int]], targets: list[Any]) -> dict[str, Any]:
    """A step line of the count and a marker for each target (number by date)."""
    days = [d for d, _n in counts] + [t.by for t in targets]
    start, end = min(days), max(days)
    span = max((end - start).days, 1)
    top = max([n for _d, n in counts] + [t.target for t in targets] + [10])
    top = ((top + 19) // 20) * 20

    def x(d: date) -> float:
        return round(LEFT + (W - LEFT - RIGHT) * (d - start).days / span, 1)

    def y(v: int) -> float:
        return round(TOP + (H - TOP - BOTTOM) * (1 - v / top), 1)

    points: list[str] = []
    prev = None
    for d, n in counts:
        if prev is not None and n != prev:
            points.append(f"{x(d)},{y(prev)}")
        points.append(f"{x(d)},{y(n)}")
        prev = n
    return {
        "width": W, "height": H, "line": " ".join(points),
        "targets": [{"x": x(t.by), "y": y(t.target), "target": t} for t in targets],
        "y_ticks": [{"y": y(v), "label": v} for v in range(0, top + 1, 20)],
        "x_ticks": [{"x": x(date(yr, 1, 1)), "label": yr}
                    for yr in range(start.year + 1, end.year + 1) if yr % 2 == 0],
        "plot": {"left": LEFT, "right": W - RIGHT, "top": TOP, "bottom": H - BOTTOM},
        "last": counts[-1] if counts else None,
    }  # fmt: skip
