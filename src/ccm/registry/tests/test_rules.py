"""The membership engine against the worked examples of shared/domain/treaty.md, and its
properties over any date."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ccm.registry import rules
from ccm.registry.rules import Membership, Status

D = date.fromisoformat


def test_first_thirty_instruments_enter_into_force_on_1_august_2010() -> None:
    assert rules.entry_into_force(D("2008-12-03")) == D("2010-08-01")  # Ireland, Holy See
    assert rules.entry_into_force(D("2010-02-16")) == D("2010-08-01")  # Burkina Faso, Moldova


def test_convention_entry_into_force_is_derived_from_the_thirtieth_deposit() -> None:
    deposits = [D("2009-01-01")] * 28 + [D("2010-02-16")] * 2 + [D("2010-05-11")]
    assert rules.convention_entry_into_force(deposits) == D("2010-08-01")
    assert rules.convention_entry_into_force(deposits[:29]) is None


def test_ecuador_deposited_after_the_thirtieth_so_article_17_2_applies() -> None:
    assert rules.entry_into_force(D("2010-05-11")) == D("2010-11-01")


def test_worked_examples_of_entry_into_force() -> None:
    examples = {
        "2010-08-23": "2011-02-01",  # Antigua and Barbuda
        "2010-12-16": "2011-06-01",  # Chile
        "2011-03-24": "2011-09-01",  # Lithuania
        "2011-09-21": "2012-03-01",  # Italy
        "2023-02-28": "2023-08-01",  # Nigeria
        "2023-08-03": "2024-02-01",  # South Sudan (accession)
        "2025-09-05": "2026-03-01",  # Vanuatu
        "2013-04-30": "2013-10-01",  # Bolivia
        "2012-07-12": "2013-01-01",  # Cameroon
    }
    for deposit, eif in examples.items():
        assert rules.entry_into_force(D(deposit)) == D(eif), deposit


def test_lithuania_is_withdrawn_from_6_march_2025_and_a_party_the_day_before() -> None:
    ltu = Membership("LTU", D("2008-12-03"), D("2011-03-24"), "ratification", None, D("2025-03-06"))
    assert ltu.status_on(D("2011-03-23")) is Status.SIGNATORY
    assert ltu.status_on(D("2011-03-24")) is Status.DEPOSITED
    assert ltu.status_on(D("2011-09-01")) is Status.IN_FORCE
    assert ltu.status_on(D("2025-03-05")) is Status.IN_FORCE
    assert ltu.status_on(D("2025-03-06")) is Status.WITHDRAWN
    assert not ltu.is_party_on(D("2026-01-01"))


def test_withdrawal_takes_effect_six_months_after_notification() -> None:
    assert rules.withdrawal_effective(D("2024-09-06")) == D("2025-03-06")
    assert rules.withdrawal_effective(D("2024-08-31")) == D("2025-02-28")  # clamped to month end
    m = Membership("XXX", None, D("2011-01-01"), "accession", D("2024-09-06"), None)
    assert m.status_on(D("2025-03-05")).is_party
    assert m.status_on(D("2025-03-06")) is Status.WITHDRAWN


def test_vanuatu_counted_as_112th_state_party_on_its_deposit_day() -> None:
    vut = Membership("VUT", None, D("2025-09-05"), "accession")
    assert vut.status_on(D("2025-09-04")) is Status.NOT_SIGNED
    assert vut.status_on(D("2025-09-05")) is Status.DEPOSITED
    assert vut.is_party_on(D("2025-09-05")) and not vut.in_force_on(D("2025-09-05"))
    assert vut.in_force_on(D("2026-03-01"))


def test_counts_on_a_date_count_both_ways() -> None:
    ms = [
        Membership("A", D("2008-12-03"), D("2009-01-01"), "ratification"),
        Membership("B", None, D("2025-09-05"), "accession"),
        Membership("C", D("2008-12-03")),
        Membership("D", D("2008-12-03"), D("2011-03-24"), "ratification", None, D("2025-03-06")),
    ]
    c = rules.counts_on(ms, D("2025-10-01"))
    assert (c.parties, c.in_force, c.signatories, c.withdrawn) == (2, 1, 1, 1)


deposits = st.dates(min_value=D("2010-02-17"), max_value=D("2100-12-31"))
any_deposit = st.dates(min_value=D("2008-12-03"), max_value=D("2100-12-31"))


@given(deposits)
def test_later_instruments_enter_into_force_on_the_first_of_a_month_5_to_6_months_on(
    deposit: date,
) -> None:
    eif = rules.entry_into_force(deposit)
    assert eif.day == 1
    months = (eif.year - deposit.year) * 12 + eif.month - deposit.month
    assert months == 6
    assert 150 <= (eif - deposit).days <= 184


@given(any_deposit)
def test_entry_into_force_is_never_before_1_august_2010_nor_before_deposit(deposit: date) -> None:
    eif = rules.entry_into_force(deposit)
    assert eif >= rules.CONVENTION_ENTRY_INTO_FORCE
    assert eif > deposit
    assert eif.day == 1


@given(any_deposit, st.dates(min_value=D("2010-08-02"), max_value=D("2100-12-31")), st.dates())
def test_a_withdrawn_state_is_never_a_party_after_the_effective_date(
    deposit: date, effect: date, day: date
) -> None:
    m = Membership("XXX", None, deposit, "accession", None, effect)
    if day >= effect:
        assert m.status_on(day) is Status.WITHDRAWN
        assert not m.is_party_on(day)
        assert not m.in_force_on(day)


@given(any_deposit, st.dates())
def test_status_moves_forward_only(deposit: date, day: date) -> None:
    m = Membership(
        "XXX", D("2008-12-03") if deposit >= D("2008-12-03") else None, deposit, "ratification"
    )
    order = [Status.NOT_SIGNED, Status.SIGNATORY, Status.DEPOSITED, Status.IN_FORCE]
    try:
        later = date.fromordinal(day.toordinal() + 1)
    except (OverflowError, ValueError):
        return
    assert order.index(m.status_on(later)) >= order.index(m.status_on(day))
