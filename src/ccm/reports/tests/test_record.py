"""The record of reports received: shipped facts, imports (all or nothing), staff corrections."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ccm.core.models import AuditEvent
from ccm.core.testing.commands import output
from ccm.reports import imports, services
from ccm.reports.choices import Origin
from ccm.reports.models import Submission

HEADER = "iso3,kind,period,received_on,received_by,channel,languages,un_link,note,source\n"


def test_shipped_reports_load_once_and_keep_their_sources(reference):
    # 20 known reports and 28 from the Monitor's profiles (a 29th, GNB annual 2022, is already
    # recorded from another source with a tighter date: left out, and said so)
    assert Submission.objects.filter(origin=Origin.REFERENCE).count() == 48
    assert not Submission.objects.filter(source="").exists()
    again = services.load_known_reports()
    assert (again.created, again.unchanged) == (0, 20)
    monitor = services.load_monitor_reports()
    assert (monitor.created, monitor.unchanged) == (0, 29)
    assert any("GNB annual 2022 is already recorded" in n for n in monitor.notes)


def test_cli_obligations_json_contract(reference):
    rows = json.loads(
        output("obligations", "--as-of", "2016-08-01", "--state", "DEU", "--format", "json")
    )
    assert {
        "iso3",
        "kind",
        "period",
        "due_date",
        "satisfied_on",
        "status",
        "source_due_date",
    } <= set(rows[0])
    annual_2015 = next(r for r in rows if r["kind"] == "annual" and r["period"] == 2015)
    assert annual_2015 == {
        **annual_2015,
        "due_date": "2016-04-30",
        "satisfied_on": "2016-04-05",
        "status": "on_time",
        "source_due_date": None,
    }
    assert (annual_2015["evidence"], annual_2015["sources"]) == (
        "received",
        ["Cluster Munition Monitor Germany profile 2017"],
    )
    # Received 20 April 2015, by the Monitor's 2015 profile (issue #15)
    annual_2014 = next(r for r in rows if r["kind"] == "annual" and r["period"] == 2014)
    assert (annual_2014["status"], annual_2014["satisfied_on"]) == ("on_time", "2015-04-20")
    # No report for 2013 in the record, and no evidence either way: unknown, with no days
    # (issue #24's contract); once the ISU holds Germany's record complete, overdue by 824 days.
    unknown = next(r for r in rows if r["kind"] == "annual" and r["period"] == 2013)
    assert (unknown["status"], unknown["days_overdue"]) == ("unknown", None)
    assert unknown["evidence"] == "none" and unknown["sources"] == []
    call_command("mark_record_complete", "--state", "DEU", stdout=io.StringIO())
    rows = json.loads(
        output("obligations", "--as-of", "2016-08-01", "--state", "DEU", "--format", "json")
    )
    overdue = next(r for r in rows if r["kind"] == "annual" and r["period"] == 2013)
    assert (overdue["status"], overdue["days_overdue"]) == ("overdue", 824)


def test_cli_compliance_json_contract(reference):
    data = json.loads(output("compliance", "--as-of", "2020-02-01", "--format", "json"))
    assert set(data) == {"as_of", "initial", "annual"}
    for tally in [data["initial"], *data["annual"]]:
        assert {"due", "submitted", "overdue", "overdue_iso3"} <= set(tally)
        assert tally["overdue"] == len(tally["overdue_iso3"])
        # Every report fallen due is submitted, certainly overdue or unknown (issue #24)
        assert tally["submitted"] + tally["overdue"] + len(tally["unknown_iso3"]) == tally["due"]
    y2019 = next(t for t in data["annual"] if t["period"] == 2019)
    assert (y2019["due"], y2019["submitted_ahead"]) == (0, 3)  # GNB, AUS, KNA before 30 Apr 2020


def test_cli_table_is_the_default(reference):
    out = output("compliance", "--as-of", "2016-01-01")
    assert out.splitlines()[0].split()[:3] == ["report", "due", "submitted"]
    assert "obligations on 2016-01-01" in output("obligations", "--as-of", "2016-01-01")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["obligations", "--as-of", "2016-13-01"], "--as-of: '2016-13-01' is not a date"),
        (["obligations", "--kind", "monthly"], "--kind: 'monthly' is not one of"),
        (["obligations", "--state", "XXX"], "--state: 'XXX' is not a known State"),
        (["obligations", "--format", "xml"], "--format: 'xml' is not one of"),
        (["compliance", "--format", "csv"], "--format: 'csv' is not one of"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(db, args, message):
    with pytest.raises(CommandError) as caught:
        call_command(*args)
    assert caught.value.returncode == 2
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_demonstration_data_is_counted_only_when_asked(reference):
    Submission.objects.create(
        state_id="DEU", kind="annual", period=2012, received_on=date(2013, 4, 1),
        source="generated", origin=Origin.DEMO,
    )  # fmt: skip
    plain = json.loads(
        output("obligations", "--as-of", "2016-01-01", "--state", "DEU", "--format", "json")
    )
    demo = json.loads(
        output(
            "obligations",
            "--as-of",
            "2016-01-01",
            "--state",
            "DEU",
            "--format",
            "json",
            "--include-demo",
        )
    )
    pick = lambda rows: next(r for r in rows if r["period"] == 2012)["status"]  # noqa: E731
    assert (pick(plain), pick(demo)) == ("unknown", "on_time")  # unknown: issue #24


def test_import_writes_nothing_and_lists_every_bad_row(reference):
    bad = (
        HEADER
        + "DEU,annual,2012,2013-04-02,,online,en,,,ISU register\n"  # good
        + "XXX,annual,2012,2013-04-02,,,,,,ISU register\n"  # unknown State
        + "FRA,annual,2012,2013-02-30,,,,,,ISU register\n"  # impossible date
        + "FRA,initial,2012,2011-01-01,,,,,,ISU register\n"  # initial with a period
        + "USA,initial,,2012-01-01,,,,,,ISU register\n"  # not a party: voluntary
        + "ESP,annual,2012,,,,,,,ISU register\n"  # no date
        + "ESP,annual,2011,2012-03-01,,fax,xx,notaurl,,\n"  # channel, language, link, source
        + "DEU,annual,2012,2013-04-02,,online,en,,,ISU register\n"  # duplicate of line 2
        + f"DEU,annual,2031,{date.today().replace(year=date.today().year + 1)},,,,,,x\n"  # future
    )
    before = Submission.objects.count()
    with pytest.raises(imports.ImportError_) as caught:
        services.import_reports("register.csv", bad.encode(), by=None)
    lines = {e.line for e in caught.value.errors}
    assert lines == {3, 4, 5, 6, 7, 8, 9, 10}
    text = str(caught.value)
    for reason in [
        "iso3 'XXX' is not a known State",
        "received_on '2013-02-30' is not a date",
        "an initial report covers no calendar year",
        "USA has deposited no instrument: record its report as voluntary",
        "give received_on, or received_by",
        "channel 'fax'",
        "languages xx",
        "un_link 'notaurl'",
        "source is empty",
        "the same report as line 2",
        "is in the future",
    ]:
        assert reason in text, reason
    assert Submission.objects.count() == before


def test_import_refuses_a_file_with_missing_or_unknown_columns(reference):
    with pytest.raises(imports.ImportError_, match="missing column"):
        services.import_reports("x.csv", b"iso3,kind\nDEU,annual\n", by=None)
    with pytest.raises(imports.ImportError_, match="unknown column"):
        services.import_reports("x.csv", (HEADER.strip() + ",colour\n").encode(), by=None)
    with pytest.raises(imports.ImportError_, match="no header row"):
        services.import_reports("x.csv", b"", by=None)
    with pytest.raises(imports.ImportError_, match="no rows"):
        services.import_reports("x.csv", HEADER.encode(), by=None)
    with pytest.raises(imports.ImportError_, match="cannot be read"):
        services.import_reports("x.xlsx", b"not a spreadsheet", by=None)


def test_import_command_reports_every_error_and_exits_1(reference, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(HEADER + "XXX,annual,2012,2013-04-02,,,,,,ISU\n")
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_reports", str(path), stderr=err)
    assert caught.value.returncode == 1
    assert "register.csv, line 2: iso3 'XXX' is not a known State" in err.getvalue()
    with pytest.raises(CommandError) as missing:
        call_command("import_reports", str(tmp_path / "nope.csv"))
    assert missing.value.returncode == 2


def test_a_correction_is_audited_and_a_conflicting_one_refused(reference):
    from ccm.accounts.tests.factories import make_user

    staff = make_user("isu_staff")
    deu = Submission.objects.get(state_id="DEU", kind="initial")
    fixed = services.correct_submission(
        deu, by=staff, version=1, reason="date typed wrong", received_on=date(2011, 1, 26)
    )
    assert fixed.version == 2
    event = AuditEvent.objects.get(verb="submission.corrected")
    assert event.before is not None and event.after is not None
    assert (
        event.before["received_on"] == "2011-01-27" and event.after["received_on"] == "2011-01-26"
    )
    assert fixed.history.first().history_change_reason == "date typed wrong"
    with pytest.raises(services.ConflictError):
        services.correct_submission(
            deu, by=staff, version=1, reason="stale form", received_on=date(2011, 1, 20)
        )
    assert Submission.objects.get(pk=deu.pk).received_on == date(2011, 1, 26)
