"""Reminders go through the outbox: queued with their log in one short transaction, sent after
commit with a timeout, at most once (issue: mail sent inside a database transaction)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core import mail as django_mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ccm.compliance import letters
from ccm.compliance.models import ReminderLog
from ccm.compliance.tests.factories import complete_record
from ccm.core import mail
from ccm.core.models import EmailStatus, OutgoingEmail
from ccm.registry.models import State
from ccm.registry.tests import factories

# Real commits: the point is what happens outside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)

AS_OF = "2012-06-01"  # Chile's initial report (due 2011-11-28) is overdue (a complete record)


@pytest.fixture(autouse=True)
def fast_pdf() -> Iterator[None]:
    with mock.patch.object(letters, "pdf", return_value=b"%PDF-1.7 test"):
        yield


@pytest.fixture
def chile_focal_point(chile: State) -> State:
    factories.ContactFactory(state=chile, email="focal@chl.example")
    complete_record("CHL")  # the ISU's record is complete: the missing report is overdue
    return chile


def _reminders(*args: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--as-of", AS_OF, *args, stdout=out)
    return out.getvalue()


def test_log_and_message_are_queued_together_and_sent_with_no_transaction_open(
    chile_focal_point: State,
) -> None:
    seen: list[dict[str, Any]] = []
    real_send = EmailMessage.send

    def send(message: EmailMessage, fail_silently: bool = False) -> int:
        seen.append(
            {
                "in_atomic_block": connection.in_atomic_block,
                "logged": ReminderLog.objects.filter(state_id="CHL").count(),
                "status": OutgoingEmail.objects.get().status,
            }
        )
        return real_send(message, fail_silently)

    with mock.patch.object(EmailMessage, "send", send):
        out = _reminders()
    assert "sent: CHL" in out and "1 e-mail(s) sent" in out
    logged = ReminderLog.objects.count()
    assert logged > 0  # committed before the mail server was called
    assert seen == [{"in_atomic_block": False, "logged": logged, "status": EmailStatus.SENDING}]
    email = OutgoingEmail.objects.get()
    assert email.status == EmailStatus.SENT and email.attempts == 1 and email.sent_at
    assert email.purpose == "reminder" and email.to == ["focal@chl.example"]
    sent = django_mail.outbox[0]
    assert sent.attachments[0][1] == b"%PDF-1.7 test"
    assert sent.attachments[0][2] == "application/pdf"


def test_log_is_not_written_when_the_message_cannot_be_queued(chile_focal_point: State) -> None:
    with (
        mock.patch.object(mail, "queue_email", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        _reminders()
    assert ReminderLog.objects.count() == 0 and OutgoingEmail.objects.count() == 0


def test_pdf_is_rendered_before_the_transaction_opens(chile_focal_point: State) -> None:
    atomic: list[bool] = []

    def pdf(html: str) -> bytes:
        atomic.append(connection.in_atomic_block)
        return b"%PDF"

    with mock.patch.object(letters, "pdf", pdf):
        _reminders()
    assert atomic == [False]


def test_second_run_sends_nothing(chile_focal_point: State) -> None:
    _reminders()
    again = _reminders()
    assert "0 e-mail(s) sent" in again and "1 State(s) already reminded" in again
    assert len(django_mail.outbox) == 1 and OutgoingEmail.objects.count() == 1


def test_message_left_sending_by_a_killed_run_is_reported_uncertain_not_sent_again(
    chile_focal_point: State,
) -> None:
    accepted: list[EmailMessage] = []

    def accepted_then_killed(message: EmailMessage, fail_silently: bool = False) -> int:
        accepted.append(message)  # the server has it...
        raise KeyboardInterrupt  # ...and the run dies before marking it sent

    with (
        mock.patch.object(EmailMessage, "send", accepted_then_killed),
        pytest.raises(KeyboardInterrupt),
    ):
        _reminders()
    assert OutgoingEmail.objects.get().status == EmailStatus.SENDING
    # A run while the first might still be sending leaves the message alone.
    assert "0 e-mail(s) sent" in _reminders() and django_mail.outbox == []
    with time_machine.travel(timezone.now() + mail.STALE_AFTER + timedelta(minutes=1)):
        later = _reminders()
        assert f"uncertain: outgoing e-mail {OutgoingEmail.objects.get().pk}" in later
        out = io.StringIO()
        call_command("send_outbox", stdout=out)
    assert "0 e-mail(s) sent; 0 failed; 0 uncertain" in out.getvalue()
    assert django_mail.outbox == [] and len(accepted) == 1
    assert OutgoingEmail.objects.get().status == EmailStatus.UNCERTAIN


def test_failed_send_is_recorded_and_retried_by_the_next_run_up_to_the_limit(
    chile_focal_point: State,
) -> None:
    with mock.patch.object(EmailMessage, "send", side_effect=TimeoutError("timed out")):
        out = _reminders()
    assert "not sent (retried by the next run): CHL" in out and "0 e-mail(s) sent" in out
    email = OutgoingEmail.objects.get()
    assert email.status == EmailStatus.FAILED and "timed out" in email.last_error
    # The reminder is logged: the next run does not queue it again but retries the message.
    retry = io.StringIO()
    call_command("send_outbox", stdout=retry)
    assert "1 e-mail(s) sent" in retry.getvalue() and len(django_mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 2

    stuck = mail.queue_email("s", "b", ["x@example.org"])
    with mock.patch.object(EmailMessage, "send", side_effect=OSError("refused")):
        for _ in range(mail.MAX_ATTEMPTS + 2):
            mail.deliver_pending()
    stuck.refresh_from_db()
    assert stuck.status == EmailStatus.FAILED and stuck.attempts == mail.MAX_ATTEMPTS


def test_two_runs_at_once_never_send_the_same_message_twice(db: None) -> None:
    first = mail.queue_email("first", "b", ["a@example.org"])
    second = mail.queue_email("second", "b", ["b@example.org"])
    real_send = EmailMessage.send
    nested: list[mail.Delivery] = []
    started: list[bool] = []

    def send(message: EmailMessage, fail_silently: bool = False) -> int:
        if not started:  # another run starts while this one is talking to the server
            started.append(True)
            nested.append(mail.deliver_pending())
        return real_send(message, fail_silently)

    with mock.patch.object(EmailMessage, "send", send):
        outer = mail.deliver_pending()
    assert sorted([*outer.sent, *nested[0].sent]) == sorted([first.pk, second.pk])
    assert sorted(m.subject for m in django_mail.outbox) == ["first", "second"]
    assert not mail._claim(first.pk, mail.MAX_ATTEMPTS)  # sent: nobody can claim it again


def test_email_timeout_is_set_and_used_by_the_sender(db: None) -> None:
    assert settings.EMAIL_TIMEOUT == 20
    mail.queue_email("s", "b", ["a@example.org"])
    with mock.patch.object(mail, "get_connection", wraps=mail.get_connection) as get:
        mail.deliver_pending()
    get.assert_called_once_with(timeout=20)


def test_staff_resolve_an_uncertain_message(db: None) -> None:
    staff = factories.UserFactory(is_staff=True)
    email = mail.queue_email("s", "b", ["a@example.org"])
    OutgoingEmail.objects.filter(pk=email.pk).update(status=EmailStatus.UNCERTAIN, attempts=1)
    email.refresh_from_db()
    mail.resolve_uncertain(email, sent=False, by=staff)
    assert mail.deliver_pending().sent == [email.pk]
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
