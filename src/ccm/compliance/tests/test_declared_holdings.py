"""A stockpile or contamination declared in a report reaches the obligation engine (issue #10):
the State page shows it at once with the report as its source, awaiting the ISU's confirmation;
confirmed by staff, it becomes the record and the engine owes its destruction or clearance."""

from __future__ import annotations

from datetime import date

from django.test import Client

from ccm.compliance.models import Holding
from ccm.compliance.rules import Kind
from ccm.compliance.selectors import engine_inputs, holdings_to_confirm
from ccm.core.models import AuditEvent
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.reports import services
from ccm.reports.tests.factories import example_report_document

URL = "/staff/reporting/declared/"


def test_declared_in_a_report_shown_then_confirmed_into_the_record(
    personas: dict[str, Client], registry_reference: None
) -> None:
    assert holdings_to_confirm() == []
    version = services.import_report_document(
        example_report_document(), received_on=date(2025, 4, 28), by=None
    )  # Chile, 2024: 120 M26 rockets in stock, 125,000 m² contaminated
    declared = holdings_to_confirm()
    assert [(d.state.iso3, d.kind) for d in declared] == [
        ("CHL", "clearance"), ("CHL", "stockpile_destruction"),
    ]  # fmt: skip
    assert declared[1].source.endswith(
        f"Form B: /reports/CHL/annual/2024/?version={version.number}"
    )
    page = Client().get("/states/CHL/").content.decode()
    assert page.count("awaiting the ISU") == 2 and "/reports/CHL/annual/2024/?version=1" in page
    day = date(2025, 6, 1)
    kinds = {o.kind for o in engine_inputs().obligations(day, state="CHL")}
    assert Kind.STOCKPILE_DESTRUCTION not in kinds  # not the record before staff confirm

    assert_matrix(personas, URL, {"anonymous": LOGIN, "other_focal_point": 403,
                                  "focal_point": 403, "presidency": 403, "staff": 200})  # fmt: skip
    post = {"state": "CHL", "kind": "stockpile_destruction", "version": str(version.pk)}
    assert_matrix(personas, URL, {"anonymous": LOGIN, "other_focal_point": 403,
                                  "focal_point": 403, "presidency": 403, "staff": 302},
                  method="post", data={**post, "version": "999"})  # fmt: skip
    assert not Holding.objects.exists()  # a forged version confirms nothing
    response = personas["staff"].post(URL, post, follow=True)
    assert "Confirmed: Chile" in response.content.decode()
    holding = Holding.objects.get()
    assert holding.kind == "stockpile_destruction" and "/reports/CHL/annual/2024/" in holding.source
    assert AuditEvent.objects.filter(verb="holding.confirmed_from_report").count() == 1
    kinds = {o.kind for o in engine_inputs().obligations(day, state="CHL")}
    assert Kind.STOCKPILE_DESTRUCTION in kinds and Kind.CLEARANCE not in kinds
    assert [d.kind for d in holdings_to_confirm()] == ["clearance"]
    again = personas["staff"].post(URL, post, follow=True).content.decode()
    assert "Nothing to confirm" in again and Holding.objects.count() == 1
