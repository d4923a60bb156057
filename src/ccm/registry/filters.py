"""One FilterSet for the States list (HTML today, the API later)."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ccm.registry.choices import Region, StatusFilter, SubRegion
from ccm.registry.models import State, fold
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
