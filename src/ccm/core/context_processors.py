from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import timezone
from django.utils.translation import get_language, get_language_info

from ccm.core.as_of import as_of_query, last_as_of


def site(request: HttpRequest) -> dict[str, Any]:
    return {"SITE_NAME": settings.SITE_NAME, "language_links": language_links(request)}


def language_links(request: HttpRequest) -> list[dict[str, Any]]:
    """This page in each language: plain links (the language is in the URL), so that a public
    page carries no form and no CSRF token and is the same for every visitor (issue #16)."""
    here = request.get_full_path()
    current = get_language()
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(here, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


def as_of(request: HttpRequest) -> dict[str, Any]:
    """`as_of_query`: what links append to keep the chosen date (empty when none was chosen);
    `as_of_max`: the latest date the as-of fields accept."""
    query = as_of_query(request.GET) if "as_of" in request.GET else ""
    return {"as_of_query": query, "as_of_max": last_as_of(timezone.localdate())}
