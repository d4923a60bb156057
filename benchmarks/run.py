"""Benchmarks. Prints figures; asserts nothing; not part of the tests.

1. The membership engine: every State's status on 365 dates (pure functions, data in memory).
2. Server time of the States list page against a trivial page of the same server (ratio), both
   through Django's full request handling (middleware, URL resolution, templates, database).
3. The obligation engine (issue #3): every obligation of every State on one date, and on every
   month-end since the Convention entered into force, with their compliance status; read from
   the database (five queries) and computed; on the record of reports received plus the
   generated demonstration history, so that there is a realistic number of reports to match.

5. Report quality (issue #10): a workbook of 200 table rows made and imported; the cross-year
   checks of 112 States' reports over 15 years of synthetic data; the diff of two versions of 200
   rows with every tenth row changed and one row inserted.

7. Universalization (issue #14): the analysis of the General Assembly votes (who among the
   States not party voted yes, abstained or voted no every time, the trend, the latest vote)
   over all States and years on record, then over 25 synthetic years; the public page.

6. Finance (issue #13): assessing a meeting's costs over about 200 payers and issuing their
   invoices as PDFs; the status of contributions over 15 years of entries for 130 States (page,
   XLSX) and every State's balance from the ledger.

4. Online reports (issue #9): saving one form (a table of 200 rows), submitting a report whose
   forms hold 200 table rows in all (version, record entry, receipt with its PDF), printing its
   PDF alone, and the weight and server time of a form page with 2 and with 200 rows.

Runs on a throw-away SQLite database loaded with the shipped reference data, or on the database
of DATABASE_URL when it is set (a test database `<name>_bench` is not created: use a scratch DB).
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def describe(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    return (
        f"median {statistics.median(ms):8.2f} ms  (min {ms[0]:.2f}, max {ms[-1]:.2f}, n={len(ms)})"
    )


def main() -> int:
    if "DATABASE_URL" not in os.environ:
        os.environ["CCM_DATA_DIR"] = tempfile.mkdtemp(prefix="ccm-bench-")
    # The throw-away data folder holds no secret key: the benchmark uses a throw-away one.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccm.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from ccm.registry import services
    from ccm.registry.selectors import memberships

    call_command("migrate", verbosity=0)
    services.load_reference_data()
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")

    records = list(memberships().values())
    start = date(2026, 1, 1)
    days = [start + timedelta(days=i) for i in range(365)]

    def engine() -> None:
        for d in days:
            for m in records:
                m.status_on(d)

    samples = timed(engine, 15)
    per = statistics.median(samples) / (len(days) * len(records)) * 1e9
    print(
        f"engine: {len(records)} States x 365 dates ({len(records) * 365} statuses): "
        f"{describe(samples)}; {per:.0f} ns per status"
    )

    def engine_with_load() -> None:
        recs = list(memberships().values())
        for d in days:
            for m in recs:
                m.status_on(d)

    with_db = describe(timed(engine_with_load, 15))
    print(f"engine incl. reading the actions from the database: {with_db}")

    plain = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES={**settings.STORAGES, **plain}):
        client = Client()
        for url in ("/health/", "/states/"):
            client.get(url)  # warm caches and templates
        trivial = timed(lambda: client.get("/health/"), 200)
        states = timed(lambda: client.get("/states/"), 60)
        filtered = timed(lambda: client.get("/states/?status=party&as_of=2016-08-15&q=a"), 60)
        home = timed(lambda: client.get("/?as_of=2016-08-15"), 30)
    print(f"server, trivial page /health/:        {describe(trivial)}")
    print(f"server, States list /states/:         {describe(states)}")
    print(f"server, States list, filtered:        {describe(filtered)}")
    print(f"server, home (figures, chart, map):   {describe(home)}")
    ratio = statistics.median(states) / statistics.median(trivial)
    print(f"ratio States list / trivial page: {ratio:.1f}x")
    obligations_benchmark(client_factory=Client, storages={**settings.STORAGES, **plain})
    online_report_benchmark(client_factory=Client, storages={**settings.STORAGES, **plain})
    report_quality_benchmark()
    logo_benchmark()
    presidency_benchmark()
    participation_benchmark()
    finance_benchmark()
    universalization_benchmark(storages={**settings.STORAGES, **plain})
    return 0


def obligations_benchmark(client_factory: Callable[[], object], storages: dict) -> None:
    from django.test.utils import override_settings

    from ccm.compliance import demo, rules
    from ccm.compliance.selectors import engine_inputs
    from ccm.core import reference
    from ccm.reports.models import Submission

    as_of = date(2026, 11, 27)
    reference.load_all()  # the registry's part again (unchanged), then the domain apps'
    demo.generate(seed=2008, today=as_of)
    reports = Submission.objects.count()
    month_ends = rules.month_ends(date(2010, 8, 1), as_of)

    def one_date() -> int:
        return len(engine_inputs(include_demo=True).obligations(as_of))

    def every_month_end() -> int:
        snap = engine_inputs(include_demo=True)
        total = 0
        for day in month_ends:
            items = snap.obligations(day)
            rules.summarise(items)
            total += len(items)
        return total

    count = one_date()
    total = every_month_end()
    print(
        f"obligations on {as_of} ({count} obligations, {reports} reports on record), "
        f"read + computed: {describe(timed(one_date, 30))}"
    )
    print(
        f"obligations and summaries on every month-end since Aug 2010 ({len(month_ends)} dates, "
        f"{total} obligations in all): {describe(timed(every_month_end, 5))}"
    )
    with override_settings(STORAGES=storages):
        client = client_factory()
        client.get("/reporting/")  # type: ignore[attr-defined]
        page = timed(lambda: client.get("/reporting/?as_of=2026-11-27"), 20)  # type: ignore[attr-defined]
    print(f"server, compliance dashboard /reporting/: {describe(page)}")


def online_report_benchmark(client_factory: Callable[[], object], storages: dict) -> None:
    import copy

    from django.contrib.auth import get_user_model
    from django.test.utils import override_settings

    from ccm.accounts.models import Profile, Role
    from ccm.core.pdf import html_to_pdf
    from ccm.registry.models import State
    from ccm.reports import definition, presentation, services
    from ccm.reports.models import ReportVersion

    user, _ = get_user_model().objects.get_or_create(
        username="bench@example.org", email="bench@example.org"
    )
    Profile.objects.get_or_create(user=user, defaults={"role": Role.ISU_STAFF})
    example = definition.example_document(definition.load("2010"))
    rows = [
        {"munition_type": f"type {i}", "munitions": i, "submunitions": 10 * i} for i in range(200)
    ]
    chile = State.objects.get(iso3="CHL")

    def fresh(period: int) -> Any:
        """Chile's annual report for `period`, with no draft (a submitted one is amended)."""
        report = services.start_report(state=chile, kind="annual", period=period, by=user)
        report.drafts.all().delete()
        return report

    report = fresh(2020)
    state = {"revision": None}

    def save_b() -> None:
        draft, _problems = services.save_form(
            report, "B", {"status": "changed", "stockpiles": rows},
            revision=state["revision"], by=user,
        )  # fmt: skip
        state["revision"] = draft.revision

    print(f"save Form B with 200 rows (checked against the schema): {describe(timed(save_b, 10))}")
    periods = iter(range(2011, 2019))

    def submit() -> None:
        target = fresh(next(periods))
        for code, values in example["forms"].items():
            values = copy.deepcopy(values)
            if code == "B":
                values["stockpiles"] = rows
            services.save_form(target, code, values, revision=None, by=user)
        services.submit_report(target, by=user)

    print(f"fill 11 forms and submit (200 rows, receipt PDF): {describe(timed(submit, 3))}")
    version = ReportVersion.objects.filter(report__state=chile).order_by("-pk").first()
    from django.template.loader import render_to_string

    def pdf() -> None:
        html = render_to_string(
            "reports/report_print.html",
            {"version": version, "report": version.report,
             "forms": presentation.forms_of(version)},
        )  # fmt: skip
        html_to_pdf(html)

    print(f"print a submitted report with 200 rows to PDF: {describe(timed(pdf, 3))}")
    with override_settings(STORAGES=storages, CCM_ENFORCE_MFA=False):
        client = client_factory()
        client.force_login(user)  # type: ignore[attr-defined]
        for count in (2, 200):
            small = fresh(2010)
            services.save_form(small, "B", {"status": "changed", "stockpiles": rows[:count]},
                               revision=None, by=user)  # fmt: skip
            url = f"/my/reports/report/{small.pk}/form/B/"
            body = client.get(url).content  # type: ignore[attr-defined]
            served = timed(lambda url=url: client.get(url), 10)  # type: ignore[attr-defined]
            print(
                f"form page B with {count} rows: {len(body) / 1024:.0f} KB "
                f"(queries: the same for any number of rows, a test asserts it), "
                f"server {describe(served)}"
            )


