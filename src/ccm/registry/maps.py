"""World map shapes for the server-drawn SVG map.

Decodes the vendored world-atlas TopoJSON (Natural Earth; ids are UN M49 codes) once per process
and projects it with the Equal Earth projection. No JavaScript and no CDN: the same SVG can go
into a PDF. Small States missing from the 1:110m shapes are drawn as dots, placed at the centre
of their 1:50m shapes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ATLAS = Path(__file__).resolve().parent.parent / "static/vendor/world-atlas-2.0.2"
WIDTH = 1000.0
# Equal Earth constants (Šavrič, Patterson, Jenny 2018).
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
NORTH, SOUTH = 84.0, -57.0  # crop the Arctic Ocean and Antarctica
# Tuvalu is in neither file; its capital, Funafuti (8.52 S, 179.20 E), stands in.
EXTRA_POINTS = {798: (179.20, -8.52)}
ANTARCTICA = 10


def _equal_earth(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


_X_MAX = _equal_earth(180, 0)[0]
_SCALE = WIDTH / (2 * _X_MAX)
_TOP = _equal_earth(0, NORTH)[1]
HEIGHT = round((_TOP - _equal_earth(0, SOUTH)[1]) * _SCALE, 1)


def project(lon: float, lat: float) -> tuple[float, float]:
    x, y = _equal_earth(lon, lat)  # shapes beyond NORTH/SOUTH fall outside the viewBox
    return (x + _X_MAX) * _SCALE, (_TOP - y) * _SCALE


def _decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def _n(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _path(rings: list[list[tuple[float, float]]]) -> str:
    """SVG path data with relative moves, one decimal: small and exact enough."""
    out = []
    for ring in rings:
        prev = None
        parts = []
        for lon, lat in ring:
            x, y = project(lon, lat)
            cur = (round(x, 1), round(y, 1))
            if prev is None or abs(cur[0] - prev[0]) > WIDTH / 2:
                # A ring that crosses the antimeridian: jump instead of drawing across the map.
                parts.append(f"M{_n(cur[0])} {_n(cur[1])}")
            elif cur != prev:
                parts.append(f"l{_n(cur[0] - prev[0])} {_n(cur[1] - prev[1])}")
            prev = cur
        if len(parts) > 2:
            out.append("".join(parts) + "z")
    return "".join(out)


@dataclass(frozen=True)
class Shape:
    m49: int
    path: str  # empty for a State drawn as a dot
    dot: tuple[float, float] | None


def _load(name: str) -> dict[str, Any]:
    with (ATLAS / name).open(encoding="utf-8") as fh:
        return json.load(fh)


def _centre(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """Centre of the bounding box of the largest ring (enough to place a dot)."""
    ring = max(rings, key=len)
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    return (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2


@cache
def shapes() -> dict[int, Shape]:
    """Every shape and dot keyed by UN M49 code; computed once per process."""
    topo = _load("countries-110m.json")
    arcs = _decode_arcs(topo)
    out: dict[int, Shape] = {}
    for g in topo["objects"]["countries"]["geometries"]:
        if not g.get("id") or int(g["id"]) == ANTARCTICA:
            continue
        rings = [_ring(arcs, ring) for poly in _polygons(g) for ring in poly]
        out[int(g["id"])] = Shape(int(g["id"]), _path(rings), None)
    fine = _load("countries-50m.json")
    fine_arcs = _decode_arcs(fine)
    for g in fine["objects"]["countries"]["geometries"]:
        if not g.get("id") or int(g["id"]) in out:
            continue
        rings = [_ring(fine_arcs, poly[0]) for poly in _polygons(g)]
        if rings:
            x, y = project(*_centre(rings))
            out[int(g["id"])] = Shape(int(g["id"]), "", (round(x, 1), round(y, 1)))
    for m49, (lon, lat) in EXTRA_POINTS.items():
        if m49 not in out:
            x, y = project(lon, lat)
            out[m49] = Shape(m49, "", (round(x, 1), round(y, 1)))
    return out
