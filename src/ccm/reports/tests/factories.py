"""factory_boy factories of the record of reports received. Other apps' tests reach the record
through this module (its model for assertions, its factory for set-up)."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory

from ccm.registry.tests.factories import StateFactory
from ccm.reports import definition
from ccm.reports.choices import Channel, Origin, SubmissionKind
from ccm.reports.models import Submission

__all__ = ["Submission", "SubmissionFactory", "example_report_document"]


class SubmissionFactory(factory.django.DjangoModelFactory[Submission]):
    """A report received, recorded by staff; `SubmissionFactory(state_id="CHL")` for a State
    already loaded."""

    class Meta:
        model = Submission

    state = factory.SubFactory(StateFactory)
    kind = SubmissionKind.INITIAL
    received_on = date(2011, 12, 1)
    channel = Channel.UNKNOWN
    source = "t"
    origin = Origin.STAFF


def example_report_document(template: str | None = None) -> dict[str, Any]:
    """A valid report document (Chile, annual report for 2024) built from the template's
    examples (by default the template new reports are made with)."""
    from ccm.reports.services import CURRENT_TEMPLATE

    return definition.example_document(definition.load(template or CURRENT_TEMPLATE))


def typed(values: Any) -> Any:
    """What a form holds once typed into a page or a workbook: an empty input is no value."""
    if isinstance(values, dict):
        return {k: typed(v) for k, v in values.items() if v != ""}
    if isinstance(values, list):
        return [typed(v) for v in values]
    return values


def submit_from_check(client: Any, report: Any, data: dict[str, str] | None = None) -> Any:
    """Submit as a focal point does (issue #26): open "check your answers", then post from it
    with the declaration ticked and the page's token of what was checked."""
    import re

    page = client.get(f"/my/reports/report/{report.pk}/submit/").content.decode()
    seen = re.search(r'name="seen" value="([^"]*)"', page)
    assert seen, "the check page carries what it showed"
    return client.post(
        f"/my/reports/report/{report.pk}/submit/",
        {"declaration": "1", "seen": seen.group(1).replace("&#x27;", "'"), **(data or {})},
    )
