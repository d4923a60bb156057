"""Response headers every page carries: the Content Security Policy and, for signed-in people,
no caching of what they saw (issue #7)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers


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
