"""Public pages served from the cache under the data revision (issue #16): a hit is the page as
it was made, any committed write retires it, people signed in never share a copy."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction
from django.test import Client

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core import revision
from ccm.registry.models import State, TreatyAction
from ccm.registry.tests import factories

# Every page marked @public_page, as an anonymous visitor reads it.
PUBLIC = [
    "/",
    "/fr/",
    "/states/",
    "/states/?status=party&sort=-deposit",
    "/states/CHL/",
    "/es/states/CHL/",
    "/states/CHL/deadlines.ics",
    "/reporting/",
    "/reporting/?as_of=2016-08-15",
    "/reports/",
    "/meetings/",
    "/meetings/calendar.ics",
    "/presidencies/",
    "/contributions/",
    "/universalization/",
    "/universalization/votes/",
    "/universalization/use/",
]


@pytest.fixture
def chile_only(transactional_db: None) -> State:
    return factories.party("CHL", "Chile", signed="2008-12-03", deposited="2010-12-16")


def get(client: Client, url: str, **headers: str):  # type: ignore[no-untyped-def]
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("url", PUBLIC)
def test_a_public_page_is_made_once_then_served_from_the_cache(chile_only: State, url: str) -> None:
    client = Client()
    first = get(client, url)
    assert first["X-Cache"] == "miss"
    second = get(client, url)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    # The same for everyone: no cookie, no CSRF token.
    assert not first.cookies and not second.cookies
    assert b"csrfmiddlewaretoken" not in first.content
    # The browser's copy is current: 304, without a body.
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_a_write_and_the_next_read_shows_it(chile_only: State) -> None:
    client = Client()
    assert "Peru" not in get(client, "/states/").content.decode()
    assert get(client, "/states/")["X-Cache"] == "hit"

    factories.party("PER", "Peru", signed="2008-12-03", deposited="2012-09-26")

    after = get(client, "/states/")
    assert after["X-Cache"] == "miss" and "Peru" in after.content.decode()
    # Chile's page, cached before, is made again too: any write retires every page.
    assert get(client, "/states/CHL/")["X-Cache"] == "miss"


def test_writes_that_send_no_signal_retire_the_cache_too(chile_only: State) -> None:
    client = Client()
    get(client, "/states/CHL/")
    before = revision.current()
    # bulk_create and update() bypass save() and its signals; the revision sees the SQL.
    State.objects.filter(iso3="CHL").update(name_en="Republic of Chile")
    assert revision.current() != before
    assert "Republic of Chile" in get(client, "/states/CHL/").content.decode()
    middle = revision.current()
    TreatyAction.objects.bulk_create(
        [
            TreatyAction(
                state=chile_only, kind="withdrawal", date=None, effective_date=date(2030, 1, 1)
            )
        ]
    )
    assert revision.current() != middle
    get(client, "/states/CHL/")
    assert get(client, "/states/CHL/")["X-Cache"] == "hit"  # kept under the current token
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_state SET name_en = %s WHERE iso3 = %s", ["Chili", "CHL"])
    after = get(client, "/states/CHL/")
    assert after["X-Cache"] == "miss" and "Chili" in after.content.decode()


def test_raw_writes_behind_a_comment_or_a_with_clause_retire_the_cache(chile_only: State) -> None:
    """The review's finding: SQL that began with a comment or a WITH clause wrote unseen."""
    client = Client()
    statements = [
        ("/* by hand */ UPDATE registry_state SET name_en = %s WHERE iso3 = %s", "Chile A"),
        ("-- a note\nUPDATE registry_state SET name_en = %s WHERE iso3 = %s", "Chile B"),
        (
            "WITH chosen AS (SELECT iso3 FROM registry_state WHERE iso3 = 'CHL') "
            "UPDATE registry_state SET name_en = %s WHERE iso3 IN (SELECT iso3 FROM chosen) "
            "AND iso3 = %s",
            "Chile C",
        ),
    ]
    for sql, name in statements:
        get(client, "/states/CHL/")
        assert get(client, "/states/CHL/")["X-Cache"] == "hit"
        with connection.cursor() as cursor:
            cursor.execute(sql, [name, "CHL"])
        after = get(client, "/states/CHL/")
        assert after["X-Cache"] == "miss" and name in after.content.decode(), sql


