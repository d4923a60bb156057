"""Reads of universalization (issue #14). Outreach (stages, positions, intentions, the log,
campaigns) goes through the access helpers: the ISU, the Presidency and the universalization
coordinators of the year only, never the public, never another focal point. The votes, the
register of use and the targets are public. A fixed number of queries whatever the number of
States."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from ccm.accounts import roles
from ccm.meetings import selectors as meetings
from ccm.outreach import rules
from ccm.outreach.choices import Ask, Body, Position, Stage
from ccm.outreach.models import (
    Campaign,
    Contamination,
    Intention,
    MembershipTarget,
    Outreach,
    PositionFact,
    Resolution,
    StageChange,
    StateVote,
    UseReport,
)
from ccm.registry import rules as registry_rules
from ccm.registry.models import State
from ccm.registry.selectors import memberships, state_rows

COORDINATION_KEYWORD = "universali"  # "Universalization", "universalisation", "universalización"


# Who may read and write outreach -----------------------------------------------------------------


def reads_outreach(user: Any, on: date | None = None) -> bool:
    """The ISU, the Presidency, and the focal points of the States that coordinate
    universalization in the Coordination Committee of the Presidency in office."""
    if not user.is_authenticated or not roles.two_factor_ok(user):
        return False
    if roles.reads_all(user):
        return True
    mine = roles.state_ids_of(user)
    if not mine:
        return False
    return bool(
        mine & meetings.coordinator_states(COORDINATION_KEYWORD, on or timezone.localdate())
    )


def _check(user: Any) -> None:
    if not reads_outreach(user):
        raise PermissionDenied


# The pipeline ----------------------------------------------------------------------------------


@dataclass
class Standing:
    """A State not party as outreach sees it on a date."""

    state: State
    status: str
    stage: str
    positions: dict[str, PositionFact] = field(default_factory=dict)  # current, holding
    last_contact: Outreach | None = None
    open_steps: list[Outreach] = field(default_factory=list)
    last_vote: str | None = None

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)

    @property
    def position_labels(self) -> list[str]:
        return [str(Position(p).label) for p in sorted(self.positions)]

    @property
    def signatory(self) -> bool:
        return self.status == registry_rules.Status.SIGNATORY

    @property
    def next_due(self) -> date | None:
        due = [o.next_due for o in self.open_steps if o.next_due]
        return min(due) if due else None


def _current_positions(facts: list[PositionFact]) -> dict[str, dict[str, PositionFact]]:
    """Per State, the latest fact of each position, kept when it holds."""
    latest: dict[tuple[str, str], PositionFact] = {}
    for f in facts:  # ordered newest first within each State and position
        latest.setdefault((f.state_id, f.position), f)
    out: dict[str, dict[str, PositionFact]] = {}
    for (iso3, position), f in latest.items():
        if f.holds:
            out.setdefault(iso3, {})[position] = f
    return out


def pipeline(on: date, iso3s: set[str] | None = None) -> list[Standing]:
    """Every State not party on `on` (or a State of `iso3s` even once party), with its stage
    (the deposit read from the registry), its current positions, its last contact, its open
    next steps and its vote on the latest resolution. Seven queries."""
    records = memberships()
    queryset = State.objects.order_by("name_en")
    if iso3s is not None:
        queryset = queryset.filter(iso3__in=iso3s)
    rows = state_rows(on, queryset, records)
    chosen = [r for r in rows if (not r.status.is_party) or (iso3s and r.state.iso3 in iso3s)]
    if iso3s is not None:
        chosen = [r for r in chosen if r.state.iso3 in iso3s]
    codes = {r.state.iso3 for r in chosen}
    changes: dict[str, list[tuple[date, str]]] = {}
    for c in StageChange.objects.filter(state_id__in=codes, since__lte=on):
        changes.setdefault(c.state_id, []).append((c.since, c.stage))
    positions = _current_positions(
        list(PositionFact.objects.filter(state_id__in=codes, as_of__lte=on))
    )
    last: dict[str, Outreach] = {}
    steps: dict[str, list[Outreach]] = {}
    for o in Outreach.objects.filter(state_id__in=codes, on__lte=on).select_related("actor_state"):
        last.setdefault(o.state_id, o)
        if o.next_step and o.next_done_on is None:
            steps.setdefault(o.state_id, []).append(o)
    latest = last_votes(codes)
    out = []
    for r in chosen:
        iso3 = r.state.iso3
        deposited = r.membership.deposit
        out.append(
            Standing(
                state=r.state,
                status=r.status,
                last_vote=latest.get(iso3),
                stage=rules.stage_on(changes.get(iso3, []), deposited, on),
                positions=positions.get(iso3, {}),
                last_contact=last.get(iso3),
                open_steps=sorted(steps.get(iso3, []), key=lambda o: o.next_due or date.max),
            )
        )
    return out


def pipeline_for_user(user: Any, on: date) -> list[Standing]:
    _check(user)
    return pipeline(on)


def steps_due(on: date, within_days: int = 30) -> list[Outreach]:
    """Open next steps due by `on` + `within_days` (the late ones first)."""
    from datetime import timedelta

    return list(
        Outreach.objects.filter(next_done_on=None, next_due__lte=on + timedelta(days=within_days))
        .exclude(next_step="")
        .select_related("state")
        .order_by("next_due", "pk")
    )


@dataclass
class StateOutreach:
    standing: Standing
    stages: list[StageChange]
    facts: list[PositionFact]
    intentions: list[Intention]
    log: list[Outreach]


def state_outreach_for_user(user: Any, iso3: str, on: date | None = None) -> StateOutreach:
    """One State's outreach file: 403 for anyone but the ISU, the Presidency and the
    universalization coordinators; 404 for an unknown State."""
    _check(user)
    on = on or timezone.localdate()
    state = State.objects.filter(iso3=iso3.upper()).first()
    if state is None:
        raise Http404("no such State")
    standing = pipeline(on, {state.iso3})[0]
    return StateOutreach(
        standing,
        list(StageChange.objects.filter(state=state).select_related("created_by")),
        list(PositionFact.objects.filter(state=state)),
        list(Intention.objects.filter(state=state)),
        list(Outreach.objects.filter(state=state).select_related("actor_state", "campaign")),
    )


def outreach_entry_for_user(user: Any, pk: int) -> Outreach:
    _check(user)
    found = Outreach.objects.select_related("state").filter(pk=pk).first()
    if found is None:
        raise Http404("no such contact")
    return found


# Campaigns -------------------------------------------------------------------------------------


def candidates(on: date) -> list[rules.Candidate]:
    return [
        rules.Candidate(
            s.state.iso3, s.state.region, s.stage, frozenset(s.positions), s.signatory, s.last_vote
        )
        for s in pipeline(on)
        if s.stage != Stage.DEPOSITED
    ]


def campaigns_for_user(user: Any) -> list[Campaign]:
    _check(user)
    return list(
        Campaign.objects.annotate(
            n_targets=Count("targets", distinct=True),
            n_sent=Count("targets", filter=Q(targets__sent_on__isnull=False), distinct=True),
        )
    )


def campaign_for_user(user: Any, pk: int) -> Campaign:
    _check(user)
    found = Campaign.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("no such campaign")
    return found


@dataclass
class CampaignRow:
    target: Any
    replies: list[Outreach]
    open_steps: list[Outreach]
    ask: str | None = None  # what its letter asks (issue #25); None: stage not recorded

    @property
    def stage_label(self) -> str:
        from ccm.registry.choices import STATUS_LABELS
        from ccm.registry.rules import Status

        return str(STATUS_LABELS[Status(self.target.stage)]) if self.target.stage else ""

    @property
    def ask_label(self) -> str:
        return str(Ask(self.ask).label) if self.ask else ""


def asks_by_stage(standings: list[Standing], on: date) -> list[tuple[str, str, int]]:
    """How many of the chosen States each request goes to, as of `on` (ask, label, count)."""
    counts: dict[str, int] = {}
    for s in standings:
        asked = rules.ask(str(s.status), on)
        if asked:
            counts[asked] = counts.get(asked, 0) + 1
    return [(a.value, str(a.label), counts[a.value]) for a in Ask if a.value in counts]


def campaign_rows(campaign: Campaign, on: date | None = None) -> list[CampaignRow]:
    """Each target with the replies logged for the campaign and the open next steps, and what
    its letter dated `on` asks by its stage (two queries)."""
    from django.utils import timezone

    on = on or timezone.localdate()
    targets = list(campaign.targets.select_related("state").order_by("state__name_en"))
    log: dict[str, list[Outreach]] = {}
    for o in Outreach.objects.filter(campaign=campaign).order_by("-on", "-pk"):
        log.setdefault(o.state_id, []).append(o)
    return [
        CampaignRow(
            t,
            [o for o in log.get(t.state_id, []) if o.reply],
            [o for o in log.get(t.state_id, []) if o.next_step and not o.next_done_on],
            rules.ask(t.stage, on) if t.stage else None,
        )
        for t in targets
    ]


# Votes (public) --------------------------------------------------------------------------------


@dataclass
class VoteRecord:
    resolution: Resolution
    recorded: dict[str, int]

    @property
    def has_votes(self) -> bool:
        return sum(self.recorded.values()) > 0

    @property
    def mismatch(self) -> bool:
        return self.has_votes and rules.mismatch(self.resolution.official, self.recorded)


def resolutions() -> list[VoteRecord]:
    """Every vote with its official totals and the totals of its per-State record (one query)."""
    found = Resolution.objects.annotate(
        r_yes=Count("votes", filter=Q(votes__vote="yes")),
        r_no=Count("votes", filter=Q(votes__vote="no")),
        r_abstain=Count("votes", filter=Q(votes__vote="abstain")),
    ).order_by("-year", "body", "code")
    return [
        VoteRecord(r, {"yes": r.r_yes, "no": r.r_no, "abstain": r.r_abstain})  # type: ignore[attr-defined]
        for r in found
    ]


def latest_assembly_vote(on: date) -> VoteRecord | None:
    """The latest vote of the General Assembly in plenary held on or before `on` (a First
    Committee vote is a draft's, not the Assembly's), with its per-State totals; one query."""
    found = (
        Resolution.objects.filter(body=Body.GENERAL_ASSEMBLY, voted_on__lte=on)
        .annotate(
            r_yes=Count("votes", filter=Q(votes__vote="yes")),
            r_no=Count("votes", filter=Q(votes__vote="no")),
            r_abstain=Count("votes", filter=Q(votes__vote="abstain")),
        )
        .order_by("-voted_on", "-pk")
        .first()
    )
    if found is None:
        return None
    return VoteRecord(found, {"yes": found.r_yes, "no": found.r_no, "abstain": found.r_abstain})  # type: ignore[attr-defined]


def resolution(code: str) -> tuple[VoteRecord, list[StateVote]]:
    found = Resolution.objects.filter(code=code).first()
    if found is None:
        raise Http404("no such vote")
    votes = list(found.votes.select_related("state").order_by("state__name_en"))
    return VoteRecord(found, rules.tally(v.vote for v in votes)), votes


def _ballots() -> tuple[list[rules.Ballot], dict[str, dict[str, str]]]:
    """The General Assembly votes with a per-State record, each with the States not party on
    its date, and every State's votes (three queries)."""
    records = memberships()
    states = list(State.objects.values_list("iso3", flat=True))
    ballots = []
    for r in Resolution.objects.filter(
        body=Body.GENERAL_ASSEMBLY, votes__isnull=False, voted_on__isnull=False
    ).distinct():
        day = r.voted_on
        assert day is not None  # filtered above
        not_party = frozenset(
            s
            for s in states
            if not (records.get(s) or registry_rules.Membership(iso3=s)).status_on(day).is_party
        )
        ballots.append(rules.Ballot(r.code, day, not_party))
    history: dict[str, dict[str, str]] = {}
    for code, iso3, vote in StateVote.objects.filter(
        resolution__body=Body.GENERAL_ASSEMBLY
    ).values_list("resolution__code", "state_id", "vote"):
        history.setdefault(iso3, {})[code] = vote
    return sorted(ballots, key=lambda b: b.day), history


