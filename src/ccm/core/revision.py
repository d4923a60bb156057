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

_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)',
    re.IGNORECASE,
)


def written_table(sql: str) -> str | None:
    """The table a statement writes (the first, for a TRUNCATE of several), or None for a
    statement that writes nothing."""
    match = _WRITE.match(sql)
    return match.group(1).lower() if match else None


def changes_public_data(sql: str) -> bool:
    table = written_table(sql)
    return (
        table is not None and table not in IGNORED_TABLES and not table.startswith(IGNORED_PREFIXES)
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
