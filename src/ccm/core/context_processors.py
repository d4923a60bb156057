from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from ccm.core.as_of import as_of_query, last_as_of


def site(request: HttpRequest) -> dict[str, Any]:
    return {"SITE_NAME": settings.SITE_NAME, "switch_language_next": _unprefixed(request)}


def _unprefixed(request: HttpRequest) -> str:
    """The current URL without its language prefix. Django's `set_language` runs in the default
    language (unprefixed URL), so it can only translate a URL it can resolve in that language."""
    path = request.get_full_path()
    prefix = f"/{get_language()}/"
    return path[len(prefix) - 1 :] if path.startswith(prefix) else path


def as_of(request: HttpRequest) -> dict[str, Any]:
    """`as_of_query`: what links append to keep the chosen date (empty when none was chosen);
    `as_of_max`: the latest date the as-of fields accept."""
    query = as_of_query(request.GET) if "as_of" in request.GET else ""
    return {"as_of_query": query, "as_of_max": last_as_of(timezone.localdate())}
