"""The permission matrix every view is tested with (issue #2).

    assert_matrix(personas, "/my/", {"anonymous": LOGIN, "other_focal_point": 200,
                                     "focal_point": 200, "staff": 200})

Every persona of `REQUIRED` must be named, so a new view cannot forget one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.test import Client

REQUIRED = ("anonymous", "other_focal_point", "focal_point", "presidency", "staff")
LOGIN = "login"  # redirected to the sign-in page


def assert_matrix(
    personas: dict[str, Client],
    url: str,
    expected: Mapping[str, int | str],
    *,
    method: str = "get",
    data: dict[str, Any] | None = None,
) -> None:
    missing = [p for p in REQUIRED if p not in expected]
    assert not missing, f"permission matrix for {url} lacks {missing}"
    failures = []
    for persona, want in expected.items():
        response = getattr(personas[persona], method)(url, data or {})
        got: int | str = response.status_code
        if want == LOGIN:
            ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            ok = got == want
        if not ok:
            failures.append(f"{persona}: expected {want}, got {got}")
    assert not failures, f"{method.upper()} {url}: " + "; ".join(failures)


def assert_two_factor_required(url: str, *, states: tuple[str, ...] = ("CHL",)) -> None:
    """Staff, the Presidency and a focal point of `states`, signed in WITHOUT an authenticator
    app, are sent to set one up (in the page's language) before this page: every page but the
    account pages, the language switch, static files and the health probe (accounts.middleware)."""
    from ccm.accounts.models import Role
    from ccm.conftest import make_user

    prefix = url.split("/")[1]
    language = prefix if prefix in dict(settings.LANGUAGES) else ""
    setup = (f"/{language}" if language else "") + "/accounts/2fa/totp/activate/"
    failures = []
    for role, scoped in ((Role.ISU_STAFF, ()), (Role.PRESIDENCY, ()), (Role.FOCAL_POINT, states)):
        client = Client()
        client.force_login(make_user(role, *scoped, two_factor=False))
        response = client.get(url)
        location = response.get("Location", "") if response.status_code == 302 else ""
        if not location.startswith(setup):
            failures.append(f"{role}: expected the two-factor set-up, got {response.status_code}")
    assert not failures, f"GET {url}: " + "; ".join(failures)
