"""Error pages (issue #7, item 18): styled, translated, and they say what to do next."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_404_is_styled_and_says_what_to_do_next(client: Client) -> None:
    response = client.get("/states/ZZZ/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "bootstrap" in html  # the site's layout, not Django's bare page
    assert "This page does not exist" in html
    assert 'href="/states/"' in html  # where to look instead
    assert "/states/CHE/" in html


@pytest.mark.parametrize(
    ("prefix", "heading"),
    [("/fr", "Cette page n’existe pas"), ("/es", "Esta página no existe")],
)
def test_404_is_translated(client: Client, prefix: str, heading: str) -> None:
    response = client.get(f"{prefix}/nothing-here/")
    assert response.status_code == 404
    assert heading in response.content.decode()


def test_403_names_the_account_and_where_to_go(client: Client) -> None:
    user = make_user(Role.FOCAL_POINT, "CHL")
    client.force_login(user)
    response = client.get("/staff/reporting/import/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "You cannot open this page" in html
    assert user.email in html
    assert 'href="/my/"' in html


def test_500_renders_without_database_or_request_context_and_is_translated() -> None:
    request = RequestFactory().get("/")
    with translation.override("es"):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Algo salió mal por nuestra parte" in html
    assert "mailto:" in html
    assert "bootstrap.min.css" in html


def test_an_expired_form_explains_itself() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@b.c", "password": "x"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_a_database_that_does_not_answer_gives_503_and_says_so() -> None:
    from django.db import OperationalError

    from ccm.core.views import server_error

    request = RequestFactory().get("/states/")
    try:
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    html = response.content.decode()
    assert "The database is not answering for a moment" in html
    assert "127.0.0.1" not in html  # nothing of the error itself
    with translation.override("fr"):
        try:
            raise OperationalError("gone")
        except OperationalError:
            assert "Erreur 503" in server_error(request).content.decode()
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/states/", "The request could not be understood"),
        ("/es/states/", "No se pudo entender la solicitud"),
    ],
)
def test_the_400_page_for_a_host_not_allowed_speaks_the_language_of_the_address(
    path: str, heading: str
) -> None:
    """It came out in the language the worker's previous request had left active (issue #32)."""
    client = Client()
    assert client.get("/fr/states/").status_code == 200  # leaves French active in this thread
    response = client.get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert heading in html
    assert "Erreur 400" not in html
