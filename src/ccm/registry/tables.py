from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StateTable(tables.Table):
    """The States list; rows are `selectors.StateRow`s (sorted in Python, at most ~200)."""

    name = tables.TemplateColumn(
        template_name="registry/includes/state_name_cell.html",
        accessor="state__name",
        verbose_name=pgettext_lazy("country", "State"),
    )
    status = tables.TemplateColumn(
        template_name="registry/includes/status_cell.html",
        accessor="status",
        verbose_name=_("Status"),
    )
    signature = tables.DateColumn(
        accessor="membership__signature", verbose_name=_("Signature"), format="j M Y"
    )
    deposit = tables.TemplateColumn(
        template_name="registry/includes/deposit_cell.html",
        accessor="membership__deposit",
        verbose_name=_("Ratification or accession"),
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
