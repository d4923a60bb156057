from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from ccm.registry.choices import STATUS_COLOURS, STATUS_LABELS, STATUS_TEXT_COLOURS, ActionKind
from ccm.registry.rules import Status

register = template.Library()


@register.simple_tag
def status_badge(status: Status | str) -> SafeString:
    s = Status(status)
    return render_to_string(
        "registry/includes/status_badge.html",
        {
            "colour": STATUS_COLOURS[s],
            "text_colour": STATUS_TEXT_COLOURS[s],
            "label": STATUS_LABELS[s],
        },
    )


@register.filter
def action_label(kind: str | None) -> str:
    if not kind:
        return ""
    return str(ActionKind(kind).label)
