"""Cross-year checks (issue #10): each check with a passing and a failing case."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from ccm.reports import checks


def b(stock: list[tuple[str, int, int]], destroyed: Any = (), discovered: Any = ()) -> dict:
    return {"B": {
        "status": "changed",
        "stockpiles": [{"munition_type": t, "munitions": m, "submunitions": s}
                       for t, m, s in stock],
        "destroyed": [{"year": y, "munition_type": t, "munitions": m, "submunitions": s}
                      for y, t, m, s in destroyed],
        "discovered": [{"munition_type": t, "munitions": m, "submunitions": s}
                       for t, m, s in discovered],
    }}  # fmt: skip


def f(areas: dict[str, float], cleared: Any = ()) -> dict:
    return {"F": {
        "status": "changed",
        "contaminated": [{"location": k, "area_m2": v} for k, v in areas.items()],
        "cleared": [{"year": y, "location": k, "area_m2": a, "remnants_destroyed": 1}
                    for y, k, a in cleared],
    }}  # fmt: skip


def test_stockpile_carries_over_destroyed_and_discovered() -> None:
    last = b([("M26 rocket", 120, 77280), ("BLU-63", 40, 0)])
    good = b([("M26 rocket", 70, 45080), ("BLU-63", 45, 0)],
             destroyed=[(2025, "m26  Rocket", 50, 32200), (2024, "M26 rocket", 999, 0)],
             discovered=[("BLU-63", 5, 0)])  # fmt: skip
    assert checks.stockpile(last, good, 2025) == []
    bad = b([("M26 rocket", 80, 45080)], destroyed=[(2025, "M26 rocket", 50, 32200)])
    found = checks.stockpile(last, bad, 2025)
    assert [x.id for x in found] == [
        "stockpile:B:blu-63/munitions", "stockpile:B:m26 rocket/munitions",
    ]  # fmt: skip
    assert found[1].message() == (
        "Form B, M26 rocket: the stockpile reported (80 cluster munitions) is not last year's "
        "120 − 50 destroyed + 0 discovered = 70."
    )
    with translation.override("fr"):
        assert found[1].message() == (
            "Formulaire B, M26 rocket : le stock déclaré (80 armes à sous-munitions) n'est pas "
            "celui de l'an dernier, 120 − 50 détruites + 0 découvertes = 70."
        )


def test_an_unchanged_form_stands_for_last_years_values() -> None:
    last = b([("M26 rocket", 120, 77280)])
    assert (
        checks.stockpile(last, {"B": {"status": "unchanged", "unchanged_since": 2024}}, 2025) == []
    )
    # Not applicable now, 120 last year and nothing destroyed: the stockpile vanished.
    gone = checks.stockpile(last, {"B": {"status": "not_applicable"}}, 2025)
    assert {x.params["expected"] for x in gone} == {"120", "77280"}


def test_contamination_is_last_year_less_what_was_cleared() -> None:
    last = f({"Village A": 125000, "Village B": 5000.5})
    good = f({"village a": 100000, "Village B": 5000.5, "Village C": 800},  # C newly found
             cleared=[(2025, "Village A", 25000)])  # fmt: skip
    assert checks.contamination(last, good, 2025) == []
    shrank = f({"Village A": 90000, "Village B": 5000.5}, cleared=[(2025, "Village A", 25000)])
    (finding,) = checks.contamination(last, shrank, 2025)
    assert finding.check == "contamination" and finding.params["expected"] == "100000"
    too_much = f({"Village B": 5000.5}, cleared=[(2025, "Village A", 130000)])
    (finding,) = checks.contamination(last, too_much, 2025)
    assert finding.check == "cleared_more" and "larger than the area" in finding.message()


def test_cumulative_clearance_never_decreases() -> None:
    last = f({}, cleared=[(2023, "A", 1000), (2024, "A", 2000)])
    same = f({}, cleared=[(2023, "A", 1000), (2024, "A", 2000), (2025, "A", 10)])
    assert checks.cumulative_clearance(last, 2024, same) == []
    assert checks.cumulative_clearance(last, 2024, f({}, cleared=[(2025, "A", 1)])) == []
    lower = f({}, cleared=[(2024, "A", 1500), (2025, "A", 10)])
    (finding,) = checks.cumulative_clearance(last, 2024, lower)
    assert finding.params == {"year": 2024, "previous": "3000", "reported": "1500"}


def test_not_applicable_where_last_year_held_data() -> None:
    last = {"G": {"status": "changed", "measures": "Radio spots"}, "J": {"status": "changed"}}
    now = {"G": {"status": "not_applicable"}, "J": {"status": "not_applicable"}}
    assert [x.id for x in checks.not_applicable(last, now)] == ["not_applicable:G:G"]
    assert checks.not_applicable(last, {"G": {"status": "changed", "measures": "x"}}) == []


def test_no_report_before_means_nothing_to_compare_and_a_record_says_it_again() -> None:
    assert checks.cross_year(None, None, b([("M26 rocket", 1, 1)]), 2025) == []
    (finding,) = checks.cross_year({"G": {"status": "changed", "measures": "x"}}, 2024,
                                   {"G": {"status": "not_applicable"}}, 2025)  # fmt: skip
    record = finding.as_record("The programme ended in 2024.")
    assert checks.from_record(record) == finding
    assert record["explanation"] == "The programme ended in 2024."


def test_what_a_report_declares() -> None:
    assert checks.declares(b([("M26 rocket", 1, 0)])) == {"stockpiles"}
    assert checks.declares(b([("M26 rocket", 0, 0)])) == set()  # all destroyed
    assert checks.declares(f({"Village A": 10})) == {"contamination"}
    assert checks.declares(f({"Village A": 0})) == set()
    assert checks.declares({"B": {"status": "not_applicable"}}) == set()
