from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from ccm.registry.filters import as_of_query, last_as_of


def as_of(request: HttpRequest) -> dict[str, Any]:
    """`as_of_query`: what links append to keep the chosen date (empty when none was chosen);
    `as_of_max`: the latest date the as-of fields accept."""
    query = as_of_query(request.GET) if "as_of" in request.GET else ""
    return {"as_of_query": query, "as_of_max": last_as_of(timezone.localdate())}
