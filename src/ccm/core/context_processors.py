from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


def site(request: HttpRequest) -> dict[str, Any]:
    return {"SITE_NAME": settings.SITE_NAME, "switch_language_next": _unprefixed(request)}


def _unprefixed(request: HttpRequest) -> str:
    """The current URL without its language prefix. Django's `set_language` runs in the default
    language (unprefixed URL), so it can only translate a URL it can resolve in that language."""
    path = request.get_full_path()
    prefix = f"/{get_language()}/"
    return path[len(prefix) - 1 :] if path.startswith(prefix) else path
