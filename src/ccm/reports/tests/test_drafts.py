"""Online reports, the service layer (issue #9): a report started for an obligation, each form
saved as a draft on its own, conflicting saves refused, "unchanged since last report" carried
forward, and submission in one atomic step with its receipt."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.http import Http404

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.models import AuditEvent
from ccm.registry.tests import factories
from ccm.reports import definition, services
from ccm.reports.models import Draft, ReportVersion, Submission
from ccm.reports.selectors import report_for_user

pytestmark = pytest.mark.django_db
EXAMPLE = definition.example_document(definition.load(services.CURRENT_TEMPLATE))


def _fill(report: Any, by: Any, *, skip: str = "") -> None:
    for code, values in EXAMPLE["forms"].items():
        if code != skip:
            services.save_form(report, code, copy.deepcopy(values), revision=None, by=by)


def test_a_form_saves_as_a_draft_and_says_what_is_wrong(chile: Any) -> None:
    focal = make_user(Role.FOCAL_POINT, "CHL")
    report = services.start_report(state=chile, kind="annual", period=2024, by=focal)
    assert services.start_report(state=chile, kind="annual", period=2024, by=focal) == report
    values = {"status": "changed", "stockpiles": [{"munition_type": "M26", "munitions": -5}]}
    draft, problems = services.save_form(report, "B", values, revision=None, by=focal)
    assert draft.revision == 1 and Draft.objects.get().values == values  # kept as typed
    assert ("$.forms.B.stockpiles[0].munitions", "At least 0.") in problems
    # Issue #25: submunition counts are optional (real reports often give munitions only).
    assert not [path for path, _reason in problems if path.endswith("submunitions")]
    _, fixed = services.save_form(report, "B", EXAMPLE["forms"]["B"], revision=1, by=focal)
    assert fixed == []


def test_a_second_focal_point_continues_and_a_stale_save_is_refused(chile: Any) -> None:
    first = make_user(Role.FOCAL_POINT, "CHL")
    second = make_user(Role.FOCAL_POINT, "CHL")
    report = services.start_report(state=chile, kind="annual", period=2024, by=first)
    services.save_form(report, "G", {"status": "changed", "measures": "a"}, revision=None, by=first)
    services.save_form(report, "G", {"status": "changed", "measures": "b"}, revision=1, by=second)
    with pytest.raises(services.ConflictError, match="saved by someone else"):
        services.save_form(report, "G", {"status": "changed", "measures": "c"}, revision=1,
                           by=first)  # fmt: skip
    assert Draft.objects.get().values["measures"] == "b"  # never silently overwritten
    with pytest.raises(services.ConflictError):  # a first save racing another first save
        services.save_form(report, "G", {"status": "changed"}, revision=None, by=first)
    # Every save is an audit event, with who saved which revision; a refused save is none.
    saves = AuditEvent.objects.filter(verb="report.form_saved").order_by("pk")
    assert [(e.actor_id, e.summary) for e in saves] == [
        (first.pk, "CHL annual 2024 form G, revision 1"),
        (second.pk, "CHL annual 2024 form G, revision 2"),
    ]


def test_submission_makes_an_immutable_version_and_the_record_entry_at_once(
    chile: Any, fast_pdf: None
) -> None:
    factories.ContactFactory(state=chile, email="focal@chl.example")
    chile.language = "es"  # its working language
    chile.save()
    focal = make_user(Role.FOCAL_POINT, "CHL")
    report = services.start_report(state=chile, kind="annual", period=2024, by=focal)
    _fill(report, focal, skip="J")
    with pytest.raises(services.NotReady) as not_ready:
        services.submit_report(report, by=focal, today=date(2025, 4, 20))
    assert not_ready.value.problems == [("$.forms.J", "not answered yet")]
    assert not ReportVersion.objects.exists() and not mail.outbox
    services.save_form(report, "J", {"status": "not_applicable"}, revision=None, by=focal)
    version = services.submit_report(report, by=focal, today=date(2025, 4, 20))
    assert (version.number, version.entered_by_isu, version.submitted_by) == (1, False, focal)
    record = Submission.objects.get()
    assert (record.received_on, record.channel, record.origin, record.relation) == (
        date(2025, 4, 20), "online", "online", "original",
    )  # fmt: skip
    assert not Draft.objects.exists()  # the drafts became the version
    receipt = mail.outbox[0]
    assert receipt.to == ["focal@chl.example"]
    assert "Recibo CCM-A7-CHL-annual-2024-v1" in receipt.subject  # Chile works in Spanish
    assert receipt.attachments[0][0] == "CCM-A7-CHL-annual-2024-v1.pdf"
    assert AuditEvent.objects.filter(verb="report.submitted").exists()


def test_an_amendment_starts_from_the_last_version_and_supersedes_it(
    chile: Any, fast_pdf: None
) -> None:
    focal = make_user(Role.FOCAL_POINT, "CHL")
    report = services.start_report(state=chile, kind="annual", period=2024, by=focal)
    _fill(report, focal)
    services.submit_report(report, by=focal, today=date(2025, 4, 20))
    services.start_amendment(report, by=focal)
    assert {d.form for d in report.drafts.all()} == set(EXAMPLE["forms"])
    draft = report.drafts.get(form="G")
    services.save_form(report, "G", {"status": "changed", "measures": "more"},
                       revision=draft.revision, by=focal)  # fmt: skip
    second = services.submit_report(report, by=focal, today=date(2025, 6, 1))
    assert second.number == 2 and second.forms["G"]["measures"] == "more"
    assert ReportVersion.objects.get(number=1).forms["G"] == EXAMPLE["forms"]["G"]
    relations = list(Submission.objects.order_by("pk").values_list("relation", flat=True))
    assert relations == ["original", "amendment"]


def test_a_failure_mid_submission_leaves_no_version_no_record_and_the_drafts(
    chile: Any, fast_pdf: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ccm.core import audit

    focal = make_user(Role.FOCAL_POINT, "CHL")
    report = services.start_report(state=chile, kind="annual", period=2024, by=focal)
    _fill(report, focal)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit could not be written")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.submit_report(report, by=focal, today=date(2025, 4, 20))
    assert not ReportVersion.objects.exists() and not Submission.objects.exists()
    assert report.drafts.count() == len(EXAMPLE["forms"]) and not mail.outbox


def test_unchanged_since_last_report_carries_the_values_forward(chile: Any, fast_pdf: None) -> None:
    focal = make_user(Role.FOCAL_POINT, "CHL")
    last_year = services.start_report(state=chile, kind="annual", period=2023, by=focal)
    _fill(last_year, focal)
    services.submit_report(last_year, by=focal, today=date(2024, 4, 20))
    report = services.start_report(state=chile, kind="annual", period=2024, by=focal)
    draft = services.carry_forward(report, "C", by=focal)
    assert draft.values["types"] == EXAMPLE["forms"]["C"]["types"]
    assert (draft.values["status"], draft.values["unchanged_since"]) == ("unchanged", 2023)
    assert draft.carried_from == "CHL annual 2023, version 1"
    with pytest.raises(ValueError, match="no earlier report"):
        other = services.start_report(state=factories.party("PER", "Peru", deposited="2012-09-26"),
                                      kind="annual", period=2024, by=focal)  # fmt: skip
        services.carry_forward(other, "C", by=focal)


def test_drafts_are_for_the_states_focal_points_and_the_isu_only(chile: Any, peru: Any) -> None:
    report = services.start_report(
        state=chile, kind="annual", period=2024, by=make_user(Role.ISU_STAFF)
    )
    for user in (make_user(Role.FOCAL_POINT, "CHL"), make_user(Role.ISU_STAFF)):
        assert report_for_user(user, report.pk) == report
    refused: list[Any] = [
        AnonymousUser(),
        make_user(Role.FOCAL_POINT, "PER"),
        make_user(Role.PRESIDENCY),  # drafts are private to the State
        make_user(Role.FOCAL_POINT, "CHL", two_factor=False),
    ]
    for user in refused:
        with pytest.raises(Http404):
            report_for_user(user, report.pk)
    with pytest.raises(Http404):  # a forged id
        report_for_user(make_user(Role.ISU_STAFF), report.pk + 100)


def test_the_receipt_carries_the_report_as_a_real_pdf(chile: Any) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    focal = make_user(Role.FOCAL_POINT, "CHL")
    report = services.start_report(state=chile, kind="annual", period=2024, by=focal)
    subject, body, [(name, data, mimetype)] = services._receipt(
        report, 1, EXAMPLE["forms"], date(2025, 4, 20)
    )
    assert (name, mimetype) == ("CCM-A7-CHL-annual-2024-v1.pdf", "application/pdf")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    assert "Chile" in text and "Version 1, received 20 April 2025." in text
    assert "2025-04-20" in body


def test_a_form_saved_while_the_receipt_is_made_is_never_lost(chile: Any) -> None:
    """Found in review: submission read the drafts, spent a second on the receipt's PDF, then
    deleted the drafts: a save in between was lost though the person was told "Saved"."""
    user = make_user(Role.FOCAL_POINT, "CHL")
    report = services.start_report(state=chile, kind="annual", period=2024, by=user)
    for code, values in EXAMPLE["forms"].items():
        services.save_form(report, code, copy.deepcopy(values), revision=None, by=user)

    def receipt_while_someone_saves(*args: Any, **kwargs: Any) -> Any:
        draft = report.drafts.get(form="G")
        services.save_form(report, "G", {**draft.values, "people_reached": 99},
                           revision=draft.revision, by=user)  # fmt: skip
        return ("subject", "body", [])

    patched = mock.patch.object(services, "_receipt", side_effect=receipt_while_someone_saves)
    with patched, pytest.raises(services.ConflictError, match="a form was saved meanwhile"):
        services.submit_report(report, by=user)
    assert not ReportVersion.objects.exists()
    assert report.drafts.get(form="G").values["people_reached"] == 99
