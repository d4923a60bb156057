"""Fixtures of the whole-project tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ccm.tests.deployment import Deployment, drop_database, make


@pytest.fixture(scope="session")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """One deployment (database, reference data, static files) for every test that runs real
    server processes; about 30 s to make."""
    made = make(tmp_path_factory.mktemp("deployment"))
    yield made
    if made.env["DATABASE_URL"].startswith("postgres"):
        drop_database(made.env["DATABASE_URL"])
