"""Fuzz of the public pages' parameters (issue #7): whatever a visitor puts in the query string,
no server error and no oversized answer."""

from __future__ import annotations

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccm.core.as_of import AsOfForm

PAGES = ["/", "/states/", "/states/CHL/", "/reporting/", "/states/CHL/deadlines.ics", "/fr/states/"]
DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.integers(-(10**12), 10**12).map(str),
    st.text(max_size=40),
    st.sampled_from(
        ["9999-12-31", "0001-01-01", "2008-05-29", "2031-12-31", "2016-02-30", "", " "]
    ),
)
VALUES = st.one_of(st.text(max_size=60), st.sampled_from(["csv", "json", "xlsx", "pdf", "-name"]))
PARAMS = st.dictionaries(
    st.sampled_from(["as_of", "format", "sort", "q", "status", "region", "subregion", "lang"]),
    VALUES,
    max_size=5,
)


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@fuzz(3000)
@given(value=DATES)
def test_the_as_of_form_never_fails_on_any_text(value: str) -> None:
    form = AsOfForm({"as_of": value})
    if form.is_valid():
        assert form.cleaned_data["as_of"] is None or form.cleaned_data["as_of"].year < 2040
    else:
        assert form.errors["as_of"]


@fuzz(300)
@given(page=st.sampled_from(PAGES), params=PARAMS, as_of=st.one_of(st.none(), DATES))
def test_public_pages_answer_any_query_without_a_server_error(
    reference: None, client: Client, page: str, params: dict[str, str], as_of: str | None
) -> None:
    query = {k: v.replace("\x00", "") for k, v in params.items()}
    if as_of is not None:
        query["as_of"] = as_of.replace("\x00", "")
    response = client.get(page, query)
    assert response.status_code < 500, (page, query)
    assert response.status_code in (200, 400, 404), (page, query, response.status_code)
    assert len(response.content) < 1_500_000, (page, query)
