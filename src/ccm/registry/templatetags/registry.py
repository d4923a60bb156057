from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from ccm.registry.choices import ActionKind
from ccm.registry.rules import Status
from ccm.registry.tables import status_badge_html

register = template.Library()


@register.simple_tag
def status_badge(status: Status | str) -> SafeString:
    return status_badge_html(Status(status))


@register.filter
def action_label(kind: str | None) -> str:
    if not kind:
        return ""
    return str(ActionKind(kind).label)
