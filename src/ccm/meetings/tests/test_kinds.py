"""Kinds of meeting (issue #25): formal meetings (Art. 11, 12; costs under Art. 14(1)) and
informal ones (seminars, workshops, retreats, Coordination Committee meetings); a meeting's own
title and who organises or sponsors it; the Bangkok seminar of 2017 as the sources give it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.test import Client

from ccm.core.tables import RowsRefused
from ccm.core.testing.permissions import assert_matrix
from ccm.core.testing.queries import queries
from ccm.meetings import rules, services
from ccm.meetings.choices import MeetingKind
from ccm.meetings.models import Meeting

PUBLIC = {"anonymous": 200, "other_focal_point": 200, "focal_point": 200, "presidency": 200,
          "staff": 200}  # fmt: skip
TITLE = "Regional Seminar on Cluster Munitions in South-East Asia: country coalitions"


def test_formal_and_informal_kinds() -> None:
    assert {k for k in MeetingKind.values if rules.is_formal(k)} == {"MSP", "RC", "PM"}
    for kind in ("IM", "CC", "REG", "RT", "", "msp"):
        assert not rules.is_formal(kind), kind
    # The Meetings a President presides over are another set: a preparatory meeting is formal
    # (its costs are shared) but has no Presidency of its own
    assert set(rules.PRESIDED_KINDS) == {"MSP", "RC"}
    assert Meeting(kind="PM").is_formal and not Meeting(kind="REG").is_formal


def test_a_title_replaces_the_generated_name_only_when_given() -> None:
    seventh = Meeting(code="7MSP", kind="MSP", number=7)
    assert seventh.title == "7th Meeting of States Parties"
    seventh.name = "Seventh Meeting"
    assert seventh.title == "Seventh Meeting"
    assert Meeting(code="X", kind="REG", name=TITLE).title == TITLE
    assert Meeting(code="Y", kind="REG").title == "regional seminar or workshop"


@pytest.mark.django_db
def test_the_bangkok_seminar_loads_as_an_informal_meeting_with_its_title(
    registry_reference: None,
) -> None:
    services.load_meetings()
    bangkok = Meeting.objects.get(code="REG-BKK-2017")
    assert bangkok.kind == "REG" and not bangkok.is_formal
    assert bangkok.part is None  # "-2017" is its year, not a part
    assert "country coalition concept" in bangkok.title
    assert "Fondation pour la Recherche Stratégique" in bangkok.sponsor
    assert (bangkok.start_date, bangkok.end_date) == (date(2017, 3, 16), date(2017, 3, 17))
    assert "stopclustermunitions.org" in bangkok.source
    assert not hasattr(bangkok, "presidency") or bangkok.presidency is None
    # The formal meetings keep their generated names and their parts
    seventh = Meeting.objects.get(code="7MSP")
    assert seventh.name == "" and seventh.title == "7th Meeting of States Parties"
    assert Meeting.objects.get(code="2RC-2").part == 2
    assert all(m.is_formal for m in Meeting.objects.exclude(code="REG-BKK-2017"))


@pytest.mark.django_db
def test_a_title_too_long_is_refused_whole(registry_reference: None, tmp_path: Path) -> None:
    bad = tmp_path / "meetings.csv"
    bad.write_text(
        ",".join(services.MEETING_COLUMNS + services.OPTIONAL_MEETING_COLUMNS) + "\n"
        f"REG-X-2030,REG,,2030-01-01,,Bangkok,,,,,,src,{'x' * 201},\n",
        encoding="utf-8",
    )
    facts = tmp_path / "facts.csv"
    facts.write_text("meeting,field,value,note,source\n", encoding="utf-8")
    deadlines = tmp_path / "deadlines.csv"
    deadlines.write_text("meeting,what,due_on,note,source\n", encoding="utf-8")
    with pytest.raises(RowsRefused) as refused:
        services.load_meetings(bad, facts, deadlines)
    assert "title is longer than 200 characters" in str(refused.value.errors[0])
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_the_title_kind_and_sponsor_on_the_meeting_pages(
    personas: dict[str, Client], registry_reference: None
) -> None:
    services.load_meetings()
    Meeting.objects.create(
        code="REG-SEA-2030", kind="REG", name=TITLE, start_date=date(2030, 3, 1),
        city="Bangkok", sponsor="the European Union", source="test",
    )  # fmt: skip
    assert_matrix(personas, "/meetings/REG-SEA-2030/", PUBLIC)
    html = Client().get("/meetings/REG-SEA-2030/").content.decode()
    assert f'<h1 class="h2">{TITLE}</h1>' in html
    assert 'data-formal="no"' in html and "an informal meeting" in html
    assert 'id="meeting-sponsor">the European Union<' in html
    listing = Client().get("/meetings/").content.decode()
    assert TITLE in listing and "country coalition concept" in listing
    seventh = Client().get("/meetings/7MSP/").content.decode()
    assert 'data-formal="yes"' in seventh and "a formal meeting of the Convention" in seventh
    assert queries(Client(), "/meetings/REG-SEA-2030/") <= 8


@pytest.mark.django_db
def test_a_seminar_recorded_before_without_a_title_gets_the_shipped_one(
    registry_reference: None,
) -> None:
    """A deployment where staff recorded REG-BKK-2017 by hand, before titles: loading the
    reference data again fills its blank title and sponsor, and nothing staff wrote."""
    Meeting.objects.create(code="REG-BKK-2017", kind="REG", start_date=date(2017, 3, 16),
                           sponsor="the EU", source="staff")  # fmt: skip
    done = services.load_meetings()
    bangkok = Meeting.objects.get(code="REG-BKK-2017")
    assert done.titled == 1 and "country coalition concept" in bangkok.title
    assert bangkok.sponsor == "the EU" and bangkok.source == "staff"  # kept as staff wrote
    again = services.load_meetings()
    assert (again.titled, again.meetings) == (0, 0)
    assert again.unchanged == Meeting.objects.count()
