"""The General Assembly vote outreach contributes to the Presidency's letters (core.figures,
issue #25): the latest vote of the Assembly in plenary held by the letter's date, with its
official totals; a First Committee vote is a draft's, and what the record lacks is said."""

from __future__ import annotations

from datetime import date

import pytest

from ccm.core import figures
from ccm.outreach import figures as vote_figures
from ccm.outreach.choices import Body
from ccm.outreach.models import Resolution

pytestmark = pytest.mark.django_db
NAMES = list(vote_figures.LABELS)


def _vote(code: str, body: str, day: date, *totals: int | None, source: str = "") -> Resolution:
    yes, no, abstain = totals
    return Resolution.objects.create(
        code=code, symbol=code, year=day.year, session=day.year - 1945, body=body, voted_on=day,
        yes=yes, no=no, abstain=abstain, source=source,
    )  # fmt: skip


def test_the_latest_assembly_vote_by_the_letters_date() -> None:
    assert all(f.value is None for f in figures.compute(NAMES, date(2016, 1, 1), "en").values())
    _vote("A/RES/70/54", Body.GENERAL_ASSEMBLY, date(2015, 12, 7), 139, 2, 40, source="Monitor")
    _vote("A/RES/71/45", Body.GENERAL_ASSEMBLY, date(2016, 12, 5), 141, 2, 39, source="ISU")
    _vote("A/C.1/72/L.40", Body.FIRST_COMMITTEE, date(2017, 11, 2), 130, 2, 40)
    on = figures.compute(NAMES, date(2016, 12, 4), "en")  # the day before the 2016 vote
    assert on["GA resolution"].value == "A/RES/70/54" and on["GA yes"].value == "139"
    assert "Monitor" in on["GA vote"].source
    later = figures.compute(NAMES, date(2017, 12, 1), "en")  # the First Committee's is a draft
    assert later["GA resolution"].value == "A/RES/71/45"
    assert later["GA vote"].value == "141 in favour, 2 against and 39 abstentions"
    assert later["GA date"].value == "5 December 2016"
    assert later["GA vote"].note == ""  # no per-State record to compare: nothing to say
    french = figures.compute(["GA date"], date(2017, 12, 1), "fr")
    assert french["GA date"].value == "5 décembre 2016"


def test_a_vote_without_its_official_totals_is_said_not_guessed() -> None:
    _vote("A/RES/75/62", Body.GENERAL_ASSEMBLY, date(2020, 12, 7), None, None, None)
    found = figures.compute(NAMES, date(2021, 1, 15), "en")
    assert found["GA vote"].value is None and found["GA yes"].value is None
    assert "not in the record" in found["GA vote"].note
    assert found["GA resolution"].value == "A/RES/75/62"
