"""Individual reminders e-mailed to national focal points: idempotent, safe to run from cron.

A reminder is sent once per obligation and stage ("deadline approaching", then "overdue"): the
log is written in the same transaction as the sending, under a unique constraint, so a second
run — or two runs at once — never sends the same reminder twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ccm.core import audit
from ccm.registry.models import Contact, ContactRole
from ccm.reporting import dashboard, letters
from ccm.reporting.choices import ReminderStage
from ccm.reporting.models import ReminderLog
from ccm.reporting.rules import Compliance, Obligation
from ccm.reporting.selectors import snapshot


def obligation_key(o: Obligation) -> str:
    return o.kind.value if o.period is None else f"{o.kind.value}:{o.period}"


def stage_of(o: Obligation) -> str:
    return ReminderStage.OVERDUE if o.status is Compliance.OVERDUE else ReminderStage.UPCOMING


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)  # one line per e-mail
    skipped: list[str] = field(default_factory=list)  # States without a focal point e-mail
    already: int = 0  # reminders already sent for every obligation of the State


def send_reminders(as_of: date, *, dry_run: bool = False, include_demo: bool = False) -> Outcome:
    board = dashboard.build(snapshot(include_demo), as_of)
    outcome = Outcome()
    logged = set(ReminderLog.objects.values_list("state_id", "obligation", "stage", "due_date"))
    recipients: dict[str, list[str]] = {}
    for c in Contact.objects.filter(active=True, role=ContactRole.NATIONAL_FOCAL_POINT).exclude(
        email=""
    ):
        recipients.setdefault(c.state_id, []).append(c.email)
    for r in letters.reminders(board):
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
            _send(r, new, to)
        except IntegrityError:
            outcome.already += 1  # another run sent it meanwhile
            continue
        outcome.sent.append(line)
    return outcome


@transaction.atomic
def _send(r: letters.Reminder, new: list[Obligation], to: list[str]) -> None:
    for o in new:
        ReminderLog.objects.create(
            state=r.state,
            obligation=obligation_key(o),
            stage=stage_of(o),
            due_date=o.due_date,
            recipients=", ".join(to),
            language=r.language,
        )
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
    message = EmailMessage(subject, body, to=to)
    message.attach(
        f"ccm-reminder-{r.state.iso3}-{r.as_of.isoformat()}.pdf",
        letters.pdf(html),
        "application/pdf",
    )
    message.send()
    audit.record(
        "reminder.sent",
        actor_label="ccm send_reminders",
        obj=r.state,
        summary=f"{r.state.iso3}: " + ", ".join(f"{obligation_key(o)} {stage_of(o)}" for o in new),
        after={"to": to},
    )
