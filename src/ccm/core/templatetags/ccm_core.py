from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def support_email() -> str:
    """Where people write when something does not work (error pages work without a context)."""
    return str(settings.CCM_SUPPORT_EMAIL)
