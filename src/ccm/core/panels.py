"""Pages that join several domains (the State page, later the home page) are composed from
panels that each app contributes, as NetBox's template extensions do: the page names its slots,
apps register a panel for a slot when they are ready, and the page never needs to know which
apps exist.

A panel is a template and a function that gives its context from the page's own (the request,
the State, the as-of date...), or None when it has nothing to show to this user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

Context = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    slot: str  # e.g. "state.side", "state.main"
    name: str  # unique within the slot; registering it again replaces it
    template: str
    context: Context  # called with the request and the page's context as keywords
    order: int = 100  # smaller first


_panels: dict[str, dict[str, Panel]] = {}


def register(panel: Panel) -> None:
    _panels.setdefault(panel.slot, {})[panel.name] = panel


def panels(slot: str) -> list[Panel]:
    return sorted(_panels.get(slot, {}).values(), key=lambda p: (p.order, p.name))


def render(slot: str, request: HttpRequest, **page: Any) -> list[SafeString]:
    """Each panel of `slot` that has something to show, rendered with the page's context and
    its own (the context processors run for it, as for the page)."""
    out = []
    for panel in panels(slot):
        extra = panel.context(request, **page)
        if extra is None:
            continue
        html = render_to_string(panel.template, {**page, **extra}, request=request)
        out.append(mark_safe(html))  # noqa: S308 - rendered by Django's template engine
    return out
