"""How many queries a page costs (pages must stay bounded whatever the number of States)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def queries(client: Client, url: str) -> int:
    """The number of SQL queries one GET of `url` makes; the page must answer 200."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)
