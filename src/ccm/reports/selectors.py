"""Reads of the record of reports received, and its access helper. Other apps read the record
only through these functions."""

from __future__ import annotations

from django.db.models import Count, Max, QuerySet
from django.http import Http404

from ccm.accounts import roles
from ccm.registry.models import State
from ccm.reports.choices import Origin, QueryState
from ccm.reports.models import FormDelegation, Query, Report, ReportVersion, Submission

# What the obligation engine reads of a report.
ENGINE_FIELDS = (
    "state_id", "kind", "period", "received_on", "received_by", "stated_due_date", "origin",
    "relation", "source",  # the source of each receipt is evidence (issue #15)
)  # fmt: skip


def received(include_demo: bool = False) -> QuerySet[Submission]:
    """Every report received, with the fields the engine reads; one query when iterated."""
    query = Submission.objects.only(*ENGINE_FIELDS)
    return query if include_demo else query.exclude(origin=Origin.DEMO)


def received_from(iso3: str, include_demo: bool = True) -> list[Submission]:
    """One State's reports, oldest first; one query."""
    # With its structured version, if any (the State page links to it), in the same query.
    query = (
        Submission.objects.filter(state_id=iso3)
        .select_related("report_version__report")
        .order_by("received_on", "received_by")
    )
    if not include_demo:
        query = query.exclude(origin=Origin.DEMO)
    return list(query)


def submission_for_user(user: roles.AnyUser, pk: int) -> Submission:
    """A report received as the user may open it (its file, its notes, its history): ISU staff
    and the Presidency any, a focal point only its own States' (with two-factor set up); anyone
    else, or an id that does not exist, gets 404, so an id reveals nothing."""
    submission = Submission.objects.select_related("state").filter(pk=pk).first()
    if submission is None or not roles.can_read_state_private(user, submission.state_id):
        raise Http404("no such report")
    return submission


def report_version(
    iso3: str, kind: str, period: int | None, number: int | None = None
) -> ReportVersion | None:
    """A structured report's latest version (or version `number`), or None. Submitted versions
    are public, as the UN publishes every report it receives."""
    versions = ReportVersion.objects.select_related("report").filter(
        report__state_id=iso3, report__kind=kind, report__period=period
    )
    if number is not None:
        versions = versions.filter(number=number)
    return versions.order_by("-number").first()


def public_reports(iso3: str = "", period: int | None = None, kind: str = "") -> QuerySet[Report]:
    """Structured reports with at least one submitted version (public, as the UN publishes
    them), with their latest version's number and date; one query."""
    query = (
        Report.objects.select_related("state")
        .annotate(latest=Max("versions__number"), received=Max("versions__received_on"))
        .filter(latest__isnull=False)
    )
    if iso3:
        query = query.filter(state_id=iso3)
    if period is not None:
        query = query.filter(period=period)
    if kind:
        query = query.filter(kind=kind)
    return query.order_by("state__name_en", "kind", "-period")


def versions_of(report: Report) -> list[ReportVersion]:
    """Every submitted version of a report, oldest first (each stays readable)."""
    return list(report.versions.order_by("number"))


def report_for_user(user: roles.AnyUser, pk: int) -> Report:
    """A report with its drafts, for those who prepare it: the State's focal points (two-factor
    set up) and ISU staff, who help them. Drafts are private to the State: the Presidency, other
    States and the public get 404, as a forged id does."""
    report = Report.objects.select_related("state").filter(pk=pk).first()
    if report is None or not roles.two_factor_ok(user):
        raise Http404("no such report")
    if not (roles.is_isu_staff(user) or report.state_id in roles.state_ids_of(user)):
        raise Http404("no such report")
    return report


def workspace_state_for_user(user: roles.AnyUser, iso3: str) -> State:
    """The State whose reports the user prepares: a focal point's own (two-factor set up), any
    for ISU staff; 404 for anyone else and for a forged code."""
    iso3 = iso3.upper()
    allowed = roles.two_factor_ok(user) and (
        roles.is_isu_staff(user) or iso3 in roles.state_ids_of(user)
    )
    state = State.objects.filter(iso3=iso3).first() if allowed else None
    if state is None:
        raise Http404("no such State")
    return state


def reports_in_preparation(iso3: str) -> list[Report]:
    """A State's reports with their drafts and versions (two queries beyond the reports)."""
    return list(
        Report.objects.filter(state_id=iso3)
        .prefetch_related("drafts", "versions")
        .order_by("kind", "-period")
    )


def open_queries_by_report(iso3: str) -> dict[int, int]:
    """How many ISU queries wait for the State's answer, by report (one query; issue #26)."""
    rows = (
        Query.objects.filter(version__report__state_id=iso3.upper(), state=QueryState.OPEN)
        .values("version__report_id")
        .annotate(n=Count("pk"))
    )
    return {r["version__report_id"]: r["n"] for r in rows}


def open_queries_by_state(iso3s: list[str]) -> dict[str, int]:
    """How many ISU queries wait for each State's answer (one query; issue #26)."""
    rows = (
        Query.objects.filter(version__report__state_id__in=iso3s, state=QueryState.OPEN)
        .values("version__report__state_id")
        .annotate(n=Count("pk"))
    )
    return {r["version__report__state_id"]: r["n"] for r in rows}


def states_named(iso3s: list[str]) -> list[State]:
    return list(State.objects.filter(iso3__in=iso3s).order_by("name_en"))


def all_states() -> list[State]:
    """Every State of the registry, for ISU staff choosing whose report to enter."""
    return list(State.objects.order_by("name_en"))


