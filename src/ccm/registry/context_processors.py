from __future__ import annotations

from django.http import HttpRequest

from ccm.registry.filters import as_of_query


def as_of(request: HttpRequest) -> dict[str, str]:
    """`as_of_query`: what links append to keep the chosen date (empty when none was chosen)."""
    if "as_of" not in request.GET:
        return {"as_of_query": ""}
    return {"as_of_query": as_of_query(request.GET)}
