"""`ccm send_outbox`: send (or retry) the e-mails waiting in the outbox; safe from cron.

Prints one line per message sent, failed (retried next time, up to a limit) or found cut off
mid-send ("uncertain": never re-sent automatically; staff check it in the admin).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ccm.core import mail
from ccm.core.models import OutgoingEmail


class Command(BaseCommand):
    help = "Send the e-mails waiting in the outbox; retry failed ones; never send one twice."

    def handle(self, *args: Any, **options: Any) -> None:
        delivery = mail.deliver_pending()
        emails = OutgoingEmail.objects.in_bulk(
            [*delivery.sent, *delivery.failed, *delivery.uncertain]
        )

        def label(pk: int) -> str:
            e = emails[pk]
            return f"{pk} to {', '.join(e.to)}: {e.subject}"

        for pk in delivery.sent:
            self.stdout.write(f"sent: {label(pk)}")
        for pk, error in delivery.failed.items():
            self.stdout.write(f"not sent (retried by the next run): {label(pk)} ({error})")
        for pk in delivery.uncertain:
            self.stdout.write(f"uncertain: {label(pk)}: check with the mail server")
        self.stdout.write(
            f"{len(delivery.sent)} e-mail(s) sent; {len(delivery.failed)} failed; "
            f"{len(delivery.uncertain)} uncertain"
        )
