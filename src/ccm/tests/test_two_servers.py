"""Two app servers over one database behave as one (issue #16): sessions, the rate limit of
failed sign-ins and the public pages' cache hold nothing of their own per process. Real
gunicorns, side by side."""

from __future__ import annotations

import pytest

from ccm.tests.deployment import Browser, Deployment

PASSWORD = "a long and unusual passphrase 7"  # noqa: S105


def make_staff(deployment: Deployment, email: str) -> None:
    deployment.ccm(
        "shell", "-c",
        "from ccm.accounts.models import Role\n"
        "from ccm.accounts.tests.factories import make_user\n"
        "u = make_user(Role.ISU_STAFF, two_factor=False)\n"
        f"u.username = u.email = {email!r}\n"
        f"u.set_password({PASSWORD!r}); u.save()\n",
    )  # fmt: skip


def sign_in(browser: Browser, base: str, email: str, password: str) -> tuple[int, str]:
    return browser.post(
        f"{base}/accounts/login/", f"{base}/accounts/login/",
        {"login": email, "password": password},
    )  # fmt: skip


def test_a_session_begun_on_one_server_goes_on_on_the_other(deployment: Deployment) -> None:
    make_staff(deployment, "two-servers@isu.example")
    with deployment.gunicorn() as a, deployment.gunicorn() as b:
        browser = Browser()
        status, _html = sign_in(browser, a, "two-servers@isu.example", PASSWORD)
        assert status == 200
        status, html = browser.get(f"{b}/my/")
        assert status == 200 and "Sign out" in html
        # Signed out on B: A no longer knows the session either.
        browser.post(f"{b}/accounts/logout/", f"{b}/my/", {})
        status, html = browser.get(f"{a}/my/")
        assert "Sign out" not in html


def test_failed_sign_ins_are_counted_across_servers(deployment: Deployment) -> None:
    make_staff(deployment, "limited@isu.example")
    with deployment.gunicorn() as a, deployment.gunicorn() as b:
        # Behind the load balancer both servers see the site's one name (allauth counts
        # failures per site and address).
        browser = Browser(host="ccm.example")
        for base in (a, b, a, b, a):  # five wrong passwords, shared between the two
            status, html = sign_in(browser, base, "limited@isu.example", "wrong password")
            assert "Too many failed" not in html
        # The sixth, even with the right password, is refused by whichever server gets it.
        _status, html = sign_in(browser, b, "limited@isu.example", PASSWORD)
        assert "Too many failed" in html
        status, html = browser.get(f"{b}/my/")
        assert "Sign out" not in html


def test_a_write_on_one_server_is_read_on_the_other(deployment: Deployment) -> None:
    with deployment.gunicorn() as a, deployment.gunicorn() as b:
        visitor = Browser()
        for base in (a, b, a, b):  # cached by both
            status, html = visitor.get(f"{base}/states/BOL/")
            assert status == 200 and "Bolivia (Plurinational State of)" in html
        # A write by a third process (a command, an admin on a third server...).
        deployment.ccm(
            "shell", "-c",
            "from ccm.registry.models import State\n"
            "State.objects.filter(iso3='BOL').update(name_en='Bolivia (renamed)')\n",
        )  # fmt: skip
        for base in (a, b):
            _status, html = visitor.get(f"{base}/states/BOL/")
            assert "Bolivia (renamed)" in html, base
        deployment.ccm(
            "shell", "-c",
            "from ccm.registry.models import State\n"
            "State.objects.filter(iso3='BOL').update(name_en='Bolivia (Plurinational State of)')\n",
        )  # fmt: skip


def test_a_database_that_does_not_answer_gives_a_clear_503(deployment: Deployment) -> None:
    folder = deployment.folder / "nowhere"
    unreachable = (
        "postgres://postgres:postgres@127.0.0.1:9/ccm"  # nothing listens on port 9
        if deployment.env["DATABASE_URL"].startswith("postgres")
        else f"sqlite:///{folder}/missing/ccm.sqlite3"
    )
    with deployment.gunicorn(DATABASE_URL=unreachable) as base:
        visitor = Browser()
        status, html = visitor.get(f"{base}/states/")
        assert status == 503 and "The database is not answering" in html
        assert visitor.get(f"{base}/health/")[0] == 200  # the process itself answers


def test_connections_cut_by_the_database_are_made_again(deployment: Deployment) -> None:
    """What a PostgreSQL restart does to the connections each server keeps open: the next
    request notices, connects again and answers."""
    url = deployment.env["DATABASE_URL"]
    if not url.startswith("postgres"):
        pytest.skip("SQLite has no server to restart")
    import urllib.parse

    import psycopg

    visitor = Browser()
    with deployment.gunicorn(workers=2) as base:
        for _ in range(4):
            assert visitor.get(f"{base}/states/")[0] == 200
        with psycopg.connect(url, autocommit=True) as conn:
            cut = conn.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [urllib.parse.urlsplit(url).path[1:]],
            ).fetchone()
        assert cut is not None and cut[0] >= 1
        for _ in range(4):
            assert visitor.get(f"{base}/states/")[0] == 200
