"""Plain endpoints of the site itself."""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation
from django.views import defaults


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: the process answers. Touches no database."""
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, or, when the database does not answer (restarting, unreachable, locked),
    503 with a page that says so and `Retry-After`: the visitor and a load balancer both know
    to try again shortly (issue #16). Neither page touches the database."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page in the language of the address (its prefix, or the default language).

    A request for a host not allowed fails before LocaleMiddleware chooses a language (the page
    cache reads the host first), so the page came out in whatever language the worker's previous
    request had left active (issue #32)."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        return defaults.bad_request(request, exception)
