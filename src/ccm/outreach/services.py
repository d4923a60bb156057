"""State changes of universalization (issue #14): each one function, atomic, audited, `by=`
the person acting; the reference data loaded with every row checked first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ccm.core import audit
from ccm.core.reference import Loaded
from ccm.core.tables import RowError, RowsRefused, check_header, csv_rows, parse_date
from ccm.outreach import rules
from ccm.outreach.choices import SET_BY_HAND, Actor, Body, Channel, Position, Vote
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
    Target,
    UseReport,
)
from ccm.registry.models import State

DATA = Path(__file__).resolve().parent / "data"
VOTES_CSV = DATA / "unga_ccm_votes_2015_2019.csv"
TOTALS_CSV = DATA / "unga_ccm_resolution_totals.csv"
NOTES_CSV = DATA / "vote_notes.csv"
ALIASES_CSV = DATA / "state_aliases.csv"
TARGETS_CSV = DATA / "membership_targets.csv"
VOTES_SOURCE = (
    "Per-State plenary votes from a public research dataset of UN roll calls "
    "(shared/data/unga_ccm_votes_2015_2019.csv; shared/data/README.md). States absent or not "
    "voting are not listed."
)
BODY_PREFIX = {Body.GENERAL_ASSEMBLY: "GA", Body.FIRST_COMMITTEE: "C1"}


class Refused(ValueError):
    """A step the rules refuse; the message is for the person."""


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def code_of(symbol: str, body: str, session: int) -> str:
    """A vote's code: its symbol ("A/RES/71/45"), else its body and session ("GA/75")."""
    return symbol or f"{BODY_PREFIX[Body(body)]}/{session}"


# Reference data -------------------------------------------------------------------------------


@dataclass
class VotesLoaded:
    resolutions: int = 0
    votes: int = 0
    unchanged: int = 0
    flagged: list[str] | None = None


def _states_by_iso2() -> dict[str, State]:
    return {s.iso2: s for s in State.objects.all()}


