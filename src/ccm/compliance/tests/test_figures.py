"""The reporting figures compliance contributes to the Presidency's letters (core.figures, issue
#25) are the circular's own reading (issue #24, one truth): "at least N" certainly missing while
the record leaves some reports unknown, the unknown counted apart, and a bare number once the
record is complete."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from ccm.compliance import dashboard, figures, letters
from ccm.compliance.selectors import engine_inputs
from ccm.core import figures as registry

DAYS = (date(2012, 1, 15), date(2017, 1, 15), date(2017, 4, 30), date(2017, 5, 1),
        date(2021, 6, 1))  # fmt: skip
NAMES = list(figures.LABELS)


def _expected(day: date, certain: int, unknown: int) -> tuple[str, str]:
    return (f"at least {certain}" if unknown else str(certain)), str(unknown)


def _check(day: date) -> dict[str, registry.Figure]:
    found = registry.compute(NAMES, day, "en")
    circular = letters.circular(dashboard.build(engine_inputs(), day))
    initial = circular.initial
    assert (found["initial reports missing"].value, found["initial reports unknown"].value) == (
        _expected(day, len(initial.certain), initial.unknown)
    )
    year = dashboard.latest_annual_year(day)
    annual = next((p for p in circular.annual if p.period == year), None)
    certain, unknown = (len(annual.certain), annual.unknown) if annual else (0, 0)
    assert (found["annual reports missing"].value, found["annual reports unknown"].value) == (
        _expected(day, certain, unknown)
    )
    assert found["annual report year"].value == str(year)
    assert all(f.as_of == day and f.source for f in found.values())
    return found


@pytest.mark.django_db
def test_the_letters_figures_are_the_circulars_on_the_shipped_record(reference: None) -> None:
    for day in DAYS:
        _check(day)
    found = _check(date(2017, 1, 15))
    assert found["initial reports missing"].value == "at least 19"  # issue #24: 19 to 88
    assert found["initial reports unknown"].value == "69"
    assert "not in our record" in found["initial reports missing"].note
    assert "ccm letter circular --as-of 2017-01-15" in found["initial reports missing"].source


@pytest.mark.django_db
def test_on_a_complete_record_the_figures_are_bare_numbers(reference: None) -> None:
    call_command("mark_record_complete", stdout=io.StringIO())
    for day in DAYS:
        found = _check(day)
        assert found["initial reports unknown"].value == "0"
        assert not found["initial reports missing"].value.startswith("at least")
        assert found["initial reports missing"].note == ""


def test_the_next_deadline_is_the_next_30_april() -> None:
    assert figures.next_deadline(date(2017, 1, 15)) == (date(2017, 4, 30), 2016)
    assert figures.next_deadline(date(2017, 4, 30)) == (date(2017, 4, 30), 2016)  # that day
    assert figures.next_deadline(date(2017, 5, 1)) == (date(2018, 4, 30), 2017)
    assert figures.next_deadline(date(2017, 12, 31)) == (date(2018, 4, 30), 2017)
