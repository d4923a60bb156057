"""The outbox: e-mail queued inside a transaction, sent after it commits, at most once.

Sending mail inside a transaction held the database (SQLite: "database is locked" for every
sign-in) for as long as the mail server took, and a run killed after the server accepted a
message sent it again. So (issue: mail sent inside a database transaction):

- `queue_email` writes the message (attachments rendered beforehand) in the caller's short
  transaction, beside what it reports (the reminder log);
- `deliver_pending` runs after commit, with no transaction open. It claims each message by one
  conditional UPDATE (PENDING/FAILED -> SENDING, committed), so two runs at once never both
  send it; then hands it to the mail server (timeout: `EMAIL_TIMEOUT`) and marks it SENT, or
  FAILED with the error (retried by the next run, up to `MAX_ATTEMPTS`);
- a message still SENDING after `STALE_AFTER` belonged to a run killed mid-send: the server may
  or may not have accepted it, so it is marked UNCERTAIN for staff to check, never re-sent.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ccm.core import audit
from ccm.core.models import EmailStatus, OutgoingEmail

MAX_ATTEMPTS = 5
# A send lasts at most a few EMAIL_TIMEOUTs (connect, each SMTP command); a message SENDING for
# longer than this was left by a run that died.
STALE_AFTER = timedelta(minutes=15)


def queue_email(
    subject: str,
    body: str,
    to: Sequence[str],
    *,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    from_email: str | None = None,
    purpose: str = "",
) -> OutgoingEmail:
    """Put a message in the outbox. Call it inside the transaction that records why it is sent;
    render attachments (PDFs) before opening that transaction, so it stays short."""
    return OutgoingEmail.objects.create(
        subject=subject,
        body=body,
        to=list(to),
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        attachments=[
            {"filename": name, "mimetype": mimetype, "content": base64.b64encode(data).decode()}
            for name, data, mimetype in attachments
        ],
        purpose=purpose,
    )


@dataclass
class Delivery:
    """What one `deliver_pending` did, by message id."""

    sent: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)  # id -> error
    uncertain: list[int] = field(default_factory=list)  # newly found left SENDING


def message_of(email: OutgoingEmail) -> EmailMessage:
    message = EmailMessage(email.subject, email.body, email.from_email, to=email.to)
    for a in email.attachments:
        message.attach(a["filename"], base64.b64decode(a["content"]), a["mimetype"])
    return message


def _claim(pk: int, max_attempts: int) -> bool:
    """PENDING/FAILED -> SENDING in one statement: only one run can win it."""
    return bool(
        OutgoingEmail.objects.filter(
            pk=pk,
            status__in=[EmailStatus.PENDING, EmailStatus.FAILED],
            attempts__lt=max_attempts,
        ).update(
            status=EmailStatus.SENDING,
            attempts=F("attempts") + 1,
            sending_since=timezone.now(),
        )
    )


def deliver_pending(*, max_attempts: int = MAX_ATTEMPTS) -> Delivery:
    """Send what waits in the outbox. Call it after the queueing transaction has committed
    (commands run in autocommit: call it at the end of the command)."""
    delivery = Delivery()
    stale = OutgoingEmail.objects.filter(
        status=EmailStatus.SENDING, sending_since__lt=timezone.now() - STALE_AFTER
    )
    delivery.uncertain = list(stale.values_list("pk", flat=True))
    OutgoingEmail.objects.filter(pk__in=delivery.uncertain, status=EmailStatus.SENDING).update(
        status=EmailStatus.UNCERTAIN,
        last_error="The run sending it stopped before the mail server answered.",
    )
    waiting = OutgoingEmail.objects.filter(
        status__in=[EmailStatus.PENDING, EmailStatus.FAILED], attempts__lt=max_attempts
    ).order_by("created_at", "pk")
    connection = None
    for pk in list(waiting.values_list("pk", flat=True)):
        if not _claim(pk, max_attempts):
            continue  # another run took it
        email = OutgoingEmail.objects.get(pk=pk)
        try:
            if connection is None:
                connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
            message = message_of(email)
            message.connection = connection
            message.send()
        except Exception as exc:  # noqa: BLE001 - any failure of the server is recorded
            error = f"{type(exc).__name__}: {exc}"[:2000]
            OutgoingEmail.objects.filter(pk=pk, status=EmailStatus.SENDING).update(
                status=EmailStatus.FAILED, last_error=error
            )
            delivery.failed[pk] = error
            connection = None  # a broken connection is not reused
            continue
        OutgoingEmail.objects.filter(pk=pk).update(
            status=EmailStatus.SENT, sent_at=timezone.now(), last_error=""
        )
        delivery.sent.append(pk)
    return delivery


def pending_count() -> int:
    return OutgoingEmail.objects.filter(
        status__in=[EmailStatus.PENDING, EmailStatus.FAILED], attempts__lt=MAX_ATTEMPTS
    ).count()


@transaction.atomic
def resolve_uncertain(
    email: OutgoingEmail, *, sent: bool, by: AbstractBaseUser | AnonymousUser | None
) -> None:
    """Staff checked an UNCERTAIN (or given-up FAILED) message with the mail server: it was
    received (mark it SENT), or it was not (queue it again, attempts reset)."""
    before = {"status": email.status, "attempts": email.attempts}
    if sent:
        email.status, email.sent_at = EmailStatus.SENT, email.sent_at or timezone.now()
    else:
        email.status, email.attempts = EmailStatus.PENDING, 0
    email.save(update_fields=["status", "sent_at", "attempts"])
    audit.record(
        "email.resolved",
        by=by,
        obj=email,
        summary=f"{', '.join(email.to)}: {email.subject}",
        before=before,
        after={"status": email.status},
    )


def failed() -> list[OutgoingEmail]:
    """The messages the mail server refused (retried until MAX_ATTEMPTS), latest first."""
    return list(
        OutgoingEmail.objects.filter(status=EmailStatus.FAILED).defer("attachments", "body")
    )


def uncertain() -> list[OutgoingEmail]:
    """The messages whose sending was cut off: staff check with the mail server."""
    return list(
        OutgoingEmail.objects.filter(status=EmailStatus.UNCERTAIN).defer("attachments", "body")
    )
