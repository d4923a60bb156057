"""Public pages of the registry: home, the States list, a State's page."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ccm.core import panels
from ccm.core.as_of import as_of_from, as_of_query, as_of_refused, refuse_as_of
from ccm.core.pagecache import public_page
from ccm.registry import charts, rules, tables
from ccm.registry.choices import STATUS_COLOURS, STATUS_LABELS, ActionKind
from ccm.registry.filters import StateFilterSet
from ccm.registry.models import State
from ccm.registry.selectors import (
    membership_from_actions,
    membership_series,
    memberships,
    state_detail,
    state_rows,
)

SERIES_START = date(2008, 12, 1)  # the month the Convention opened for signature (Art. 15)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    as_of, form = as_of_from(request.GET)
    if as_of_refused(form):
        return refuse_as_of(request, form)
    records = memberships()
    rows = state_rows(as_of, records=records)
    series = membership_series(SERIES_START, max(as_of, SERIES_START), records.values())
    counts = rules.counts_on((r.membership for r in rows), as_of)
    return render(
        request,
        "registry/home.html",
        {
            "as_of": as_of,
            "form": form,
            "counts": counts,
            "not_yet_in_force": counts.parties - counts.in_force,
            "chart": charts.membership_chart(series),
            "map": charts.status_map(rows, as_of, as_of_query(request.GET)),
        },
    )


@public_page
def state_list(request: HttpRequest) -> HttpResponse:
    as_of, form = as_of_from(request.GET)
    if as_of_refused(form):
        return refuse_as_of(request, form)
    records = memberships()
    filterset = StateFilterSet(
        request.GET or None, queryset=State.objects.all(), as_of=as_of, records=records
    )
    rows, sort = tables.sort_rows(
        state_rows(as_of, filterset.qs, records), request.GET.get("sort", "")
    )
    return render(
        request,
        "registry/state_list.html",
        {
            "as_of": as_of,
            "form": form,
            "filter": filterset,
            "rows": rows,
            "headers": tables.headers(request.GET, sort),
            "count": len(rows),
        },
    )


@public_page
def state_page(request: HttpRequest, iso3: str) -> HttpResponse:
    state = state_detail(iso3)
    as_of, form = as_of_from(request.GET)
    if as_of_refused(form):
        return refuse_as_of(request, form)
    every_action = sorted(state.actions.all(), key=lambda a: a.date or a.effective_date or date.max)
    membership = membership_from_actions(state.iso3, every_action)
    # The timeline shows what had happened by the date chosen, nothing later (issue #7).
    actions = [a for a in every_action if (a.date or a.effective_date or date.max) <= as_of]
    status = membership.status_on(as_of)
    # What other apps show of this State: contacts, obligations and reports (core.panels).
    page = {"state": state, "membership": membership, "status": status, "as_of": as_of}
    return render(
        request,
        "registry/state_detail.html",
        {
            "state": state,
            "as_of": as_of,
            "form": form,
            "membership": membership,
            "status": status,
            "status_label": STATUS_LABELS[status],
            "status_colour": STATUS_COLOURS[status],
            "actions": actions,
            "withdrawal_kind": ActionKind.WITHDRAWAL,
            "deposit": next((a for a in actions if a.is_deposit), None),
            "side_panels": panels.render("state.side", request, **page),
            "main_panels": panels.render("state.main", request, **page),
        },
    )
