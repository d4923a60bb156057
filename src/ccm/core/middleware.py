"""Response headers every page carries: the Content Security Policy and, for signed-in people,
no caching of what they saw (issue #7); public pages compressed and answered with 304 when the
browser already has them (issue #16)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from ccm.core import pagecache, revision


def csp_header(policy: dict[str, list[str]]) -> str:
    """`{"script-src": ["'self'"]}` → `script-src 'self'` (directives joined by "; ")."""
    return "; ".join(
        " ".join([directive, *sources]) if sources else directive
        for directive, sources in policy.items()
    )


class ContentSecurityPolicyMiddleware:
    """Serves `settings.SECURE_CSP`, written as Django 6 writes it, so that the move to Django 6
    replaces this class by `django.middleware.csp.ContentSecurityPolicyMiddleware` unchanged."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        policy = getattr(settings, "SECURE_CSP", None)
        self.header = csp_header(policy) if policy else ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.header
        return response


class PrivatePagesNotCachedMiddleware:
    """What a signed-in person sees (contacts, drafts, letters) is kept by no cache: neither a
    shared proxy nor the browser's back-button store of a shared computer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True, max_age=0)
            patch_vary_headers(response, ["Cookie"])
        return response


COMPRESSED_TYPES = (
    "text/html", "text/csv", "text/plain", "text/calendar", "application/json", "image/svg+xml",
)  # fmt: skip


class PublicPagesCompressedMiddleware(GZipMiddleware):
    """Public pages, downloads and feeds compressed with gzip (a page of 120 KB of HTML, map and
    chart travels as about a tenth of it), for people who are not signed in only: a private
    page that echoes what a visitor typed beside a secret is what BREACH-style attacks need,
    and those pages stay uncompressed. PDFs, spreadsheets and archives are compressed already
    and are left as they are (issue #16)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        kind = response.get("Content-Type", "").split(";")[0].strip()
        if kind not in COMPRESSED_TYPES:
            return response
        if not pagecache.accepts_gzip(request):
            # Django's own test finds the word "gzip" even in "gzip;q=0", which refuses it.
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        # ... and misses "GZIP;q=0.5": it is handed the decision made here.
        request.META["HTTP_ACCEPT_ENCODING"] = "gzip"
        return super().process_response(request, response)


class PublicPageCacheMiddleware:
    """Answers an anonymous visitor's GET of a public page from the cache when the data have
    not changed since it was made (`ccm.core.pagecache`), with 304 when their copy is current.
    Placed before everything that shapes a page (compression, security headers, CSP), so that
    what it keeps is what was sent; after SecurityMiddleware, which still redirects to HTTPS.
    `X-Cache` says `hit` or `miss` (or nothing: not a cached page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not pagecache.candidate(request) or revision.pending(connection):
            return self.get_response(request)
        try:
            token = revision.current()
        except DatabaseError:
            # No revision to answer to (the database restarting, a migration not run yet):
            # the page is made as if there were no cache, and the usual error pages apply.
            return self.get_response(request)
        cache_key = pagecache.key(request, token)
        cached = pagecache.load(cache_key)
        if cached is not None:
            cached["X-Cache"] = "hit"
            answer = get_conditional_response(request, etag=cached.get("ETag"), response=cached)
            return answer or cached
        response = self.get_response(request)
        if pagecache.storable(request, response):
            pagecache.keep(cache_key, response)
            response["X-Cache"] = "miss"
        return response
