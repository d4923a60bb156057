"""Fixtures shared by the reports tests."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest

from ccm.reports import services


@pytest.fixture
def fast_pdf() -> Iterator[None]:
    """The receipt's PDF is not what these tests are about: it takes a second to render."""
    with mock.patch.object(services, "html_to_pdf", return_value=b"%PDF-1.7 test"):
        yield
