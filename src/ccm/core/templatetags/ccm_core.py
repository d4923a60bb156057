from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.safestring import SafeString

from ccm.core import sources

register = template.Library()


@register.simple_tag
def support_email() -> str:
    """Where people write when something does not work (error pages work without a context)."""
    return str(settings.CCM_SUPPORT_EMAIL)


@register.filter(is_safe=True)
def source_links(text: object) -> SafeString:
    """A source citation with its addresses as links named after their sites (issue #26)."""
    return sources.source_links(text)
