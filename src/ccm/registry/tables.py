"""The States list as a sortable table.

Plain columns and one loop in a template, not django-tables2: with ~200 rows × 6 cells its
per-cell machinery cost ~60 ms a page (measured in benchmarks/run.py); this costs a few.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ccm.registry.choices import STATUS_COLOURS, STATUS_LABELS, STATUS_TEXT_COLOURS
from ccm.registry.rules import Status
from ccm.registry.selectors import StateRow

STATUS_ORDER = [
    Status.IN_FORCE,
    Status.DEPOSITED,
    Status.SIGNATORY,
    Status.WITHDRAWN,
    Status.NOT_SIGNED,
]


def status_badge_html(status: Status) -> SafeString:
    """The status badge; format_html, not a template, as lists render it ~200 times."""
    return format_html(
        '<span class="ccm-badge" style="background:{};color:{}">{}</span>',
        STATUS_COLOURS[status],
        STATUS_TEXT_COLOURS[status],
        STATUS_LABELS[status],
    )


@dataclass(frozen=True)
class Column:
    key: str
    header: str | Promise
    sort_key: Callable[[StateRow], Any]


COLUMNS = [
    Column("name", pgettext_lazy("country", "State"), lambda r: r.state.name.casefold()),
    Column("status", _("Status"), lambda r: STATUS_ORDER.index(r.status)),
    Column("signature", _("Signature"), lambda r: r.membership.signature or date.max),
    Column("deposit", _("Ratification or accession"), lambda r: r.membership.deposit or date.max),
    Column(
        "entry_into_force",
        _("Entry into force"),
        lambda r: r.membership.entry_into_force or date.max,
    ),
    Column("region", _("Sub-region"), lambda r: (r.state.get_subregion_display(), r.state.name)),
]
BY_KEY = {c.key: c for c in COLUMNS}


def sort_rows(rows: list[StateRow], sort: str) -> tuple[list[StateRow], str]:
    """Rows ordered by `sort` ("name", "-deposit", ...); an unknown key sorts by name."""
    key = sort.lstrip("-")
    if key not in BY_KEY:
        key, sort = "name", "name"
    return sorted(rows, key=BY_KEY[key].sort_key, reverse=sort.startswith("-")), sort


def headers(query: QueryDict, current: str) -> list[dict[str, Any]]:
    """Each column's header with the link that sorts by it (reversing the current order)."""
    out = []
    for c in COLUMNS:
        params = query.copy()
        descending = current == c.key
        params["sort"] = f"-{c.key}" if descending else c.key
        aria = "ascending" if current == c.key else "descending" if current == f"-{c.key}" else ""
        out.append({"label": c.header, "url": "?" + params.urlencode(), "aria_sort": aria})
    return out
