"""The obligation engine against the worked examples of shared/domain/treaty.md and reporting.md."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccm.compliance import rules
from ccm.compliance.rules import (
    Compliance,
    Extension,
    Facts,
    FirstAnnualRule,
    HoldingFact,
    Kind,
    Receipt,
)
from ccm.registry.rules import Membership

D = date.fromisoformat
# A record the ISU holds complete (issue #24): a report not in it was not received, so once its
# deadline has passed it is certainly overdue. Without it, such a report is "unknown".
COMPLETE = frozenset({Kind.INITIAL, Kind.ANNUAL, Kind.RETENTION})


def member(iso3: str, deposit: str, withdrawal_effect: str | None = None) -> Membership:
    return Membership(
        iso3=iso3,
        deposit=D(deposit),
        deposit_kind="ratification",
        withdrawal_effect=D(withdrawal_effect) if withdrawal_effect else None,
    )


def only(obligations: list[rules.Obligation], kind: Kind, period: int | None = None):
    found = [o for o in obligations if o.kind is kind and o.period == period]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("iso3", "deposit", "initial_due"),
    [
        ("NGA", "2023-02-28", "2024-01-28"),  # in force 1 Aug 2023
        ("SSD", "2023-08-03", "2024-07-30"),  # in force 1 Feb 2024; 2024 is a leap year
        ("ITA", "2011-09-21", "2012-08-28"),  # in force 1 Mar 2012 (leap year)
        ("BOL", "2013-04-30", "2014-03-30"),  # in force 1 Oct 2013
        ("CMR", "2012-07-12", "2013-06-30"),  # in force 1 Jan 2013
    ],
)
def test_initial_report_deadlines_of_the_worked_examples(iso3, deposit, initial_due):
    found = only(rules.obligations(member(iso3, deposit), Facts(), D("2026-01-01")), Kind.INITIAL)
    assert found.due_date == D(initial_due)


def test_leap_years_count_their_extra_day_in_the_180():
    # Art. 7(1) counts days, not months: 1 Feb + 180 days lands a day earlier in a leap year.
    assert rules.initial_report_due(D("2024-02-01")) == D("2024-07-30")
    assert rules.initial_report_due(D("2023-02-01")) == D("2023-07-31")
    assert rules.initial_report_due(D("2012-03-01")) == D("2012-08-28")


def test_italy_filed_its_initial_report_on_the_deadline_day_and_that_is_on_time():
    facts = Facts(receipts={(Kind.INITIAL, None): Receipt(on=D("2012-08-28"))})
    initial = only(
        rules.obligations(member("ITA", "2011-09-21"), facts, D("2013-01-01")), Kind.INITIAL
    )
    assert (initial.status, initial.satisfied_on, initial.days) == (
        Compliance.ON_TIME,
        D("2012-08-28"),
        None,
    )


def test_italy_destroyed_its_stockpile_before_the_article_3_deadline():
    facts = Facts(holdings=[HoldingFact(Kind.STOCKPILE_DESTRUCTION, completed_on=D("2015-10-31"))])
    ita = member("ITA", "2011-09-21")
    before = only(rules.obligations(ita, facts, D("2015-01-01")), Kind.STOCKPILE_DESTRUCTION)
    assert before.due_date == D("2020-03-01")  # Art. 3(2): 1 Mar 2012 + 8 years
    assert before.status is Compliance.NOT_YET_DUE and before.satisfied_on is None
    after = only(rules.obligations(ita, facts, D("2016-01-01")), Kind.STOCKPILE_DESTRUCTION)
    assert (after.status, after.satisfied_on) == (Compliance.ON_TIME, D("2015-10-31"))


def test_no_article_3_or_4_obligation_without_a_declared_stockpile_or_contamination():
    kinds = {
        o.kind for o in rules.obligations(member("ITA", "2011-09-21"), Facts(), D("2026-01-01"))
    }
    assert kinds == {Kind.INITIAL, Kind.ANNUAL}


def test_clearance_deadline_is_ten_years_after_entry_into_force():
    facts = Facts(holdings=[HoldingFact(Kind.CLEARANCE)])
    found = only(
        rules.obligations(member("CHL", "2010-12-16"), facts, D("2021-07-01")), Kind.CLEARANCE
    )
    assert found.due_date == D("2021-06-01")  # Art. 4(1)(a): 1 Jun 2011 + 10 years
    assert (found.status, found.days) == (Compliance.OVERDUE, 30)


def test_status_ladder_of_an_initial_report_over_time():
    nga = member("NGA", "2023-02-28")  # initial due 28 Jan 2024

    def status(as_of: str, facts: Facts | None = None):
        facts = facts or Facts(complete=COMPLETE)
        o = only(rules.obligations(nga, facts, D(as_of), due_soon_days=60), Kind.INITIAL)
        return o.status, o.days

    assert status("2023-11-28") == (Compliance.NOT_YET_DUE, None)  # 61 days ahead
    assert status("2023-11-29") == (Compliance.DUE, None)  # 60 days ahead: due
    assert status("2024-01-28") == (Compliance.DUE, None)  # the deadline day is still in time
    assert status("2024-01-29") == (Compliance.OVERDUE, 1)
    late = Facts(receipts={(Kind.INITIAL, None): Receipt(on=D("2024-03-01"))})
    assert status("2024-02-15", late) == (Compliance.OVERDUE, 18)  # not yet received then
    assert status("2024-03-01", late) == (Compliance.LATE, 33)


def test_nothing_is_owed_before_entry_into_force():
    nga = member("NGA", "2023-02-28")
    assert rules.obligations(nga, Facts(), D("2023-07-31")) == []
    assert rules.obligations(nga, Facts(), D("2023-08-01")) != []


def test_a_withdrawal_stops_every_obligation_from_the_day_it_takes_effect():
    # Lithuania: in force 1 Sep 2011, withdrawal effective 6 Mar 2025 (Art. 20(2)).
    ltu = member("LTU", "2011-03-24", withdrawal_effect="2025-03-06")
    facts = Facts(holdings=[HoldingFact(Kind.STOCKPILE_DESTRUCTION, completed_on=D("2015-01-01"))])
    before = rules.obligations(ltu, facts, D("2025-03-05"))
    assert only(before, Kind.ANNUAL, 2024).status is Compliance.DUE  # 56 days ahead
    assert only(before, Kind.ANNUAL, 2024).due_date == D("2025-04-30")
    assert rules.obligations(ltu, facts, D("2025-03-06")) == []
    assert rules.obligations(ltu, facts, D("2026-11-27")) == []


def test_first_annual_report_default_follows_the_2012_reading():
    # Initial report due before the year's 30 April: that 30 April's annual report is owed.
    assert rules.first_annual_period(D("2010-08-01")) == 2010  # initial due 28 Jan 2011
    assert rules.first_annual_period(D("2011-06-01")) == 2011  # initial due 28 Nov 2011
    assert rules.first_annual_period(D("2011-11-01")) == 2011  # initial due 29 Apr 2012
    assert rules.first_annual_period(D("2011-11-02")) == 2012  # initial due 30 Apr 2012
    assert rules.first_annual_period(D("2023-08-01")) == 2023  # Nigeria: due 30 Apr 2024


def test_first_annual_report_setting_can_choose_the_first_full_year_in_force():
    rule = FirstAnnualRule.FIRST_FULL_YEAR_IN_FORCE
    assert rules.first_annual_period(D("2023-08-01"), rule) == 2024
    assert rules.first_annual_period(D("2013-01-01"), rule) == 2013
    nga = member("NGA", "2023-02-28")
    annual = [
        o.period
        for o in rules.obligations(nga, Facts(), D("2025-06-01"), first_annual=rule)
        if o.kind is Kind.ANNUAL
    ]
    assert annual == [2024, 2025]
    default = [
        o.period for o in rules.obligations(nga, Facts(), D("2025-06-01")) if o.kind is Kind.ANNUAL
    ]
    assert default == [2023, 2024, 2025]


def test_the_2012_count_of_states_owing_the_annual_report_due_30_april_2012():
    # At the 3rd Meeting (2012) 47 States had an initial report obligation that made them owe the
    # annual update due 30 April 2012: those whose initial report was due before that day.
    assert rules.first_annual_period(D("2011-11-01")) <= 2011
    assert rules.annual_report_due(2011) == D("2012-04-30")


def test_annual_report_covers_the_previous_year_and_is_due_30_april():
    assert rules.annual_report_due(2015) == D("2016-04-30")
    deu = member("DEU", "2009-07-08")
    facts = Facts(receipts={(Kind.ANNUAL, 2015): Receipt(on=D("2016-04-05"))})
    found = only(rules.obligations(deu, facts, D("2016-08-01")), Kind.ANNUAL, 2015)
    assert found.status is Compliance.ON_TIME


def test_received_by_a_date_on_or_before_the_deadline_is_on_time_otherwise_unknown():
    due = D("2019-02-28")
    assert rules.classify(due, Receipt(by=D("2019-02-28")), D("2019-06-01")) == (
        Compliance.ON_TIME,
        None,
    )
    assert rules.classify(due, Receipt(by=D("2019-03-31")), D("2019-06-01")) == (
        Compliance.SUBMITTED,
        None,
    )
    # Before the "by" day the record does not yet show it as received.
    assert rules.classify(due, Receipt(by=D("2019-03-31")), D("2019-03-15"))[0] is (
        Compliance.OVERDUE
    )


def test_retention_report_is_due_30_april_after_each_year_of_retention():
    facts = Facts(retention_years=[2021, 2022], complete=COMPLETE)
    ita = member("ITA", "2011-09-21")
    found = [o for o in rules.obligations(ita, facts, D("2022-06-01")) if o.kind is Kind.RETENTION]
    assert [(o.period, o.due_date, o.status) for o in found] == [
        (2021, D("2022-04-30"), Compliance.OVERDUE),
        (2022, D("2023-04-30"), Compliance.NOT_YET_DUE),
    ]


def test_a_granted_extension_moves_the_deadline_only_from_its_decision():
    chl = member("CHL", "2010-12-16")  # clearance due 1 Jun 2021
    facts = Facts(
        holdings=[HoldingFact(Kind.CLEARANCE)],
        extensions=[
            Extension(Kind.CLEARANCE, decided_on=D("2020-11-25"), new_deadline=D("2026-06-01"))
        ],
    )
    before = only(rules.obligations(chl, facts, D("2020-11-24")), Kind.CLEARANCE)
    after = only(rules.obligations(chl, facts, D("2021-07-01")), Kind.CLEARANCE)
    assert before.due_date == D("2021-06-01")
    assert (after.due_date, after.rule_due_date, after.status) == (
        D("2026-06-01"),
        D("2021-06-01"),
        Compliance.NOT_YET_DUE,
    )


def test_a_refused_extension_leaves_the_deadline():
    facts = Facts(
        holdings=[HoldingFact(Kind.CLEARANCE)],
        extensions=[Extension(Kind.CLEARANCE, decided_on=D("2020-11-25"), new_deadline=None)],
    )
    found = only(
        rules.obligations(member("CHL", "2010-12-16"), facts, D("2021-07-01")), Kind.CLEARANCE
    )
    assert found.due_date == D("2021-06-01") and found.status is Compliance.OVERDUE


def test_extension_request_must_reach_the_meeting_nine_months_ahead():
    meeting = D("2021-09-20")
    assert rules.nine_months_before(meeting) == D("2020-12-20")
    assert rules.extension_request_in_time(D("2020-12-20"), meeting)
    assert not rules.extension_request_in_time(D("2020-12-21"), meeting)


def test_one_extension_is_at_most_four_years_for_stockpiles_and_five_for_clearance():
    deadline = D("2021-06-01")
    assert rules.extension_within_limit(Kind.CLEARANCE, deadline, D("2026-06-01"))
    assert not rules.extension_within_limit(Kind.CLEARANCE, deadline, D("2026-06-02"))
    assert rules.extension_within_limit(Kind.STOCKPILE_DESTRUCTION, deadline, D("2025-06-01"))
    assert not rules.extension_within_limit(Kind.STOCKPILE_DESTRUCTION, deadline, D("2025-06-02"))


def test_source_deadline_is_kept_and_flagged_when_it_differs():
    # Switzerland: a Monitor profile gives 28 Jun 2013; EIF 1 Jan 2013 + 180 days is 30 Jun 2013.
    facts = Facts(
        receipts={(Kind.INITIAL, None): Receipt(on=D("2013-06-30"))},
        source_due_dates={(Kind.INITIAL, None): D("2013-06-28")},
    )
    found = only(
        rules.obligations(member("CHE", "2012-07-17"), facts, D("2014-01-01")), Kind.INITIAL
    )
    assert found.due_date == D("2013-06-30") and found.source_due_date == D("2013-06-28")
    assert found.source_differs and found.status is Compliance.ON_TIME


def _summary_states(complete: frozenset[Kind]) -> tuple[rules.Tally, list[rules.Tally]]:
    as_of = D("2012-06-01")
    states = {
        "AAA": (
            member("AAA", "2009-12-03"),
            Receipt(on=D("2011-01-20")),
            Receipt(on=D("2012-04-01")),
        ),
        "BBB": (member("BBB", "2009-12-03"), Receipt(on=D("2011-03-01")), None),
        "CCC": (member("CCC", "2009-12-03"), None, Receipt(by=D("2012-05-31"))),
        "DDD": (member("DDD", "2012-01-10"), None, None),  # in force 1 Jul 2012: nothing yet
    }
    items = []
    for m, initial, annual in states.values():
        receipts: dict[tuple[Kind, int | None], Receipt] = {}
        if initial:
            receipts[(Kind.INITIAL, None)] = initial
        if annual:
            receipts[(Kind.ANNUAL, 2011)] = annual
        items += rules.obligations(m, Facts(receipts=receipts, complete=complete), as_of)
    return rules.summarise(items)


def test_summary_counts_rates_and_overdue_lists():
    first, years = _summary_states(COMPLETE)
    assert (first.fallen_due, first.submitted, first.on_time, first.late) == (3, 2, 1, 1)
    assert first.overdue == ["CCC"]
    assert first.rate == pytest.approx(2 / 3) and first.on_time_rate == pytest.approx(1 / 3)
    by_year = {t.period: t for t in years}
    y2011 = by_year[2011]
    assert (y2011.fallen_due, y2011.submitted, y2011.on_time, y2011.timeliness_unknown) == (
        3,
        2,
        1,
        1,
    )
    assert y2011.overdue == ["BBB"]
    assert by_year[2012].fallen_due == 0 and by_year[2012].rate is None
    # A complete record leaves nothing unknown: every range closes (issue #24)
    for t in (first, y2011):
        assert t.unknown == [] and t.overdue_min == t.overdue_max == len(t.overdue)
        assert t.rate_max == t.rate
        assert t.on_time_rate_max == t.on_time_rate


def test_the_same_summary_without_a_complete_record_says_unknown_never_overdue():
    first, years = _summary_states(frozenset())
    y2011 = {t.period: t for t in years}[2011]
    assert first.overdue == first.certainly_overdue == [] and first.unknown == ["CCC"]
    assert y2011.overdue == [] and y2011.unknown == ["BBB"]
    assert (first.overdue_min, first.overdue_max) == (0, 1)
    # The certain rates are those of the complete record; the maxima count the unknown as in
    assert first.rate == pytest.approx(2 / 3) and first.rate_max == pytest.approx(1)
    assert first.on_time_rate == pytest.approx(1 / 3)
    assert first.on_time_rate_max == pytest.approx(2 / 3)  # BBB's was late: certainly not
    assert y2011.rate == pytest.approx(2 / 3) and y2011.rate_max == pytest.approx(1)
    # CCC's annual report came "by" a day after the deadline: counted apart, not in the range
    assert y2011.on_time_rate_max == pytest.approx(2 / 3) and y2011.timeliness_unknown == 1


def test_no_report_in_the_record_is_unknown_with_no_days_until_evidence_says_otherwise():
    nga = member("NGA", "2023-02-28")  # initial due 28 Jan 2024

    def initial(as_of: str, facts: Facts) -> rules.Obligation:
        return only(rules.obligations(nga, facts, D(as_of)), Kind.INITIAL)

    unknown = initial("2024-06-01", Facts())
    assert (unknown.status, unknown.days, unknown.certainty) == (
        Compliance.UNKNOWN,
        None,
        "unknown",
    )
    assert not unknown.status.is_satisfied and unknown.fallen_due
    # Evidence it had not arrived by a day on or after the one asked: certainly overdue
    said = rules.Fact(rules.Evidence.NOT_RECEIVED_AS_OF, D("2024-07-01"), "a list")
    stated = Facts(not_received={(Kind.INITIAL, None): (said,)})
    assert (initial("2024-06-01", stated).status, initial("2024-06-01", stated).days) == (
        Compliance.OVERDUE,
        125,
    )
    assert initial("2024-08-01", stated).status is Compliance.UNKNOWN  # after the statement
    # A report received later: it certainly had not arrived before then
    later = Facts(receipts={(Kind.INITIAL, None): Receipt(on=D("2024-09-01"))})
    assert initial("2024-06-01", later).status is Compliance.OVERDUE
    # Known only to have arrived by a later day: unknown until then
    by = Facts(receipts={(Kind.INITIAL, None): Receipt(by=D("2024-09-01"))})
    assert initial("2024-06-01", by).status is Compliance.UNKNOWN
    assert initial("2024-09-01", by).status is Compliance.SUBMITTED


def test_a_complete_annual_record_closes_the_retention_reports_too():
    ita = member("ITA", "2011-09-21")
    found = [
        (o.period, o.status)
        for o in rules.obligations(ita, Facts(retention_years=[2021]), D("2022-06-01"))
        if o.kind is Kind.RETENTION
    ]
    assert found == [(2021, Compliance.UNKNOWN)]
    annual_only = Facts(retention_years=[2021], complete=frozenset({Kind.ANNUAL}))
    found = [
        (o.period, o.status)
        for o in rules.obligations(ita, annual_only, D("2022-06-01"))
        if o.kind is Kind.RETENTION
    ]
    assert found == [(2021, Compliance.OVERDUE)]


def test_month_ends_since_2010():
    ends = rules.month_ends(D("2010-01-01"), D("2010-03-15"))
    assert ends == [D("2010-01-31"), D("2010-02-28")]


@given(
    st.dates(min_value=D("2010-08-01"), max_value=D("2040-12-01")).map(lambda d: d.replace(day=1)),
    st.integers(min_value=0, max_value=4000),
)
def test_overdue_days_count_from_the_day_after_the_deadline(eif, offset):
    due = rules.initial_report_due(eif)
    as_of = due + timedelta(days=offset)
    status, days = rules.classify(due, None, as_of)
    if offset == 0:
        assert status is Compliance.DUE
    else:
        assert (status, days) == (Compliance.OVERDUE, offset)


# Moved from the registry's tests with the rules (issue #8).
def test_initial_report_due_180_days_after_entry_into_force() -> None:
    assert rules.initial_report_due(D("2023-08-01")) == D("2024-01-28")  # Nigeria
    assert rules.initial_report_due(D("2024-02-01")) == D("2024-07-30")  # South Sudan, leap year
    assert rules.initial_report_due(D("2012-03-01")) == D("2012-08-28")  # Italy
    assert rules.initial_report_due(D("2013-10-01")) == D("2014-03-30")  # Bolivia
    assert rules.initial_report_due(D("2013-01-01")) == D("2013-06-30")  # Cameroon


def test_italy_stockpile_destruction_deadline_is_eight_years_after_entry_into_force() -> None:
    assert rules.stockpile_destruction_deadline(D("2012-03-01")) == D("2020-03-01")


def test_clearance_deadline_is_ten_years_after_entry_into_force_for_chile() -> None:
    assert rules.clearance_deadline(D("2011-06-01")) == D("2021-06-01")  # Chile


def test_the_records_kinds_meet_the_engines_in_one_place() -> None:
    from ccm.reports.choices import SubmissionKind

    assert {code: Kind.of_report(code) for code in SubmissionKind.values} == {
        "initial": Kind.INITIAL,
        "annual": Kind.ANNUAL,
        "retention": Kind.RETENTION,
        "voluntary": None,  # answers no obligation
    }
    assert Kind.of_report("clearance") is None  # an obligation, but no report answers it so
