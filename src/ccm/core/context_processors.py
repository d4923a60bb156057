from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import timezone
from django.utils.http import escape_leading_slashes
from django.utils.translation import get_language, get_language_info

from ccm.core.as_of import as_of_query, last_as_of


def site(request: HttpRequest) -> dict[str, Any]:
    return {"SITE_NAME": settings.SITE_NAME, "language_links": language_links(request)}


def language_links(request: HttpRequest) -> list[dict[str, Any]]:
    """This page in each language: plain links (the language is in the URL), so that a public
    page carries no form and no CSRF token and is the same for every visitor (issue #16)."""
    # A path such as //elsewhere.example/ would be a link off the site: escaped as Django does.
    here = escape_leading_slashes(request.get_full_path())
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(here, code)
        if url == here and code != current:
            # Not a page of the site (a 404) or not one that has a name: that language's home.
            url = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        links.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                "current": code == current,
            }
        )
    return links


def as_of(request: HttpRequest) -> dict[str, Any]:
    """`as_of_query`: what links append to keep the chosen date (empty when none was chosen);
    `as_of_max`: the latest date the as-of fields accept."""
    query = as_of_query(request.GET) if "as_of" in request.GET else ""
    return {"as_of_query": query, "as_of_max": last_as_of(timezone.localdate())}
