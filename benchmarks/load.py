"""Load on loopback with locust: public browsing, focal points saving drafts and submitting
reports, ISU staff on the dashboards and letters, delegations registering for a meeting
(issue #16, production quality, section 2).

Serves the application as in production (2 gunicorn workers, DEBUG off, the shipped reference
data) on a scratch PostgreSQL database, then runs benchmarks/locustfile.py headless at each
user count: anonymous visitors (most of the users) browse the public pages, each focal point
signs in and prepares its State's annual report form by form, submits it and amends it, staff
read the compliance dashboard, the staff pages and now and then a letter as PDF, delegations
open their personal link and register. Every person waits 1 to 5 s between pages (a visitor
0.5 to 3 s); the statistics start once every user is spawned. Each row: requests a second,
p50/p95/p99 in ms, failures (a 5xx, a 4xx the scenario did not expect, a save refused as a
conflict, a submission not confirmed). Beside them, the trivial page /health/ (no database):
the same number of users with the visitor's waits (locust), and without waits (wrk -cN, when
installed): what the server does when it does nothing.

With --soak-minutes, one run of that length at 50 users, then the accounting: every
submission the server confirmed (its receipt number) is looked up among the report versions
in the database, and every delegation save confirmed among the delegations' revisions; "lost"
counts what was confirmed and is not there.

    python benchmarks/load.py [--users 10,50,100] [--seconds 60] [--soak-minutes 10]

The database: postgres://postgres:postgres@127.0.0.1:5432/ccm_load, dropped and made again,
unless --database-url names another (a scratch one: it is migrated and loaded; sqlite:///...
works too). Sign-ins are limited to 30 a minute from one address (allauth), and here every user
comes from 127.0.0.1: about a quarter of the users sign in, so 100 users stay under the limit.
locust and gunicorn share the machine's cores. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import BIN, environment, gunicorn, prepare  # noqa: E402

HERE = Path(__file__).resolve().parent
PORT = 8791
DEFAULT_DATABASE = "postgres://postgres:postgres@127.0.0.1:5432/ccm_load"
SCENARIO = ["PublicVisitor", "FocalPoint", "Staff", "Registrant"]
KINDS = ["public", "focal point", "staff", "registration"]
SOAK_USERS = 50
RAMP = 10  # seconds to spawn the users, left out of the figures (--reset-stats)
FOCAL_POINTS = 100  # each with a State of its own: more than the scenario ever signs in
STAFF = 10
PERIOD = 2025  # the annual report the focal points prepare (started afresh)
MEETING = "99MSP"

# Run with Django set up in the deployment's environment: the people of the scenario.
SETUP = r"""
import json, sys
from datetime import timedelta
import django
django.setup()
from django.http import QueryDict
from django.utils import timezone
from django.contrib.auth.models import User
from ccm.accounts.models import Profile, Role
from ccm.meetings.models import Meeting
from ccm.meetings.tests.factories import coming_meeting
from ccm.participation import services as participation
from ccm.registry.models import State
from ccm.registry.selectors import state_rows
from ccm.reports import definition, form_pages
from ccm.reports.services import CURRENT_TEMPLATE

out, meeting_code = sys.argv[1], sys.argv[4]
focal_count, staff_count = int(sys.argv[2]), int(sys.argv[3])
today = timezone.localdate()
rows = state_rows(today)
parties = [r.state.iso3 for r in rows if str(r.status) == "in_force"]
if len(parties) < focal_count:
    raise SystemExit(f"{len(parties)} States Parties, fewer than {focal_count} focal points")


def account(role, email, *states):
    # as the tests' make_user(role, *states, two_factor=False), under a chosen address
    user = User.objects.filter(username=email).first()
    if user is None:
        user = User.objects.create_user(email, email, "correct horse battery staple")
        profile = Profile.objects.create(user=user, role=role)
        profile.states.set(State.objects.filter(iso3__in=states))
        if role == Role.ISU_STAFF:
            user.is_staff = user.is_superuser = True
            user.save()
    return email


focal = [{"email": account(Role.FOCAL_POINT, f"focal.{iso3.lower()}@load.example.org", iso3),
          "state": iso3} for iso3 in parties[:focal_count]]
staff = [account(Role.ISU_STAFF, f"staff{n}@load.example.org") for n in range(staff_count)]

meeting = Meeting.objects.filter(code=meeting_code).first() or coming_meeting(
    meeting_code, opens=today + timedelta(days=90))
participation.invite(meeting, categories={"party", "signatory", "observer"}, by=None)
links = [{"url": f"/register/{participation.link_token(i)}/", "invitation": i.pk}
         for i in meeting.invitations.filter(link_used_at=None, revoked_at=None).order_by("pk")]


def text(field, value):
    if field.type == "boolean":
        return "on" if value else None
    return "" if value is None else str(value)


def plain(values):
    # what a page can post: an empty input, an unticked box and an empty row are left out
    kept = {}
    for key, value in values.items():
        if isinstance(value, list):
            value = [plain(row) for row in value]
            value = [row for row in value if row]
        if value not in ("", None, [], False):
            kept[key] = value
    return kept


