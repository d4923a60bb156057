"""How many queries a page costs (pages must stay bounded whatever the number of States)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def queries(client: Client, url: str) -> int:
    """The number of SQL queries one GET of `url` makes; the page must answer 200."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def assert_queries_do_not_grow(
    client: Client, url: str, add: Callable[[int], None], *, most: int
) -> None:
    """`url` costs the same queries with 20 and with 200 States (`add(n)` makes n more), and no
    more than `most`."""
    add(20)
    small = queries(client, url)
    add(180)
    large = queries(client, url)
    assert small == large, f"{url}: {small} queries for 20 States, {large} for 200"
    assert large <= most
