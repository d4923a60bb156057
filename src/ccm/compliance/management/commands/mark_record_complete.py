"""`ccm mark_record_complete [--state ISO3] [--kind initial|annual]`: the record of reports is
complete (the ISU's own register): a report it lacks was not received, so it is certainly
overdue once its deadline has passed (issue #15). Without --state, every State that is or has
been bound by the Convention: a State that withdrew owed reports for its years in force, and
they too are no longer unknown (issue #24)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.compliance import services
from ccm.registry.models import State
from ccm.registry.selectors import memberships


class Command(BaseCommand):
    help = "Mark the record of reports complete for a State (or every State Party)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--state")
        parser.add_argument("--kind", action="append", choices=list(services.REPORT_KINDS))
        parser.add_argument("--note", default="")

    def handle(self, *args: Any, **o: Any) -> None:
        kinds = o["kind"] or list(services.REPORT_KINDS)
        if o["state"]:
            state = State.objects.filter(iso3=o["state"].upper()).first()
            if state is None:
                raise CommandError(f"--state: {o['state']!r} is not a known State", returncode=2)
            states = [state]
        else:
            bound = [m.iso3 for m in memberships().values() if m.deposit is not None]
            states = list(State.objects.filter(iso3__in=bound).order_by("iso3"))
        marked = sum(
            services.mark_record_complete(s, k, by=None, note=o["note"])
            for s in states
            for k in kinds
        )
        self.stdout.write(
            f"{marked} record(s) marked complete ({len(states)} State(s), {', '.join(kinds)})"
        )
