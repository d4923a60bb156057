"""Role checks for views: sign-in first (the login page), then the role (403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from ccm.accounts import roles

View = Callable[..., HttpResponseBase]


def role_required(allowed: Callable[[roles.AnyUser], bool]) -> Callable[[View], View]:
    """A view for signed-in users whom `allowed` admits; anyone else signed in gets 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorator


staff_required = role_required(roles.is_isu_staff)
staff_or_presidency_required = role_required(roles.reads_all)