def load_votes(
    votes_csv: Path = VOTES_CSV,
    totals_csv: Path = TOTALS_CSV,
    notes_csv: Path = NOTES_CSV,
    aliases_csv: Path = ALIASES_CSV,
) -> VotesLoaded:
    """The official totals and the per-State votes, side by side; every row checked before
    anything is written (RowsRefused). A code of the dataset that is no ISO code of a State
    (Serbia's "YU") is read through `state_aliases.csv`, and said so on each vote."""
    errors: list[RowError] = []
    by_iso2 = _states_by_iso2()
    by_iso3 = {s.iso3: s for s in by_iso2.values()}
    aliases: dict[str, tuple[State, str]] = {}
    for line, row in csv_rows(aliases_csv, ["dataset_code", "iso3", "reason", "source"], errors):
        state = by_iso3.get(row["iso3"])
        if state is None:
            errors.append(RowError(aliases_csv.name, line, f"unknown State {row['iso3']!r}"))
        else:
            aliases[row["dataset_code"]] = (state, f"{row['reason']} ({row['source']})")
    totals: list[dict[str, Any]] = []
    for line, row in csv_rows(
        totals_csv,
        [
            "year",
            "session",
            "body",
            "resolution_or_draft",
            "date",
            "yes",
            "no",
            "abstain",
            "note",
            "source",
        ],
        errors,
    ):
        where = (totals_csv.name, line)
        if row["body"] not in Body.values:
            errors.append(RowError(*where, f"body {row['body']!r} is not one of {Body.values}"))
            continue
        if not all(row[k].isdigit() for k in ("year", "session", "yes", "no", "abstain")):
            errors.append(RowError(*where, "year, session and totals are whole numbers"))
            continue
        if not row["source"]:
            errors.append(RowError(*where, "no source"))
            continue
        totals.append(
            {
                "code": code_of(row["resolution_or_draft"], row["body"], int(row["session"])),
                "symbol": row["resolution_or_draft"],
                "year": int(row["year"]),
                "session": int(row["session"]),
                "body": row["body"],
                "voted_on": parse_date(row["date"], "date", where, errors),
                "yes": int(row["yes"]),
                "no": int(row["no"]),
                "abstain": int(row["abstain"]),
                "note": row["note"],
                "source": row["source"],
            }
        )
    votes: list[tuple[str, date | None, State, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for line, row in csv_rows(votes_csv, ["resolution", "date", "country", "iso2", "vote"], errors):
        where = (votes_csv.name, line)
        state, note = by_iso2.get(row["iso2"]), ""
        if state is None and row["iso2"] in aliases:
            state, note = aliases[row["iso2"]]
            note = f"recorded as {row['country']} ({row['iso2']}): {note}"
        if state is None:
            errors.append(RowError(*where, f"unknown State {row['country']!r} ({row['iso2']})"))
            continue
        if row["vote"] not in Vote.values:
            errors.append(RowError(*where, f"vote {row['vote']!r} is not yes, no or abstain"))
            continue
        if (row["resolution"], state.iso3) in seen:
            errors.append(RowError(*where, f"a second vote of {state.iso3}"))
            continue
        seen.add((row["resolution"], state.iso3))
        day = parse_date(row["date"], "date", where, errors)
        votes.append((row["resolution"], day, state, row["vote"], note[:300]))
    notes = {
        row["resolution"]: (row["detail"], row["source"])
        for _line, row in csv_rows(notes_csv, ["resolution", "detail", "source"], errors)
    }
    if errors:
        raise RowsRefused(errors)
    done = VotesLoaded(flagged=[])
    with transaction.atomic():
        for values in totals:
            _r, made = Resolution.objects.get_or_create(code=values["code"], defaults=values)
            done.resolutions += made
            done.unchanged += not made
        resolutions = {r.code: r for r in Resolution.objects.all()}
        for symbol, day, _state, _vote, _note in votes:
            if symbol not in resolutions:
                year = day.year if day else int(symbol.split("/")[2]) + 1945
                resolutions[symbol] = Resolution.objects.create(
                    code=symbol,
                    symbol=symbol,
                    year=year,
                    session=year - 1945,
                    body=Body.GENERAL_ASSEMBLY,
                    voted_on=day,
                )
                done.resolutions += 1
        have = set(StateVote.objects.values_list("resolution__code", "state_id"))
        new = [
            StateVote(resolution=resolutions[symbol], state=state, vote=vote, note=note)
            for symbol, _day, state, vote, note in votes
            if (symbol, state.iso3) not in have
        ]
        StateVote.objects.bulk_create(new)
        done.votes = len(new)
        for symbol in {v[0] for v in votes}:
            r = resolutions[symbol]
            if not r.votes_source:
                r.votes_source = VOTES_SOURCE
                r.save(update_fields=["votes_source"])
        for code, (detail, source) in notes.items():
            Resolution.objects.filter(code=code, explanation="").update(
                explanation=detail, explanation_source=source
            )
    if not (done.resolutions or done.votes):
        return done  # flagged when loaded, not on every run that changes nothing
    for r in Resolution.objects.prefetch_related("votes"):
        recorded = rules.tally(v.vote for v in r.votes.all())
        if r.votes.all() and rules.mismatch(r.official, recorded):
            done.flagged.append(  # type: ignore[union-attr]
                f"{r.code}: official {r.yes}/{r.no}/{r.abstain}, per-State record "
                f"{recorded['yes']}/{recorded['no']}/{recorded['abstain']}"
                + ("" if r.explanation else " (unexplained)")
            )
    for code, (state, _why) in aliases.items():
        done.flagged.append(f"votes recorded as {code} loaded as {state.iso3}")  # type: ignore[union-attr]
    return done


def load_targets(path: Path = TARGETS_CSV) -> int:
    errors: list[RowError] = []
    rows = []
    for line, row in csv_rows(path, ["name", "target", "by", "source"], errors):
        by = parse_date(row["by"], "by", (path.name, line), errors)
        if not row["target"].isdigit() or not row["source"]:
            errors.append(RowError(path.name, line, "a whole target and a source"))
            continue
        rows.append(
            {"name": row["name"], "target": int(row["target"]), "by": by, "source": row["source"]}
        )
    if errors:
        raise RowsRefused(errors)
    made = 0
    for values in rows:
        _t, created = MembershipTarget.objects.get_or_create(name=values["name"], defaults=values)
        made += created
    return made


def load_reference() -> Loaded:
    """Universalization's part of `ccm load_reference_data` (registered in apps.py)."""
    done = load_votes()
    targets = load_targets()
    return Loaded(
        f"votes: {done.resolutions} votes of the General Assembly and its First "
        f"Committee created, {done.unchanged} unchanged, {done.votes} per-State votes "
        f"created; {targets} membership targets created",
        done.flagged or [],
    )


# Importing a recorded vote ----------------------------------------------------------------------

VOTE_WORDS = {
    "yes": Vote.YES,
    "y": Vote.YES,
    "no": Vote.NO,
    "n": Vote.NO,
    "abstain": Vote.ABSTAIN,
    "a": Vote.ABSTAIN,
    "abstention": Vote.ABSTAIN,
}


@dataclass(frozen=True)
class VoteHeader:
    symbol: str
    year: int
    body: str
    voted_on: date
    source: str
    official: tuple[int, int, int] | None = None  # yes, no, abstain


@transaction.atomic
def import_votes(name: str, data: bytes, header: VoteHeader, *, by: Any) -> Resolution:
    """A recorded-vote list (columns `iso3` or `iso2`, and `vote`; `country` may stay beside
    them): every row valid or nothing written (RowsRefused). A vote whose official totals were
    loaded gets its per-State votes; one that already has them is refused."""
    if not header.source.strip():
        raise Refused("give the source of the recorded vote")
    if header.body not in Body.values:
        raise Refused("choose the General Assembly or the First Committee")
    errors: list[RowError] = []
    table = check_header(name, data, errors, ["vote"], ["iso3", "iso2", "country"])
    if table is not None and not {"iso3", "iso2"} & set(table.header):
        errors.append(RowError(name, 1, "missing column(s): iso3 (or iso2)"))
    if errors or table is None:
        raise RowsRefused(errors)
    key = "iso3" if "iso3" in table.header else "iso2"
    states = {(s.iso3 if key == "iso3" else s.iso2): s for s in State.objects.all()}
    found: dict[str, tuple[State, str]] = {}
    for line, row in table.rows:
        if any(k.startswith("__") for k in row):
            errors.append(
                RowError(
                    name,
                    line,
                    "a row that cannot be read (a formula, too many cells or a quote left open)",
                )
            )
            continue
        code = row.get(key, "").strip().upper()
        word = row.get("vote", "").strip().casefold()
        state = states.get(code)
        if state is None:
            errors.append(RowError(name, line, f"unknown State {code!r}"))
        elif word not in VOTE_WORDS:
            errors.append(RowError(name, line, f"vote {word!r} is not yes, no or abstain"))
        elif state.iso3 in found:
            errors.append(RowError(name, line, f"a second vote of {state.iso3}"))
        else:
            found[state.iso3] = (state, VOTE_WORDS[word])
    if errors:
        raise RowsRefused(errors)
    session = header.year - 1945
    code = code_of(header.symbol.strip(), header.body, session)
    resolution = Resolution.objects.select_for_update().filter(code=code).first()
    if resolution is not None and resolution.votes.exists():
        raise Refused(f"{code} already has its per-State votes")
    if resolution is None:
        resolution = Resolution.objects.create(
            code=code,
            symbol=header.symbol.strip(),
            year=header.year,
            session=session,
            body=header.body,
            voted_on=header.voted_on,
        )
    if header.official is not None and resolution.official is None:
        resolution.yes, resolution.no, resolution.abstain = header.official
        resolution.source = header.source.strip()
    resolution.votes_source = header.source.strip()
    resolution.save()
    StateVote.objects.bulk_create(
        [StateVote(resolution=resolution, state=s, vote=v) for s, v in found.values()]
    )
    audit.record(
        "votes.imported",
        by=by,
        obj=resolution,
        summary=f"{code}: {len(found)} per-State votes from {name}",
    )
    return resolution


# Outreach ----------------------------------------------------------------------------------------


def _not_party(state: State, on: date) -> None:
    from ccm.registry.selectors import state_rows

    row = state_rows(on, State.objects.filter(pk=state.pk))[0]
    if row.status.is_party:
        raise Refused(f"{state.name} is a State Party")


@transaction.atomic
def log_outreach(
    state: State,
    *,
    on: date,
    channel: str,
    actor: str,
    by: Any,
    actor_state: State | None = None,
    people: str = "",
    outcome: str = "",
    next_step: str = "",
    next_owner: str = "",
    next_due: date | None = None,
    campaign: Campaign | None = None,
    reply: bool = False,
) -> Outreach:
    """One contact with a State not party, with its next step (owner and due date)."""
    if channel not in Channel.values or actor not in Actor.values:
        raise Refused("choose the channel and who acted")
    if actor in (Actor.COORDINATOR, Actor.STATE_PARTY) and actor_state is None:
        raise Refused("name the coordinator's or the State Party's State")
    if next_due is not None and not next_step.strip():
        raise Refused("say what the next step is")
    if on > timezone.localdate():
        raise Refused("log a contact once it happened")
    entry = Outreach.objects.create(
        state=state,
        on=on,
        channel=channel,
        actor=actor,
        actor_state=actor_state if actor in (Actor.COORDINATOR, Actor.STATE_PARTY) else None,
        people=people.strip(),
        outcome=outcome.strip(),
        next_step=next_step.strip()[:300],
        next_owner=next_owner.strip()[:120],
        next_due=next_due,
        campaign=campaign,
        reply=reply,
        created_by=_user(by),
    )
    audit.record(
        "outreach.logged",
        by=by,
        obj=entry,
        summary=f"{state.iso3}: {channel} on {on}"
        + (f"; next: {entry.next_step} by {next_due}" if next_due else ""),
    )
    return entry


@transaction.atomic
def step_done(entry: Outreach, *, on: date, by: Any) -> Outreach:
    if not entry.next_step:
        raise Refused("this contact has no next step")
    if entry.next_done_on is not None:
        raise Refused("already done")
    entry.next_done_on = on
    entry.save(update_fields=["next_done_on"])
    audit.record(
        "outreach.step_done",
        by=by,
        obj=entry,
        summary=f"{entry.state_id}: {entry.next_step} done on {on}",
    )
    return entry


@transaction.atomic
def add_position(
    state: State, *, position: str, holds: bool, as_of: date, source: str, by: Any
) -> PositionFact:
    if position not in Position.values:
        raise Refused("choose a position")
    if not source.strip():
        raise Refused("every fact has its source")
    fact = PositionFact.objects.create(
        state=state,
        position=position,
        holds=holds,
        as_of=as_of,
        source=source.strip(),
        created_by=_user(by),
    )
    audit.record(
        "outreach.position",
        by=by,
        obj=fact,
        summary=f"{state.iso3}: {position} {'yes' if holds else 'no'} as of {as_of}",
    )
    return fact


@transaction.atomic
def add_intention(state: State, *, stated_on: date, text: str, source: str, by: Any) -> Intention:
    if not text.strip() or not source.strip():
        raise Refused("say what the State stated, and the source")
    found = Intention.objects.create(
        state=state,
        stated_on=stated_on,
        text=text.strip(),
        source=source.strip(),
        created_by=_user(by),
    )
    audit.record("outreach.intention", by=by, obj=found, summary=f"{state.iso3}: {stated_on}")
    return found


@transaction.atomic
def set_stage(state: State, *, stage: str, since: date, note: str, by: Any) -> StageChange:
    """Move a State not party along the pipeline by hand; the last stage (an instrument
    deposited) comes from the registry only."""
    if stage not in SET_BY_HAND:
        raise Refused("the deposit of an instrument is read from the registry, not set by hand")
    _not_party(state, since)
    change = StageChange.objects.create(
        state=state, stage=stage, since=since, note=note.strip(), created_by=_user(by)
    )
    audit.record(
        "outreach.stage", by=by, obj=change, summary=f"{state.iso3}: {stage} since {since}"
    )
    return change


# Campaigns ------------------------------------------------------------------------------------


def as_of_problem(as_of: date) -> str | None:
    """Why a campaign cannot choose its States as of `as_of` (said to the person), or None."""
    refusal = rules.as_of_refusal(as_of, timezone.localdate())
    if refusal == "before_adoption":
        return _("The Convention was adopted on %(day)s: choose the States as of that day or "
                 "later.") % {"day": date_format(rules.ADOPTED, "DATE_FORMAT")}  # fmt: skip
    if refusal == "future":
        return _("A selection as of a future date would be a guess: choose today or an earlier "
                 "day.")  # fmt: skip
    return None


@transaction.atomic
def start_campaign(
    *,
    title: str,
    filters: dict[str, Any],
    subjects: dict[str, str],
    bodies: dict[str, str],
    states: list[State],
    by: Any,
    as_of: date | None = None,
) -> Campaign:
    """A démarche campaign to the chosen States, each letter in the State's working language
    (English where the campaign has no text in it). The States are chosen as of `as_of`
    (today by default; issue #25): each one's stage on that day (signatory, not signed,
    withdrawn) is stored with it, and decides what its letter asks (ratify, accede, sign and
    ratify). A date before the Convention's adoption or in the future is refused, and so is a
    State Party on that day (nothing to ask of it)."""
    from ccm.outreach.letters import unknown_placeholders
    from ccm.registry.selectors import state_rows

    as_of = as_of or timezone.localdate()
    problem = as_of_problem(as_of)
    if problem:
        raise Refused(problem)
    if not title.strip() or not subjects.get("en", "").strip() or not bodies.get("en", "").strip():
        raise Refused("give a title, and the subject and letter in English at least")
    if not states:
        raise Refused("the filters choose no State")
    stages = {
        row.state.iso3: str(row.status)
        for row in state_rows(as_of, State.objects.filter(pk__in=[s.pk for s in states]))
    }
    parties = sorted(s.name for s in states if rules.ask(stages[s.iso3], as_of) is None)
    if parties:
        day = date_format(as_of, "DATE_FORMAT")
        raise Refused(_("States Parties on %(day)s, with nothing to ask: %(names)s.")
                      % {"day": day, "names": ", ".join(parties)})  # fmt: skip
    for lang, text in bodies.items():
        bad = unknown_placeholders(text)
        if bad:
            raise Refused(f"unknown placeholder(s) in the {lang} letter: {', '.join(bad)}")
    campaign = Campaign.objects.create(
        title=title.strip()[:200],
        filters=filters,
        as_of=as_of,
        created_by=_user(by),
        **{f"subject_{k}": subjects.get(k, "").strip()[:200] for k in ("en", "fr", "es")},
        **{f"body_{k}": bodies.get(k, "").strip() for k in ("en", "fr", "es")},
    )
    Target.objects.bulk_create(
        [
            Target(
                campaign=campaign,
                state=s,
                stage=stages[s.iso3],
                language=s.language
                if s.language in ("en", "fr", "es") and getattr(campaign, f"body_{s.language}")
                else "en",
            )
            for s in states
        ]
    )
    audit.record(
        "campaign.started",
        by=by,
        obj=campaign,
        summary=f"{campaign.title}: {len(states)} States as of {as_of.isoformat()}",
    )
    return campaign


@transaction.atomic
def mark_sent(campaign: Campaign, *, on: date, by: Any, actor: str = Actor.PRESIDENCY) -> int:
    """Log each letter not yet logged as sent on `on` (a letter in the outreach log of each
    State); twice changes nothing."""
    waiting = list(
        campaign.targets.select_for_update(of=("self",))
        .filter(sent_on=None)
        .select_related("state")
    )
    for t in waiting:
        t.sent_on = on
        t.save(update_fields=["sent_on"])
        Outreach.objects.create(
            state=t.state,
            on=on,
            channel=Channel.LETTER,
            actor=actor,
            campaign=campaign,
            outcome=f"{campaign.title}: letter sent",
            created_by=_user(by),
        )
    if waiting:
        audit.record(
            "campaign.sent",
            by=by,
            obj=campaign,
            summary=f"{campaign.title}: {len(waiting)} letters sent on {on}",
        )
    return len(waiting)


# Use and contamination ------------------------------------------------------------------------


@transaction.atomic
def report_use(
    *,
    country: State,
    started_on: date,
    ended_on: date | None,
    user: State | None,
    user_text: str,
    confidence: str,
    source: str,
    link: str,
    note: str,
    by: Any,
) -> UseReport:
    if not source.strip():
        raise Refused("every report of use names its source")
    if ended_on is not None and ended_on < started_on:
        raise Refused("the period ends after it starts")
    found = UseReport.objects.create(
        country=country,
        started_on=started_on,
        ended_on=ended_on,
        user=user,
        user_text=user_text.strip()[:200],
        confidence=confidence,
        source=source.strip(),
        link=link.strip(),
        note=note.strip(),
        created_by=_user(by),
    )
    audit.record(
        "use.reported", by=by, obj=found, summary=f"{country.iso3} from {started_on} ({confidence})"
    )
    return found


@transaction.atomic
def record_contamination(
    state: State, *, contaminated: bool, as_of: date, source: str, link: str, by: Any
) -> Contamination:
    if not source.strip():
        raise Refused("every fact has its source")
    found = Contamination.objects.create(
        state=state,
        contaminated=contaminated,
        as_of=as_of,
        source=source.strip(),
        link=link.strip(),
        created_by=_user(by),
    )
    audit.record(
        "contamination.recorded",
        by=by,
        obj=found,
        summary=f"{state.iso3}: {'contaminated' if contaminated else 'clear'} as of {as_of}",
    )
    return found