# What a person types in each form (the template's example), as the page posts it; checked
# back through the page's own reading of a POST.
template = definition.load(CURRENT_TEMPLATE)
example = definition.example_document(template)["forms"]
forms = {}
for form in template.forms:
    values, post, tables = example[form.code], {}, {}
    if form.statuses:
        for name in ("status", "unchanged_since", "explanation"):
            if name in values:
                post[name] = str(values[name])
    for f in form.fields:
        post[f.name] = text(f, values.get(f.name))
    for table in form.tables:
        given = values.get(table.name) or []
        tables[table.name] = len(given)
        for index, row in enumerate(given):
            for c in table.columns:
                post[f"{table.name}-{index}-{c.name}"] = text(c, row.get(c.name))
    query = QueryDict(mutable=True)
    for key, value in post.items():
        if value is not None:
            query[key] = value
    for name, count in tables.items():
        query[f"{name}-rows"] = str(count)
    read = form_pages.values_from(form, query)
    if read != plain(values):
        raise SystemExit(f"form {form.code}: the page reads {read!r}, not {values!r}")
    forms[form.code] = {"fields": post, "tables": tables}

with open(out, "w") as f:
    json.dump({"password": "correct horse battery staple", "focal_points": focal,
               "staff": staff, "links": links, "meeting": meeting_code, "period": {period},
               "states": sorted(State.objects.values_list("iso3", flat=True)),
               "forms": forms}, f)
""".replace("{period}", str(PERIOD))

# Run after a soak: the submissions and registrations confirmed, against the database.
ACCOUNT = r"""
import json, sys
import django
django.setup()
from ccm.participation.models import Delegation
from ccm.reports.models import ReportVersion

ledger, since = sys.argv[1], float(sys.argv[2])
receipts, saves = set(), {}
with open(ledger) as f:
    for line in f:
        entry = json.loads(line)
        if entry["what"] == "submission":
            receipts.add(entry["receipt"])
        else:
            saves.setdefault(entry["invitation"], []).append(entry["revision"])
pattern = "CCM-A7-{state}-{kind}{year}-v{number}"
stored = {
    pattern.format(state=s, kind=k, year=f"-{p}" if p else "", number=n)
    for s, k, p, n in ReportVersion.objects.values_list(
        "report__state_id", "report__kind", "report__period", "number")
}
from datetime import datetime, timezone
start = datetime.fromtimestamp(since, tz=timezone.utc)
made = ReportVersion.objects.filter(submitted_at__gte=start).count()
revisions = dict(Delegation.objects.filter(invitation_id__in=[int(k) for k in saves])
                 .values_list("invitation_id", "revision"))
lost_saves = sum(1 for k, confirmed in saves.items()
                 for r in confirmed if revisions.get(int(k), 0) < r)
print(json.dumps({
    "confirmed": len(receipts), "lost": len(receipts - stored), "made": made,
    "saves": sum(len(v) for v in saves.values()), "delegations": len(saves),
    "stored_saves": sum(revisions.values()), "stored_delegations": len(revisions),
    "lost_saves": lost_saves,
}))
"""


def scratch_database(url: str) -> None:
    """Drops and makes the PostgreSQL database `url` names."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def django_run(env: dict[str, str], code: str, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**env, "DJANGO_SETTINGS_MODULE": "ccm.settings"},
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


def locust(
    base: str, classes: list[str], users: int, seconds: int, folder: Path, label: str,
    identities: dict, ledger: Path,
) -> dict:  # fmt: skip
    """One headless locust run; the figures its locustfile wrote at the end, by kind."""
    people = folder / f"{label}-people.json"
    people.write_text(json.dumps(identities))
    summary = folder / f"{label}-summary.json"
    env = {
        **os.environ,
        "CCM_LOAD_PEOPLE": str(people),
        "CCM_LOAD_LEDGER": str(ledger),
        "CCM_LOAD_SUMMARY": str(summary),
    }
    spawn = max(1, math.ceil(users / RAMP))  # every user within 10 s; then `seconds` measured
    with open(folder / f"{label}-locust.log", "w") as log:
        subprocess.run(
            [str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
             "-u", str(users), "-r", str(spawn), "-t", f"{seconds + RAMP}s", "--host", base,
             "--csv", str(folder / label), "--only-summary", "--reset-stats",
             "--stop-timeout", "60", "--loglevel", "WARNING", *classes],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    return json.loads(summary.read_text()) if summary.exists() else {}


WRK_SCRIPT = """done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %f %f %f %f %d %d\\n", summary.requests / summary.duration * 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors))
end
"""


def wrk(url: str, connections: int, seconds: int, folder: Path) -> dict | None:
    if not shutil.which("wrk"):
        return None
    script = folder / "figures.lua"
    script.write_text(WRK_SCRIPT)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url],
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    found = re.search(r"^RESULT (\S+) (\S+) (\S+) (\S+) (\d+) (\d+)$", out, re.MULTILINE)
    if not found:
        return None
    rps, p50, p95, p99, requests, errors = found.groups()
    return {"rps": float(rps), "p50": float(p50), "p95": float(p95), "p99": float(p99),
            "requests": int(requests), "failures": int(errors)}  # fmt: skip


