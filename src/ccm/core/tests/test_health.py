from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ccm.core.testing.permissions import assert_matrix


def test_health_answers_everyone_without_touching_the_database(personas: dict[str, Client]) -> None:
    assert_matrix(
        personas,
        "/health/",
        {
            "anonymous": 200,
            "other_focal_point": 200,
            "focal_point": 200,
            "presidency": 200,
            "staff": 200,
        },
    )
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get("/health/")
    assert response.content == b"ok\n"
    assert len(ctx) == 0
