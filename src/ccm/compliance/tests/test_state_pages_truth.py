"""One truth on a State's own pages (issue #24): the State page, the focal point's "My reports"
and the iCalendar feed give each obligation the engine's one status. A report missing from an
incomplete record is "not in our record (unknown)", never "overdue"; "overdue" (with its days)
only where the evidence is certain; the focal point is asked for a copy of an unknown one."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.compliance import selectors, services
from ccm.compliance.rules import Certainty, Compliance, Kind
from ccm.core.testing.queries import queries
from ccm.registry.models import State
from ccm.reports.choices import Origin
from ccm.reports.tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

Rows = dict[tuple[str, int | None], dict[str, str]]
ROW = re.compile(r'<tr data-kind="(\w+)" data-period="(\d*)">(.*?)</tr>', re.S)


def _rows(html: str, table_id: str) -> Rows:
    """Each obligation row of a table: its status, certainty (State page) and cell text."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    out: Rows = {}
    for kind, period, body in ROW.findall(table):
        status = re.search(r'data-status="(\w+)"', body)
        certainty = re.search(r'data-certainty="(\w+)"', body)
        badge = re.search(r'data-status="\w+"[^>]*>([^<]*)<', body)
        out[(kind, int(period) if period else None)] = {
            "status": status.group(1) if status else "",
            "certainty": certainty.group(1) if certainty else "",
            "badge": badge.group(1) if badge else "",
            "text": " ".join(re.sub(r"<[^>]+>", "", body).split()),
        }
    return out


def _focal_point(iso3: str, language: str = "") -> Client:
    client = Client()
    client.force_login(make_user(Role.FOCAL_POINT, iso3))
    if language:
        client.cookies["django_language"] = language
    return client


def _my_reports(iso3: str, language: str = "") -> Rows:
    prefix = f"/{language}" if language else ""
    response = _focal_point(iso3).get(f"{prefix}/my/reports/{iso3}/")
    assert response.status_code == 200
    return _rows(response.content.decode(), "owed")


def _state_page(iso3: str, query: str = "", language: str = "") -> Rows:
    prefix = f"/{language}" if language else ""
    response = Client().get(f"{prefix}/states/{iso3}/{query}")
    assert response.status_code == 200
    return _rows(response.content.decode(), "obligations")


def _complete(iso3: str, *kinds: str) -> None:
    """The ISU holds this State's record of these kinds complete: a report it lacks is missing."""
    state = State.objects.get(iso3=iso3)
    for kind in kinds:
        services.mark_record_complete(state, kind, by=None, note="test: the ISU's own register")


def _reports_only(rows: Rows) -> Rows:
    return {k: v for k, v in rows.items() if k[0] in (Kind.INITIAL, Kind.ANNUAL)}


# --- My reports ----------------------------------------------------------------------------


def test_italys_focal_point_sees_no_annual_report_overdue_on_the_shipped_record(
    reference: None,
) -> None:
    """The review found 14 annual reports "overdue (3873 days)" though Italy reported every
    year: the shipped record simply lacks them."""
    rows = _my_reports("ITA")
    annual = {k: v for k, v in rows.items() if k[0] == "annual"}
    fallen = [v for (_k, year), v in annual.items() if year and date(year + 1, 4, 30) < today()]
    assert len(fallen) >= 14
    assert not [v for v in rows.values() if v["status"] == Compliance.OVERDUE]
    for v in fallen:
        assert v["status"] in {Compliance.UNKNOWN, Compliance.ON_TIME, Compliance.SUBMITTED}
    unknown = [v for v in fallen if v["status"] == Compliance.UNKNOWN]
    assert len(unknown) >= 13
    for v in unknown:
        assert v["badge"] == "not in our record (unknown)"  # no days counted
        assert "No report in our record; if you submitted it, send us a copy" in v["text"]
        assert "overdue" not in v["text"]


def test_the_copy_is_asked_at_the_isus_address(reference: None, settings: Any) -> None:
    settings.CCM_SUPPORT_EMAIL = "reports@isu.example"
    html = _focal_point("ITA").get("/my/reports/ITA/").content.decode()
    assert 'href="mailto:reports@isu.example"' in html.split('id="send-copies"', 1)[1]
    # Each unknown report's own link names it, so that the copy is filed at once.
    row = _rows(html, "owed")[("annual", 2015)]
    assert row["status"] == Compliance.UNKNOWN
    assert (
        'href="mailto:reports@isu.example?subject=Italy%3A%20annual%20report%202015"'
        in (html.split('data-period="2015"', 1)[1].split("</tr>", 1)[0])
    )
    _complete("ITA", "initial", "annual")
    html = _focal_point("ITA").get("/my/reports/ITA/").content.decode()
    assert 'id="send-copies"' not in html and 'data-hint="send-a-copy"' not in html


