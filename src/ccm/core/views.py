"""Plain endpoints of the site itself."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: the process answers. Touches no database."""
    return HttpResponse("ok\n", content_type="text/plain")
