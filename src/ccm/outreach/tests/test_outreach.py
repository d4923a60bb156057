"""Universalization (issue #14): the votes loaded and imported all-or-nothing with their
mismatches flagged, the pipeline and its automatic last stage, the outreach log and its next
steps, campaigns and their letters, the register of use, the command, and who sees what."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from ccm.core.models import AuditEvent
from ccm.core.tables import RowsRefused
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.outreach import letters, selectors, services
from ccm.outreach.models import Outreach, Resolution, StateVote
from ccm.registry.models import State

pytestmark = pytest.mark.django_db
PRIVATE: dict[str, int | str] = {
    "anonymous": LOGIN,
    "other_focal_point": 403,
    "focal_point": 403,
    "presidency": 200,
    "staff": 200,
}
PUBLIC: dict[str, int | str] = {k: 200 for k in PRIVATE}
STAFF_ONLY: dict[str, int | str] = {**PRIVATE, "presidency": 403}


def header(**kw: Any) -> services.VoteHeader:
    values: dict[str, Any] = {
        "symbol": "A/RES/80/99",
        "year": 2025,
        "body": "General Assembly",
        "voted_on": date(2025, 12, 2),
        "source": "UN Digital Library",
    }
    return services.VoteHeader(**{**values, **kw})


# The votes ------------------------------------------------------------------------------------


def test_the_votes_load_side_by_side_with_their_differences_flagged(reference: None) -> None:
    assert StateVote.objects.count() == 908
    r71 = Resolution.objects.get(code="A/RES/71/45")
    assert r71.official == {"yes": 141, "no": 2, "abstain": 39}
    record, _votes = selectors.resolution("A/RES/71/45")
    assert record.recorded == {"yes": 141, "no": 1, "abstain": 39} and record.mismatch
    assert 'one "no" where the official totals have two' in r71.explanation
    ok, _v = selectors.resolution("A/RES/73/54")
    assert not ok.mismatch and ok.recorded == {"yes": 144, "no": 1, "abstain": 38}
    no_official, _v = selectors.resolution("A/RES/72/54")
    assert no_official.resolution.official is None and not no_official.mismatch
    serbia = StateVote.objects.filter(state_id="SRB")
    assert serbia.count() == 5 and "Yugoslavia (YU)" in serbia.first().note  # type: ignore[union-attr]
    again = services.load_votes()
    assert (again.resolutions, again.votes, again.unchanged) == (0, 0, 11)
    assert not again.flagged  # said when loaded, not on every run that changes nothing


def test_a_bad_votes_file_loads_nothing(registry_reference: None, tmp_path: Path) -> None:
    bad = tmp_path / "votes.csv"
    bad.write_text(
        "resolution,date,country,iso2,vote\nA/RES/70/54,2015-12-07,Chile,CL,yes\n"
        "A/RES/70/54,2015-12-07,Atlantis,XX,yes\nA/RES/70/54,2015-12-07,Peru,PE,maybe\n"
        "A/RES/70/54,2015-12-07,Chile,CL,no\n"
    )
    with pytest.raises(RowsRefused) as refused:
        services.load_votes(votes_csv=bad)
    reasons = " ".join(str(e) for e in refused.value.errors)
    assert "Atlantis" in reasons and "'maybe'" in reasons and "a second vote of CHL" in reasons
    assert not Resolution.objects.exists() and not StateVote.objects.exists()


def test_importing_a_recorded_vote_is_all_or_nothing(reference: None) -> None:
    good = b"iso3,vote\nCHL,yes\nUSA,no\nIND,abstain\n"
    bad = b"iso3,vote\nCHL,yes\nXXX,yes\nIND,perhaps\nCHL,no\n"
    with pytest.raises(RowsRefused) as refused:
        services.import_votes("v.csv", bad, header(), by=None)
    assert [e.line for e in refused.value.errors] == [3, 4, 5]
    assert not Resolution.objects.filter(code="A/RES/80/99").exists()
    with pytest.raises(RowsRefused):
        services.import_votes("v.csv", b"state,vote\nCHL,yes\n", header(), by=None)
    with pytest.raises(RowsRefused):
        services.import_votes("v.csv", b"iso3,vote\n=1+1,yes\n", header(), by=None)
    with pytest.raises(services.Refused):
        services.import_votes("v.csv", good, header(source=" "), by=None)
    done = services.import_votes("v.csv", good, header(official=(150, 2, 30)), by=None)
    assert done.votes.count() == 3 and done.official == {"yes": 150, "no": 2, "abstain": 30}
    record, _v = selectors.resolution("A/RES/80/99")
    assert record.mismatch  # three States recorded, 182 counted
    with pytest.raises(services.Refused):
        services.import_votes("v.csv", good, header(), by=None)  # already has its votes
    # A vote whose official totals were loaded (no symbol: GA/75) gets its per-State votes
    ga75 = services.import_votes("v.csv", good, header(symbol="", year=2020), by=None)
    assert ga75.code == "GA/75" and ga75.yes == 147 and ga75.votes.count() == 3
    assert AuditEvent.objects.filter(verb="votes.imported").count() == 2


def test_the_vote_command(reference: None) -> None:
    out = io.StringIO()
    call_command("votes", "--resolution", "A/RES/71/45", "--format", "json", stdout=out)
    found = json.loads(out.getvalue())
    assert found["official"] == {"yes": 141, "no": 2, "abstain": 39}
    assert found["recorded"] == {"yes": 141, "no": 1, "abstain": 39}
    assert found["mismatch"] is True
    assert found["votes"]["CHL"] == "yes" and len(found["votes"]) == 181
    assert set(found["votes"].values()) <= {"yes", "no", "abstain"}
    for args, message in (
        (["--resolution", "A/RES/1/1"], "--resolution: no vote 'A/RES/1/1' on record"),
        (
            ["--resolution", "A/RES/71/45", "--format", "xml"],
            "--format: 'xml' is not one of json, table",
        ),
    ):
        with pytest.raises(CommandError) as exc:
            call_command("votes", *args)
        assert exc.value.returncode == 2 and str(exc.value) == message


def test_the_analysis_over_all_states(reference: None) -> None:
    found = selectors.analysis(date(2026, 1, 1))
    assert [b.code for b in found.ballots] == [
        "A/RES/70/54",
        "A/RES/71/45",
        "A/RES/72/54",
        "A/RES/73/54",
        "A/RES/74/62",
    ]
    yes = {s.iso3 for s in found.always_yes}
    abstain = {s.iso3 for s in found.always_abstain}
    assert "USA" in abstain and "SRB" in abstain and not yes & abstain
    assert {"IDN", "THA"} <= yes  # signatory and not signed, yes in each of the five years
    assert "LTU" not in yes  # withdrew in 2025: a State Party at every vote on record
    parties = {r.state.iso3 for r in selectors.state_rows(date(2026, 1, 1)) if r.status.is_party}
    assert not (yes | abstain) & parties
    assert found.trend[0]["code"] == "A/RES/70/54"
    assert (
        sum(found.trend[0][k] for k in ("yes", "no", "abstain", "absent"))
        == found.trend[0]["states"]
    )


# Outreach ---------------------------------------------------------------------------------------


def test_the_pipeline_and_its_automatic_last_stage(reference: None) -> None:
    usa = State.objects.get(iso3="USA")
    services.set_stage(usa, stage="engaged", since=date(2025, 1, 1), note="", by=None)
    row = selectors.pipeline(date(2026, 1, 1), {"USA"})[0]
    assert row.stage == "engaged"
    with pytest.raises(services.Refused):
        services.set_stage(usa, stage="deposited", since=date(2025, 1, 1), note="", by=None)
    with pytest.raises(services.Refused):  # a State Party has no pipeline to move along
        services.set_stage(
            State.objects.get(iso3="CHL"), stage="engaged", since=date(2025, 1, 1), note="", by=None
        )
    # A State not party that deposits: the registry sets the last stage by itself
    from ccm.registry.tests import factories as registry_factories

    registry_factories.TreatyActionFactory(state=usa, kind="accession", date=date(2026, 2, 1))
    assert selectors.pipeline(date(2026, 3, 1), {"USA"})[0].stage == "deposited"
    assert selectors.pipeline(date(2026, 1, 31), {"USA"})[0].stage == "engaged"
    assert "USA" not in {c.iso3 for c in selectors.candidates(date(2026, 3, 1))}


def test_a_contact_and_its_next_step(reference: None) -> None:
    india = State.objects.get(iso3="IND")
    today = timezone.localdate()
    entry = services.log_outreach(
        india,
        on=today,
        channel="demarche",
        actor="coordinator",
        actor_state=State.objects.get(iso3="CHL"),
        people="Deputy Permanent Representative",
        outcome="Interested in the Convention's humanitarian record.",
        next_step="Send the ISU's briefing on stockpile destruction",
        next_owner="ISU",
        next_due=today + timedelta(days=10),
        by=None,
    )
    assert entry in selectors.steps_due(today)
    row = selectors.pipeline(today, {"IND"})[0]
    assert row.last_contact == entry and row.next_due == today + timedelta(days=10)
    with pytest.raises(services.Refused):  # a coordinator names its State
        services.log_outreach(india, on=today, channel="letter", actor="coordinator", by=None)
    with pytest.raises(services.Refused):
        services.log_outreach(
            india, on=today + timedelta(days=1), channel="letter", actor="isu", by=None
        )
    with pytest.raises(services.Refused):
        services.log_outreach(
            india, on=today, channel="letter", actor="isu", next_due=today, by=None
        )
    services.step_done(entry, on=today, by=None)
    assert entry not in selectors.steps_due(today)
    with pytest.raises(services.Refused):
        services.step_done(entry, on=today, by=None)
    with pytest.raises(services.Refused):
        services.add_position(
            india, position="stockpiler", holds=True, as_of=today, source="", by=None
        )
    services.add_position(
        india,
        position="stockpiler",
        holds=True,
        as_of=today,
        source="Cluster Munition Monitor 2025",
        by=None,
    )
    assert selectors.pipeline(today, {"IND"})[0].position_labels == ["stockpiles cluster munitions"]
    services.add_position(
        india, position="stockpiler", holds=False, as_of=today, source="later source", by=None
    )
    assert selectors.pipeline(today, {"IND"})[0].positions == {}


def test_a_campaign_chooses_writes_and_follows(reference: None, settings: Any) -> None:
    today = timezone.localdate()
    picked = services.rules.chosen(
        selectors.candidates(today), {"regions": ["Africa"], "signatories_only": True}
    )
    states = list(State.objects.filter(iso3__in=picked))
    assert states and all(s.region == "Africa" for s in states)
    with pytest.raises(services.Refused):
        services.start_campaign(
            title="x",
            filters={},
            subjects={"en": "s"},
            bodies={"en": "Dear {minister}"},
            states=states,
            by=None,
        )
    campaign = services.start_campaign(
        title="Africa 2026",
        filters={"regions": ["Africa"]},
        by=None,
        states=states,
        subjects={"en": "The Convention", "fr": "La Convention", "es": ""},
        bodies={
            "en": "Excellency,\n\n{state} is invited to join.",
            "fr": "Excellence,\n\nLe Gouvernement de {state} est invité à adhérer.",
            "es": "",
        },
    )
    by_language = {t.state.iso3: t.language for t in campaign.targets.select_related("state")}
    french = [iso3 for iso3, lang in by_language.items() if lang == "fr"]
    assert french, by_language
    pdf, n = letters.letters_pdf(campaign, today, "fr")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert n == len(french) and "Excellence" in text and "{state}" not in text
    name_fr = State.objects.get(iso3=french[0]).name_fr
    assert name_fr.split()[0] in text
    assert services.mark_sent(campaign, on=today, by=None) == len(states)
    assert services.mark_sent(campaign, on=today, by=None) == 0
    assert Outreach.objects.filter(campaign=campaign, channel="letter").count() == len(states)
    first = states[0]
    services.log_outreach(
        first,
        on=today,
        channel="letter",
        actor="presidency",
        reply=True,
        outcome="Thanks; under review",
        next_step="Follow up in capital",
        next_due=today + timedelta(days=30),
        campaign=campaign,
        by=None,
    )
    rows = {r.target.state.iso3: r for r in selectors.campaign_rows(campaign)}
    assert rows[first.iso3].replies and rows[first.iso3].open_steps


def test_the_register_of_use(reference: None, personas: dict[str, Client]) -> None:
    syria = State.objects.get(iso3="SYR")
    with pytest.raises(services.Refused):
        services.report_use(
            country=syria,
            started_on=date(2016, 1, 1),
            ended_on=None,
            user=None,
            user_text="",
            confidence="documented",
            source=" ",
            link="",
            note="",
            by=None,
        )
    with pytest.raises(services.Refused):
        services.report_use(
            country=syria,
            started_on=date(2016, 1, 1),
            ended_on=date(2015, 1, 1),
            user=None,
            user_text="",
            confidence="documented",
            source="x",
            link="",
            note="",
            by=None,
        )
    services.report_use(
        country=syria,
        started_on=date(2016, 1, 1),
        ended_on=date(2016, 12, 31),
        user=None,
        user_text="",
        confidence="documented",
        source="Presidency statement (test)",
        link="",
        note="",
        by=None,
    )
    page = Client().get("/universalization/use/").content.decode()
    assert "Presidency statement (test)" in page and "Syria" in page
    state_page = Client().get("/states/SYR/").content.decode()
    assert "Presidency statement (test)" in state_page


# Who sees what -------------------------------------------------------------------------------


def test_the_permission_matrix(reference: None, personas: dict[str, Client]) -> None:
    campaign = services.start_campaign(
        title="T",
        filters={},
        subjects={"en": "S"},
        bodies={"en": "B"},
        states=[State.objects.get(iso3="IND")],
        by=None,
    )
    for url in (
        "/staff/outreach/",
        "/staff/outreach/states/IND/",
        "/staff/outreach/campaigns/",
        "/staff/outreach/campaigns/new/",
        f"/staff/outreach/campaigns/{campaign.pk}/",
        f"/staff/outreach/campaigns/{campaign.pk}/?format=pdf",
    ):
        assert_matrix(personas, url, PRIVATE)
    assert_matrix(personas, "/staff/outreach/votes/import/", STAFF_ONLY)
    assert_matrix(personas, "/staff/outreach/register/", STAFF_ONLY)
    for url in (
        "/universalization/",
        "/universalization/votes/",
        "/universalization/votes/A/RES/71/45/",
        "/universalization/use/",
    ):
        assert_matrix(personas, url, PUBLIC)
    # Writes: a focal point and the public log nothing
    contact = {"action": "log", "on": "2026-01-05", "channel": "letter", "actor": "isu"}
    for persona in ("other_focal_point", "focal_point"):
        assert personas[persona].post("/staff/outreach/states/IND/", contact).status_code == 403
    assert not Outreach.objects.exists()
    assert personas["presidency"].post("/staff/outreach/states/IND/", contact).status_code == 302
    # Forged ids
    staff = personas["staff"]
    assert staff.get("/staff/outreach/states/XXX/").status_code == 404
    assert staff.get("/staff/outreach/campaigns/999999/").status_code == 404
    assert staff.get("/universalization/votes/A/RES/1/1/").status_code == 404
    other = services.log_outreach(
        State.objects.get(iso3="USA"),
        on=date(2026, 1, 5),
        channel="letter",
        actor="isu",
        next_step="x",
        by=None,
    )
    forged = staff.post("/staff/outreach/states/IND/", {"action": "done", "entry": other.pk})
    assert forged.status_code == 403 and Outreach.objects.get(pk=other.pk).next_done_on is None


def test_the_universalization_coordinators_read_outreach(
    reference: None, personas: dict[str, Client]
) -> None:
    from ccm.meetings import selectors as meetings
    from ccm.meetings import services as meeting_services

    term = meetings.in_office(timezone.localdate())
    assert term is not None
    assert personas["focal_point"].get("/staff/outreach/").status_code == 403
    meeting_services.add_theme(
        term.presidency,
        theme="Universalization",
        coordinators=[State.objects.get(iso3="CHL")],
        by=None,
    )
    assert personas["focal_point"].get("/staff/outreach/").status_code == 200  # Chile coordinates
    assert personas["other_focal_point"].get("/staff/outreach/").status_code == 403  # Peru does not
    assert personas["focal_point"].get("/staff/outreach/votes/import/").status_code == 403


def test_the_state_page(reference: None, personas: dict[str, Client]) -> None:
    for persona in ("anonymous", "other_focal_point", "focal_point", "presidency", "staff"):
        html = personas[persona].get("/states/IND/").content.decode()
        assert 'id="vote-history"' in html  # public
        assert ('id="state-outreach"' in html) is (persona in ("presidency", "staff")), persona
    chile = personas["staff"].get("/states/CHL/").content.decode()
    assert 'id="state-outreach"' not in chile  # a State Party


def test_pages_take_a_bounded_number_of_queries(
    reference: None, personas: dict[str, Client]
) -> None:
    staff = personas["staff"]
    for iso3 in ("IND", "USA", "RUS", "CHN", "BRA"):
        services.log_outreach(
            State.objects.get(iso3=iso3),
            on=date(2026, 1, 5),
            channel="letter",
            actor="isu",
            next_step="call",
            next_due=date(2026, 2, 1),
            by=None,
        )
    counts = []
    for url in ("/staff/outreach/", "/universalization/", "/universalization/votes/"):
        with CaptureQueriesContext(connection) as ctx:
            assert staff.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert max(counts) <= 30, counts


def test_the_admin_lists_and_never_edits(reference: None, personas: dict[str, Client]) -> None:
    staff = personas["staff"]
    for model in (
        "finance/assessment",
        "finance/invoice",
        "finance/rate",
        "finance/payment",
        "finance/entry",
        "outreach/resolution",
        "outreach/usereport",
        "compliance/notreceived",
        "compliance/publishedlist",
        "compliance/completerecord",
    ):
        assert staff.get(f"/admin/{model}/").status_code == 200, model
        assert staff.get(f"/admin/{model}/add/").status_code == 403, model


def test_importing_a_recorded_vote_from_the_page(
    reference: None, personas: dict[str, Client]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["iso3", "vote"], ["CHL", "yes"], ["USA", "abstain"], ["IND", "abstain"]):
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    form = {
        "symbol": "A/RES/80/60",
        "body": "General Assembly",
        "year": "2025",
        "voted_on": "2025-12-01",
        "source": "UN Digital Library, A/80/PV.50",
    }
    staff = personas["staff"]
    bad = SimpleUploadedFile("votes.csv", b"iso3,vote\nCHL,yes\nXXX,no\n", "text/csv")
    refused = staff.post("/staff/outreach/votes/import/", {**form, "file": bad})
    assert (
        refused.status_code == 400 and "unknown State &#x27;XXX&#x27;" in refused.content.decode()
    )
    assert not Resolution.objects.filter(code="A/RES/80/60").exists()
    partial = staff.post(
        "/staff/outreach/votes/import/",
        {**form, "yes": "150", "file": SimpleUploadedFile("v.xlsx", data.getvalue())},
    )
    assert partial.status_code == 400  # three official totals or none
    done = staff.post(
        "/staff/outreach/votes/import/",
        {**form, "file": SimpleUploadedFile("v.xlsx", data.getvalue())},
    )
    assert done.status_code == 302
    assert dict(
        StateVote.objects.filter(resolution__code="A/RES/80/60").values_list("state_id", "vote")
    ) == {"CHL": "yes", "USA": "abstain", "IND": "abstain"}
    assert personas["presidency"].post("/staff/outreach/votes/import/", form).status_code == 403


def test_marking_a_campaign_sent_is_for_the_readers_of_outreach_only(
    reference: None, personas: dict[str, Client]
) -> None:
    campaign = services.start_campaign(
        title="T",
        filters={},
        subjects={"en": "S"},
        bodies={"en": "B"},
        states=[State.objects.get(iso3="IND")],
        by=None,
    )
    url = f"/staff/outreach/campaigns/{campaign.pk}/"
    data = {"action": "sent", "sent_on": "2026-01-05"}
    for persona in ("other_focal_point", "focal_point"):
        assert personas[persona].post(url, data).status_code == 403
    assert personas["anonymous"].post(url, data).status_code == 302  # to the sign-in page
    assert not Outreach.objects.exists()
    assert personas["presidency"].post(url, data).status_code == 302
    assert Outreach.objects.filter(campaign=campaign).count() == 1
    bad = personas["staff"].post(url, {"action": "sent", "sent_on": "5 Jan"})
    assert bad.status_code == 400 and Outreach.objects.count() == 1
