"""Individual reminders e-mailed to national focal points: idempotent, safe to run from cron.

A reminder is queued once per obligation and stage ("deadline approaching", then "overdue"): the
log and the message are written in one short transaction, under a unique constraint, so a second
run — or two runs at once — never queues the same reminder twice. The outbox (`ccm.core.mail`)
sends it after commit, at most once, with no transaction open while the mail server answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ccm.compliance import letters
from ccm.compliance.choices import ReminderStage
from ccm.compliance.models import ReminderLog
from ccm.compliance.rules import Compliance, Obligation
from ccm.compliance.selectors import engine_inputs
from ccm.core import audit, mail
from ccm.core.models import OutgoingEmail
from ccm.registry.models import Contact, ContactRole


def obligation_key(o: Obligation) -> str:
    return o.kind.value if o.period is None else f"{o.kind.value}:{o.period}"


def stage_of(o: Obligation) -> str:
    return ReminderStage.OVERDUE if o.status is Compliance.OVERDUE else ReminderStage.UPCOMING


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)  # one line per e-mail
    skipped: list[str] = field(default_factory=list)  # States without a focal point e-mail
    already: int = 0  # reminders already sent for every obligation of the State
    failed: list[str] = field(default_factory=list)  # queued, the mail server refused: retried
    delivery: mail.Delivery | None = None  # what the outbox did (older messages included)


def send_reminders(as_of: date, *, dry_run: bool = False, include_demo: bool = False) -> Outcome:
    items = engine_inputs(include_demo).obligations(as_of)
    outcome = Outcome()
    logged = set(ReminderLog.objects.values_list("state_id", "obligation", "stage", "due_date"))
    recipients: dict[str, list[str]] = {}
    queued: dict[int, str] = {}  # outgoing e-mail id -> its log line
    for c in Contact.objects.filter(active=True, role=ContactRole.NATIONAL_FOCAL_POINT).exclude(
        email=""
    ):
        recipients.setdefault(c.state_id, []).append(c.email)
    for r in letters.reminders(items, as_of):
        iso3 = r.state.iso3
        new = [
            o
            for o in r.overdue + r.upcoming
            if (iso3, obligation_key(o), stage_of(o), o.due_date) not in logged
        ]
        if not new:
            outcome.already += 1
            continue
        to = sorted(recipients.get(iso3, []))
        if not to:
            outcome.skipped.append(f"{iso3}: no active national focal point with an e-mail")
            continue
        line = f"{iso3} ({r.language}) to {', '.join(to)}: " + ", ".join(
            f"{obligation_key(o)} {stage_of(o)}" for o in new
        )
        if dry_run:
            outcome.sent.append(line)
            continue
        try:
            queued[_queue(r, new, to).pk] = line
        except IntegrityError:
            outcome.already += 1  # another run queued it meanwhile
    if dry_run:
        return outcome
    # After commit, outside any transaction: the mail server may be slow.
    outcome.delivery = mail.deliver_pending()
    for pk, line in queued.items():
        if pk in outcome.delivery.sent:
            outcome.sent.append(line)
        elif pk in outcome.delivery.failed:
            outcome.failed.append(f"{line} ({outcome.delivery.failed[pk]})")
    return outcome


def _message(r: letters.Reminder) -> tuple[str, str, tuple[str, bytes, str]]:
    """Subject, body and PDF, rendered before the transaction (WeasyPrint takes seconds)."""
    html = letters.render_reminder(r)
    with translation.override(r.language):
        subject = _("Convention on Cluster Munitions: Article 7 reports of %(state)s") % {
            "state": r.state.name
        }
        body = _(
            "Dear colleague,\n\nPlease find attached a reminder about the transparency reports "
            "of %(state)s under Article 7 of the Convention on Cluster Munitions.\n\n"
            "Implementation Support Unit"
        ) % {"state": r.state.name}
    name = f"ccm-reminder-{r.state.iso3}-{r.as_of.isoformat()}.pdf"
    return subject, body, (name, letters.pdf(html), "application/pdf")


def _queue(r: letters.Reminder, new: list[Obligation], to: list[str]) -> OutgoingEmail:
    subject, body, attachment = _message(r)
    with transaction.atomic():
        for o in new:
            ReminderLog.objects.create(
                state=r.state,
                obligation=obligation_key(o),
                stage=stage_of(o),
                due_date=o.due_date,
                recipients=", ".join(to),
                language=r.language,
            )
        email = mail.queue_email(subject, body, to, attachments=[attachment], purpose="reminder")
        audit.record(
            "reminder.sent",
            actor_label="ccm send_reminders",
            obj=r.state,
            summary=f"{r.state.iso3}: "
            + ", ".join(f"{obligation_key(o)} {stage_of(o)}" for o in new),
            after={"to": to, "outgoing_email": email.pk},
        )
    return email
