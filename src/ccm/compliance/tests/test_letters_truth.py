"""One truth in the letters (issue #24): the circular names only States certainly overdue and
counts the reports it cannot confirm; a State whose only gaps are unknown gets no reminder, only
a yearly request to send a copy; `ccm letter circular` says what the letter says."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

import ccm
from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.compliance import letters
from ccm.compliance.choices import ReminderStage
from ccm.compliance.models import NotReceived, ReminderLog
from ccm.compliance.tests.factories import complete_record
from ccm.registry.models import State
from ccm.registry.tests import factories

pytestmark = pytest.mark.django_db

# The shipped public record on 15 January 2017 (issue #24): the evidence supports 19 initial
# reports certainly missing; Australia, France, Japan and the United Kingdom are not among them.
ISSUE_DAY = "2017-01-15"
NEVER_NAMED = {"AUS": "Australia", "FRA": "France", "JPN": "Japan", "GBR": "United Kingdom"}
NEVER_NAMED_FR = ("Australie", "Japon", "Royaume-Uni")


@pytest.fixture
def fast_pdf() -> Iterator[None]:
    """The PDF is the letter's HTML, so a test can compare two of them (WeasyPrint is slow)."""
    with mock.patch.object(letters, "pdf", side_effect=lambda html: html.encode()):
        yield


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _circular(day: str, language: str = "en") -> dict[str, Any]:
    return json.loads(
        _command("letter", "circular", "--as-of", day, "--language", language, "--format", "json")
    )


def _statuses(day: str, *iso3: str) -> dict[str, str]:
    """Each State's initial report status from `ccm obligations`."""
    out = {}
    for code in iso3:
        rows = json.loads(
            _command("obligations", "--as-of", day, "--state", code, "--format", "json")
        )
        out[code] = next(r["status"] for r in rows if r["kind"] == "initial")
    return out


def test_the_circular_on_the_public_record_names_only_the_certainly_overdue(
    reference: None,
) -> None:
    data = _circular(ISSUE_DAY)
    initial = data["initial"]
    assert data["as_of"] == ISSUE_DAY and data["language"] == "en"
    # The figures seen on the shipped record (the issue: 19 certain and 69 unknown of 88).
    assert len(initial["overdue_iso3"]) == 19 and initial["unknown"] == 69
    assert _statuses(ISSUE_DAY, *NEVER_NAMED) == dict.fromkeys(NEVER_NAMED, "unknown")
    assert not set(NEVER_NAMED) & set(initial["overdue_iso3"])
    # The same sets as `ccm compliance`: certain by name, unknown as a count, `due` alike.
    compliance = json.loads(_command("compliance", "--as-of", ISSUE_DAY, "--format", "json"))
    assert initial["overdue_iso3"] == compliance["initial"]["overdue_certain_iso3"]
    assert initial["unknown"] == len(compliance["initial"]["unknown_iso3"])
    assert initial["due"] == compliance["initial"]["due"]
    by_year = {t["period"]: t for t in compliance["annual"]}
    for part in data["annual"]:
        year = by_year[part["period"]]
        assert part["overdue_iso3"] == year["overdue_certain_iso3"]
        assert (part["unknown"], part["due"]) == (len(year["unknown_iso3"]), year["due"])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_circular_letter_never_names_an_unknown_state(
    client: Client, reference: None, language: str
) -> None:
    client.force_login(make_user(Role.ISU_STAFF))
    url = f"/staff/reporting/letters/circular/?as_of={ISSUE_DAY}&lang={language}"
    html = client.get(url).content.decode()
    assert f'lang="{language}"' in html
    named = html.split('id="circular-initial"')[1].split("</ul>")[0]
    assert named.count("<li>") == 19
    certain = _circular(ISSUE_DAY)["initial"]["overdue_iso3"]
    for state in State.objects.filter(iso3__in=certain):
        with_language = state.name_fr if language == "fr" else state.name_en
        assert f"<li>{with_language}</li>" in named
    for name in (*NEVER_NAMED.values(), *NEVER_NAMED_FR):
        assert name not in html, name
    # The unknown ones are a number, never names.
    unknown = html.split('id="circular-initial-unknown"')[1].split("</p>")[0]
    assert "69" in unknown and "<li>" not in unknown


def test_with_the_record_complete_the_circular_names_every_missing_report(
    reference: None,
) -> None:
    complete_record(*NEVER_NAMED)
    initial = _circular(ISSUE_DAY)["initial"]
    assert set(NEVER_NAMED) <= set(initial["overdue_iso3"])
    assert len(initial["overdue_iso3"]) == 23 and initial["unknown"] == 65


