"""Factories and helpers for compliance's tests."""

from __future__ import annotations

from collections.abc import Iterable

from ccm.compliance.models import CompleteRecord

REPORT_KINDS = ("initial", "annual")


def complete_record(*iso3: str, kinds: Iterable[str] = REPORT_KINDS) -> None:
    """The ISU holds these States' record of reports complete (issue #24): a report it lacks
    was not received, so a passed deadline with nothing in the record is certainly overdue."""
    for code in iso3:
        for kind in kinds:
            CompleteRecord.objects.get_or_create(state_id=code, kind=kind)
