"""One FilterSet for the States list (HTML today, the API later)."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ccm.registry.choices import Language, Region, StatusFilter, SubRegion
from ccm.registry.models import Contact, ContactRole, State, fold
from ccm.registry.rules import Membership, Status

STATUS_MATCH = {
    StatusFilter.PARTY: {Status.DEPOSITED, Status.IN_FORCE},
    StatusFilter.IN_FORCE: {Status.IN_FORCE},
    StatusFilter.NOT_YET_IN_FORCE: {Status.DEPOSITED},
    StatusFilter.SIGNATORY: {Status.SIGNATORY},
    StatusFilter.WITHDRAWN: {Status.WITHDRAWN},
    StatusFilter.NOT_SIGNED: {Status.NOT_SIGNED},
}


class StateFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=StatusFilter.choices, method="by_status", empty_label=_("All")
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=Region.choices, empty_label=_("All")
    )
    subregion = django_filters.ChoiceFilter(
        label=_("Sub-region"), choices=SubRegion.choices, empty_label=_("All")
    )

    class Meta:
        model = State
        fields = ["q", "status", "region", "subregion"]

    def __init__(
        self, *args: Any, as_of: date, records: dict[str, Membership], **kwargs: Any
    ) -> None:
        self.as_of = as_of
        self.records = records  # the caller's, so the list reads the actions once
        super().__init__(*args, **kwargs)

    def search(self, queryset: QuerySet[State], name: str, value: str) -> QuerySet[State]:
        """Any word of the name in English, French or Spanish, accents ignored, or the code."""
        for word in fold(value).split():
            queryset = queryset.filter(Q(search_text__contains=word))
        return queryset

    def by_status(self, queryset: QuerySet[State], name: str, value: str) -> QuerySet[State]:
        wanted = STATUS_MATCH[StatusFilter(value)]
        records = self.records
        if Status.NOT_SIGNED in wanted:
            excluded = [k for k, m in records.items() if m.status_on(self.as_of) not in wanted]
            return queryset.exclude(iso3__in=excluded)
        keep = [k for k, m in records.items() if m.status_on(self.as_of) in wanted]
        return queryset.filter(iso3__in=keep)


YES_NO = [("yes", _("yes")), ("no", _("no"))]


class ContactFilterSet(django_filters.FilterSet):
    """The staff list of contacts (issue #26): by State (a plain select), role, active, with or
    without an e-mail address, language."""

    state = django_filters.ChoiceFilter(label=pgettext_lazy("country", "State"),
                                        empty_label=_("All"))  # fmt: skip
    role = django_filters.ChoiceFilter(label=_("Role"), choices=ContactRole.choices,
                                       empty_label=_("All"))  # fmt: skip
    active = django_filters.ChoiceFilter(label=_("Active"), choices=YES_NO, method="by_active",
                                         empty_label=_("All"))  # fmt: skip
    has_email = django_filters.ChoiceFilter(label=_("E-mail address"), choices=YES_NO,
                                            method="by_email", empty_label=_("All"))  # fmt: skip
    language = django_filters.ChoiceFilter(label=_("Language"), choices=Language.choices,
                                           empty_label=_("All"))  # fmt: skip

    class Meta:
        model = Contact
        fields = ["state", "role", "active", "has_email", "language"]

    def __init__(self, *args: Any, states: list[State], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ccm.registry.forms import state_choices

        self.filters["state"].extra["choices"] = state_choices(states)
        for f in self.form.fields.values():
            f.widget.attrs.setdefault("class", "form-select")

    def by_active(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        return queryset.filter(active=value == "yes")

    def by_email(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        return queryset.exclude(email="") if value == "yes" else queryset.filter(email="")
