"""Letters (circular, individual reminders as PDF), staff pages, and `ccm send_reminders`."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.compliance import letters
from ccm.compliance.models import ReminderLog
from ccm.compliance.tests.factories import complete_record
from ccm.core.models import AuditEvent
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.registry.models import State
from ccm.registry.tests import factories
from ccm.reports.tests.factories import Submission, SubmissionFactory

FAR = ("9999-12-31", "9000-01-01", "2999-01-01")

pytestmark = pytest.mark.django_db

STAFF_ONLY: dict[str, int | str] = {
    "anonymous": LOGIN,
    "other_focal_point": 403,
    "focal_point": 403,
    "presidency": 200,
    "staff": 200,
}


def test_letter_pages_are_for_staff_and_the_presidency(personas: dict[str, Client]) -> None:
    complete_record("CHL")  # the ISU's record is complete: a missing report is overdue
    assert_matrix(personas, "/staff/reporting/letters/?as_of=2012-06-01", STAFF_ONLY)
    assert_matrix(personas, "/staff/reporting/letters/circular/?as_of=2012-06-01", STAFF_ONLY)
    # Chile's initial report (in force 1 Jun 2011) was overdue on 1 Jun 2012.
    assert_matrix(personas, "/staff/reporting/letters/reminder/CHL/?as_of=2012-06-01", STAFF_ONLY)


def test_import_page_is_for_staff_only(personas: dict[str, Client]) -> None:
    assert_matrix(
        personas,
        "/staff/reporting/import/",
        {**STAFF_ONLY, "presidency": 403},
    )


def test_circular_quotes_the_counts_and_lists_in_the_chosen_language(
    client: Client, reference
) -> None:  # type: ignore[no-untyped-def]
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    # A record the ISU holds complete for every State: what it lacks is certainly missing.
    complete_record(*State.objects.values_list("iso3", flat=True))
    html = client.get("/staff/reporting/letters/circular/?as_of=2019-08-01&lang=en").content
    text = html.decode()
    overdue = text.split('id="circular-initial"')[1].split("</ul>")[0].count("<li>")
    assert f"As of 1 August 2019, {overdue} States Parties still have to submit" in text
    assert "Afghanistan" in text and "Namibia" not in text.split('id="circular-initial"')[1]
    fr = client.get("/staff/reporting/letters/circular/?as_of=2019-08-01&lang=fr").content
    assert "États parties" in fr.decode() and 'lang="fr"' in fr.decode()
    pdf = client.get("/staff/reporting/letters/circular/?as_of=2019-08-01&lang=es&format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert client.get("/staff/reporting/letters/circular/?lang=xx").status_code == 404


def test_individual_reminder_is_in_the_states_working_language(client: Client, reference) -> None:  # type: ignore[no-untyped-def]
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    State.objects.filter(iso3="BFA").update(language="fr")
    complete_record("BFA")  # a complete record: its missing initial report is overdue
    html = client.get("/staff/reporting/letters/reminder/BFA/?as_of=2012-06-01").content.decode()
    assert 'lang="fr"' in html and 'id="reminder-overdue"' in html
    pdf = client.get("/staff/reporting/letters/reminder/BFA/?as_of=2012-06-01&format=pdf")
    assert pdf.content.startswith(b"%PDF-")
    # Nothing to remind: 404, not an empty letter.
    assert client.get("/staff/reporting/letters/reminder/USA/").status_code == 404


def _reminders(*args: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_send_reminders_is_idempotent_and_logged(reference) -> None:  # type: ignore[no-untyped-def]
    for iso3 in ("CHL", "BFA"):
        factories.ContactFactory(
            state=State.objects.get(iso3=iso3), email=f"focal@{iso3.lower()}.example"
        )
    State.objects.filter(iso3="BFA").update(language="fr")
    complete_record("CHL", "BFA")  # complete records: what they lack is certainly overdue
    dry = _reminders("--as-of", "2012-06-01", "--dry-run")
    assert "would send: BFA (fr) to focal@bfa.example" in dry
    assert mail.outbox == [] and ReminderLog.objects.count() == 0
    first = _reminders("--as-of", "2012-06-01")
    # Chile's working language is Spanish (its official language; issue item 15).
    assert "sent: CHL (es) to focal@chl.example: initial overdue" in first
    assert len(mail.outbox) == 2
    french = next(m for m in mail.outbox if m.to == ["focal@bfa.example"])
    assert "Convention sur les armes à sous-munitions" in french.subject
    assert french.attachments[0][2] == "application/pdf"
    assert AuditEvent.objects.filter(verb="reminder.sent").count() == 2
    again = _reminders("--as-of", "2012-06-01")
    assert "0 e-mail(s) sent" in again and len(mail.outbox) == 2
    # A later stage of the same obligation is a new reminder; the old one is not repeated.
    SubmissionFactory(
        state_id="CHL", kind="initial", received_on=date(2012, 7, 1), source="t", origin="staff"
    )
    later = _reminders("--as-of", "2013-04-01")
    chl = [line for line in later.splitlines() if line.startswith("sent: CHL")]
    assert chl and "initial" not in chl[0] and "annual:2012 upcoming" in chl[0]


def test_send_reminders_skips_states_without_a_focal_point(reference) -> None:  # type: ignore[no-untyped-def]
    out = _reminders("--as-of", "2012-06-01")
    assert "skipped: CHL: no active national focal point with an e-mail" in out
    assert ReminderLog.objects.count() == 0


def test_staff_import_through_the_page_lists_errors_and_writes_nothing(
    personas: dict[str, Client],
) -> None:
    bad = io.BytesIO(
        b"iso3,kind,period,received_on,source\nCHL,annual,2011,2012-04-01,x\nXXX,annual,2011,2012-04-01,x\n"
    )
    bad.name = "register.csv"
    response = personas["staff"].post("/staff/reporting/import/", {"file": bad})
    html = response.content.decode()
    assert 'id="import-errors"' in html and "line 3: iso3 &#x27;XXX&#x27;" in html
    assert Submission.objects.count() == 0
    good = io.BytesIO(b"iso3,kind,period,received_on,source\nCHL,annual,2011,2012-04-01,x\n")
    good.name = "register.csv"
    html = personas["staff"].post("/staff/reporting/import/", {"file": good}).content.decode()
    assert 'id="import-result"' in html and Submission.objects.count() == 1
    wrong = io.BytesIO(b"%PDF-1.4")
    wrong.name = "register.pdf"
    html = personas["staff"].post("/staff/reporting/import/", {"file": wrong}).content.decode()
    assert "Choose a CSV or XLSX file." in html


def test_letters_page_queries_do_not_grow_with_the_number_of_states(client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.compliance.tests.test_views import _states

    client.force_login(make_user(Role.ISU_STAFF))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/staff/reporting/letters/?as_of=2016-06-01")
            assert response.status_code == 200
        return len(ctx)

    _states(20)
    small = count()
    _states(180)
    assert count() == small


@pytest.fixture
def fast_pdf() -> Iterator[None]:
    with mock.patch.object(letters, "pdf", return_value=b"%PDF-1.7 test"):
        yield


def test_chiles_reminder_is_in_spanish(reference: None, fast_pdf: None) -> None:
    """Moved from the registry's tests of working languages (issue #8)."""
    complete_record("CHL")  # a complete record: the reminder is an overdue one
    factories.ContactFactory(state=State.objects.get(iso3="CHL"), email="focal@chl.example")
    out = io.StringIO()
    call_command("send_reminders", "--as-of", "2012-06-01", stdout=out)
    assert "sent: CHL (es) to focal@chl.example" in out.getvalue()
    message = next(m for m in mail.outbox if m.to == ["focal@chl.example"])
    assert "Convención sobre Municiones en Racimo" in message.subject


