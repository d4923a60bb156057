"""The permission matrix every view is tested with (issue #2).

    assert_matrix(personas, "/my/", {"anonymous": LOGIN, "other_focal_point": 200,
                                     "focal_point": 200, "staff": 200})

Every persona of `REQUIRED` must be named, so a new view cannot forget one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
