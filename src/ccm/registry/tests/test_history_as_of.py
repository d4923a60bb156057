"""A page as of a date shows only what had happened by then, and its links keep the date
(issue #7, item 14)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from ccm.registry.rules import Membership

pytestmark = pytest.mark.django_db


def test_a_membership_known_on_a_date_forgets_later_actions() -> None:
    m = Membership(
        "LTU",
        signature=date(2008, 12, 3),
        deposit=date(2011, 3, 24),
        deposit_kind="ratification",
        withdrawal_notified=date(2024, 9, 6),
        withdrawal_effect=date(2025, 3, 6),
    )
    before = m.known_on(date(2010, 1, 1))
    assert (before.signature, before.deposit, before.entry_into_force) == (
        date(2008, 12, 3),
        None,
        None,
    )
    assert before.withdrawal_effective is None
    notified = m.known_on(date(2024, 12, 1))
    assert notified.withdrawal_effective == date(2025, 3, 6)  # announced, not yet in effect
    for day in (
        date(2008, 1, 1),
        date(2010, 1, 1),
        date(2012, 1, 1),
        date(2025, 1, 1),
        date(2026, 1, 1),
    ):
        assert m.known_on(day).status_on(day) is m.status_on(day)


def test_the_states_list_as_of_2016_shows_nothing_later(
    client: Client, registry_reference: None
) -> None:
    html = client.get("/states/?as_of=2016-08-15").content.decode()
    years = {int(y) for y in re.findall(r"<td>\d{1,2} \w{3} (\d{4})", html)}
    assert years and max(years) <= 2017  # an entry into force announced by then may fall in 2017
    deposits = re.findall(r"<td>\d{1,2} \w{3} (\d{4}) <span", html)  # ratification column
    assert deposits and max(int(y) for y in deposits) <= 2016
    # Sri Lanka acceded on 1 March 2018: as of 2016 it has done nothing yet.
    row = re.search(r'href="/states/LKA/[^"]*">Sri Lanka</a></td>(.*?)</tr>', html, re.S)
    assert row is not None and "2018" not in row.group(1)
    assert "Not signed" in row.group(1)


def test_links_keep_the_chosen_date(client: Client, reference: None) -> None:
    listing = client.get("/states/?as_of=2016-08-15").content.decode()
    assert 'href="/states/LKA/?as_of=2016-08-15"' in listing
    assert 'href="/reporting/?as_of=2016-08-15"' in listing  # the main navigation
    home = client.get("/?as_of=2016-08-15").content.decode()
    assert 'href="/states/CHL/?as_of=2016-08-15"' in home  # the map
    page = client.get("/states/LKA/?as_of=2016-08-15").content.decode()
    assert 'href="/states/?as_of=2016-08-15"' in page  # the breadcrumb
    assert "2018" not in page.split('id="timeline-heading"')[1].split("</section>")[0]
    dashboard = client.get("/reporting/?as_of=2016-08-15").content.decode()
    assert re.search(r'href="/states/[A-Z]{3}/\?as_of=2016-08-15"', dashboard)
    # Without a chosen date, links stay plain.
    assert 'href="/states/LKA/"' in client.get("/states/").content.decode()


def test_a_state_page_lists_only_reports_received_by_the_date(
    client: Client, reference: None
) -> None:
    # Italy's initial report arrived on 28 Aug 2012 (shipped facts).
    before = client.get("/states/ITA/?as_of=2012-08-01").content.decode()
    after = client.get("/states/ITA/?as_of=2012-09-01").content.decode()
    assert "28 Aug 2012" not in before.split("Reports received")[-1]
    assert "28 Aug 2012" in after.split("Reports received")[-1]
