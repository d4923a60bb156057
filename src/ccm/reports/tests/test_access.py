"""The access helper of a report received: who may open which record, forged ids included."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.reports.selectors import submission_for_user
from ccm.reports.tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db


def test_a_report_opens_for_its_state_the_isu_and_the_presidency_only(chile, peru) -> None:  # type: ignore[no-untyped-def]
    report = SubmissionFactory(state=chile)
    allowed = {
        "focal point of Chile": make_user(Role.FOCAL_POINT, "CHL"),
        "Presidency": make_user(Role.PRESIDENCY),
        "ISU staff": make_user(Role.ISU_STAFF),
    }
    refused: dict[str, Any] = {
        "anonymous": AnonymousUser(),
        "focal point of Peru": make_user(Role.FOCAL_POINT, "PER"),
        "focal point of Chile without two-factor": make_user(
            Role.FOCAL_POINT, "CHL", two_factor=False
        ),
        "account with no role": make_user(None),
    }
    for who, user in allowed.items():
        assert submission_for_user(user, report.pk) == report, who
    for who, user in refused.items():
        try:
            submission_for_user(user, report.pk)
        except Http404:
            continue
        pytest.fail(f"{who} opened Chile's report")


def test_a_forged_id_reveals_nothing(chile) -> None:  # type: ignore[no-untyped-def]
    """An id that does not exist and one the user may not open answer alike."""
    report = SubmissionFactory(state=chile)
    staff = make_user(Role.ISU_STAFF)
    other = make_user(Role.FOCAL_POINT, "PER")
    with pytest.raises(Http404) as missing:
        submission_for_user(staff, report.pk + 1000)
    with pytest.raises(Http404) as hidden:
        submission_for_user(other, report.pk)
    assert str(missing.value) == str(hidden.value)