def versions_with_findings(iso3: str = "") -> list[ReportVersion]:
    """Submitted versions whose cross-year checks found something, latest first, for the ISU's
    review (issue #10); one query whatever their number."""
    versions = (
        ReportVersion.objects.exclude(checks=[])
        .select_related("report__state")
        .order_by("-received_on", "-pk")
    )
    if iso3:
        versions = versions.filter(report__state_id=iso3.upper())
    return list(versions)


def version_before(report: Report, number: int) -> ReportVersion | None:
    """What a version is compared with by default (issue #10): the version before it; for a
    first version of an annual report, the last version of the report for the year before."""
    if number > 1:
        return (
            ReportVersion.objects.select_related("report")
            .filter(report=report, number=number - 1)
            .first()
        )
    if report.kind == "annual" and report.period is not None:
        return report_version(report.state_id, "annual", report.period - 1)
    return None


def declarations(iso3: str = "") -> list[tuple[ReportVersion, set[str]]]:
    """Each State's (or one State's) latest submitted version that declares stockpiles or
    contaminated areas, with what it declares (issue #10): the obligations the record may lack.
    One query."""
    from ccm.reports import checks

    latest: dict[str, ReportVersion] = {}
    versions = ReportVersion.objects.select_related("report__state").order_by(
        "report__state_id", "received_on", "number"
    )
    if iso3:
        versions = versions.filter(report__state_id=iso3)
    for version in versions:
        latest[version.report.state_id] = version
    out = []
    for version in latest.values():
        declared = checks.declares(version.forms)
        if declared:
            out.append((version, declared))
    return out


def query_for_user(user: roles.AnyUser, pk: int) -> Query:
    """A query on a report, for ISU staff and the State's focal points; 404 for anyone else."""
    query = Query.objects.select_related("version__report__state").filter(pk=pk).first()
    if query is None or not (
        roles.two_factor_ok(user)
        and (roles.is_isu_staff(user) or query.version.report.state_id in roles.state_ids_of(user))
    ):
        raise Http404("no such query")
    return query


def queries_of(report: Report) -> list[Query]:
    """A report's queries with their replies (two queries)."""
    return list(
        Query.objects.filter(version__report=report)
        .select_related("version", "answered_by", "raised_by")
        .prefetch_related("replies__by")
    )


def queries_list(iso3: str = "", state: str = "") -> list[Query]:
    """Every query (or one State's, or those in one state), latest first, for the ISU."""
    queries = Query.objects.select_related("version__report__state", "answered_by")
    if iso3:
        queries = queries.filter(version__report__state_id=iso3.upper())
    if state:
        queries = queries.filter(state=state)
    return list(queries.order_by("-raised_at", "-pk")[:1000])


def _delegation(user: roles.AnyUser, report_pk: int, code: str) -> FormDelegation | None:
    if not (user.is_authenticated and roles.two_factor_ok(user)):
        return None
    for delegation in FormDelegation.objects.filter(
        report_id=report_pk, form=code, accepted_by_id=user.pk
    ):
        if delegation.usable():
            return delegation
    return None


def report_form_for_user(user: roles.AnyUser, pk: int, code: str) -> tuple[Report, bool]:
    """A report for working on one of its forms: for its State's focal points and ISU staff,
    and for a colleague a focal point asked to fill that form only (issue #10), while the
    request stands. Returns the report and whether the access is the colleague's."""
    try:
        return report_for_user(user, pk), False
    except Http404:
        if _delegation(user, pk, code) is None:
            raise
    return Report.objects.select_related("state").get(pk=pk), True


def own_delegation(user: roles.AnyUser, report_pk: int, code: str) -> FormDelegation:
    """The colleague's own request for this form (the latest they opened), withdrawn or not,
    for saying they finished it (issue #26); 404 for anyone else, forged ids alike."""
    delegation = (
        FormDelegation.objects.filter(report_id=report_pk, form=code, accepted_by_id=user.pk)
        .order_by("-created_at", "-pk")
        .first()
        if user.is_authenticated and roles.two_factor_ok(user)
        else None
    )
    if delegation is None:
        raise Http404("no such request")
    return delegation


def delegations_of(report: Report) -> list[FormDelegation]:
    return list(report.delegations.select_related("accepted_by"))


def delegated_to(user: roles.AnyUser) -> list[FormDelegation]:
    """The forms a colleague was asked to fill and may still open."""
    if not user.is_authenticated:
        return []
    return [
        d
        for d in FormDelegation.objects.filter(accepted_by_id=user.pk).select_related(
            "report__state"
        )
        if d.usable()
    ]


def delegation_for_user(user: roles.AnyUser, pk: int) -> FormDelegation:
    """A delegation, for revoking: the report's State's focal points and ISU staff."""
    delegation = FormDelegation.objects.select_related("report").filter(pk=pk).first()
    if delegation is None:
        raise Http404("no such delegation")
    report_for_user(user, delegation.report_id)  # 404 for anyone else
    return delegation


def prepares_reports_of(user: roles.AnyUser, iso3: str) -> bool:
    """Who reads a State's reports in preparation and the queries on them: ISU staff and the
    State's own focal points, two-factor set up (as `report_for_user`)."""
    return roles.two_factor_ok(user) and (
        roles.is_isu_staff(user) or iso3 in roles.state_ids_of(user)
    )


def queries_not_closed(iso3: str) -> list[Query]:
    """A State's queries still open or answered (awaiting the ISU), latest first, each with its
    report (one query)."""
    return list(
        Query.objects.filter(
            version__report__state_id=iso3, state__in=[QueryState.OPEN, QueryState.ANSWERED]
        )
        .select_related("version__report")
        .order_by("-raised_at", "-pk")
    )
