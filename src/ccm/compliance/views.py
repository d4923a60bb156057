"""Public pages of reporting: the compliance dashboard and its downloads, a State's calendar."""

from __future__ import annotations

import csv
import io
import json

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from ccm.compliance import calendars, dashboard, exports, spreadsheets
from ccm.compliance.selectors import engine_inputs, state_obligations
from ccm.core.as_of import as_of_error, as_of_from, as_of_query, as_of_refused, refuse_as_of
from ccm.core.pagecache import public_page

DOWNLOADS = ("csv", "xlsx", "json")
LINE_FIELDS = ["list", "name", *exports.OBLIGATION_FIELDS]


@public_page
def compliance_dashboard(request: HttpRequest) -> HttpResponse:
    as_of, form = as_of_from(request.GET)
    fmt = request.GET.get("format", "")
    if as_of_refused(form):
        if fmt in DOWNLOADS:  # a file has no form to show: one line
            return HttpResponseBadRequest(
                as_of_error(form), content_type="text/plain; charset=utf-8"
            )
        return refuse_as_of(request, form)
    board = dashboard.build(engine_inputs(include_demo=True), as_of)
    if fmt in DOWNLOADS:
        return download(board, fmt)
    return render(
        request,
        "compliance/dashboard.html",
        {
            "as_of": as_of,
            "form": form,
            "board": board,
            "chart": dashboard.rates_chart(board),
            "map": dashboard.standing_map(board, as_of_query(request.GET)),
            "downloads": DOWNLOADS,
        },
    )


def download(board: dashboard.Dashboard, fmt: str) -> HttpResponse:
    stem = f"ccm-article7-compliance-{board.as_of.isoformat()}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(board.record(), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, LINE_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(
            {k: exports.neutralised(exports.flat(v)) for k, v in line.record().items()}
            for line in board.lines
        )
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            spreadsheets.workbook(board),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@public_page
def state_calendar(request: HttpRequest, iso3: str) -> HttpResponse:
    """iCalendar feed of one State's deadlines: focal points subscribe to it."""
    state, items = state_obligations(iso3, include_demo=True)  # as the State page (issue #24)
    response = HttpResponse(
        calendars.feed(state, items, request.build_absolute_uri("/")),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="ccm-deadlines-{state.iso3}.ics"'
    return response