def test_a_write_rolled_back_leaves_the_revision(chile_only: State) -> None:
    before = revision.current()
    with transaction.atomic():
        State.objects.filter(iso3="CHL").update(name_en="Never")
        transaction.set_rollback(True)
    assert revision.current() == before


def test_the_revision_moves_once_a_transaction_commits(chile_only: State) -> None:
    client = Client()
    get(client, "/states/")
    before = revision.current()
    with transaction.atomic():
        State.objects.filter(iso3="CHL").update(name_en="Chile (renamed)")
        State.objects.filter(iso3="CHL").update(name_en="Chile (renamed twice)")
        # Not committed: other connections still see the old data, and so the old revision.
        assert revision.current() == before
        # This connection sees its own uncommitted rows: it neither reads nor fills the cache.
        inside = client.get("/states/")
        assert "X-Cache" not in inside and "renamed twice" in inside.content.decode()
    assert revision.current() != before
    assert get(client, "/states/")["X-Cache"] == "miss"


def test_sessions_and_sign_ins_do_not_retire_the_cache(chile_only: State) -> None:
    anonymous = Client()
    get(anonymous, "/states/")
    before = revision.current()
    user = make_user(Role.ISU_STAFF)  # a write: the revision moves
    assert revision.current() != before
    get(anonymous, "/states/")
    made = revision.current()
    signed_in = Client()
    signed_in.force_login(user)  # a session row, last_login
    assert revision.current() == made
    assert get(anonymous, "/states/")["X-Cache"] == "hit"


def test_people_signed_in_never_get_or_leave_a_cached_copy(chile_only: State) -> None:
    anonymous = Client()
    get(anonymous, "/states/CHL/")
    staff = Client()
    staff.force_login(make_user(Role.ISU_STAFF))
    get(anonymous, "/states/CHL/")  # cached again after the sign-in's write
    page = get(staff, "/states/CHL/")
    assert "X-Cache" not in page
    assert "no-store" in page["Cache-Control"]
    assert b"csrfmiddlewaretoken" in page.content  # their sign-out form
    # ...and what they saw was not kept for the next visitor.
    assert b"csrfmiddlewaretoken" not in get(anonymous, "/states/CHL/").content


def test_each_language_date_and_encoding_is_its_own_copy(chile_only: State) -> None:
    client = Client()
    assert get(client, "/states/CHL/")["X-Cache"] == "miss"
    french = get(client, "/fr/states/CHL/")
    assert french["X-Cache"] == "miss" and 'lang="fr"' in french.content.decode()
    assert get(client, "/states/CHL/?as_of=2012-01-01")["X-Cache"] == "miss"
    gzip = get(client, "/states/CHL/", **{"accept-encoding": "gzip"})
    assert gzip["X-Cache"] == "miss" and gzip["Content-Encoding"] == "gzip"
    assert get(client, "/states/CHL/", **{"accept-encoding": "gzip"})["X-Cache"] == "hit"


def test_a_visitor_with_a_message_or_an_htmx_request_is_not_served_a_copy(
    chile_only: State,
) -> None:
    client = Client()
    get(client, "/states/")
    client.cookies["messages"] = "anything"
    assert "X-Cache" not in get(client, "/states/")
    assert "X-Cache" not in get(Client(), "/states/", **{"hx-request": "true"})


