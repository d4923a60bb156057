"""What needs the ISU or the Presidency today (issue #26): the signed-in home shows counts that
link to lists, each contributed by the app that owns the records, as panels are (`core.panels`):
every app registers its provider in its AppConfig.ready, and the home never imports them.

One truth: an item's count is the length of its rows, and its rows come from the selector the
list it links to reads (or, where no such list exists, the rows are that list: `accounts` shows
them at /my/todo/<key>/). What the record cannot show is counted apart as "unknown", never as
overdue."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

STAFF = "staff"
PRESIDENCY = "presidency"


@dataclass(frozen=True)
class Row:
    """One thing to do: what it is, where to do it, a short note (a date, an amount)."""

    label: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Item:
    key: str  # unique across apps, e.g. "reports.open_queries"; used in /my/todo/<key>/
    label: str
    rows: Sequence[Row]
    url: str = ""  # an existing list page; empty: the to-do's own list of these rows
    unknown: Sequence[Row] = field(default_factory=tuple)  # neither done nor overdue: apart
    unknown_label: str = ""
    order: int = 100
    shown: bool = False  # its rows are shown on the home too (the coming meetings' deadlines)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def anchor(self) -> str:
        """An HTML id for it: "todo-reports-open_queries"."""
        return "todo-" + self.key.replace(".", "-")


# A provider is called with the user, the role it is asked for (STAFF or PRESIDENCY) and today;
# it returns its items for that role (an empty list when it has none for it).
Provider = Callable[[Any, str, date], list[Item]]

_providers: dict[str, Provider] = {}


def register(app: str, provider: Provider) -> None:
    """Registering an app again replaces its provider."""
    _providers[app] = provider


def providers() -> dict[str, Provider]:
    return dict(_providers)


def items(user: Any, audience: str, today: date) -> list[Item]:
    found = [i for p in _providers.values() for i in p(user, audience, today)]
    return sorted(found, key=lambda i: (i.order, i.key))


def item(user: Any, audience: str, today: date, key: str) -> Item | None:
    """One item, asked of the app its key names only."""
    provider = _providers.get(key.split(".", 1)[0])
    found = provider(user, audience, today) if provider else []
    return next((i for i in found if i.key == key), None)