def last_votes(iso3s: set[str]) -> dict[str, str]:
    """How these States voted on the latest General Assembly vote with a per-State record
    ("absent" for a State not listed); two queries."""
    latest = (
        Resolution.objects.filter(body=Body.GENERAL_ASSEMBLY, votes__isnull=False)
        .exclude(voted_on=None)
        .order_by("-voted_on")
        .first()
    )
    if latest is None:
        return {}
    cast = dict(latest.votes.filter(state_id__in=iso3s).values_list("state_id", "vote"))
    return {s: cast.get(s, "absent") for s in iso3s}


@dataclass
class Analysis:
    ballots: list[rules.Ballot]
    always_yes: list[State]
    always_abstain: list[State]
    always_no: list[State]
    trend: list[dict]
    latest: dict[str, str]
    states: dict[str, State]


def analysis(on: date) -> Analysis:
    """Among the States not party on `on`: those that voted yes on every General Assembly vote
    on record (the likeliest next members), those that abstained every time, those that voted
    no every time; the trend of the votes of States not party; the latest vote of each State."""
    ballots, history = _ballots()
    records = memberships()
    states = {s.iso3: s for s in State.objects.order_by("name_en")}
    now_not_party = [
        s
        for s in states
        if not (records.get(s) or registry_rules.Membership(iso3=s)).status_on(on).is_party
    ]

    def pick(vote: str) -> list[State]:
        return [states[s] for s in rules.always(history, ballots, vote, now_not_party)]

    return Analysis(
        ballots,
        pick("yes"),
        pick("abstain"),
        pick("no"),
        rules.trend(history, ballots),
        rules.latest_votes(history, ballots),
        states,
    )


def vote_history(iso3: str) -> list[StateVote]:
    return list(
        StateVote.objects.filter(state_id=iso3)
        .select_related("resolution")
        .order_by("-resolution__year", "resolution__code")
    )


# Use, contamination, targets (public) ------------------------------------------------------------


def use_reports(iso3: str | None = None) -> list[UseReport]:
    qs = UseReport.objects.select_related("country", "user")
    if iso3:
        qs = qs.filter(Q(country_id=iso3) | Q(user_id=iso3))
    return list(qs)


def contamination_of(iso3: str | None = None) -> list[Contamination]:
    qs = Contamination.objects.select_related("state")
    if iso3:
        qs = qs.filter(state_id=iso3)
    return list(qs)


def targets() -> list[MembershipTarget]:
    return list(MembershipTarget.objects.all())


POSITION_LABELS = dict(Position.choices)