def test_the_letters_refuse_a_far_future_date(client: Client, reference: None) -> None:
    client.force_login(make_user(Role.ISU_STAFF))
    for url in (
        "/staff/reporting/letters/",
        "/staff/reporting/letters/circular/",
        "/staff/reporting/letters/circular/?format=pdf",
        "/staff/reporting/letters/reminder/CHL/",
    ):
        sep = "&" if "?" in url else "?"
        response = client.get(f"{url}{sep}as_of=9999-12-31")
        assert response.status_code == 400, url
        assert "Choose a date no later than" in response.content.decode(), url


def test_a_refused_letter_preview_gets_the_page_and_its_pdf_one_line(
    client: Client, reference: None
) -> None:
    client.force_login(make_user(Role.ISU_STAFF))
    preview = client.get("/staff/reporting/letters/reminder/CHL/?as_of=1999-01-01")
    assert preview.status_code == 400
    assert 'name="as_of"' in preview.content.decode()
    pdf = client.get("/staff/reporting/letters/circular/?as_of=1999-01-01&format=pdf")
    assert pdf.status_code == 400
    assert pdf["Content-Type"].startswith("text/plain")
    assert pdf.content.decode().startswith("Choose a date on or after 30 May 2008")


def test_a_reminder_letter_is_for_those_who_write_them(reference: None) -> None:
    """The access helper: ISU staff and the Presidency; a focal point, even of that State, and
    an unknown or forged code get 404."""
    from django.http import Http404

    from ccm.compliance.selectors import reminder_for_user

    day = date(2012, 6, 1)
    complete_record("BFA")  # a complete record: its missing initial report is overdue
    for role in (Role.ISU_STAFF, Role.PRESIDENCY):
        letter = reminder_for_user(make_user(role), "bfa", day)
        assert letter.state.iso3 == "BFA" and letter.overdue + letter.upcoming
    for user, code in (
        (make_user(Role.FOCAL_POINT, "BFA"), "BFA"),
        (make_user(Role.ISU_STAFF), "XXX"),
        (make_user(Role.ISU_STAFF), "USA"),  # not a party: nothing owed, no letter
    ):
        with pytest.raises(Http404):
            reminder_for_user(user, code, day)
