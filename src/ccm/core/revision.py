"""The data revision: one token, changed after every committed write of data (issue #16).

Public pages are cached under it (`ccm.core.middleware.PublicPageCacheMiddleware`), so a page is
never served from before a write. The services are the only way the application writes, but
loaders use `bulk_create` and commands `update()`, which send no signals: the revision is kept
at the lowest level instead, by a wrapper around every SQL statement Django runs. A statement
that writes a table public pages may show registers one bump for when its transaction commits
(none if it rolls back; at once outside a transaction). The bump writes a new random token, so a
token never comes back, even after a rollback or on another server. Tables of sessions, the
shared cache, sign-in, the outbox and the audit trail change nothing a public page shows and do
not retire the cache (a sign-in would otherwise empty it), nor do drafts of reports and
registrations for meetings, which no public page shows (a test reads every public page and
checks that none reads those tables): a focal point saving a form every minute would otherwise
have every public page made again.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.transaction import TransactionManagementError
from django.utils import timezone

TABLE = "core_datarevision"
# Written, but shown by no public page.
IGNORED_TABLES = frozenset(
    {
        "core_datarevision",
        "django_migrations",
        "django_session",
        "ccm_cache",
        "django_admin_log",
        "core_auditevent",
        "core_outgoingemail",
        "auth_user",  # last_login on every sign-in
        # Drafts of reports and the links to their forms: never public (reports.public_views).
        "reporting_draft",
        "reporting_formdelegation",
        # Registrations for meetings: private to the delegation and the ISU.
        "participation_delegation",
        "participation_historicaldelegation",
        "participation_delegate",
    }
)
IGNORED_PREFIXES = ("account_", "mfa_", "socialaccount_", "usersessions_")

# Statements that read or manage the session, and so write no table: the common case, decided
# from the first word alone. Any other first word is parsed (`_statement`).
_READS = frozenset(
    {
        "select",
        "savepoint",
        "release",
        "begin",
        "commit",
        "rollback",
        "pragma",
        "show",
        "set",
        "explain",
        "values",
        "declare",
        "fetch",
        "close",
        "listen",
        "notify",
        "deallocate",
        "end",
    }
)
_FIRST_WORD = re.compile(r"\s*([A-Za-z]+)")
# Writes of data and the table each names: INSERT [OR x] INTO t, REPLACE INTO t, UPDATE [OR x]
# [ONLY] t, DELETE FROM [ONLY] t, TRUNCATE [TABLE] [ONLY] t, u, MERGE INTO t, COPY t FROM.
_TARGET = re.compile(
    r"""(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?(?:\s+ONLY)?
        |DELETE\s+FROM(?:\s+ONLY)?|TRUNCATE(?:\s+TABLE)?(?:\s+ONLY)?|MERGE\s+INTO|COPY)
        \s+((?:"[^"]+"|\w+)(?:\s*\.\s*(?:"[^"]+"|\w+))?)""",
    re.IGNORECASE | re.VERBOSE,
)
_NAME = re.compile(r'\s*,\s*((?:"[^"]+"|\w+)(?:\s*\.\s*(?:"[^"]+"|\w+))?)')
# A writing keyword whose table could not be read: counted as a write of public data.
UNKNOWN = "?"
_WRITING_WORDS = frozenset(
    {"insert", "replace", "update", "delete", "truncate", "merge", "copy", "upsert"}
)


def _skip_space_and_comments(sql: str, i: int) -> int:
    """The index of the next character that is neither white space nor inside a comment."""
    n = len(sql)
    while i < n:
        if sql[i].isspace():
            i += 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif sql.startswith("/*", i):
            depth, i = 1, i + 2  # PostgreSQL nests block comments
            while i < n and depth:
                if sql.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif sql.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        else:
            return i
    return n


def _past_parentheses(sql: str, i: int) -> int:
    """The index just after the parenthesis group opening at `i`, quotes and comments kept
    whole (a parenthesis inside a string or a comment does not count)."""
    depth, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"":
            end = i + 1
            while end < n:
                if sql[end] == c:
                    if end + 1 < n and sql[end + 1] == c:  # '' inside a string
                        end += 2
                        continue
                    break
                end += 1
            i = end + 1
            continue
        if sql.startswith("--", i) or sql.startswith("/*", i):
            i = _skip_space_and_comments(sql, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def _table(name: str) -> str:
    """A table's name without its schema or quotes, in lower case."""
    return name.rsplit(".", 1)[-1].strip().strip('"').lower()