def row(label: str, figures: dict | None) -> str:
    if not figures or not figures.get("requests"):
        return f"{label:<34}{'—':>8}"
    return (
        f"{label:<34}{figures['rps']:>8.1f}{figures['p50']:>8.0f}{figures['p95']:>8.0f}"
        f"{figures['p99']:>8.0f}{figures['requests']:>9}{figures['failures']:>9}"
    )


HEADER = f"{'':<34}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'requests':>9}{'failures':>9}"


def people_for(identities: dict, links: list, registrants: int) -> dict:
    """The people of one run: every focal point and staff member, and personal links no
    earlier run opened (a link works once)."""
    taken = links[:registrants]
    del links[:registrants]
    return {**identities, "links": taken}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", default="10,50,100")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--soak-minutes", type=float, default=10)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--out", help="keep the locust CSV files and logs in this folder")
    args = parser.parse_args()
    counts = [int(n) for n in args.users.split(",") if n.strip()]
    database = args.database_url or DEFAULT_DATABASE
    if database == DEFAULT_DATABASE:
        scratch_database(database)
    with tempfile.TemporaryDirectory(prefix="ccm-load-") as temporary:
        folder = Path(args.out or temporary)
        folder.mkdir(parents=True, exist_ok=True)
        data = Path(temporary) / "data"
        data.mkdir()
        env = environment(data, database)
        env["EMAIL_URL"] = "dummymail://"  # receipts are made (PDF) but sent nowhere
        started = time.monotonic()
        prepare(env)
        django_run(env, SETUP, str(folder / "people.json"), str(FOCAL_POINTS), str(STAFF),
                   MEETING)  # fmt: skip
        identities = json.loads((folder / "people.json").read_text())
        links = identities.pop("links")
        print(f"gunicorn, 2 workers, on {database.split(':')[0]}; locust on the same "
              f"{os.cpu_count()} cores; {FOCAL_POINTS} focal points, {STAFF} staff, "
              f"{len(links)} invitations to {MEETING} (set up in "
              f"{time.monotonic() - started:.0f} s)")  # fmt: skip
        print(f"{args.seconds} s a run after a {RAMP} s ramp-up; times in ms; (n) users of "
              f"the kind; /health/ (wrk): no waits, {min(args.seconds, 10)} s")  # fmt: skip
        with gunicorn(env, PORT) as base:
            print(HEADER)
            for users in counts:
                figures = locust(
                    base, SCENARIO, users, args.seconds, folder, f"u{users}",
                    people_for(identities, links, users // 4 + 2), folder / "ledger.jsonl",
                )  # fmt: skip
                print(row(f"{users} users, all", figures.get("all")))
                for kind in KINDS:
                    print(row(f"  {kind} ({figures.get('users', {}).get(kind, 0)})",
                              figures.get(kind)))  # fmt: skip
                health = locust(
                    base, ["HealthUser"], users, args.seconds, folder, f"h{users}",
                    identities, folder / "ledger.jsonl",
                )  # fmt: skip
                print(row("  /health/, same users, waits", health.get("all")))
                trivial = wrk(f"{base}/health/", users, min(args.seconds, 10), folder)
                print(row(f"  /health/, wrk -c{users}, no waits", trivial))
            if args.soak_minutes > 0:
                soak(base, env, args.soak_minutes, folder, identities, links)
    return 0


def soak(
    base: str, env: dict[str, str], minutes: float, folder: Path, identities: dict, links: list
) -> None:
    ledger = folder / "soak-ledger.jsonl"
    ledger.write_text("")
    since = time.time()
    seconds = round(minutes * 60)
    figures = locust(
        base, SCENARIO, SOAK_USERS, seconds, folder, "soak",
        people_for(identities, links, SOAK_USERS // 4 + 2), ledger,
    )  # fmt: skip
    found = json.loads(django_run(env, ACCOUNT, str(ledger), str(since)).strip().splitlines()[-1])
    total = figures.get("all") or {}
    print(f"\nsoak: {SOAK_USERS} users for {minutes:g} min")
    print(HEADER)
    print(row(f"{SOAK_USERS} users, all", total))
    for kind in KINDS:
        print(row(f"  {kind} ({figures.get('users', {}).get(kind, 0)})", figures.get(kind)))
    print(
        f"requests {total.get('requests', 0)}, failures {total.get('failures', 0)}; "
        f"submissions confirmed {found['confirmed']}, report versions made meanwhile "
        f"{found['made']}, lost: {found['lost']}"
    )
    print(
        f"registrations: {found['saves']} saves confirmed for {found['delegations']} "
        f"delegations; in the database {found['stored_saves']} saves (revisions) of "
        f"{found['stored_delegations']} delegations, lost: {found['lost_saves']}"
    )


if __name__ == "__main__":
    sys.exit(main())
