"""The people of the load scenario (issue #16), for locust: benchmarks/load.py prepares them and
runs this file; by hand, against a server whose people load.py made:

    CCM_LOAD_PEOPLE=people.json locust -f benchmarks/locustfile.py --host http://127.0.0.1:8791 \
        PublicVisitor FocalPoint Staff Registrant

- PublicVisitor: anonymous, no cookies kept, the public pages (home, States, the compliance
  dashboard now and as of a past date, universalization, meetings, reports), in three languages.
- FocalPoint: signs in with its own address (one State each, so no one else saves its forms),
  opens its State's annual report, answers every form page by page as a browser posts it (the
  CSRF token and the form's revision read from the page), submits, then amends the report and
  submits again; each confirmed submission (its receipt number) goes to the ledger.
- Staff: signs in; the compliance dashboard often, the staff pages of reporting, finance,
  meetings and participation, a letter as PDF now and then.
- Registrant: opens one personal link (each works once), registers its delegation, looks at
  it again and changes it; each confirmed save goes to the ledger.
- HealthUser (only when named): /health/, the trivial page, with the visitor's waits.

Failures: a 5xx, a 4xx the scenario did not expect, a form refused as a conflict, a form page
saying something is wrong, a submission or registration not confirmed. Every request is named
"<kind>: <method> <page>"; at the end the figures by kind go to $CCM_LOAD_SUMMARY (JSON).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections import deque
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any

from locust import HttpUser, between, events, task
from locust.exception import StopUser

with open(os.environ["CCM_LOAD_PEOPLE"]) as _f:
    PEOPLE: dict[str, Any] = json.load(_f)

_counters: dict[str, itertools.count] = {}


def _next(kind: str) -> int:
    return next(_counters.setdefault(kind, itertools.count()))


def _ledger(entry: dict[str, Any]) -> None:
    """Written at once, one line an entry: nothing confirmed is forgotten if locust stops."""
    path = os.environ.get("CCM_LOAD_LEDGER")
    if path:
        with open(path, "a") as f:
            f.write(json.dumps({**entry, "at": time.time()}) + "\n")


def _none_left(name: str, n: int) -> None:
    """More users of a kind than people prepared for it: a failure, and the user stops."""
    events.request.fire(
        request_type="SETUP", name=name, response_time=0, response_length=0,
        exception=Exception(f"user {n + 1}: none left"),
    )  # fmt: skip
    raise StopUser()


class _Forms(HTMLParser):
    """The page's forms, each as (attributes, fields as a browser would post them untouched)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[dict[str, str], dict[str, str]]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a, {}))
        if not self.forms:
            return
        fields = self.forms[-1][1]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            fields[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select, self._options = a.get("name"), []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if not self.forms:
            return
        fields = self.forms[-1][1]
        if tag == "select" and self._select:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            if chosen:
                fields[self._select] = chosen[0]
            self._select = None
        elif tag == "textarea" and self._textarea:
            fields[self._textarea] = "".join(self._text)
            self._textarea = None


def forms_of(html: str) -> list[tuple[dict[str, str], dict[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_with(html: str, field: str = "", action: str = "") -> dict[str, str] | None:
    """The fields of the first form holding `field`, or posting to an action ending so."""
    for attrs, fields in forms_of(html):
        if (field and field in fields) or (action and attrs.get("action", "").endswith(action)):
            return dict(fields)
    return None


class Person(HttpUser):
    """Someone who signs in: a session kept, a CSRF token read from each page before a post."""

    abstract = True
    wait_time = between(1, 5)
    kind = ""

    def named(self, method: str, page: str) -> str:
        return f"{self.kind}: {method} {page}"

    def get(self, url: str, page: str, expect: str = "") -> Any:
        with self.client.get(url, name=self.named("GET", page), catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} on GET {url}")
            elif expect and expect.encode() not in r.content:
                r.failure(f"GET {url}: the page does not say {expect!r}")
        return r

    def post(self, url: str, page: str, data: Any = None, files: Any = None) -> Any:
        """A form posted as a browser does (its Referer); the redirect after it followed."""
        return self.client.post(
            url, data=data, files=files, name=self.named("POST", page), catch_response=True,
            headers={"Referer": self.host + url},
        )  # fmt: skip

    def sign_in(self, email: str) -> None:
        r = self.get("/accounts/login/", "/accounts/login/")
        fields = form_with(r.text, field="login")
        if fields is None:
            raise StopUser()
        fields.update({"login": email, "password": PEOPLE["password"]})
        with self.post("/accounts/login/", "/accounts/login/", data=fields) as r:
            if r.status_code != 200 or "/accounts/login/" in r.url:
                r.failure(f"{email} not signed in: {r.status_code} at {r.url}")
                raise StopUser()


class PublicVisitor(HttpUser):
    """Anonymous: no cookie kept from one page to the next, as the page cache expects."""

    weight = 14
    wait_time = between(0.5, 3)
    kind = "public"

    def visit(self, url: str, page: str) -> Any:
        self.client.cookies.clear()
        with self.client.get(url, name=f"public: GET {page}", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} on GET {url}")
        return r

    def state(self) -> str:
        return random.choice(PEOPLE["states"])

    @task(4)
    def home(self) -> None:
        self.visit(random.choice(["/", "/", "/fr/", "/es/"]), "/ (en, fr, es)")

    @task(3)
    def states(self) -> None:
        self.visit("/states/", "/states/")

    @task(6)
    def one_state(self) -> None:
        self.visit(f"/states/{self.state()}/", "/states/[iso3]/")

    @task(2)
    def one_state_in_french_or_spanish(self) -> None:
        language = random.choice(["fr", "es"])
        self.visit(f"/{language}/states/{self.state()}/", "/[fr|es]/states/[iso3]/")

    @task(3)
    def reporting(self) -> None:
        self.visit("/reporting/", "/reporting/")

    @task(1)
    def reporting_as_of(self) -> None:
        first = date(2011, 1, 1)
        day = first + timedelta(days=random.randrange((date.today() - first).days))
        self.visit(f"/reporting/?as_of={day.isoformat()}", "/reporting/?as_of=[date]")

    @task(2)
    def universalization(self) -> None:
        self.visit("/universalization/", "/universalization/")

    @task(2)
    def meetings(self) -> None:
        self.visit("/meetings/", "/meetings/")
        if random.random() < 0.5:
            self.visit(f"/meetings/{PEOPLE['meeting']}/", "/meetings/[code]/")

    @task(2)
    def reports(self) -> None:
        r = self.visit("/reports/", "/reports/")
        found = re.findall(r'href="(/reports/[A-Z]{3}/annual/\d{4}/)"', r.text or "")
        if found:
            self.visit(random.choice(found), "/reports/[iso3]/annual/[year]/")


class FocalPoint(Person):
    weight = 4
    kind = "focal point"

    def on_start(self) -> None:
        n = _next("focal")
        if n >= len(PEOPLE["focal_points"]):
            _none_left("focal point: no identity left", n)
        me = PEOPLE["focal_points"][n]
        self.state, self.report = me["state"], 0
        self.plan: deque[Any] = deque()
        self.opened: dict[str, dict[str, str]] = {}
        self.sign_in(me["email"])
        self.find_report()

    def find_report(self) -> None:
        """The State's workspace; the annual report is started there if it is not yet."""
        period = PEOPLE["period"]
        r = self.get("/my/reports/", "/my/reports/[iso3]/")
        found = re.search(rf'href="/my/reports/report/(\d+)/">[^<]*{period}</a>', r.text or "")
        if found:
            self.report = int(found.group(1))
            return
        fields = form_with(r.text or "", action=f"/my/reports/{self.state}/start/") or {
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")
        }
        fields.update({"kind": "annual", "period": str(period)})
        url = f"/my/reports/{self.state}/start/"
        with self.post(url, "/my/reports/[iso3]/start/", data=fields) as r:
            found = re.search(r"/my/reports/report/(\d+)/$", r.url)
            if r.status_code != 200 or not found:
                r.failure(f"report not started: {r.status_code} at {r.url}")
                raise StopUser()
            self.report = int(found.group(1))

    def base(self) -> str:
        return f"/my/reports/report/{self.report}/"

    @task
    def next_step(self) -> None:
        if not self.plan:
            self.overview_and_plan()
        else:
            self.plan.popleft()()

    def overview_and_plan(self) -> None:
        """The report's page; what to do next as a person reads it."""
        r = self.get(self.base(), "/my/reports/report/[pk]/")
        if r.status_code != 200:
            return
        html = r.text
        if form_with(html, action=f"{self.base()}amend/") is not None:
            self.plan.append(self.amend)
            return
        rows = re.findall(
            rf'href="{self.base()}form/(\w+)/">.*?</a></td>\s*<td>(saved|not answered yet)',
            html, re.S,
        )  # fmt: skip
        todo = [code for code, said in rows if said != "saved"]
        if not todo:  # an amendment: a few forms change
            todo = random.sample([code for code, _ in rows], k=min(len(rows), random.randint(1, 3)))
        for code in todo:
            self.plan.append(lambda code=code: self.open_form(code))
            self.plan.append(lambda code=code: self.save_form(code))
        self.plan.append(self.submit)

    def open_form(self, code: str) -> None:
        r = self.get(f"{self.base()}form/{code}/", "/my/reports/report/[pk]/form/[code]/")
        fields = form_with(r.text or "", field="revision") if r.status_code == 200 else None
        if fields is not None:
            self.opened[code] = fields

    def save_form(self, code: str) -> None:
        """What the person typed over what the page held: the form's own fields, the revision
        the page was opened at."""
        fields = self.opened.pop(code, None)
        if fields is None:
            return
        mine = PEOPLE["forms"][code]
        for key, value in mine["fields"].items():
            if value is None:
                fields.pop(key, None)
            else:
                fields[key] = value
        if code == "G" and "people_reached" in fields:
            fields["people_reached"] = str(random.randint(1000, 50000))
        for table, count in mine["tables"].items():
            fields[f"{table}-rows"] = str(max(count, int(fields.get(f"{table}-rows") or 0)))
        url = f"{self.base()}form/{code}/"
        with self.post(url, "/my/reports/report/[pk]/form/[code]/", data=fields) as r:
            if r.status_code == 409:
                r.failure(f"{self.state} form {code}: refused as a conflict")
            elif r.status_code != 200:
                r.failure(f"{self.state} form {code}: {r.status_code}")
            elif "is-invalid" in r.text or "Saved." not in r.text:
                r.failure(f"{self.state} form {code}: saved with problems, or not saved")

    def submit(self) -> None:
        r = self.get(self.base(), "/my/reports/report/[pk]/")
        fields = form_with(r.text or "", action=f"{self.base()}submit/")
        if fields is None:
            return  # not every form is answered (a save failed): the next plan finishes it
        with self.post(f"{self.base()}submit/", "/my/reports/report/[pk]/submit/", fields) as r:
            found = re.search(r"Submitted: receipt (CCM-A7-[\w-]+)\.", r.text or "")
            if r.status_code != 200 or not found:
                r.failure(f"{self.state}: submission not confirmed ({r.status_code})")
                return
            _ledger({"what": "submission", "receipt": found.group(1)})
        self.plan.append(self.read_public_report)

    def read_public_report(self) -> None:
        self.get(f"/reports/{self.state}/annual/{PEOPLE['period']}/",
                 "/reports/[iso3]/annual/[year]/")  # fmt: skip

    def amend(self) -> None:
        r = self.get(self.base(), "/my/reports/report/[pk]/")
        fields = form_with(r.text or "", action=f"{self.base()}amend/")
        if fields is None:
            return
        with self.post(f"{self.base()}amend/", "/my/reports/report/[pk]/amend/", fields) as r:
            if r.status_code != 200 or "Amendment in preparation" not in r.text:
                r.failure(f"{self.state}: amendment not started ({r.status_code})")


class Staff(Person):
    weight = 1
    kind = "staff"

    def on_start(self) -> None:
        staff = PEOPLE["staff"]
        self.sign_in(staff[_next("staff") % len(staff)])

    @task(6)
    def dashboard(self) -> None:
        self.get("/reporting/", "/reporting/")

    @task(3)
    def letters(self) -> None:
        self.get("/staff/reporting/letters/", "/staff/reporting/letters/")

    @task(1)
    def reminder_pdf(self) -> None:
        r = self.get("/staff/reporting/letters/", "/staff/reporting/letters/")
        found = re.findall(r'href="(/staff/reporting/letters/reminder/[A-Z]{3}/)', r.text or "")
        if found:
            url = random.choice(found) + "?format=pdf"
            self.get(url, "/staff/reporting/letters/reminder/[iso3]/?format=pdf", expect="%PDF")

    @task(1)
    def circular_pdf(self) -> None:
        language = random.choice(["en", "fr", "es"])
        self.get(f"/staff/reporting/letters/circular/?lang={language}&format=pdf",
                 "/staff/reporting/letters/circular/?format=pdf", expect="%PDF")  # fmt: skip

    @task(2)
    def checks(self) -> None:
        self.get("/staff/reporting/checks/", "/staff/reporting/checks/")

    @task(1)
    def queries(self) -> None:
        self.get("/staff/reporting/queries/", "/staff/reporting/queries/")

    @task(1)
    def declared(self) -> None:
        self.get("/staff/reporting/declared/", "/staff/reporting/declared/")

    @task(2)
    def finance(self) -> None:
        self.get("/staff/finance/", "/staff/finance/")

    @task(1)
    def payments(self) -> None:
        self.get("/staff/finance/payments/", "/staff/finance/payments/")

    @task(2)
    def delegations(self) -> None:
        self.get(f"/staff/participation/{PEOPLE['meeting']}/delegations/",
                 "/staff/participation/[code]/delegations/")  # fmt: skip

    @task(1)
    def invitations(self) -> None:
        self.get(f"/staff/participation/{PEOPLE['meeting']}/invitations/",
                 "/staff/participation/[code]/invitations/")  # fmt: skip

    @task(1)
    def work_plan(self) -> None:
        self.get(f"/staff/meetings/{PEOPLE['meeting']}/work-plan/",
                 "/staff/meetings/[code]/work-plan/")  # fmt: skip

    @task(1)
    def a_state_workspace(self) -> None:
        state = random.choice(PEOPLE["focal_points"])["state"]
        self.get(f"/my/reports/?state={state}", "/my/reports/?state=[iso3]")


NOTE_VERBALE = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
ROLES = ["alternate", "adviser"]


class Registrant(Person):
    weight = 1
    kind = "registration"

    def on_start(self) -> None:
        n = _next("link")
        if n >= len(PEOPLE["links"]):
            _none_left("registration: no link left", n)
        link = PEOPLE["links"][n]
        self.invitation, self.members, self.page = link["invitation"], 1, ""
        r = self.get(link["url"], "/register/[token]/")
        fields = form_with(r.text or "", field="csrfmiddlewaretoken")
        if fields is None:
            raise StopUser()
        with self.post(link["url"], "/register/[token]/", data=fields) as r:
            if r.status_code != 200 or not r.url.endswith("/register/"):
                r.failure(f"the link did not open: {r.status_code} at {r.url}")
                raise StopUser()
            self.page = r.text

    @task(2)
    def look(self) -> None:
        r = self.get("/register/", "/register/")
        if r.status_code == 200:
            self.page = r.text

    @task(1)
    def save(self) -> None:
        """The delegation as typed into the page's rows: the head, and one more member each
        time; the note verbale with the first save."""
        fields = form_with(self.page, field="revision")
        if fields is None:
            return
        revision = int(fields["revision"])
        first = revision == 0
        rows = int(fields["m-TOTAL_FORMS"])
        count = min(self.members, rows)
        for i in range(count):
            fields.update({
                f"m-{i}-role": "head" if i == 0 else ROLES[i % 2],
                f"m-{i}-name": f"Delegate {self.invitation}-{i}",
                f"m-{i}-title": "Ambassador" if i == 0 else "Counsellor",
                f"m-{i}-email": f"delegate{i}.{self.invitation}@load.example.org",
                f"m-{i}-gender": random.choice(["woman", "man", "unsaid"]),
            })  # fmt: skip
        fields["save"] = ""
        note = ("note.pdf", NOTE_VERBALE, "application/pdf") if first else ("", b"", "")
        files = [(k, (None, v)) for k, v in fields.items()] + [("note_verbale", note)]
        with self.post("/register/", "/register/", files=files) as r:
            if r.status_code != 200 or not r.url.endswith("/register/") or "is-invalid" in r.text:
                r.failure(f"delegation {self.invitation} not saved: {r.status_code}")
                return
            if f"<li>Delegate {self.invitation}-{count - 1}," not in r.text:
                r.failure(f"delegation {self.invitation}: the page does not show it")
                return
            self.page = r.text
            _ledger({"what": "registration", "invitation": self.invitation,
                     "revision": revision + 1})  # fmt: skip
        self.members = min(self.members + 1, 6)


class HealthUser(HttpUser):
    """The trivial page (no database), with the visitor's waits: name it alone."""

    weight = 1
    wait_time = between(0.5, 3)

    @task
    def health(self) -> None:
        self.client.get("/health/", name="health: GET /health/")


KIND_OF = {"PublicVisitor": "public", "FocalPoint": "focal point", "Staff": "staff",
           "Registrant": "registration", "HealthUser": "health"}  # fmt: skip


_spawned: dict[str, int] = {}


@events.spawning_complete.add_listener
def _count_users(user_count: int, **_kwargs: Any) -> None:
    runner = getattr(_count_users, "runner", None)
    if runner is not None:
        _spawned.update(runner.user_classes_count)


@events.init.add_listener
def _keep_runner(environment: Any, **_kwargs: Any) -> None:
    _count_users.runner = environment.runner  # type: ignore[attr-defined]


def _percentile(times: dict[int, int], total: int, share: float) -> float:
    if not total:
        return 0.0
    wanted = total * share
    seen = 0
    for ms in sorted(times):
        seen += times[ms]
        if seen >= wanted:
            return float(ms)
    return float(max(times))


@events.quitting.add_listener
def _summary(environment: Any, **_kwargs: Any) -> None:
    """Requests a second, percentiles and failures by kind, and everyone together."""
    path = os.environ.get("CCM_LOAD_SUMMARY")
    if not path or environment.stats is None:
        return
    stats = environment.stats
    elapsed = max(stats.total.last_request_timestamp - stats.total.start_time, 1e-9)
    groups: dict[str, list[Any]] = {}
    for entry in stats.entries.values():
        kind = entry.name.split(":", 1)[0]
        groups.setdefault(kind, []).append(entry)
        groups.setdefault("all", []).append(entry)
    out: dict[str, Any] = {"users": {}, "seconds": elapsed}
    for kind, entries in groups.items():
        times: dict[int, int] = {}
        for entry in entries:
            for ms, n in entry.response_times.items():
                times[ms] = times.get(ms, 0) + n
        requests = sum(e.num_requests for e in entries)
        out[kind] = {
            "requests": requests,
            "failures": sum(e.num_failures for e in entries),
            "rps": requests / elapsed,
            **{f"p{p}": _percentile(times, requests, p / 100) for p in (50, 95, 99)},
        }
    for name, n in _spawned.items():
        out["users"][KIND_OF.get(name, name)] = n
    out["errors"] = {
        f"{e.method} {e.name}: {e.error}": e.occurrences for e in stats.errors.values()
    }
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