def test_italys_focal_point_sees_overdue_with_its_days_only_on_a_record_held_complete(
    reference: None,
) -> None:
    _complete("ITA", "annual")
    rows = _my_reports("ITA")
    overdue = {k: v for k, v in rows.items() if v["status"] == Compliance.OVERDUE}
    assert overdue and all(k[0] == "annual" for k in overdue)
    assert not [v for v in rows.values() if v["status"] == Compliance.UNKNOWN]
    for (_kind, year), v in overdue.items():
        assert year is not None
        days = (today() - date(year + 1, 4, 30)).days
        assert v["badge"] == f"overdue ({days} days)"
        assert "send us a copy" not in v["text"]


def test_my_reports_in_french_never_says_overdue_for_an_unknown_report(reference: None) -> None:
    html = _focal_point("ITA").get("/fr/my/reports/ITA/").content.decode()
    assert '<html lang="fr"' in html
    owed = html.split('id="owed"', 1)[1].split("</table>", 1)[0]
    assert 'data-status="unknown"' in owed and 'data-status="overdue"' not in owed
    assert "overdue" not in owed and "en retard" not in owed
    _complete("ITA", "annual")
    html = _focal_point("ITA").get("/fr/my/reports/ITA/").content.decode()
    owed = html.split('id="owed"', 1)[1].split("</table>", 1)[0]
    assert 'data-status="overdue"' in owed and "en retard" in owed
    assert "overdue" not in re.sub(r'data-[a-z]+="[^"]*"', "", owed)  # the French label


def test_chiles_my_reports_agrees_with_chiles_public_page(reference: None) -> None:
    """Each report row: the same status in both, on the shipped record, with the
    demonstration history's receipts (which the public page shows), and held complete."""

    def agree() -> Rows:
        mine = _my_reports("CHL")
        public = _reports_only(_state_page("CHL"))
        assert mine and {k: v["status"] for k, v in mine.items()} == {
            k: v["status"] for k, v in public.items()
        }
        engine = {
            (o.kind.value, o.period): o.status.value
            for o in selectors.state_obligations("CHL", include_demo=True)[1]
            if o.kind in (Kind.INITIAL, Kind.ANNUAL)
        }
        assert {k: v["status"] for k, v in mine.items()} == engine
        return mine

    shipped = agree()
    assert {v["status"] for v in shipped.values()} >= {Compliance.UNKNOWN}
    assert Compliance.OVERDUE not in {v["status"] for v in shipped.values()}
    SubmissionFactory(
        state_id="CHL", kind="annual", period=2015, received_on=date(2016, 4, 20),
        origin=Origin.DEMO, source="demonstration",
    )  # fmt: skip
    with_demo = agree()
    assert with_demo[("annual", 2015)]["status"] == Compliance.ON_TIME
    assert "demo" in with_demo[("annual", 2015)]["text"]
    _complete("CHL", "initial", "annual")
    complete = agree()
    assert Compliance.UNKNOWN not in {v["status"] for v in complete.values()}
    assert Compliance.OVERDUE in {v["status"] for v in complete.values()}


def test_my_reports_queries_are_bounded_whatever_the_states_record(
    personas: dict[str, Client], chile: Any
) -> None:
    client = personas["focal_point"]
    few = queries(client, "/my/reports/CHL/")
    for year in range(2011, 2020):
        SubmissionFactory(state=chile, kind="annual", period=year, received_on=date(year + 1, 4, 1))
    _complete("CHL", "initial", "annual")
    many = queries(client, "/my/reports/CHL/")
    assert few == many, f"{few} queries with no report, {many} with nine"
    # 5 for the session, user and roles, 2 for the State and its reports in preparation, 1
    # for its treaty actions, 4 for the facts of its record and 3 for their evidence (the State
    # page's own selector, issue #15), 1 for the contacts panel, 1 for the open queries of its
    # reports (flagged on "My reports", issue #26).
    assert many <= 17


# --- The State page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso3", "query"),
    [("ITA", ""), ("ITA", "?as_of=2017-01-15"), ("BOL", "?as_of=2015-06-18"), ("CHL", "")],
)
def test_the_state_page_gives_one_status_per_row(reference: None, iso3: str, query: str) -> None:
    """The review found "overdue (4604 days)" beside "unknown: no evidence either way"."""
    rows = _reports_only(_state_page(iso3, query))
    assert rows
    for key, v in rows.items():
        if v["status"] == Compliance.UNKNOWN:
            assert v["certainty"] == Certainty.UNKNOWN, key
            assert v["badge"] == "not in our record (unknown)", key
            assert "overdue" not in v["text"] and "day" not in v["badge"], key
            assert "What the public evidence shows" in v["text"], key
        elif v["status"] == Compliance.OVERDUE:
            assert v["certainty"] == Certainty.CERTAINLY_OVERDUE, key
            assert re.fullmatch(r"overdue \(\d+ days?\)", v["badge"]), key
        else:
            assert v["certainty"] not in (Certainty.UNKNOWN, Certainty.CERTAINLY_OVERDUE), key
        assert "unknown: no evidence either way" not in v["text"], key


