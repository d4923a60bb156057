"""Work that a test kills midway (issue #16, `test_faults.py`): each scenario prepares its data
(`setup`), starts the work and stops inside its transaction (`run`: at the n-th audit record,
which every service writes last, it touches a marker file and sleeps until killed), then checks
that nothing partial was left and that doing the work again completes it once (`check`).

    python -m ccm.tests.faults SCENARIO setup|run|check [MARKER]
"""

from __future__ import annotations

import copy
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

SUBMITTER = "fault-submitter@example.org"
# States Parties with no annual report for 2025 on record in the shipped data, one set each.
SUBMITTING = "CHL"
IMPORTED = ["AFG", "ALB", "AUT", "BEL", "BIH"]
MEETING = "99MSP"
SOURCE = "fault test"


def pause_at(n: int, marker: Path, verb: str = "") -> None:
    """The n-th audit record (written inside the transaction, after the work) stops there; with
    `verb`, the n-th record of that verb (a batch also records the documents it could not
    e-mail, issue #26)."""
    from ccm.core import audit

    real = audit.record
    calls = {"n": 0}

    def record(*args: Any, **kwargs: Any) -> Any:
        if verb and (args[0] if args else kwargs.get("verb")) != verb:
            return real(*args, **kwargs)
        calls["n"] += 1
        if calls["n"] == n:
            marker.write_text(str(os.getpid()))
            time.sleep(600)
        return real(*args, **kwargs)

    audit.record = record  # type: ignore[assignment]


# A report submitted online ---------------------------------------------------------------
def _report() -> Any:
    from ccm.reports.models import Report

    return Report.objects.get(state_id=SUBMITTING, kind="annual", period=2025)


def report_ready_to_submit(iso3: str, email: str) -> None:
    """A focal point `email` of `iso3` with its annual report for 2025 filled in, every form
    saved from the template's example (also the races' setup, `races.py`)."""
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.registry.models import State
    from ccm.reports import definition, services

    user = make_user(Role.FOCAL_POINT, iso3, two_factor=False)
    user.username = user.email = email
    user.save()
    report = services.start_report(
        state=State.objects.get(iso3=iso3), kind="annual", period=2025, by=user
    )
    example = definition.example_document(definition.load(report.template))
    for code, values in example["forms"].items():
        services.save_form(report, code, copy.deepcopy(values), revision=None, by=user)


def submission_setup() -> None:
    report_ready_to_submit(SUBMITTING, SUBMITTER)


def submission_run() -> None:
    from django.contrib.auth.models import User

    from ccm.reports import services

    services.submit_report(_report(), by=User.objects.get(username=SUBMITTER))


def submission_check() -> None:
    from django.contrib.auth.models import User

    from ccm.core.models import OutgoingEmail
    from ccm.reports import services
    from ccm.reports.models import Submission

    report = _report()
    forms = report.drafts.count()
    assert report.versions.count() == 0, "a version was left"
    assert forms > 0, "the drafts were lost"
    record = Submission.objects.filter(state_id=SUBMITTING, kind="annual", period=2025)
    assert not record.exists(), "the record's entry was left"
    assert not OutgoingEmail.objects.filter(purpose__startswith="receipt").exists()
    services.submit_report(report, by=User.objects.get(username=SUBMITTER))
    assert report.versions.count() == 1 and report.drafts.count() == 0
    assert record.count() == 1
    print(f"submission: nothing left by the killed process ({forms} drafts kept); submitted once")


# A register of reports imported ------------------------------------------------------------
def _register() -> bytes:
    rows = [f"{iso3},annual,2025,2026-04-28,{SOURCE}" for iso3 in IMPORTED]
    return ("iso3,kind,period,received_on,source\n" + "\n".join(rows) + "\n").encode()


def import_setup() -> None:
    from ccm.reports.models import Submission

    assert not Submission.objects.filter(state_id__in=IMPORTED, kind="annual", period=2025)


def import_run() -> None:
    from ccm.reports import services

    services.import_reports("register.csv", _register(), by=None, actor_label="fault test")