def report_quality_benchmark() -> None:
    import copy
    import random

    from django.contrib.auth import get_user_model

    from ccm.registry.models import State
    from ccm.reports import checks, definition, diffs, services, workbooks

    user = get_user_model().objects.get(username="bench@example.org")
    template = definition.load("2010")
    example = definition.example_document(template)
    rows = [
        {"munition_type": f"type {i}", "munitions": i, "submunitions": 10 * i} for i in range(200)
    ]
    forms = copy.deepcopy(example["forms"])
    forms["B"]["stockpiles"] = rows
    report = services.start_report(
        state=State.objects.get(iso3="PER"), kind="annual", period=2020, by=user
    )
    identity = workbooks.Identity("PER", "annual", 2020, "2010", "en")
    data = workbooks.build(template, identity, forms, title="bench")
    made = timed(lambda: workbooks.build(template, identity, forms, title="bench"), 5)
    print(f"make a workbook with 200 table rows ({len(data) / 1024:.0f} KB): {describe(made)}")
    imported = timed(lambda: services.import_workbook(report, data, by=user), 5)
    print(f"import a workbook with 200 table rows (every cell checked): {describe(imported)}")

    generator = random.Random(7)

    def year_of(stock: dict[str, int], areas: dict[str, float], year: int) -> dict[str, Any]:
        destroyed = {t: generator.randint(0, n // 4) for t, n in stock.items()}
        cleared = {k: round(a * generator.random() / 5, 1) for k, a in areas.items()}
        for t in stock:
            stock[t] -= destroyed[t]
        for k in areas:
            areas[k] = round(areas[k] - cleared[k], 1)
        return {
            "B": {"status": "changed",
                  "stockpiles": [{"munition_type": t, "munitions": n, "submunitions": n * 10}
                                 for t, n in stock.items()],
                  "destroyed": [{"year": year, "munition_type": t, "munitions": n,
                                 "submunitions": n * 10} for t, n in destroyed.items()]},
            "F": {"status": "changed",
                  "contaminated": [{"location": k, "area_m2": a} for k, a in areas.items()],
                  "cleared": [{"year": year, "location": k, "area_m2": a, "remnants_destroyed": 1}
                              for k, a in cleared.items()]},
            "G": {"status": "changed", "measures": "x"} if year % 5 else {
                "status": "not_applicable"},
        }  # fmt: skip

    series = []
    for _state in range(112):
        stock = {f"type {i}": generator.randint(100, 10000) for i in range(5)}
        areas = {f"place {i}": float(generator.randint(1000, 10**6)) for i in range(10)}
        series.append([(year, year_of(stock, areas, year)) for year in range(2011, 2026)])

    def all_checks() -> int:
        found = 0
        for reports in series:
            for (before_year, before), (year, now) in zip(reports, reports[1:], strict=False):
                found += len(checks.cross_year(before, before_year, now, year))
        return found

    pairs = 112 * 14
    print(
        f"cross-year checks of 112 States x 15 years ({pairs} pairs, {all_checks()} findings): "
        f"{describe(timed(all_checks, 5))}"
    )
    changed = copy.deepcopy(forms)
    for i in range(0, 200, 10):
        changed["B"]["stockpiles"][i]["munitions"] += 1
    changed["B"]["stockpiles"].insert(50, {"munition_type": "new", "munitions": 1,
                                           "submunitions": 1})  # fmt: skip
    count = sum(len(f.changes) for f in diffs.compare(template, forms, changed))
    compared = timed(lambda: diffs.compare(template, forms, changed), 10)
    print(f"diff of two versions with 200 rows ({count} changes): {describe(compared)}")


def logo_benchmark() -> None:
    from ccm.meetings import logo
    from ccm.meetings.models import Meeting

    flag = logo.read_logo("flag.svg", (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="180">'
        b'<rect width="300" height="60"/><rect y="60" width="300" height="60" fill="#d00"/>'
        b'<rect y="120" width="300" height="60" fill="#fc0"/></svg>'
    ))  # fmt: skip
    meeting = Meeting.objects.get(code="7MSP")
    svg = logo.compose(meeting, flag, ["en", "fr"])
    print(f"meeting logo as SVG ({len(svg) // 1024} KB): "
          f"{describe(timed(lambda: logo.compose(meeting, flag, ['en', 'fr']), 20))}")  # fmt: skip
    print(f"meeting logo as PDF: {describe(timed(lambda: logo.to_pdf(svg), 5))}")
    print(f"meeting logo as PNG: {describe(timed(lambda: logo.to_png(svg), 5))}")


def presidency_benchmark() -> None:
    """The progress report on a 60-item work plan (8 themes) as HTML and PDF, and a letter to
    every State Party (one page each) as one PDF."""
    from django.utils import timezone

    from ccm.meetings import letters, selectors, services
    from ccm.meetings.models import Meeting, Presidency

    meeting = Meeting.objects.get(code="13MSP")
    today = timezone.localdate()
    statuses = ["planned", "in_progress", "done", "dropped"]
    for n in range(60):
        item = services.add_work_plan_item(
            meeting, title=f"Item {n}: letters, seminars and follow-up", theme=f"Theme {n % 8}",
            owner="isu", owner_state=None, due_date=today - timedelta(days=30 - n), notes="",
            by=None,
        )  # fmt: skip
        if n % 4:
            services.set_item_status(item, status=statuses[n % 4], revision=1, by=None)
    items = selectors.work_plan(meeting)
    html = letters.render_report(meeting, items, "fr", today)
    rendered = timed(lambda: letters.render_report(meeting, items, "fr", today), 10)
    print(f"progress report, {len(items)} items, HTML: {describe(rendered)}")
    print(f"progress report PDF: {describe(timed(lambda: letters.pdf(html), 5))}")
    presidency = Presidency.objects.get(meeting=meeting)
    letter = services.save_letter(presidency, {
        "dated": today, "subject_en": "The [meeting]", "body_en": "Excellency,\n\n[State] is "
        "invited to the [meeting], [dates], [place].", "subject_fr": "La [meeting]",
        "body_fr": "Excellence,\n\n[State] est invité à la [meeting], [dates], [place].",
        "subject_es": "La [meeting]", "body_es": "Excelencia:\n\n[State] está invitado a la "
        "[meeting], [dates], [place].",
    }, by=None)  # fmt: skip
    parties = letters.audience("parties", today)
    bundle = letters.render_to_states(letter, parties)
    print(f"letter to {len(parties)} States Parties, HTML: "
          f"{describe(timed(lambda: letters.render_to_states(letter, parties), 3))}")  # fmt: skip
    print(f"letter to {len(parties)} States Parties, PDF: "
          f"{describe(timed(lambda: letters.pdf(bundle), 3))}")  # fmt: skip


def participation_benchmark() -> None:
    """Invitation letters for every State (about 200 invitees), and the list of participants
    and the badges for 500 participants (100 delegations of five)."""
    from django.utils import timezone

    from ccm.meetings.tests.factories import coming_meeting
    from ccm.participation import letters, outputs, services
    from ccm.participation.models import Invitation

    meeting = coming_meeting("90MSP", opens=timezone.localdate() + timedelta(days=40))
    services.invite(meeting, categories={"party", "signatory", "observer"}, by=None)
    invitations = list(Invitation.objects.filter(meeting=meeting).select_related(
        "meeting", "state", "organisation"))  # fmt: skip

    def all_letters() -> int:
        for invitation in invitations:
            letters.invitation_email(invitation, "https://ccm.example/register/x/")
        return len(invitations)

    print(f"invitation letters (PDF) for {len(invitations)} invitees: "
          f"{describe(timed(all_letters, 1))}")  # fmt: skip
    roles = ["head", "alternate", "adviser", "adviser", "adviser"]
    for invitation in invitations[:100]:
        services.save_delegation(invitation, members=[
            {"role": role, "name": f"Person {n} of {invitation.state_id}", "title": "Counsellor",
             "gender": "woman" if n % 2 else "man"} for n, role in enumerate(roles)
        ], note_verbale=None, revision=0, by=None)  # fmt: skip
    as_pdf = timed(lambda: outputs.list_pdf(meeting, final=False, language="fr"), 3)
    print(f"list of 500 participants, PDF: {describe(as_pdf)}")
    as_xlsx = timed(lambda: outputs.list_xlsx(meeting, final=False), 3)
    print(f"list of 500 participants, XLSX: {describe(as_xlsx)}")
    url = "https://ccm.example"
    badges = timed(lambda: outputs.badges_pdf(meeting, base_url=url, size="a4"), 1)
    print(f"500 badges with QR codes, PDF (A4 sheets): {describe(badges)}")


def finance_benchmark() -> None:
    """Assess a meeting's costs over every State registered for it (about 200 payers) and issue
    the invoices as PDFs; then the status of contributions over 15 years of entries for 130
    States."""
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from ccm.finance import documents, selectors
    from ccm.finance import services as finance
    from ccm.finance.models import Allocation, Assessment, Entry, Invoice, Line, Payment
    from ccm.meetings.tests.factories import coming_meeting
    from ccm.participation import services as participation
    from ccm.participation.models import Invitation
    from ccm.registry.models import State

    finance.load_scale()
    meeting = coming_meeting("91MSP", opens=timezone.localdate() + timedelta(days=200))
    participation.invite(meeting, categories={"party", "signatory", "observer"}, by=None)
    for invitation in Invitation.objects.filter(meeting=meeting).select_related("state"):
        participation.save_delegation(invitation, members=[{"role": "head", "name": "Head"}],
                                      note_verbale=None, revision=0, by=None)  # fmt: skip
    year = timezone.localdate().year
    made: list[Any] = []

    def assess() -> None:
        computed = selectors.compute(cost=Decimal("1234567.89"), currency="USD", year=year,
                                     payers="meeting:91MSP", as_of=timezone.localdate(),
                                     options=selectors.Options(ceiling=Decimal("22")))  # fmt: skip
        made.append(finance.save_assessment(computed, purpose="estimate", by=None))

    print(f"assessment of a meeting's costs (compute and store): {describe(timed(assess, 1))}")
    assessment = made[0]
    n = assessment.lines.exclude(amount=None).count()
    issue = timed(lambda: finance.issue_invoices(assessment, by=None, size=None, send=False), 1)
    print(f"issuing {n} invoices as PDFs: {describe(issue)} "
          f"({issue[0] / n * 1000:.0f} ms per invoice)")  # fmt: skip
    one = Invoice.objects.filter(assessment=assessment).first()
    print(f"one invoice PDF: {describe(timed(lambda: documents.invoice_pdf(one), 5))}")

    # 15 years of ISU budget entries for 130 States: invoices, payments (most in full, some in
    # part, some never), written in bulk as the services would have written them one by one.
    states = list(State.objects.order_by("iso3")[:130])
    for y in range(2011, 2026):
        a = Assessment.objects.create(scope=f"isu:{y}", version=1, purpose="isu", year=y,
                                      cost=Decimal(130 * 1000), currency="CHF",
                                      scale_period="bench", payers="parties",
                                      as_of=date(y, 1, 1))  # fmt: skip
        Line.objects.bulk_create([Line(assessment=a, state=s, amount=Decimal(1000), share="0")
                                  for s in states])  # fmt: skip
        invoices = Invoice.objects.bulk_create([
            Invoice(number=f"B-{y}-{s.iso3}", kind="invoice", state=s, assessment=a,
                    currency="CHF", amount=Decimal(1000), issued_on=date(y, 2, 1),
                    due_on=date(y, 3, 3)) for s in states])  # fmt: skip
        payments = Payment.objects.bulk_create([
            Payment(state=i.state, received_on=date(y, 4, 1),
                    amount=Decimal(1000 if k % 3 else 400), currency="CHF")
            for k, i in enumerate(invoices) if k % 7])  # fmt: skip
        by_state = {p.state_id: p for p in payments}
        Allocation.objects.bulk_create([
            Allocation(payment=by_state[i.state_id], invoice=i, amount=by_state[i.state_id].amount,
                       on=date(y, 4, 1)) for i in invoices if i.state_id in by_state])  # fmt: skip
        Entry.objects.bulk_create(
            [Entry(state=i.state, currency="CHF", on=i.issued_on, kind="invoice", amount=i.amount,
                   invoice=i, text=i.number) for i in invoices]
            + [Entry(state=p.state, currency="CHF", on=p.received_on, kind="payment",
                     amount=-p.amount, payment=p, text="bench") for p in payments])  # fmt: skip
    as_of = date(2025, 12, 31)
    with CaptureQueriesContext(connection) as ctx:
        st = selectors.status("isu:2025", as_of)
    print(f"status of contributions, 130 States x 15 years ({Invoice.objects.count()} invoices, "
          f"{len(ctx.captured_queries)} queries): "
          f"{describe(timed(lambda: selectors.status('isu:2025', as_of), 5))}")  # fmt: skip
    print(f"  totals: assessed {st.total('assessed')}, paid {st.total('paid')}, "
          f"arrears {st.total('arrears')}")  # fmt: skip
    print(f"status of contributions as XLSX: "
          f"{describe(timed(lambda: documents.status_xlsx(st), 5))}")  # fmt: skip
    print(f"every State's balance from the ledger ({Entry.objects.count()} entries): "
          f"{describe(timed(lambda: selectors.balances(as_of), 5))}")  # fmt: skip


def universalization_benchmark(storages: dict) -> None:
    """The vote analysis over every State and every vote on record (five years), then with
    twenty more synthetic yearly votes (25 in all); the universalization page's server time."""
    import random

    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from ccm.outreach import selectors
    from ccm.outreach import services as outreach
    from ccm.outreach.models import Resolution, StateVote
    from ccm.registry.models import State

    if not Resolution.objects.exists():
        outreach.load_votes()
        outreach.load_targets()
    today = timezone.localdate()
    found = selectors.analysis(today)
    print(f"vote analysis, {len(found.ballots)} votes x {len(found.states)} States: "
          f"{describe(timed(lambda: selectors.analysis(today), 5))}")  # fmt: skip
    rng = random.Random(14)
    states = list(State.objects.values_list("iso3", flat=True))
    for year in range(2020, 2040):
        r = Resolution.objects.create(code=f"BENCH/{year}", symbol=f"BENCH/{year}", year=year,
                                      session=year - 1945, body="General Assembly",
                                      voted_on=date(year, 12, 5))  # fmt: skip
        StateVote.objects.bulk_create([
            StateVote(resolution=r, state_id=s, vote=rng.choice(["yes", "yes", "abstain", "no"]))
            for s in states if rng.random() < 0.93])  # fmt: skip
    found = selectors.analysis(today)
    print(f"vote analysis, {len(found.ballots)} votes x {len(found.states)} States "
          f"({StateVote.objects.count()} votes): "
          f"{describe(timed(lambda: selectors.analysis(today), 5))}")  # fmt: skip
    with override_settings(STORAGES=storages):
        client = Client()
        client.get("/universalization/")
        page = timed(lambda: client.get("/universalization/"), 5)
    print(f"the universalization page (analysis, chart, map), server time: {describe(page)}")


if __name__ == "__main__":
    sys.exit(main())