def test_the_state_page_links_an_unknown_report_to_the_public_evidence(reference: None) -> None:
    html = Client().get("/states/ITA/?as_of=2017-01-15").content.decode()
    assert 'href="/reporting/?as_of=2017-01-15#bounds"' in html
    rows = _reports_only(_state_page("ITA", "?as_of=2017-01-15"))
    assert rows[("annual", 2013)]["status"] == Compliance.UNKNOWN


def test_the_state_page_says_overdue_where_the_evidence_is_certain(reference: None) -> None:
    bolivia = _state_page("BOL", "?as_of=2015-06-18")
    assert bolivia[("initial", None)]["status"] == Compliance.OVERDUE
    _complete("ITA", "annual")
    italy = _reports_only(_state_page("ITA", "?as_of=2017-01-15"))
    assert italy[("annual", 2013)]["status"] == Compliance.OVERDUE
    assert not [v for v in italy.values() if v["status"] == Compliance.UNKNOWN]


def test_the_state_page_in_french_never_says_overdue_for_an_unknown_report(
    reference: None,
) -> None:
    html = Client().get("/fr/states/ITA/?as_of=2017-01-15").content.decode()
    table = html.split('id="obligations"', 1)[1].split("</table>", 1)[0]
    assert 'data-status="unknown"' in table and 'data-status="overdue"' not in table
    assert "overdue" not in table and "en retard" not in table
    _complete("ITA", "annual")
    html = Client().get("/fr/states/ITA/?as_of=2017-01-15").content.decode()
    table = html.split('id="obligations"', 1)[1].split("</table>", 1)[0]
    assert 'data-status="overdue"' in table and "en retard" in table
    assert "overdue" not in re.sub(r'data-[a-z]+="[^"]*"', "", table)


# --- The iCalendar feed --------------------------------------------------------------------


def _events(url: str) -> dict[str, str]:
    """Each event's uid and description."""
    response = Client().get(url)
    assert response.status_code == 200
    cal = Calendar.from_ical(response.content)
    return {str(e["uid"]): str(e["description"]) for e in cal.walk("VEVENT")}


def test_the_calendar_says_overdue_only_when_certain(reference: None) -> None:
    events = _events("/states/ITA/deadlines.ics")
    assert "overdue" not in events.values()
    assert events["ITA-annual-2013@ccm-isu"] == "not in our record (unknown)"
    assert not [d for d in events.values() if "overdue" in d]
    _complete("ITA", "annual")
    events = _events("/states/ITA/deadlines.ics")
    assert events["ITA-annual-2013@ccm-isu"] == "overdue"
    assert events["ITA-initial-0@ccm-isu"] == "submitted on time"


def test_the_calendar_in_french_never_says_overdue_for_an_unknown_report(
    reference: None,
) -> None:
    events = _events("/fr/states/ITA/deadlines.ics")
    assert not [d for d in events.values() if "overdue" in d or "en retard" in d]
    _complete("ITA", "annual")
    events = _events("/fr/states/ITA/deadlines.ics")
    assert events["ITA-annual-2013@ccm-isu"] == "en retard"


def test_the_calendar_agrees_with_the_state_page_and_labels_demonstration_receipts(
    reference: None,
) -> None:
    SubmissionFactory(
        state_id="CHL", kind="annual", period=2015, received_on=date(2016, 4, 20),
        origin=Origin.DEMO, source="demonstration",
    )  # fmt: skip
    events = _events("/states/CHL/deadlines.ics")
    page = _reports_only(_state_page("CHL"))
    labels = {
        "unknown": "not in our record (unknown)",
        "on_time": "submitted on time",
        "submitted": "submitted, timeliness unknown",
        "not_yet_due": "not yet due",
        "due": "due",
        "overdue": "overdue",
    }
    for (kind, period), v in page.items():
        uid = f"CHL-{kind}-{period or 0}@ccm-isu"
        assert events[uid].startswith(labels[v["status"]]), uid
    assert events["CHL-annual-2015@ccm-isu"] == "submitted on time (demonstration data)"


def today() -> date:
    return timezone.localdate()
