"""The past meetings and their Presidencies load from the shipped reference data, every row with
its source; loading twice changes nothing; a bad file is refused whole (issue #11)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from ccm.core.tables import RowsRefused
from ccm.meetings import services
from ccm.meetings.models import Meeting, MeetingFact, Presidency

pytestmark = pytest.mark.django_db


def test_the_meetings_load_with_their_sources_and_load_twice_safely(
    registry_reference: None,
) -> None:
    done = services.load_meetings()
    with services.MEETINGS_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert done.meetings == len(rows) == Meeting.objects.count()
    seventh = Meeting.objects.get(code="7MSP")
    assert (seventh.start_date, seventh.end_date, seventh.venue) == (
        date(2017, 9, 4), date(2017, 9, 6), "Palais des Nations, Room XIX",
    )  # fmt: skip
    assert seventh.title == "7th Meeting of States Parties" and seventh.host.iso3 == "CHE"
    assert (seventh.presidency.state.iso3, seventh.presidency.president) == (
        "DEU", "Michael Biontino",
    )  # fmt: skip
    assert "wvcbl.org" in seventh.source and "wvcbl.org" in seventh.presidency.source
    assert Meeting.objects.get(code="2RC-1").mode == "virtual"
    assert Meeting.objects.get(code="2RC-2").mode == "hybrid"
    assert Meeting.objects.get(code="2RC-2").part == 2
    assert Meeting.objects.get(code="3RC").start_date is None  # "dates not found": kept so
    assert all(m.source for m in Meeting.objects.all())
    facts = MeetingFact.objects.filter(meeting=seventh)
    assert {f.field for f in facts} >= {"dates_venue", "president", "event"}
    assert facts.get(field="dates_venue").note.startswith("Notes verbales were due by")
    assert all(f.source for f in MeetingFact.objects.all())
    counts = (Meeting.objects.count(), Presidency.objects.count(), MeetingFact.objects.count())
    again = services.load_meetings()
    assert (again.meetings, again.presidencies, again.facts) == (0, 0, 0)
    assert again.unchanged == counts[0]
    assert counts == (Meeting.objects.count(), Presidency.objects.count(),
                      MeetingFact.objects.count())  # fmt: skip


def test_a_bad_file_is_refused_whole_with_every_error(
    registry_reference: None, tmp_path: Path
) -> None:
    bad = tmp_path / "meetings.csv"
    header = ",".join(services.MEETING_COLUMNS)
    bad.write_text(
        header + "\n"
        "1MSP,MSP,1,2010-11-09,2010-11-12,Vientiane,Lao People's Democratic Republic,,,,,src\n"
        "1MSP,XX,one,2010-11-12,2010-11-09,Nowhere,Atlantis,,Atlantis,Someone,,\n",
        encoding="utf-8",
    )
    facts = tmp_path / "facts.csv"
    facts.write_text("meeting,field,value,note,source\n99MSP,president,x,,src\n", encoding="utf-8")
    with pytest.raises(RowsRefused) as refused:
        services.load_meetings(bad, facts)
    said = "\n".join(str(e) for e in refused.value.errors)
    for reason in ("code '1MSP' is empty, malformed or repeated", "kind 'XX' is unknown",
                   "number 'one' is not a whole number", "end_date is before start_date",
                   "country 'Atlantis' is not a known State", "source is empty",
                   "meeting '99MSP' is not a known meeting"):  # fmt: skip
        assert reason in said, reason
    assert not Meeting.objects.exists()