def test_ccm_letter_circular_writes_the_staff_pages_pdf(
    client: Client, reference: None, fast_pdf: None, tmp_path: Path
) -> None:
    out = tmp_path / "circular.pdf"
    text = _command(
        "letter", "circular", "--as-of", ISSUE_DAY, "--language", "fr", "--out", str(out)
    )
    assert f"written: {out}" in text
    assert text.startswith("initial: due 98, named as overdue 19 (BLZ BOL ")
    client.force_login(make_user(Role.ISU_STAFF))
    page = client.get(f"/staff/reporting/letters/circular/?as_of={ISSUE_DAY}&lang=fr&format=pdf")
    assert out.read_bytes() == page.content  # the same function, the same letter
    assert 'lang="fr"' in page.content.decode()


def test_ccm_letter_circular_prints_a_real_pdf(reference: None, tmp_path: Path) -> None:
    out = tmp_path / "circular.pdf"
    _command("letter", "circular", "--as-of", "2012-06-01", "--language", "es", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["letters"], "'letters' is not one of circular"),
        (["circular", "--as-of", "2017-02-30"], "--as-of: '2017-02-30' is not a date"),
        (["circular", "--as-of", "1999-01-01"], "--as-of: Choose a date on or after"),
        (["circular", "--as-of", "9999-12-31"], "--as-of: Choose a date no later than"),
        (["circular", "--language", "de"], "--language: 'de' is not one of en, fr, es"),
        (["circular", "--format", "xml"], "--format: 'xml' is not one of text, json"),
        (["circular", "--out", "/no/such/folder/c.pdf"], "--out: folder '/no/such/folder'"),
        (["circular", "--out", "/tmp"], "--out: '/tmp' is a directory"),
    ],
)
def test_ccm_letter_refuses_bad_input_with_one_line(
    db: None, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as refused:
        _command("letter", *args)
    assert refused.value.returncode == 2
    assert str(refused.value).startswith(message) and "\n" not in str(refused.value)


def test_ccm_letter_refuses_a_path_it_cannot_write(
    reference: None, fast_pdf: None, tmp_path: Path
) -> None:
    with (
        mock.patch.object(
            Path, "write_bytes", side_effect=PermissionError(13, "Permission denied")
        ),
        pytest.raises(CommandError) as refused,
    ):
        _command("letter", "circular", "--as-of", ISSUE_DAY, "--out", str(tmp_path / "c.pdf"))
    assert refused.value.returncode == 2
    assert str(refused.value).endswith("cannot be written (Permission denied)")


def test_ccm_letter_from_the_shell_exits_2_with_one_line() -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(ccm.__file__).resolve().parents[1])}
    done = subprocess.run(
        [sys.executable, "-m", "ccm", "letter", "circular", "--language", "xx"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "CommandError: --language: 'xx' is not one of en, fr, es"
    ]


# ---------------------------------------------------------------------------------------------
# Individual letters and the letters page
# ---------------------------------------------------------------------------------------------


def test_a_state_whose_only_gaps_are_unknown_gets_no_reminder(
    client: Client, reference: None
) -> None:
    client.force_login(make_user(Role.ISU_STAFF))
    # Chile's initial report (due 28 November 2011) is not in the public record on 1 June 2012,
    # and nothing shows it had not arrived.
    assert _statuses("2012-06-01", "CHL") == {"CHL": "unknown"}
    response = client.get("/staff/reporting/letters/reminder/CHL/?as_of=2012-06-01")
    assert response.status_code == 404
    page = client.get("/staff/reporting/letters/?as_of=2012-06-01").content.decode()
    reminders = page.split('id="reminders"')[1].split("</table>")[0]
    assert 'data-iso3="CHL"' not in reminders
    confirm = page.split('id="confirm-only"')[1].split("</table>")[0]
    assert 'data-iso3="CHL"' in confirm
    assert "They get no reminder and are not named as late" in page
    # The page's counts are the circular's: certain ones, and the unconfirmed as a number.
    data = _circular("2012-06-01")
    counts = page.split('id="circular-counts"')[1].split("</p>")[0]
    assert f"{len(data['initial']['overdue_iso3'])} initial reports certainly overdue" in counts
    unknown = data["initial"]["unknown"] + sum(p["unknown"] for p in data["annual"])
    assert f"it gives {unknown} further reports" in counts


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_reminder_lists_the_certain_as_overdue_and_the_unknown_apart(
    client: Client, reference: None, language: str
) -> None:
    client.force_login(make_user(Role.ISU_STAFF))
    State.objects.filter(iso3="CHL").update(language=language)
    # Evidence that Chile's initial report had not arrived; its 2011 annual report: none.
    NotReceived.objects.create(
        state_id="CHL", kind="initial", as_of=date(2012, 6, 1), source="test statement"
    )
    html = client.get("/staff/reporting/letters/reminder/CHL/?as_of=2012-06-01").content.decode()
    assert f'lang="{language}"' in html
    overdue = html.split('id="reminder-overdue"')[1].split("</table>")[0]
    unconfirmed = html.split('id="reminder-unconfirmed"')[1].split("</table>")[0]
    initial, annual = ("rapport initial", "rapport annuel") if language == "fr" else (
        "initial report", "annual report")  # fmt: skip
    assert initial in overdue and annual not in overdue
    assert f"{annual} 2011" in unconfirmed and initial not in unconfirmed
    page = client.get("/staff/reporting/letters/?as_of=2012-06-01").content.decode()
    row = page.split('data-iso3="CHL"')[1].split("</tr>")[0]
    assert row.startswith("><td>Chile</td><td>1</td><td>0</td><td>1</td>")


# ---------------------------------------------------------------------------------------------
# ccm send_reminders
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def focal_points(reference: None, fast_pdf: None) -> None:
    for iso3 in ("CHL", "BFA"):
        factories.ContactFactory(
            state=State.objects.get(iso3=iso3), email=f"focal@{iso3.lower()}.example"
        )
    State.objects.filter(iso3="BFA").update(language="fr")


def _send(day: str) -> str:
    return _command("send_reminders", "--as-of", day)


def test_send_reminders_asks_to_confirm_an_unknown_report_and_never_says_overdue(
    focal_points: None,
) -> None:
    State.objects.filter(iso3="CHL").update(language="en")
    first = _send("2012-06-01")
    assert "sent: CHL (en) to focal@chl.example: initial confirm, annual:2011 confirm" in first
    assert "sent: BFA (fr) to focal@bfa.example: initial confirm, annual:2010 confirm" in first
    assert not ReminderLog.objects.filter(stage=ReminderStage.OVERDUE).exists()
    assert " overdue" not in first
    english = next(m for m in mail.outbox if m.to == ["focal@chl.example"])
    assert english.subject == (
        "Convention on Cluster Munitions: please confirm the Article 7 reports of Chile"
    )
    assert "are not in our record" in english.body and "please send us a copy" in english.body
    assert "overdue" not in english.body
    french = next(m for m in mail.outbox if m.to == ["focal@bfa.example"])
    for message, initial in ((english, "initial report"), (french, "rapport initial")):
        letter = message.attachments[0][1].decode()
        assert 'id="reminder-unconfirmed"' in letter and 'id="reminder-overdue"' not in letter
        assert initial in letter.split('id="reminder-unconfirmed"')[1]
    assert 'lang="fr"' in french.attachments[0][1].decode()
    # The same day again: nothing more.
    again = _send("2012-06-01")
    assert "0 e-mail(s) sent" in again and len(mail.outbox) == 2


def test_a_request_to_confirm_goes_at_most_once_a_year(focal_points: None) -> None:
    def asked(day: str) -> bool:
        """Burkina Faso was asked about its initial report on `day`."""
        out = _send(day)
        return any(
            line.startswith("sent: BFA") and ": initial confirm" in line
            for line in out.splitlines()
        )

    assert asked("2012-06-01")
    assert not asked("2012-12-01")  # half a year later: not again
    assert not asked("2013-05-31")  # a day short of a year
    assert asked("2013-06-01")  # a year on: asked again (a new cycle)
    assert not asked("2013-06-01")  # running twice sends nothing more
    cycles = sorted(
        ReminderLog.objects.filter(state_id="BFA", obligation="initial").values_list(
            "cycle", "asked_on"
        )
    )
    # Burkina Faso's initial report was due in 2011: one whole year since, then two.
    assert cycles == [(1, date(2012, 6, 1)), (2, date(2013, 6, 1))]
    assert not ReminderLog.objects.filter(stage=ReminderStage.OVERDUE).exists()


def test_a_certain_report_gets_the_overdue_reminder_and_an_unknown_one_the_request(
    focal_points: None,
) -> None:
    NotReceived.objects.create(
        state_id="CHL", kind="initial", as_of=date(2012, 6, 1), source="test statement"
    )
    out = _send("2012-06-01")
    assert "sent: CHL (es) to focal@chl.example: initial overdue, annual:2011 confirm" in out
    stages = dict(ReminderLog.objects.filter(state_id="CHL").values_list("obligation", "stage"))
    assert stages == {"initial": ReminderStage.OVERDUE, "annual:2011": ReminderStage.CONFIRM}


def test_a_complete_record_turns_the_request_into_an_overdue_reminder(
    focal_points: None,
) -> None:
    assert "BFA (fr) to focal@bfa.example: initial confirm" in _send("2012-06-01")
    complete_record("BFA")
    later = _send("2012-07-01")
    assert "sent: BFA (fr) to focal@bfa.example: initial overdue" in later
