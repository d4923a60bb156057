"""Individual reminders e-mailed to national focal points: idempotent, safe to run from cron.

A reminder is queued once per obligation and stage ("deadline approaching", then "overdue"): the
log and the message are written in one short transaction, under a unique constraint, so a second
run — or two runs at once — never queues the same reminder twice. The outbox (`ccm.core.mail`)
sends it after commit, at most once, with no transaction open while the mail server answers.

"Overdue" is sent only for a report certainly overdue (issue #24). A report merely not in our
record gets a request to send a copy (stage "confirm"), at most once a year: the log's cycle
(whole years since the deadline) keys it, and none goes within a year of the last one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
from ccm.core.dates import add_years
from ccm.core.models import OutgoingEmail
from ccm.registry.models import Contact, ContactRole


def obligation_key(o: Obligation) -> str:
    return o.kind.value if o.period is None else f"{o.kind.value}:{o.period}"


def stage_of(o: Obligation) -> str:
    if o.status is Compliance.OVERDUE:
        return ReminderStage.OVERDUE
    if o.status is Compliance.UNKNOWN:
        return ReminderStage.CONFIRM
    return ReminderStage.UPCOMING


def cycle_of(o: Obligation, as_of: date) -> int:
    """0 for a deadline's reminders; for a request to confirm, the whole years since the
    deadline on `as_of` (one request per cycle, so two runs at once cannot both send it)."""
    if o.status is not Compliance.UNKNOWN:
        return 0
    years = as_of.year - o.due_date.year
    return years if add_years(o.due_date, years) <= as_of else years - 1


class Log:
    """The reminders already logged, read once: what a run must not send again."""

    def __init__(self) -> None:
        rows = ReminderLog.objects.values_list(
            "state_id", "obligation", "stage", "due_date", "cycle", "asked_on"
        )
        self.sent: set[tuple[str, str, str, date, int]] = set()
        self.asked: dict[tuple[str, str, date], list[date]] = {}  # requests to confirm
        for state, obligation, stage, due, cycle, asked_on in rows:
            self.sent.add((state, obligation, stage, due, cycle))
            if stage == ReminderStage.CONFIRM and asked_on is not None:
                self.asked.setdefault((state, obligation, due), []).append(asked_on)

    def is_new(self, iso3: str, o: Obligation, as_of: date) -> bool:
        key = (iso3, obligation_key(o), stage_of(o), o.due_date, cycle_of(o, as_of))
        if key in self.sent:
            return False
        if o.status is Compliance.UNKNOWN:
            # At most once a year: none asked within the year before `as_of` (or after it).
            since = add_years(as_of, -1)
            asked = self.asked.get((iso3, obligation_key(o), o.due_date), [])
            return not any(day > since for day in asked)
        return True


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
    log = Log()
    recipients: dict[str, list[str]] = {}
    queued: dict[int, str] = {}  # outgoing e-mail id -> its log line
    for c in Contact.objects.filter(active=True, role=ContactRole.NATIONAL_FOCAL_POINT).exclude(
        email=""
    ):
        recipients.setdefault(c.state_id, []).append(c.email)
    for r in letters.letters_by_state(items, as_of):
        iso3 = r.state.iso3
        new = [o for o in r.overdue + r.upcoming + r.unconfirmed if log.is_new(iso3, o, as_of)]
        if not new:
            outcome.already += 1
            continue
        to = sorted(recipients.get(iso3, []))
        if not to:
            outcome.skipped.append(f"{iso3}: no active national focal point with an e-mail")
            continue
        # The letter asks to confirm only what this run asks (once a year), and reminds of
        # everything certainly overdue or due, as before.
        r = replace(r, unconfirmed=[o for o in r.unconfirmed if o in new])
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
        if r.is_reminder:
            subject = _("Convention on Cluster Munitions: Article 7 reports of %(state)s") % {
                "state": r.state.name
            }
            body = _(
                "Dear colleague,\n\nPlease find attached a reminder about the transparency "
                "reports of %(state)s under Article 7 of the Convention on Cluster Munitions.\n\n"
                "Implementation Support Unit"
            ) % {"state": r.state.name}
        else:  # nothing certain: a request to confirm, never an "overdue" reminder (issue #24)
            subject = _(
                "Convention on Cluster Munitions: please confirm the Article 7 reports of %(state)s"
            ) % {"state": r.state.name}
            body = _(
                "Dear colleague,\n\nSome transparency reports of %(state)s under Article 7 of "
                "the Convention on Cluster Munitions are not in our record; the attached letter "
                "lists them. If you submitted them, please send us a copy, so that we can "
                "correct our record.\n\nImplementation Support Unit"
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
                cycle=cycle_of(o, r.as_of),
                asked_on=r.as_of,
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