def import_check() -> None:
    from ccm.reports import services
    from ccm.reports.models import Submission

    assert not Submission.objects.filter(source=SOURCE).exists(), "rows of the import were left"
    done = services.import_reports("register.csv", _register(), by=None, actor_label="again")
    assert done.created == len(IMPORTED)
    assert Submission.objects.filter(source=SOURCE).count() == len(IMPORTED)
    print(f"import: no row left by the killed process; {done.created} rows imported once")


# Invoices issued ------------------------------------------------------------------------------
def invoices_setup() -> None:
    from ccm.finance.tests.factories import assessed

    assessed("100000.00", year=2026, as_of=date(2026, 1, 1))


def _assessment() -> Any:
    from ccm.finance.models import Assessment

    return Assessment.objects.get(year=2026)  # the races scenario (races.py) assesses 2027


def invoices_run() -> None:
    from ccm.finance import services

    # two invoices issued, the third in its transaction
    pause_at(3, Path(sys.argv[3]), verb="invoice.issued")
    services.issue_invoices(_assessment(), by=None, size=None)


def invoices_check() -> None:
    from django.conf import settings

    from ccm.finance import services
    from ccm.finance.models import Entry, Invoice

    assessment = _assessment()
    # This assessment's own: the deployment is shared with other scenarios (races.py).
    invoices = Invoice.objects.filter(assessment=assessment)
    entries = Entry.objects.filter(invoice__assessment=assessment)
    assert invoices.count() == 2, invoices.count()
    assert entries.count() == 2 and all(
        Entry.objects.filter(invoice=i).count() == 1 for i in invoices
    )
    batch = services.issue_invoices(assessment, by=None, size=None)
    payers = len([d for d in services.dues(assessment) if d.difference != 0])
    total = invoices.all().count()  # read again: the one above has its rows cached
    assert batch.remaining == 0 and total == len(batch.issued) + 2
    assert entries.all().count() == total
    files = sorted(p.name for p in (Path(settings.MEDIA_ROOT) / "invoices").rglob("*.pdf"))
    kept = {Path(i.pdf.name).name for i in Invoice.objects.all()}
    stray = [name for name in files if name not in kept]
    print(
        f"invoices: 2 issued whole before the kill, the third not at all; {total} of {payers} "
        f"issued once each, one ledger entry each; {len(stray)} PDF file(s) with no invoice"
    )


# Invitations sent ---------------------------------------------------------------------------
def invitations_setup() -> None:
    from ccm.meetings.tests.factories import coming_meeting
    from ccm.participation import services
    from ccm.registry.models import State
    from ccm.registry.tests.factories import ContactFactory

    meeting = coming_meeting(MEETING, opens=date.today() + timedelta(days=90))
    services.invite(meeting, categories={"party"}, by=None)
    for iso3 in ["FRA", "DEU", "CHL", "PER", "NZL"]:
        ContactFactory(state=State.objects.get(iso3=iso3), email=f"fp@{iso3.lower()}.example")


def invitations_run() -> None:
    from ccm.meetings.models import Meeting
    from ccm.participation import services

    meeting = Meeting.objects.get(code=MEETING)
    services.send_batch(meeting, base_url="http://127.0.0.1", by=None, size=50)


def invitations_check() -> None:
    from ccm.core.models import OutgoingEmail
    from ccm.meetings.models import Meeting
    from ccm.participation import services
    from ccm.participation.models import Invitation

    meeting = Meeting.objects.get(code=MEETING)
    assert not Invitation.objects.filter(meeting=meeting).exclude(sent_at=None).exists()
    assert not OutgoingEmail.objects.filter(purpose="invitation").exists()
    sent = services.send_batch(meeting, base_url="http://127.0.0.1", by=None, size=50).sent
    again = services.send_batch(meeting, base_url="http://127.0.0.1", by=None, size=50).sent
    assert sent == 5 and again == 0, (sent, again)
    assert OutgoingEmail.objects.filter(purpose="invitation").count() == 5
    print(f"invitations: none marked sent or queued by the killed batch; {sent} sent once")


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccm.settings")
    import django

    django.setup()
    scenario, phase = sys.argv[1], sys.argv[2]
    if phase == "run" and scenario != "invoices":
        pause_at(1, Path(sys.argv[3]))
    globals()[f"{scenario}_{phase}"]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
