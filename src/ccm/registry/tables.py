from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ccm.registry.choices import STATUS_COLOURS, STATUS_LABELS, STATUS_TEXT_COLOURS, ActionKind
from ccm.registry.rules import Status


def status_badge_html(status: Status) -> SafeString:
    """The status badge; format_html, not a template, as lists render it ~200 times."""
    return format_html(
        '<span class="ccm-badge" style="background:{};color:{}">{}</span>',
        STATUS_COLOURS[status],
        STATUS_TEXT_COLOURS[status],
        STATUS_LABELS[status],
    )


class StateTable(tables.Table):
    """The States list; rows are `selectors.StateRow`s (sorted in Python, at most ~200)."""

    name = tables.Column(accessor="state__name", verbose_name=pgettext_lazy("country", "State"))
    status = tables.Column(accessor="status", verbose_name=_("Status"))
    signature = tables.DateColumn(
        accessor="membership__signature", verbose_name=_("Signature"), format="j M Y"
    )
    deposit = tables.Column(
        accessor="membership__deposit", verbose_name=_("Ratification or accession")
    )
    entry_into_force = tables.DateColumn(
        accessor="membership__entry_into_force", verbose_name=_("Entry into force"), format="j M Y"
    )
    region = tables.Column(
        accessor="state__get_subregion_display",
        verbose_name=_("Sub-region"),
        order_by=("state__subregion",),
    )

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        orderable = True
        empty_text = _("No State matches these filters.")

    def render_name(self, record: Any) -> SafeString:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("registry:state", args=[record.state.iso3]),
            record.state.name,
        )

    def render_status(self, record: Any) -> SafeString:
        return status_badge_html(record.status)

    def render_deposit(self, record: Any) -> SafeString:
        m = record.membership
        return format_html(
            '{} <span class="text-body-secondary small">({})</span>',
            date_format(m.deposit, "j M Y"),
            ActionKind(m.deposit_kind).label,
        )
