"""Public pages of universalization (issue #14): the UN General Assembly votes with the official
totals beside the per-State record, the analysis of the votes and the map of the latest, the
register of reported use and contamination, and the count of States Parties against the
action plans' targets. Outreach itself is never public (staff_views)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ccm.core.pagecache import public_page
from ccm.outreach import charts, selectors
from ccm.outreach.choices import Vote
from ccm.registry import charts as registry_charts
from ccm.registry.selectors import membership_series

VOTE_COLOURS = {"yes": "#1a7f37", "no": "#b42318", "abstain": "#b58900", "absent": "#8c959f"}


def _vote_labels() -> dict[str, str]:
    return {**{v.value: str(v.label) for v in Vote}, "absent": _("did not vote")}


def vote_map(votes: dict[str, str], states: dict, title: str) -> dict[str, object]:
    labels = _vote_labels()
    legend = [{"colour": VOTE_COLOURS[k], "label": labels[k]} for k in VOTE_COLOURS]
    entries = ((s, VOTE_COLOURS[votes.get(iso3, "absent")], labels[votes.get(iso3, "absent")])
               for iso3, s in states.items())  # fmt: skip
    return registry_charts.world_map(entries, legend, title)


@public_page
def universalization(request: HttpRequest) -> HttpResponse:
    """The count of States Parties against the targets; who among the States not party votes
    yes every year, abstains or votes no; the trend; the map of the latest vote."""
    today = timezone.localdate()
    found = selectors.analysis(today)
    series = membership_series(date(2010, 1, 1), today)
    counts = [(c.day, c.parties) for c in series]
    latest = found.ballots[-1] if found.ballots else None
    title = (_("The latest recorded vote, %(code)s (%(day)s)")
             % {"code": latest.code, "day": date_format(latest.day, "DATE_FORMAT")}
             if latest else "")  # fmt: skip
    return render(request, "outreach/universalization.html", {
        "analysis": found, "targets": selectors.targets(),
        "chart": charts.progress_chart(counts, selectors.targets()),
        "map": vote_map(found.latest, found.states, title) if latest else None,
        "latest": latest, "today": today,
    })  # fmt: skip


@public_page
def votes(request: HttpRequest) -> HttpResponse:
    """Every vote: the official totals beside the totals of the per-State record; every
    difference flagged, and explained where the reason is known."""
    return render(request, "outreach/votes.html", {"records": selectors.resolutions()})


@public_page
def vote(request: HttpRequest, code: str) -> HttpResponse:
    record, found = selectors.resolution(code)
    states = {v.state.iso3: v.state for v in found}
    cast = {v.state.iso3: v.vote for v in found}
    title = _("Votes on %(code)s") % {"code": record.resolution.code}
    return render(request, "outreach/vote.html", {
        "record": record, "votes": found, "labels": _vote_labels(),
        "map": vote_map(cast, states, title) if found else None,
    })  # fmt: skip


@public_page
def use(request: HttpRequest) -> HttpResponse:
    """The register of reported use and of contamination, with the source of every entry."""
    from ccm.compliance import selectors as compliance

    reports = selectors.use_reports()
    countries = {r.country.iso3: r.country for r in reports}
    labels = {"documented": _("documented use"), "alleged": _("alleged use")}
    colours = {"documented": "#b42318", "alleged": "#b58900"}
    worst: dict[str, str] = {}
    for r in reports:
        if worst.get(r.country_id) != "documented":
            worst[r.country_id] = r.confidence
    legend = [{"colour": colours[k], "label": labels[k]} for k in colours]
    the_map = registry_charts.world_map(
        ((countries[c], colours[k], labels[k]) for c, k in worst.items()), legend,
        _("Reported use of cluster munitions, by the confidence of the sources"),
    )  # fmt: skip
    return render(request, "outreach/use.html", {
        "reports": reports, "map": the_map, "contamination": selectors.contamination_of(),
        "declared": compliance.contamination(),
    })  # fmt: skip
