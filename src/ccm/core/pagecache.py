"""Public pages served from a cache (issue #16).

A view marked `@public_page` depends only on the data, the language (in its URL), the query
string and today's date: what an anonymous visitor gets from it is kept whole, compressed and
with its headers, under a key made of those and of the data revision (`ccm.core.revision`).
Any committed write changes the revision, so nothing cached before it is ever served again.
Each process keeps its own copies (`CACHES["pages"]`), but the revision they answer to is in the
database, shared by every process and server.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

F = TypeVar("F", bound=Callable[..., Any])
ALIAS = "pages"
STORED_TYPES = (
    "text/html", "text/csv", "text/plain", "text/calendar", "application/json", "image/svg+xml",
)  # fmt: skip
_NOT_KEPT = ("private", "no-store", "no-cache")


def public_page(view: F) -> F:
    """Marks a view whose anonymous response may be cached (see the module). The view must
    not read cookies, the session or headers other than the host."""
    view.ccm_public_page = True  # type: ignore[attr-defined]
    return view


def accepts_gzip(request: HttpRequest) -> bool:
    """The client accepts gzip, by RFC 9110's Accept-Encoding: named (or `x-gzip`) with a
    quality above 0, or not named while `*` has one; `gzip;q=0` refuses it (issue #32)."""
    named: float | None = None
    anything: float | None = None
    for item in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            name, _sep, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0  # an unreadable weight accepts nothing
        coding = coding.lower()
        if coding in ("gzip", "x-gzip"):
            named = quality if named is None else max(named, quality)
        elif coding == "*":
            anything = quality
    if named is not None:
        return named > 0
    return anything is not None and anything > 0


def candidate(request: HttpRequest) -> bool:
    """A request the cache may answer: a GET by someone not signed in (no session), without a
    message waiting for them, for a page marked `@public_page`."""
    if request.method != "GET":  # a HEAD answer has no ETag: never kept, never served
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    if "HTTP_HX_REQUEST" in request.META:
        return False
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "ccm_public_page", False)


def key(request: HttpRequest, revision: str) -> str:
    parts = "\n".join(
        [
            request.scheme or "",
            request.get_host(),
            request.get_full_path(),
            "gzip" if accepts_gzip(request) else "",
            timezone.localdate().isoformat(),
        ]
    )
    return f"page:{revision}:{hashlib.sha256(parts.encode()).hexdigest()}"


def storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    """The response is the same for every anonymous visitor: a whole 200 of text, no cookie
    set, no CSRF token in it, not marked private."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if any(word in response.get("Cache-Control", "") for word in _NOT_KEPT):
        return False
    return response.get("Content-Type", "").split(";")[0].strip() in STORED_TYPES


def load(cache_key: str) -> HttpResponse | None:
    stored = caches[ALIAS].get(cache_key)
    if stored is None:
        return None
    headers, content = stored
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def keep(cache_key: str, response: HttpResponseBase) -> None:
    assert isinstance(response, HttpResponse)
    caches[ALIAS].set(cache_key, (list(response.items()), response.content))
