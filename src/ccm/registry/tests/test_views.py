"""Public pages: who sees what, bounded queries, the as-of date, languages."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from ccm.core.testing.permissions import assert_matrix
from ccm.core.testing.queries import assert_queries_do_not_grow, queries
from ccm.registry.choices import ActionKind
from ccm.registry.tests import factories

pytestmark = pytest.mark.django_db

PUBLIC = {
    "anonymous": 200,
    "other_focal_point": 200,
    "focal_point": 200,
    "presidency": 200,
    "staff": 200,
}


@pytest.mark.parametrize("url", ["/", "/states/", "/states/CHL/", "/fr/", "/es/states/CHL/"])
def test_public_pages_are_open_to_everyone(personas: dict[str, Client], url: str) -> None:
    assert_matrix(personas, url, PUBLIC)


def test_unknown_state_is_404(client: Client) -> None:
    assert client.get("/states/ZZZ/").status_code == 404


def test_contacts_on_a_state_page_are_for_staff_presidency_and_its_own_focal_points(
    personas: dict[str, Client], chile
) -> None:  # type: ignore[no-untyped-def]
    factories.ContactFactory(state=chile, name="Ana Secret", email="ana@minrel.cl")
    shown = {
        name: "Ana Secret" in client.get("/states/CHL/").content.decode()
        for name, client in personas.items()
    }
    assert shown == {
        "anonymous": False,
        "other_focal_point": False,
        "focal_point": True,
        "presidency": True,
        "staff": True,
    }


def _states(n: int) -> None:
    for i in range(n):
        s = factories.StateFactory()
        factories.TreatyActionFactory(state=s, kind=ActionKind.SIGNATURE, date=date(2008, 12, 3))
        if i % 2:
            factories.TreatyActionFactory(
                state=s, kind=ActionKind.RATIFICATION, date=date(2011, 1, 1)
            )
        if i % 7 == 0:
            factories.ContactFactory(state=s)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?as_of=2016-08-15",
        "/states/",
        "/states/?status=party&region=Europe&q=state&as_of=2012-01-01",
        "/states/?status=not_signed",
    ],
)
def test_list_and_map_queries_do_not_grow_with_the_number_of_states(
    client: Client, url: str
) -> None:
    assert_queries_do_not_grow(client, url, _states, most=6)


def test_state_page_queries_are_bounded(personas: dict[str, Client], chile) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        factories.ContactFactory(state=chile)
    # 2 for the State and its actions, 4 for its reporting record (reports, holdings,
    # extensions, retention) and 3 for the evidence of its reports (issue #15), 1 for what its
    # reports declare (issue #10), 3 for its votes and the register of use and contamination
    # (issue #14), 1 for contacts and 1 for the finance account (issue #13) when shown, the
    # rest for the session and user.
    assert queries(personas["anonymous"], "/states/CHL/") <= 13
    assert queries(personas["staff"], "/states/CHL/") <= 18


def test_home_shows_112_states_parties_today(client: Client, reference: None) -> None:
    html = client.get("/?as_of=2026-11-27").content.decode()
    assert 'data-figure="parties">112<' in html
    assert 'data-figure="withdrawn">1<' in html


def test_home_reproduces_15_august_2016(client: Client, reference: None) -> None:
    html = client.get("/?as_of=2016-08-15").content.decode()
    assert 'data-figure="parties">100<' in html
    assert 'data-figure="in_force">98<' in html
    assert "Key figures on 15 August 2016" in html
    assert 'aria-label="Lithuania: State Party"' in html  # the map of that day
    assert 'aria-label="Vanuatu: Not signed"' in html


def test_map_of_today_shows_lithuania_withdrawn(client: Client, reference: None) -> None:
    html = client.get("/?as_of=2026-11-27").content.decode()
    assert 'aria-label="Lithuania: Withdrawn"' in html
    assert 'aria-label="Tuvalu: Not signed"' in html  # drawn as a dot, in neither shape file


def test_an_invalid_as_of_date_is_refused_with_its_reason(client: Client, reference: None) -> None:
    # A bad date is a bad request (issue #7): 400, the reason at the form, nothing computed.
    response = client.get("/?as_of=2001-01-01")
    assert response.status_code == 400
    assert "Choose a date on or after 30 May 2008" in response.content.decode()
    response = client.get("/states/?as_of=not-a-date")
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_states_list_filters_by_status_region_and_name_in_any_language(
    client: Client, reference: None
) -> None:
    def names(query: str) -> str:
        return client.get("/states/?" + query).content.decode()

    html = names("status=withdrawn&as_of=2026-01-01")
    assert "1 State, status on 1 January 2026." in html and "Lithuania" in html
    assert "112 States" in names("status=party&as_of=2026-11-27")
    assert "100 States" in names("status=party&as_of=2016-08-15")
    assert "Côte d&#x27;Ivoire" in names("q=cote")  # accents ignored
    assert "Germany" in names("q=Allemagne")  # French name
    assert "Germany" in names("q=alemania")  # Spanish name
    html = names("region=Oceania&status=signatory")
    assert "No State matches these filters." in html
    html = names("subregion=South+America&status=party")
    assert "Chile" in html and "Germany" not in html


def test_state_page_shows_deadlines_and_sources(client: Client, reference: None) -> None:
    html = client.get("/states/NGA/").content.decode()
    assert "1 August 2023" in html  # entry into force
    assert "28 Jan 2024" in html  # initial report (Art. 7(1))
    assert "nigeria-is-state-party-no-111" in html  # the source of the fact
    html = client.get("/states/ITA/?as_of=2014-01-01").content.decode()
    assert "1 Mar 2020" in html  # Art. 3(2), Italy declared stockpiles
    assert "28 Aug 2012" in html  # its initial report, received on the deadline day


def test_pages_are_translated(client: Client, reference: None) -> None:
    fr = client.get("/fr/?as_of=2016-08-15").content.decode()
    assert 'lang="fr"' in fr and "États parties" in fr and "15 août 2016" in fr
    es = client.get("/es/states/DEU/").content.decode()
    assert "Alemania" in es and "Ratificación" in es


def test_language_switch_keeps_the_page(client: Client, reference: None) -> None:
    # Plain links to this page in each language: no form, no token, the same for everyone.
    html = client.get("/states/CHL/").content.decode()
    assert 'href="/es/states/CHL/" lang="es" hreflang="es"' in html
    assert 'href="/fr/states/CHL/" lang="fr" hreflang="fr"' in html
    assert 'lang="en" aria-current="true">English' in html
    french = client.get("/fr/states/CHL/?as_of=2016-08-15").content.decode()
    assert 'href="/states/CHL/?as_of=2016-08-15" lang="en"' in french
    assert 'href="/es/states/CHL/?as_of=2016-08-15" lang="es"' in french
    assert "csrfmiddlewaretoken" not in french


def test_states_list_sorts_by_any_column(client: Client, reference: None) -> None:
    def first_state(query: str) -> str:
        html = client.get("/states/?" + query).content.decode()
        body = html.split("<tbody>", 1)[1]
        return body.split('">', 2)[1].split("<", 1)[0]

    assert first_state("status=party&sort=-deposit") == "Vanuatu"
    assert first_state("status=party&sort=deposit") == "Holy See"  # 3 Dec 2008, first by name
    assert first_state("sort=name") == "Afghanistan"
    assert first_state("sort=bogus") == "Afghanistan"
    html = client.get("/states/?status=party&sort=-deposit").content.decode()
    assert 'aria-sort="descending"' in html
    assert "?status=party&amp;sort=deposit" in html  # the header link reverses the order
