"""A generated history of reports received, for the demonstration run only (`make run`).

No public per-State history exists in our material. So that the dashboard, State pages, letters
and reminders can be seen working, `ccm load_demo_reports` makes up a plausible history: every
row is stored with origin "demo", every page that shows one says so, and the command-line
contracts never count them unless asked (`--include-demo`). Deterministic for a given seed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from ccm.compliance.rules import Compliance, Kind
from ccm.compliance.selectors import engine_inputs
from ccm.reports import services as reports
from ccm.reports.choices import Channel

SOURCE = "generated demonstration data (ccm load_demo_reports, seed {seed}): not a fact"
# Shares seen in published figures: ~80% of initial reports in by 2015, fewer annual ones.
P_SUBMITTED = {Kind.INITIAL: 0.85, Kind.ANNUAL: 0.7, Kind.RETENTION: 0.8}
P_ON_TIME = 0.55


def remove() -> int:
    return reports.remove_demo()


def generate(seed: int = 2008, today: date | None = None) -> int:
    """Replace any demonstration rows with a fresh history up to `today`; returns the count."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    # A State's habit: some report every year, some rarely (the ISU's long-running lists).
    diligence: dict[str, float] = {}
    rows = []
    for o in engine_inputs().obligations(today):
        if not o.kind.is_report or o.status not in (Compliance.OVERDUE, Compliance.UNKNOWN):
            continue  # nothing owed yet, or a real record already satisfies it
        habit = diligence.setdefault(o.iso3, rng.betavariate(4, 1.5))
        if rng.random() > P_SUBMITTED[o.kind] * habit * 1.15:
            continue
        if rng.random() < P_ON_TIME:
            received = o.due_date - timedelta(days=rng.randint(0, 60))
        else:
            received = o.due_date + timedelta(days=int(rng.expovariate(1 / 90)) + 1)
        if received > today:
            continue
        rows.append(
            {
                "state_id": o.iso3,
                "kind": o.kind.value,
                "period": o.period,
                "received_on": received,
                "channel": rng.choice([Channel.EMAIL_UN, Channel.EMAIL_UN, Channel.VIA_ISU]),
                "languages": rng.choice(["en", "en", "fr", "es", "en,fr"]),
                "source": SOURCE.format(seed=seed),
            }
        )
    return reports.record_demo(rows, seed=seed)