def _statement(sql: str, i: int, out: list[str]) -> None:
    """Add to `out` the tables the statement starting at `i` writes, its WITH clause included
    (PostgreSQL's data-modifying CTEs write inside it)."""
    i = _skip_space_and_comments(sql, i)
    while i < len(sql) and sql[i] == "(":  # (SELECT ...) UNION ...: a parenthesised read
        inner = _past_parentheses(sql, i)
        _statement(sql[i + 1 : inner - 1], 0, out)
        i = _skip_space_and_comments(sql, inner)
    word = _FIRST_WORD.match(sql, i)
    if not word:
        return
    keyword = word.group(1).lower()
    if keyword == "with":
        i = _skip_space_and_comments(sql, word.end())
        recursive = _FIRST_WORD.match(sql, i)
        if recursive and recursive.group(1).lower() == "recursive":
            i = recursive.end()
        # name [(columns)] AS [[NOT] MATERIALIZED] (body) [, ...] then the statement itself
        while i < len(sql):
            i = _skip_space_and_comments(sql, i)
            body = sql.find("(", i)
            if body < 0:
                return
            head = sql[i:body]
            if not re.search(r"\bAS\s*(?:NOT\s+)?(?:MATERIALIZED\s*)?$", head, re.I):
                body = sql.find("(", _past_parentheses(sql, body))  # the column list
                if body < 0:
                    return
            end = _past_parentheses(sql, body)
            _statement(sql[body + 1 : end - 1], 0, out)
            i = _skip_space_and_comments(sql, end)
            if i < len(sql) and sql[i] == ",":
                i += 1
                continue
            break
        _statement(sql, i, out)
        return
    if keyword in _READS:
        return
    target = _TARGET.match(sql, i)
    if target is None:
        if keyword in _WRITING_WORDS:
            out.append(UNKNOWN)
        return
    out.append(_table(target.group(1)))
    if keyword == "truncate":
        position = target.end()
        while more := _NAME.match(sql, position):
            out.append(_table(more.group(1)))
            position = more.end()


def written_tables(sql: str) -> list[str]:
    """The tables a statement writes, in order ([] for a statement that writes nothing):
    comments, WITH clauses (and their own writes) and parentheses read through, so that no
    writing statement escapes the revision (issue #32)."""
    first = _FIRST_WORD.match(sql)
    if first and first.group(1).lower() in _READS:
        return []  # the common case, decided without parsing
    out: list[str] = []
    _statement(sql, 0, out)
    return out


def written_table(sql: str) -> str | None:
    """The first table a statement writes, or None for a statement that writes nothing."""
    tables = written_tables(sql)
    return tables[0] if tables else None


def changes_public_data(sql: str) -> bool:
    return any(
        table not in IGNORED_TABLES and not table.startswith(IGNORED_PREFIXES)
        for table in written_tables(sql)
    )


def bump(alias: str = "default") -> str:
    """A new token, written in its own statement. Returns it ("" while migrations have not
    made the table yet)."""
    connection = connections[alias]
    token = secrets.token_hex(16)
    # Run after a commit, in autocommit: each statement commits on its own.
    for _attempt in range(2):
        try:
            _write(connection, token)
            return token
        except IntegrityError:
            continue  # another process inserted the row first: update it
        except DatabaseError:
            if TABLE in connection.introspection.table_names():
                raise
            return ""  # the first migrations are running
    return token


def _write(connection: BaseDatabaseWrapper, token: str) -> None:
    table = connection.ops.quote_name(TABLE)
    values: tuple[str, datetime] = (token, timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET token = %s, changed_at = %s WHERE id = 1", values)  # noqa: S608
        if cursor.rowcount == 0:
            # The first write since the table was made or emptied. Two processes may race
            # here: the second insert fails, and `bump` tries again (an update then).
            cursor.execute(
                f"INSERT INTO {table} (id, token, changed_at) VALUES (1, %s, %s)",  # noqa: S608
                values,
            )


_BUMPS: dict[str, Callable[[], Any]] = {}


def _bump_for(alias: str) -> Callable[[], Any]:
    """One callable per database (`pending` finds it among the commit hooks by identity), a
    plain function: Django's robust hooks log a failure by the function's `__qualname__`."""
    if alias not in _BUMPS:

        def bump_revision() -> str:
            return bump(alias)

        _BUMPS[alias] = bump_revision
    return _BUMPS[alias]


def pending(connection: BaseDatabaseWrapper) -> bool:
    """This connection's open transaction has written data that is not committed yet: what it
    reads differs from what the revision describes."""
    mine = _bump_for(connection.alias)
    return any(entry[1] is mine for entry in connection.run_on_commit)


def watch(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """The execute wrapper installed on every connection (`install`)."""
    result = execute(sql, params, many, context)
    if changes_public_data(sql):
        connection = context["connection"]
        if not pending(connection):
            try:
                # robust: a bump that fails (the database gone right after the commit) is
                # logged, never turned into an error of the work that was committed.
                transaction.on_commit(
                    _bump_for(connection.alias), using=connection.alias, robust=True
                )
            except TransactionManagementError:
                # Transactions managed by hand: the bump joins that transaction and commits
                # (or rolls back) with the data.
                bump(connection.alias)
    return result


def install(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: every new database connection watches its writes."""
    if watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, watch)


def current(alias: str = "default") -> str:
    """The token now ("" before the first write)."""
    connection = connections[alias]
    table = connection.ops.quote_name(TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else ""