def test_private_and_unmarked_pages_are_never_cached(chile_only: State) -> None:
    client = Client()
    for url in ("/health/", "/accounts/login/", "/register/"):
        response = client.get(url)
        assert "X-Cache" not in response, url
    # The sign-in page holds a CSRF token: never kept, whoever asks.
    assert b"csrfmiddlewaretoken" in client.get("/accounts/login/").content


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "registry_state" ("iso3") VALUES (%s)', "registry_state"),
        ("INSERT OR REPLACE INTO ccm_cache VALUES (1)", "ccm_cache"),
        (' UPDATE "finance_invoice" SET "x" = 1', "finance_invoice"),
        ('DELETE FROM "django_session" WHERE 1', "django_session"),
        ('TRUNCATE "registry_state", "registry_treatyaction";', "registry_state"),
        ('SELECT "x" FROM "registry_state" FOR UPDATE', None),
        ("SAVEPOINT s1", None),
        # Comments, WITH clauses and parentheses are read through (issue #32).
        ("/* note */ UPDATE registry_state SET x = 1", "registry_state"),
        ('-- note\n  DELETE FROM "registry_state"', "registry_state"),
        ("/* a /* nested */ comment */ INSERT INTO t VALUES (1)", "t"),
        ('WITH a AS (SELECT 1) UPDATE "registry_state" SET x = 1', "registry_state"),
        ("WITH a(n) AS (SELECT ')(' ), b AS (SELECT 2) INSERT INTO x SELECT 1", "x"),
        ("WITH RECURSIVE a(n) AS (SELECT 1 UNION SELECT n + 1 FROM a) SELECT * FROM a", None),
        (
            "WITH gone AS (DELETE FROM registry_state RETURNING *) SELECT * FROM gone",
            "registry_state",
        ),
        (
            "WITH a AS MATERIALIZED (SELECT 1) DELETE FROM ONLY public.registry_state",
            "registry_state",
        ),
        ("(SELECT 1) UNION (SELECT 2)", None),
        ("REPLACE INTO registry_state VALUES (1)", "registry_state"),
        ("MERGE INTO registry_state USING x ON true WHEN MATCHED THEN DELETE", "registry_state"),
        ("UPDATE ONLY registry_state SET a = 1", "registry_state"),
        # A writing statement whose table cannot be read still counts (as unknown).
        ("update/**/registry_state set a = 1", revision.UNKNOWN),
    ],
)
def test_the_table_a_statement_writes(sql: str, table: str | None) -> None:
    assert revision.written_table(sql) == table


def test_only_tables_public_pages_show_count() -> None:
    assert revision.changes_public_data('UPDATE "registry_state" SET "name_en" = 1')
    for ignored in ("django_session", "ccm_cache", "core_outgoingemail", "account_emailaddress"):
        assert not revision.changes_public_data(f'DELETE FROM "{ignored}"')
    # A statement that writes an ignored table and a public one counts.
    assert revision.changes_public_data(
        "WITH s AS (DELETE FROM django_session RETURNING 1) UPDATE registry_state SET x = 1"
    )
    assert revision.changes_public_data("TRUNCATE django_session, registry_state")
    assert revision.changes_public_data("update/**/django_session set a = 1")  # unknown: counts


def test_no_public_page_reads_a_table_whose_writes_are_ignored(chile_only: State) -> None:
    """The tables left out of the revision (drafts, registrations, sessions...) are shown by no
    public page: if one ever were, its page could be served from before a write."""
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for url in PUBLIC:
        with CaptureQueriesContext(connection) as ctx:
            get(client, url)
        for query in ctx.captured_queries:
            sql = query["sql"].lower()
            read = [t for t in revision.IGNORED_TABLES if f'"{t}"' in sql or f" {t} " in sql]
            assert not read or "core_datarevision" in read, (url, read, sql[:200])


def test_a_revision_that_cannot_be_written_never_fails_the_committed_work(
    chile_only: State, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from django.db import OperationalError

    def fails(*args: object) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(revision, "_write", fails)
    with transaction.atomic():  # no error: the write is committed, the failure logged
        State.objects.filter(iso3="CHL").update(name_en="Chile (kept)")
    State.objects.filter(iso3="CHL").update(name_en="Chile (kept twice)")  # autocommit
    assert State.objects.get(iso3="CHL").name_en == "Chile (kept twice)"
    assert "bump_revision" in caplog.text


def test_head_requests_are_neither_kept_nor_served(chile_only: State) -> None:
    client = Client()
    assert "X-Cache" not in client.head("/states/")
    first = get(client, "/states/")
    assert first["X-Cache"] == "miss" and first["ETag"]


def test_language_links_stay_on_the_site(chile_only: State) -> None:
    client = Client()
    html = client.get("/fr/nothing-here/").content.decode()
    assert 'href="/es/" lang="es"' in html and 'href="/" lang="en"' in html  # a 404: home
    # gunicorn passes a path such as //elsewhere.example/x on as it is.
    from django.test import RequestFactory

    from ccm.core.context_processors import language_links

    request = RequestFactory().get("/")
    request.path = request.path_info = "//elsewhere.example/x"
    urls = [link["url"] for link in language_links(request)]
    assert urls and not any(url.startswith("//") for url in urls), urls
