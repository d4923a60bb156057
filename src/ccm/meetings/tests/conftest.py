"""The meetings tests' personas: the shared ones, with the Presidency account scoped to the
Presidency in office in these tests (issue #25)."""

from __future__ import annotations

import pytest
from django.test import Client

from ccm.registry.models import State


@pytest.fixture
def personas(personas: dict[str, Client], chile: State) -> dict[str, Client]:
    """The shared personas, with the Presidency account that of the Lao People's Democratic
    Republic, which presides over the 3rd Review Conference in these tests (in office, its
    Meeting not yet held): since issue #25 a Presidency account changes only its own
    Presidency's records (see test_presidency_rules.py for another Presidency refused)."""
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user

    client = Client()
    client.force_login(make_user(Role.PRESIDENCY, "LAO"))
    return {**personas, "presidency": client}
