"""The assessment engine (issue #13, part): shares of a cost on the adjusted UN scale, in Decimal,
adding up to the cent; ceilings, floors and minimums re-applied until stable; no payer dropped
silently."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccm.finance.rules import EXCLUDE, NoRate, Settings, assess, largest_remainder

SCALE = Path(__file__).resolve().parents[1] / "data" / "un_scale_of_assessments.csv"


def test_the_amounts_add_up_to_the_cent() -> None:
    done = assess(Decimal("100.00"), {"A": Decimal("1"), "B": Decimal("1"), "C": Decimal("1")})
    assert [line.amount for line in done.lines] == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert sum(line.amount for line in done.lines) == Decimal("100.00")
    assert all(isinstance(line.share, Decimal) for line in done.lines)
    assert largest_remainder(Decimal("0.05"), {"A": Decimal("0.5"), "B": Decimal("0.5")}) == {
        "A": Decimal("0.03"),
        "B": Decimal("0.02"),
    }


def test_every_member_but_the_united_states_pays_r_times_100_over_78() -> None:
    with SCALE.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["period"] == "2025-2027"]
    rates = {r["iso3"]: Decimal(r["rate_percent"]) for r in rows if r["iso3"] != "USA"}
    assert sum(rates.values()) == Decimal("78.000")
    done = assess(Decimal("1000000.00"), rates)
    for line in done.lines:
        assert line.rate is not None
        assert abs(line.share - line.rate / Decimal(78)) < Decimal("1e-25")  # 28-digit test side
    assert sum(line.amount for line in done.lines) == Decimal("1000000.00")


def test_a_ceiling_is_reapplied_after_renormalising() -> None:
    rates = {"BIG": Decimal("50"), "MID": Decimal("30"), "S1": Decimal("10"), "S2": Decimal("10")}
    done = assess(Decimal("1000.00"), rates, Settings(ceiling=Decimal("0.3")))
    by = {line.payer: line for line in done.lines}
    assert by["BIG"].share == Decimal("0.3") and by["MID"].share == Decimal("0.3")
    assert by["S1"].share == by["S2"].share == Decimal("0.2")  # the excess spread, twice over
    assert any("ceiling" in m for m in done.method)


def test_a_minimum_contribution_and_a_floor() -> None:
    rates = {"A": Decimal("99.9"), "B": Decimal("0.1")}
    done = assess(Decimal("1000.00"), rates, Settings(minimum=Decimal("50.00")))
    assert {line.payer: line.amount for line in done.lines} == {
        "A": Decimal("950.00"),
        "B": Decimal("50.00"),
    }
    with pytest.raises(ValueError):
        assess(Decimal("10.00"), rates, Settings(minimum=Decimal("6.00")))


def test_a_payer_without_a_rate_is_never_dropped_silently() -> None:
    rates = {"CHL": Decimal("0.42"), "COK": None}
    with pytest.raises(NoRate):
        assess(Decimal("100.00"), rates)
    excluded = assess(Decimal("100.00"), rates, Settings(without_rate={"COK": EXCLUDE}))
    assert "COK" in excluded.excluded and [line.payer for line in excluded.lines] == ["CHL"]
    configured = assess(Decimal("100.00"), rates, Settings(without_rate={"COK": Decimal("0.001")}))
    assert [line.payer for line in configured.lines] == ["CHL", "COK"]
    assert any("COK" in m for m in configured.method)


def test_bad_costs_are_refused() -> None:
    for cost in (Decimal("-1.00"), Decimal("1.001")):
        with pytest.raises(ValueError):
            assess(cost, {"A": Decimal("1")})
    with pytest.raises(ValueError):
        assess(1.0, {"A": Decimal("1")})  # type: ignore[arg-type]  # a float is refused
    with pytest.raises(ValueError):  # two payers cannot cover the cost at 30% each
        assess(
            Decimal("1.00"),
            {"A": Decimal("1"), "B": Decimal("1")},
            Settings(ceiling=Decimal("0.3")),
        )


@settings(max_examples=150, deadline=None)
@given(
    cents=st.integers(min_value=0, max_value=10**11),
    rates=st.lists(
        st.decimals(min_value=Decimal("0.001"), max_value=Decimal("22"), places=3),
        min_size=1,
        max_size=40,
    ),
    ceiling=st.none() | st.decimals(min_value=Decimal("0.05"), max_value=Decimal("1"), places=2),
)
def test_any_assessment_adds_up_exactly(
    cents: int, rates: list[Decimal], ceiling: Decimal | None
) -> None:
    if ceiling is not None and ceiling * len(rates) < 1:
        ceiling = None  # a ceiling no payer set can meet is refused, tested above
    cost = Decimal(cents) / 100
    done = assess(cost, {f"P{i:02d}": r for i, r in enumerate(rates)}, Settings(ceiling=ceiling))
    assert sum(line.amount for line in done.lines) == cost
    assert all(line.amount >= 0 for line in done.lines)
    if ceiling is not None:
        assert all(line.share <= ceiling for line in done.lines)
