"""The as-of date (issue #7, item 2): from the Convention's adoption to a few years ahead.
Anything else is refused at once — 400 on the web, exit 2 on the command line — not computed."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone, translation

from ccm.core.as_of import last_as_of

pytestmark = pytest.mark.django_db

FAR = ("9999-12-31", "9000-01-01", "2999-01-01")
PUBLIC_URLS = (
    "/",
    "/states/",
    "/states/CHL/",
    "/reporting/",
    "/reporting/?format=csv",
    "/reporting/?format=json",
    "/reporting/?format=xlsx",
)


@pytest.mark.parametrize("day", FAR)
def test_a_far_future_date_is_a_bad_request_answered_at_once(
    client: Client, reference: None, day: str
) -> None:
    for url in PUBLIC_URLS:
        sep = "&" if "?" in url else "?"
        started = time.perf_counter()
        response = client.get(f"{url}{sep}as_of={day}")
        took = time.perf_counter() - started
        assert response.status_code == 400, url
        assert len(response.content) < 300_000, url
        assert took < 2, f"{url} took {took:.1f} s"
        assert "Choose a date no later than" in response.content.decode(), url


def test_the_last_date_allowed_is_the_end_of_the_fifth_year_ahead(
    client: Client, reference: None
) -> None:
    last = last_as_of(timezone.localdate())
    assert last == date(timezone.localdate().year + 5, 12, 31)
    assert client.get(f"/?as_of={last.isoformat()}").status_code == 200
    assert client.get("/?as_of=2008-05-30").status_code == 200
    assert client.get("/?as_of=2008-05-29").status_code == 400


@pytest.mark.parametrize(
    ("prefix", "message"),
    [("/fr", "Choisissez une date au plus tard le"), ("/es", "Elija una fecha no posterior al")],
)
def test_the_refusal_is_in_the_pages_language(
    client: Client, reference: None, prefix: str, message: str
) -> None:
    response = client.get(f"{prefix}/reporting/?as_of=9999-12-31")
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("command", ["states", "obligations", "compliance", "send_reminders"])
@pytest.mark.parametrize("day", ["9999-12-31", "2001-01-01", "2026-02-30"])
def test_every_command_refuses_a_date_out_of_range_with_exit_2(
    reference: None, command: str, day: str
) -> None:
    with pytest.raises(CommandError) as refused:
        call_command(command, "--as-of", day)
    assert refused.value.returncode == 2
    assert str(refused.value).startswith("--as-of: ")


def test_the_date_field_offers_only_the_dates_allowed(client: Client, reference: None) -> None:
    html = client.get("/reporting/").content.decode()
    last = last_as_of(timezone.localdate()).isoformat()
    assert f'min="2008-05-30" max="{last}"' in html


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("", "Choose a date no later than"),
        ("/fr", "Choisissez une date au plus tard le"),
        ("/es", "Elija una fecha no posterior al"),
    ],
)
def test_a_refused_date_gets_a_small_page_that_says_why_and_offers_the_form_again(
    client: Client, reference: None, prefix: str, message: str
) -> None:
    for url in ("/", "/states/", "/states/CHL/", "/reporting/"):
        response = client.get(f"{prefix}{url}?as_of=9999-12-31&q=chi")
        html = response.content.decode()
        assert response.status_code == 400, url
        assert message in html, url
        assert '<form method="get"' in html and 'name="as_of"' in html, url
        assert '<input type="hidden" name="q" value="chi">' in html, url  # the rest is kept
        assert "<svg" not in html and "<table" not in html, url  # nothing was computed
        assert len(response.content) < 30_000, url


@pytest.mark.parametrize(
    ("language", "message"),
    [("fr", "--as-of: Choisissez une date"), ("es", "--as-of: Elija una fecha")],
)
def test_a_command_says_why_a_date_is_refused_in_the_active_language(
    reference: None, language: str, message: str
) -> None:
    with translation.override(language), pytest.raises(CommandError) as refused:
        call_command("obligations", "--as-of", "9999-12-31")
    assert refused.value.returncode == 2
    assert str(refused.value).startswith(message)
