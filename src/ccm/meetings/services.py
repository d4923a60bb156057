"""State changes of meetings. Each is one function, atomic, audited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccm.core import audit
from ccm.core.reference import Loaded
from ccm.core.tables import RowError, RowsRefused, csv_rows, parse_date
from ccm.meetings import rules
from ccm.meetings.choices import DeadlineKind, ItemStatus, MeetingKind, Mode, Owner, Presence
from ccm.meetings.models import (
    Attendance,
    Consultation,
    Coordination,
    Deadline,
    Document,
    DocumentFile,
    Letter,
    Meeting,
    MeetingFact,
    Minutes,
    Presidency,
    Succession,
    Volunteer,
    WorkPlanItem,
)
from ccm.registry.models import State

DATA_DIR = Path(__file__).resolve().parent / "data"
MEETINGS_CSV = DATA_DIR / "ccm_meetings.csv"
FACTS_CSV = DATA_DIR / "ccm_meeting_facts.csv"
MEETING_COLUMNS = [
    "code", "kind", "number", "start_date", "end_date", "city", "country", "venue",
    "president_state", "president_person", "notes", "source",
]  # fmt: skip
# A meeting's own title; who organises or sponsors an informal one (both may be empty)
OPTIONAL_MEETING_COLUMNS = ["title", "sponsor"]
FACT_COLUMNS = ["meeting", "field", "value", "note", "source"]
DEADLINES_CSV = DATA_DIR / "ccm_meeting_deadlines.csv"
DEADLINE_COLUMNS = ["meeting", "what", "due_on", "note", "source"]


@dataclass
class MeetingsLoaded:
    meetings: int = 0
    presidencies: int = 0
    facts: int = 0
    deadlines: int = 0
    unchanged: int = 0
    titled: int = 0  # existing meetings given the shipped title or sponsor


def _meetings(path: Path, errors: list[RowError]) -> list[dict[str, Any]]:
    states = {s.name_en: s for s in State.objects.all()}
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for line, row in csv_rows(path, MEETING_COLUMNS, errors):
        where = (path.name, line)
        before = len(errors)
        code = row["code"]
        if not re.fullmatch(r"[0-9A-Za-z-]{2,20}", code) or code in seen:
            errors.append(RowError(*where, f"code {code!r} is empty, malformed or repeated"))
        seen.add(code)
        if row["kind"] not in MeetingKind.values:
            errors.append(RowError(*where, f"kind {row['kind']!r} is unknown"))
        number = None
        if row["number"]:
            if row["number"].isdigit():
                number = int(row["number"])
            else:
                errors.append(RowError(*where, f"number {row['number']!r} is not a whole number"))
        start = parse_date(row["start_date"], "start_date", where, errors)
        end = parse_date(row["end_date"], "end_date", where, errors)
        if start and end and end < start:
            errors.append(RowError(*where, "end_date is before start_date"))
        if end and not start:
            errors.append(RowError(*where, "end_date without a start_date"))
        for column in ("country", "president_state"):
            if row[column] and row[column] not in states:
                errors.append(RowError(*where, f"{column} {row[column]!r} is not a known State"))
        if row["president_person"] and not row["president_state"]:
            errors.append(RowError(*where, "a president_person without a president_state"))
        if not row["source"]:
            errors.append(RowError(*where, "source is empty"))
        for column, longest in (("title", 200), ("sponsor", 300)):
            if len(row.get(column) or "") > longest:
                errors.append(RowError(*where, f"{column} is longer than {longest} characters"))
        if len(errors) == before:
            # 2RC-2 is the second part of a formal meeting; REG-BKK-2017 is a seminar's year
            part = re.search(r"-(\d{1,2})$", code) if rules.is_formal(row["kind"]) else None
            out.append({
                "code": code, "kind": row["kind"], "number": number,
                "part": int(part.group(1)) if part else None,
                "name": row.get("title") or "", "sponsor": row.get("sponsor") or "",
                "start_date": start, "end_date": end, "city": row["city"],
                "host": states.get(row["country"]), "venue": row["venue"],
                "mode": rules.mode_of(row["venue"]), "notes": row["notes"],
                "source": row["source"], "president_state": states.get(row["president_state"]),
                "president": row["president_person"], "president_title": "",
                "president_source": row["source"], "file": path.name, "line": line,
            })  # fmt: skip
    return out


def _facts(path: Path, codes: set[str], errors: list[RowError]) -> list[dict[str, Any]]:
    out = []
    for line, row in csv_rows(path, FACT_COLUMNS, errors):
        where = (path.name, line)
        code = row["meeting"].removesuffix("-cycle")
        if code not in codes:
            errors.append(RowError(*where, f"meeting {row['meeting']!r} is not a known meeting"))
            continue
        if not (row["field"] and row["value"] and row["source"]):
            errors.append(RowError(*where, "field, value and source are all needed"))
            continue
        out.append({
            "code": code, "cycle": row["meeting"].endswith("-cycle"), "field": row["field"],
            "value": row["value"], "note": row["note"], "source": row["source"], "line": line,
        })  # fmt: skip
    return out


def _deadlines(path: Path, codes: set[str], errors: list[RowError]) -> list[dict[str, Any]]:
    out = []
    for line, row in csv_rows(path, DEADLINE_COLUMNS, errors):
        where = (path.name, line)
        before = len(errors)
        if row["meeting"] not in codes:
            errors.append(RowError(*where, f"meeting {row['meeting']!r} is not a known meeting"))
        if row["what"] not in DeadlineKind.values:
            errors.append(RowError(*where, f"what {row['what']!r} is unknown"))
        due = parse_date(row["due_on"], "due_on", where, errors)
        if not row["source"]:
            errors.append(RowError(*where, "source is empty"))
        if len(errors) == before and due is not None:
            out.append({"code": row["meeting"], "what": row["what"], "due_on": due,
                        "note": row["note"], "source": row["source"]})  # fmt: skip
    return out


def _state_named(name: str, states: dict[str, State]) -> State | None:
    """A State by its English name as a source writes it: exactly, or without the
    parenthesis of its formal name ("Netherlands" for "Netherlands (Kingdom of the)")."""
    if name in states:
        return states[name]
    short = [s for full, s in states.items() if re.sub(r"\s*\(.*\)$", "", full) == name]
    return short[0] if len(short) == 1 else None


def _presidents_from_facts(
    meetings: list[dict[str, Any]], facts: list[dict[str, Any]], path: Path,
    errors: list[RowError],
) -> None:  # fmt: skip
    """A meeting whose row names no President takes the one a fact gives ("State; Amb.
    Person"), with that fact's source (issue #25: the 6th Meeting's Netherlands Presidency is
    in the facts only). Meetings that name their President keep it."""
    states = {s.name_en: s for s in State.objects.all()}
    by_code = {m["code"]: m for m in meetings}
    for fact in facts:
        meeting = by_code.get(fact["code"])
        if fact["cycle"] or fact["field"] != "president" or meeting is None:
            continue
        if meeting["president_state"] is not None:
            continue
        name, _sep, person = (part.strip() for part in fact["value"].partition(";"))
        state = _state_named(name, states)
        if state is None:
            errors.append(RowError(path.name, fact["line"],
                                   f"president {name!r} is not a known State"))  # fmt: skip
            continue
        title = ""
        if person.startswith("Amb. "):
            title, person = "Ambassador", person.removeprefix("Amb. ").strip()
        meeting["president_state"] = state
        meeting["president"] = person
        meeting["president_title"] = title
        meeting["president_source"] = f"{fact['source']} (ccm_meeting_facts.csv: {fact['note']})"


def _presidents_are_parties(meetings: list[dict[str, Any]], errors: list[RowError]) -> None:
    """Every President's State was a State Party on its Meeting's first day (issue #25)."""
    from ccm.registry import selectors as registry

    records = registry.memberships()
    today = timezone.localdate()
    for m in meetings:
        state = m["president_state"]
        if state is None:
            continue
        day = m["start_date"] or today
        record = records.get(state.iso3)
        if record is None or not record.known_on(day).is_party_on(day):
            errors.append(RowError(m.get("file", MEETINGS_CSV.name), m.get("line", 0),
                                   f"{state.name_en} was not a State Party on {day}: it cannot "
                                   "preside"))  # fmt: skip


@transaction.atomic
def load_meetings(
    meetings_csv: Path = MEETINGS_CSV, facts_csv: Path = FACTS_CSV,
    deadlines_csv: Path = DEADLINES_CSV,
) -> MeetingsLoaded:  # fmt: skip
    """Past and planned meetings, their Presidencies and the facts sources give about them;
    every row checked before anything is written (RowsRefused); loading twice changes nothing."""
    errors: list[RowError] = []
    meetings = _meetings(meetings_csv, errors)
    existing = set(Meeting.objects.values_list("code", flat=True))
    facts = _facts(facts_csv, {m["code"] for m in meetings} | existing, errors)
    deadlines = _deadlines(deadlines_csv, {m["code"] for m in meetings} | existing, errors)
    _presidents_from_facts(meetings, facts, facts_csv, errors)
    _presidents_are_parties(meetings, errors)
    if errors:
        raise RowsRefused(errors)
    done = MeetingsLoaded()
    by_code: dict[str, Meeting] = {}
    for values in meetings:
        values = dict(values)
        president_state, president = values.pop("president_state"), values.pop("president")
        title, source = values.pop("president_title"), values.pop("president_source")
        values.pop("file"), values.pop("line")
        meeting, created = Meeting.objects.get_or_create(code=values["code"], defaults=values)
        by_code[meeting.code] = meeting
        # A meeting recorded before it had a title (issue #25) gets the shipped title and
        # sponsor where its own are blank; what staff wrote is never replaced
        blank = [f for f in ("name", "sponsor") if values[f] and not getattr(meeting, f)]
        if not created and blank:
            for field in blank:
                setattr(meeting, field, values[field])
            meeting.save(update_fields=blank)
            done.titled += 1
        else:
            done.unchanged += not created
        done.meetings += created
        if president_state is not None:
            _p, made = Presidency.objects.get_or_create(
                meeting=meeting,
                defaults={"state": president_state, "president": president,
                          "president_title": title, "source": source},
            )  # fmt: skip
            done.presidencies += made
    for fact in facts:
        meeting = by_code.get(fact["code"]) or Meeting.objects.get(code=fact["code"])
        _f, made = MeetingFact.objects.get_or_create(
            meeting=meeting, cycle=fact["cycle"], field=fact["field"], value=fact["value"],
            defaults={"note": fact["note"], "source": fact["source"]},
        )  # fmt: skip
        done.facts += made
    for deadline in deadlines:
        meeting = by_code.get(deadline["code"]) or Meeting.objects.get(code=deadline["code"])
        _d, made = Deadline.objects.get_or_create(
            meeting=meeting, what=deadline["what"],
            defaults={k: deadline[k] for k in ("due_on", "note", "source")},
        )  # fmt: skip
        done.deadlines += made
    if done.meetings or done.presidencies or done.facts or done.deadlines or done.titled:
        audit.record(
            "meetings.loaded",
            actor_label="ccm load_reference_data",
            summary=f"{done.meetings} meetings, {done.presidencies} Presidencies, "
            f"{done.facts} facts, {done.deadlines} deadlines; {done.unchanged} meetings unchanged"
            + (f" ({done.titled} given their title)" if done.titled else ""),
        )
    return done


def load_reference() -> Loaded:
    """Meetings' part of `ccm load_reference_data` (registered in apps.py)."""
    done = load_meetings()
    return Loaded(
        f"meetings: {done.meetings} created, "
        + (f"{done.titled} given their title, " if done.titled else "")
        + f"{done.unchanged} unchanged; "
        f"{done.presidencies} Presidencies, {done.facts} facts and {done.deadlines} deadlines "
        "created"
    )


class ConflictError(Exception):
    """Someone changed the item since it was read: the change is refused, not merged."""


@transaction.atomic
def add_work_plan_item(
    meeting: Meeting, *, title: str, theme: str, owner: str, owner_state: State | None,
    due_date: Any, notes: str, by: Any, from_meeting: Meeting | None = None,
) -> WorkPlanItem:  # fmt: skip
    """A new item of the work plan up to `meeting`; a State or a coordinator owner names its
    State (ValueError otherwise)."""
    if owner not in Owner.values:
        raise ValueError(f"owner {owner!r} is unknown")
    if owner in (Owner.STATE, Owner.COORDINATOR) and owner_state is None:
        raise ValueError("a State or a coordinator owner names its State")
    if owner not in (Owner.STATE, Owner.COORDINATOR):
        owner_state = None
    item = WorkPlanItem.objects.create(
        meeting=meeting, title=title.strip()[:300], theme=theme.strip()[:100], owner=owner,
        owner_state=owner_state, due_date=due_date, notes=notes.strip(), from_meeting=from_meeting,
    )  # fmt: skip
    audit.record("workplan.item_added", by=by, obj=item,
                 summary=f"{meeting.code}: {item.title} (due {due_date})")  # fmt: skip
    return item


@transaction.atomic
def set_item_status(item: WorkPlanItem, *, status: str, revision: int, by: Any) -> WorkPlanItem:
    """Where an item stands, changed from the copy the person saw (ConflictError otherwise)."""
    if status not in ItemStatus.values:
        raise ValueError(f"status {status!r} is unknown")
    locked = WorkPlanItem.objects.select_for_update().get(pk=item.pk)
    if locked.revision != revision:
        raise ConflictError("the item was changed meanwhile: look at it again")
    before = locked.status
    locked.status = status
    locked.revision += 1
    locked.save(update_fields=["status", "revision"])
    audit.record("workplan.item_status", by=by, obj=locked, summary=f"{locked.title}: {status}",
                 before={"status": before}, after={"status": status})  # fmt: skip
    return locked


class Refused(ValueError):
    """A step the rules refuse; the message is for the person, in their language."""


def _check_file(upload: Any) -> None:
    """A letter or minutes file: PDF or Word, by content and size (as report files)."""
    from django.core.validators import FileExtensionValidator

    from ccm.core.files import DOCUMENT_TYPES, validate_document_file

    if upload:
        FileExtensionValidator(DOCUMENT_TYPES)(upload)
        validate_document_file(upload)


# What a public source says of a row made here; who made it is in the audit log, never on a
# public page.
RECORDED = "recorded in ccm-isu by the ISU or the Presidency"


def _has_met(meeting: Meeting) -> bool:
    return meeting.status() in ("held", "convened")


def check_may_preside(state: State, on: Any) -> None:
    """Only a State Party on the day may offer to preside or be designated (the Meetings elect
    their President from among the States Parties, Art. 11; rules of procedure CCM/MSP/2010/3):
    Refused otherwise, naming the State and the day (issue #25). The registry's record as it
    stood that day decides."""
    from django.utils.formats import date_format

    from ccm.registry import selectors as registry

    if on is None:
        on = timezone.localdate()
    if not registry.status_on(state.iso3, on).is_party:
        raise Refused(
            _("%(state)s was not a State Party on %(day)s: only a State Party may offer to "
              "preside or be designated.") % {"state": state.name, "day": date_format(on)}
        )  # fmt: skip


def designation_day(by_meeting: Meeting) -> Any:
    """The day a Meeting designates: its closing day (its decisions are adopted then)."""
    return by_meeting.end_date or by_meeting.start_date or timezone.localdate()


@transaction.atomic
def open_succession(
    *, opens_on: Any, by: Any, meeting: Meeting | None = None, kind: str = MeetingKind.MSP,
    number: int | None = None,
) -> Succession:  # fmt: skip
    """Consultations on who presides over a coming Meeting open on a day. Without `meeting`,
    the Meeting `number` of `kind` is created (undated, planned) when not yet in the system.
    Refused for a Meeting that has met or is already presided, or consultations already open."""
    if meeting is None:
        if kind not in rules.PRESIDED_KINDS or not number:
            raise ValueError("a numbered Meeting of States Parties or Review Conference")
        meeting, _made = Meeting.objects.get_or_create(
            code=f"{number}{kind}", defaults={"kind": kind, "number": number,
                                              "source": RECORDED},
        )  # fmt: skip
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.kind not in rules.PRESIDED_KINDS:
        raise Refused(_("A Presidency presides over a Meeting of States Parties or a Review "
                        "Conference."))  # fmt: skip
    if _has_met(meeting):
        raise Refused(_("The %(meeting)s has already met.") % {"meeting": meeting.title})
    if Presidency.objects.filter(meeting=meeting).exists():
        raise Refused(_("The Presidency of the %(meeting)s is already decided.")
                      % {"meeting": meeting.title})  # fmt: skip
    if Succession.objects.filter(meeting=meeting).exists():
        raise Refused(_("Consultations on the Presidency of the %(meeting)s are already open.")
                      % {"meeting": meeting.title})  # fmt: skip
    succession = Succession.objects.create(meeting=meeting, opens_on=opens_on)
    audit.record("succession.opened", by=by, obj=succession,
                 summary=f"{meeting.code}: consultations open on {opens_on}")  # fmt: skip
    return succession


def _lock(succession: Succession, revision: int, *, undecided: bool = True) -> Succession:
    """The succession, locked, as the person saw it (ConflictError otherwise); with
    `undecided`, refused once a State is designated (nothing more to consult on)."""
    locked = Succession.objects.select_for_update().select_related("meeting").get(pk=succession.pk)
    if locked.revision != revision:
        raise ConflictError("the succession was changed meanwhile: look at it again")
    if undecided and Presidency.objects.filter(meeting=locked.meeting).exists():
        raise Refused(_("A State is already designated: the consultations are over."))
    locked.revision += 1
    locked.save(update_fields=["revision"])
    return locked


@transaction.atomic
def add_volunteer(
    succession: Succession, *, state: State, offered_on: Any, letter: Any, revision: int, by: Any
) -> Volunteer:
    """A State offers to take the Presidency (its letter: PDF or Word). One offer per State."""
    check_may_preside(state, offered_on)
    locked = _lock(succession, revision)
    if locked.volunteers.filter(state=state).exists():
        raise Refused(_("%(state)s has already offered.") % {"state": state.name})
    _check_file(letter)
    volunteer = Volunteer(succession=locked, state=state, offered_on=offered_on)
    if letter:
        volunteer.letter.save(f"{locked.meeting.code}-{state.iso3}-{letter.name}", letter,
                              save=False)  # fmt: skip
    volunteer.save()
    audit.record(
        "succession.volunteer",
        by=by,
        obj=locked,
        summary=f"{locked.meeting.code}: {state.iso3} offered on {offered_on}",
    )
    return volunteer


@transaction.atomic
def withdraw_volunteer(volunteer: Volunteer, *, on: Any, revision: int, by: Any) -> Volunteer:
    locked = _lock(volunteer.succession, revision)
    volunteer = locked.volunteers.get(pk=volunteer.pk)
    if volunteer.withdrawn_on is not None:
        raise Refused(_("This offer was already withdrawn."))
    volunteer.withdrawn_on = on
    volunteer.save(update_fields=["withdrawn_on"])
    audit.record(
        "succession.withdrawn",
        by=by,
        obj=locked,
        summary=f"{locked.meeting.code}: {volunteer.state_id} withdrew on {on}",
    )
    return volunteer


@transaction.atomic
def record_consultation(
    succession: Succession, *, held_on: Any, summary: str, revision: int, by: Any
) -> Consultation:
    locked = _lock(succession, revision)
    if held_on < locked.opens_on:
        raise Refused(_("A consultation is held once the consultations are open."))
    done = Consultation.objects.create(succession=locked, held_on=held_on,
                                       summary=summary.strip())  # fmt: skip
    audit.record("succession.consultation", by=by, obj=locked,
                 summary=f"{locked.meeting.code}: consultation on {held_on}")  # fmt: skip
    return done


def designating(meeting: Meeting) -> list[Meeting]:
    """The Meetings that may designate who presides over `meeting`: formal Meetings that have
    met (or are meeting) and come before it."""
    today = timezone.localdate()
    found = Meeting.objects.filter(
        kind__in=rules.PRESIDED_KINDS, cancelled=False, start_date__lte=today
    ).exclude(pk=meeting.pk)
    if meeting.start_date:
        found = found.filter(start_date__lt=meeting.start_date)
    return list(found.order_by("-start_date"))


@transaction.atomic
def designate(
    succession: Succession, *, state: State, by_meeting: Meeting, president: str = "",
    revision: int, by: Any,
) -> Presidency:  # fmt: skip
    """The State designated by a Meeting to preside over the coming one: its Presidency (the
    President-designate) is recorded, with the designating Meeting as its source."""
    locked = _lock(succession, revision)
    meeting = locked.meeting
    if by_meeting not in designating(meeting):
        raise Refused(_("A State is designated by an earlier Meeting of States Parties or "
                        "Review Conference that has met."))  # fmt: skip
    check_may_preside(state, designation_day(by_meeting))
    presidency = Presidency.objects.create(
        meeting=meeting, state=state, president=president.strip(), designated_by=by_meeting,
        source=f"Designated by the {by_meeting.code}; {RECORDED}",
    )  # fmt: skip
    audit.record(
        "succession.designated",
        by=by,
        obj=locked,
        summary=f"{meeting.code}: {state.iso3} designated by the {by_meeting.code}",
    )
    return presidency


# The Coordination Committee ---------------------------------------------------------------


@transaction.atomic
def add_theme(
    presidency: Presidency, *, theme: str, theme_fr: str = "", theme_es: str = "",
    coordinators: list[State], by: Any,
) -> Coordination:  # fmt: skip
    theme = theme.strip()
    if not theme:
        raise Refused(_("A theme has a name."))
    Presidency.objects.select_for_update().get(pk=presidency.pk)  # one addition at a time
    if presidency.coordination.filter(theme__iexact=theme).exists():
        raise Refused(_("The theme %(theme)s is already in this year's Committee.")
                      % {"theme": theme})  # fmt: skip
    position = presidency.coordination.count() + 1
    made = Coordination.objects.create(presidency=presidency, theme=theme,
                                       theme_fr=theme_fr.strip(), theme_es=theme_es.strip(),
                                       position=position)  # fmt: skip
    made.coordinators.set(coordinators)
    audit.record(
        "coordination.theme_added",
        by=by,
        obj=made,
        summary=f"{presidency.meeting_id}: {theme} — "
        f"{', '.join(s.iso3 for s in coordinators) or 'no coordinator yet'}",
    )
    return made


def coordinators_seen(coordination: Coordination) -> str:
    """What a person saw of a theme's coordinators, to refuse a change made from an older copy."""
    return rules.digest(s.iso3 for s in coordination.coordinators.all())


@transaction.atomic
def set_coordinators(
    coordination: Coordination, *, coordinators: list[State], seen: str, by: Any
) -> None:
    """A theme's coordinator States, changed from what the person saw (ConflictError)."""
    locked = Coordination.objects.select_for_update().get(pk=coordination.pk)
    before = sorted(locked.coordinators.values_list("iso3", flat=True))
    if rules.digest(before) != seen:
        raise ConflictError("the coordinators were changed meanwhile")
    locked.coordinators.set(coordinators)
    after = sorted(s.iso3 for s in coordinators)
    audit.record("coordination.coordinators", by=by, obj=locked,
                 summary=f"{locked.theme}: {', '.join(after) or 'none'}",
                 before={"coordinators": before}, after={"coordinators": after})  # fmt: skip


@transaction.atomic
def copy_themes(presidency: Presidency, *, source: Presidency, by: Any) -> int:
    """Last year's themes (names only: the coordinators change every year) for a new year;
    themes it already has are kept."""
    Presidency.objects.select_for_update().get(pk=presidency.pk)
    have = {t.lower() for t in presidency.coordination.values_list("theme", flat=True)}
    position = presidency.coordination.count()
    added = 0
    for old in source.coordination.all():
        if old.theme.lower() in have:
            continue
        position += 1
        Coordination.objects.create(presidency=presidency, theme=old.theme,
                                    theme_fr=old.theme_fr, theme_es=old.theme_es,
                                    position=position)  # fmt: skip
        added += 1
    audit.record("coordination.themes_copied", by=by, obj=presidency,
                 summary=f"{added} themes from the {source.meeting_id} year")  # fmt: skip
    return added


@transaction.atomic
def add_coordination_meeting(
    presidency: Presidency, *, on: Any, city: str, venue: str, mode: str, by: Any
) -> Meeting:
    """A meeting of the Coordination Committee under a Presidency (code CC-YYYY-MM-DD), on a
    day of its term (after the Meeting before, up to its own)."""
    from ccm.meetings import selectors

    if mode not in Mode.values:
        raise ValueError(f"mode {mode!r} is unknown")
    term = selectors.term(presidency.meeting.code)
    since = term.since.end_date or term.since.start_date if term.since else None
    until = presidency.meeting.end_date or presidency.meeting.start_date
    if (since and on <= since) or (until and on > until):
        raise Refused(_("That day is outside this Presidency's term."))
    code = f"CC-{on.isoformat()}"
    if Meeting.objects.filter(code=code).exists():
        raise Refused(_("A coordination meeting on that day is already recorded."))
    meeting = Meeting.objects.create(
        code=code, kind=MeetingKind.COORDINATION, start_date=on, end_date=on, city=city.strip(),
        venue=venue.strip(), mode=mode, held_under=presidency, source=RECORDED,
    )  # fmt: skip
    audit.record("coordination.meeting_added", by=by, obj=meeting,
                 summary=f"{code} under the {presidency.meeting_id} Presidency")  # fmt: skip
    return meeting


def attendance_seen(meeting: Meeting) -> str:
    """What a person saw of a meeting's attendance, to refuse a change from an older copy."""
    return rules.digest(f"{a.state_id or a.organisation}:{a.presence}"
                        for a in meeting.attendance.all())  # fmt: skip


@transaction.atomic
def record_attendance(
    meeting: Meeting, *, present: list[State], apologies: list[State],
    organisations: list[str], seen: str, by: Any,
) -> int:  # fmt: skip
    """Who took part in a coordination meeting, replacing what was recorded before (from the
    copy the person saw: ConflictError otherwise): States present or with apologies, and
    organisations present (the ICRC, the CMC, UNODA, the ISU)."""
    if meeting.kind != MeetingKind.COORDINATION:
        raise ValueError("attendance is recorded for coordination meetings")
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if attendance_seen(locked) != seen:
        raise ConflictError("the attendance was changed meanwhile")
    both = {s.pk for s in present} & {s.pk for s in apologies}
    if both:
        raise Refused(_("Present and with apologies at once: %(names)s.")
                      % {"names": ", ".join(sorted(both))})  # fmt: skip
    names = list(dict.fromkeys(n.strip()[:100] for n in organisations if n.strip()))
    Attendance.objects.filter(meeting=locked).delete()
    rows = [Attendance(meeting=locked, state=s, presence=Presence.PRESENT) for s in present]
    rows += [Attendance(meeting=locked, state=s, presence=Presence.APOLOGIES) for s in apologies]
    rows += [Attendance(meeting=locked, organisation=n, presence=Presence.PRESENT) for n in names]
    Attendance.objects.bulk_create(rows)
    audit.record("coordination.attendance", by=by, obj=locked,
                 summary=f"{locked.code}: {len(present)} States present, {len(apologies)} "
                         f"apologies, {len(names)} organisations")  # fmt: skip
    return len(rows)


@transaction.atomic
def record_minutes(meeting: Meeting, *, summary: str, file: Any, revision: int, by: Any) -> Minutes:
    """The minutes of a coordination meeting: a summary and the file (PDF or Word); a change
    from an older copy is refused (ConflictError); a new file replaces the old one, which is
    removed once the change is committed."""
    if meeting.kind != MeetingKind.COORDINATION:
        raise ValueError("minutes are recorded for coordination meetings")
    if not summary.strip():
        raise Refused(_("The minutes have a summary."))
    _check_file(file)
    Meeting.objects.select_for_update().get(pk=meeting.pk)  # two first saves: one waits
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        if revision != 0:
            raise ConflictError("the minutes were deleted meanwhile")
        minutes = Minutes(meeting=meeting, summary=summary.strip())
    else:
        if minutes.revision != revision:
            raise ConflictError("the minutes were changed meanwhile: look at them again")
        minutes.summary = summary.strip()
        minutes.revision += 1
    old = minutes.file.name if minutes.file else ""
    if file:
        minutes.file.save(f"{meeting.code}-minutes.{file.name.rsplit('.', 1)[-1].lower()}", file,
                          save=False)  # fmt: skip
        if old and old != minutes.file.name:
            storage = minutes.file.storage
            transaction.on_commit(lambda: storage.delete(old))
    minutes.save()
    audit.record("coordination.minutes", by=by, obj=meeting,
                 summary=f"{meeting.code}: minutes (revision {minutes.revision})")  # fmt: skip
    return minutes


# Letters of the Presidency ---------------------------------------------------------------

LETTER_FIELDS = ("reference", "dated", "subject_en", "body_en", "subject_fr", "body_fr",
                 "subject_es", "body_es")  # fmt: skip


def _check_letter(values: dict[str, Any]) -> None:
    for language in ("en", "fr", "es"):
        subject, body = values.get(f"subject_{language}", ""), values.get(f"body_{language}", "")
        if bool(subject) != bool(body):
            raise Refused(_("A letter has both a subject and a text in a language, or neither."))
        unknown = rules.unknown_placeholders(subject + "\n" + body)
        if unknown:
            raise Refused(_("Unknown placeholders: %(names)s.") % {"names": ", ".join(unknown)})
    if not values.get("subject_en"):
        raise Refused(_("A letter is written in English at least."))


@transaction.atomic
def save_letter(
    presidency: Presidency, values: dict[str, Any], *, letter: Letter | None = None,
    revision: int = 0, by: Any,
) -> Letter:  # fmt: skip
    """A new letter, or a change to one from the copy the person saw (ConflictError)."""
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()
              if k in LETTER_FIELDS}  # fmt: skip
    _check_letter(values)
    if letter is None:
        made = Letter.objects.create(presidency=presidency, created_by=by, **values)
        audit.record("letter.created", by=by, obj=made, summary=made.subject_en)
        return made
    locked = Letter.objects.select_for_update().get(pk=letter.pk)
    if locked.revision != revision:
        raise ConflictError("the letter was changed meanwhile: look at it again")
    for key, value in values.items():
        setattr(locked, key, value)
    locked.revision += 1
    locked.save()
    audit.record("letter.changed", by=by, obj=locked, summary=locked.subject_en)
    return locked


@transaction.atomic
def update_presidency(
    presidency: Presidency, *, president: str, president_title: str, address: str,
    revision: int, national_logo: Any = None, by: Any,
) -> Presidency:  # fmt: skip
    """What the Presidency signs its letters with: the President, the title under the signature,
    the address, and its national logo (checked by content: an unsafe file is refused, never
    cleaned; False clears it). A change from an older copy is refused (ConflictError)."""
    from ccm.meetings.models import validate_logo

    locked = Presidency.objects.select_for_update().select_related("meeting").get(pk=presidency.pk)
    if locked.revision != revision:
        raise ConflictError("the Presidency was changed meanwhile: look at it again")
    fields = ["president", "president_title", "address", "national_logo", "revision"]
    before = {f: str(getattr(locked, f)) for f in fields[:4]}
    locked.president = president.strip()
    locked.president_title = president_title.strip()
    locked.address = address.strip()
    old = locked.national_logo.name if locked.national_logo else ""
    if national_logo:
        validate_logo(national_logo)
        extension = national_logo.name.rsplit(".", 1)[-1].lower()
        locked.national_logo.save(f"{locked.meeting.code}-national.{extension}",
                                  national_logo, save=False)  # fmt: skip
    elif national_logo is False:
        locked.national_logo = ""  # type: ignore[assignment]
    if old and old != (locked.national_logo.name if locked.national_logo else ""):
        storage = locked.national_logo.storage
        transaction.on_commit(lambda: storage.delete(old))
    locked.revision += 1
    locked.save(update_fields=fields)
    after = {f: str(getattr(locked, f)) for f in fields[:4]}
    audit.record("presidency.updated", by=by, obj=locked, before=before, after=after,
                 summary=f"{locked.meeting.code}: letterhead")  # fmt: skip
    return locked


# Meetings and their documents, recorded by the ISU (issue #26) ---------------------------

MEETING_FIELDS = ("kind", "name", "number", "start_date", "end_date", "city", "venue", "host",
                  "mode", "sponsor", "notes")  # fmt: skip
RESERVED_CODES = {"new"}  # /staff/meetings/new/ is the page that creates one


def _check_meeting(values: dict[str, Any], presidency_state: State | None) -> None:
    """What every meeting recorded here must be: a known kind and mode, closing on or after its
    opening day, and presided (if at all) by a State Party on its opening day (Art. 11)."""
    if values["kind"] not in MeetingKind.values or values["kind"] == MeetingKind.COORDINATION:
        raise Refused(_("Choose the kind of meeting from the list."))
    if values["mode"] not in Mode.values:
        raise Refused(_("Choose the mode from the list."))
    start, end = values.get("start_date"), values.get("end_date")
    if end and not start:
        raise Refused(_("A meeting with a closing day has an opening day."))
    if start and end and end < start:
        raise Refused(_("The meeting closes before it opens."))
    if presidency_state is not None:
        if values["kind"] not in rules.PRESIDED_KINDS:
            raise Refused(_("A Presidency presides over a Meeting of States Parties or a Review "
                            "Conference."))  # fmt: skip
        check_may_preside(presidency_state, start)


def _set_deadlines(meeting: Meeting, deadlines: dict[str, Any]) -> list[str]:
    """The meeting's deadlines by kind: a date sets it, None removes it. What changed."""
    changed = []
    for what in DeadlineKind.values:
        due = deadlines.get(what)
        found = next((d for d in meeting.deadlines.all() if d.what == what), None)
        if due is None and found is not None:
            found.delete()
            changed.append(f"{what} removed")
        elif due is not None and found is None:
            Deadline.objects.create(meeting=meeting, what=what, due_on=due, source=RECORDED)
            changed.append(f"{what} {due}")
        elif due is not None and found is not None and found.due_on != due:
            found.due_on = due
            found.save(update_fields=["due_on"])
            changed.append(f"{what} {due}")
    return changed


def _set_presidency(meeting: Meeting, state: State | None, president: str) -> str:
    """The meeting's Presidency: recorded, or its State or President changed. A Presidency on
    record is never removed here (its letters and logo hang on it): Refused."""
    current = Presidency.objects.filter(meeting=meeting).first()
    if state is None:
        if current is not None:
            raise Refused(_("The Presidency of this meeting is on record: it can be changed, "
                            "not removed here."))  # fmt: skip
        return ""
    if current is None:
        Presidency.objects.create(meeting=meeting, state=state, president=president.strip(),
                                  source=RECORDED)  # fmt: skip
        return f"Presidency {state.iso3}"
    if current.state_id == state.iso3 and current.president == president.strip():
        return ""
    current.state = state
    current.president = president.strip()
    current.revision += 1
    current.save(update_fields=["state", "president", "revision"])
    return f"Presidency {state.iso3}"


@transaction.atomic
def create_meeting(
    *, code: str, values: dict[str, Any], presidency_state: State | None = None,
    president: str = "", deadlines: dict[str, Any] | None = None, source: str = "", by: Any,
) -> Meeting:  # fmt: skip
    """A meeting recorded by the ISU (kind, title, dates, place, host, mode, sponsor), with its
    Presidency and deadlines. Refused: a code taken or malformed, a closing day before the
    opening day, a Presidency that is not a State Party on the opening day."""
    code = code.strip()
    if not re.fullmatch(r"[0-9A-Za-z-]{2,20}", code) or code.lower() in RESERVED_CODES:
        raise Refused(_("The code is 2 to 20 letters, digits or hyphens, e.g. 14MSP."))
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()
              if k in MEETING_FIELDS}  # fmt: skip
    _check_meeting(values, presidency_state)
    if Meeting.objects.filter(code__iexact=code).exists():
        raise Refused(_("The code %(code)s is already taken.") % {"code": code})
    meeting = Meeting.objects.create(code=code, source=source.strip() or RECORDED, **values)
    done = [_set_presidency(meeting, presidency_state, president)]
    done += _set_deadlines(meeting, deadlines or {})
    summary = f"{code}: {meeting.title}; " + "; ".join(x for x in done if x)
    audit.record("meeting.created", by=by, obj=meeting, summary=summary)
    return meeting


@transaction.atomic
def update_meeting(
    meeting: Meeting, *, values: dict[str, Any], presidency_state: State | None = None,
    president: str = "", deadlines: dict[str, Any] | None = None, revision: int, by: Any,
) -> Meeting:  # fmt: skip
    """A meeting's facts changed from the copy the person saw (ConflictError otherwise: nothing
    is overwritten); the same rules as a new one. Its code never changes (pages and documents
    name it)."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.revision != revision:
        raise ConflictError("the meeting was changed meanwhile: look at it again")
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()
              if k in MEETING_FIELDS}  # fmt: skip
    _check_meeting(values, presidency_state)
    before = {k: str(getattr(locked, k + "_id" if k == "host" else k)) for k in values}
    for key, value in values.items():
        setattr(locked, key, value)
    locked.revision += 1
    locked.save()
    done = [_set_presidency(locked, presidency_state, president)]
    done += _set_deadlines(locked, deadlines or {})
    after = {k: str(getattr(locked, k + "_id" if k == "host" else k)) for k in values}
    audit.record("meeting.changed", by=by, obj=locked, before=before, after=after,
                 summary=f"{locked.code} (revision {locked.revision}); "
                 + "; ".join(x for x in done if x))  # fmt: skip
    return locked


def _document_file(document: Document, language: str, upload: Any) -> DocumentFile:
    from ccm.core.languages import UN_LANGUAGES

    if language not in dict(UN_LANGUAGES):
        raise Refused(_("Choose one of the six languages of the United Nations."))
    _check_file(upload)
    if document.files.filter(language=language).exists():
        raise Refused(_("This document already has its file in this language."))
    made = DocumentFile(document=document, language=language)
    extension = upload.name.rsplit(".", 1)[-1].lower()
    name = f"{document.symbol.replace('/', '_')}-{language}.{extension}"
    made.file.save(name, upload, save=False)
    made.save()
    return made


@transaction.atomic
def add_document(
    meeting: Meeting, *, symbol: str, title: str, kind: str, issued_on: Any,
    files: dict[str, Any], by: Any,
) -> Document:  # fmt: skip
    """An official document of a meeting with its UN symbol (parsed: CCM/MSP/2017/1; unique),
    title, kind and date, and its file in each language given (PDF or Word, checked by content
    and size; one per language, at least one). Nothing is written when anything is refused."""
    from ccm.meetings.choices import DocumentKind

    try:
        parsed = str(rules.parse_symbol(symbol))
    except rules.SymbolError as exc:
        raise Refused(str(exc)) from None
    if kind not in DocumentKind.values:
        raise Refused(_("Choose the kind of document from the list."))
    if not title.strip():
        raise Refused(_("A document has a title."))
    given = {language: f for language, f in files.items() if f}
    if not given:
        raise Refused(_("Upload the document in at least one language."))
    Meeting.objects.select_for_update().get(pk=meeting.pk)  # two uploads of a symbol: one waits
    if Document.objects.filter(symbol__iexact=parsed).exists():
        raise Refused(_("The symbol %(symbol)s is already recorded.") % {"symbol": parsed})
    document = Document.objects.create(meeting=meeting, symbol=parsed, title=title.strip()[:300],
                                       kind=kind, issued_on=issued_on, created_by=by)  # fmt: skip
    for language, upload in sorted(given.items()):
        _document_file(document, language, upload)
    audit.record("document.added", by=by, obj=document,
                 summary=f"{meeting.code}: {parsed} ({', '.join(sorted(given))})")  # fmt: skip
    return document


@transaction.atomic
def add_document_file(document: Document, *, language: str, file: Any, by: Any) -> DocumentFile:
    """A document in one more language (refused where it has one in that language already)."""
    Document.objects.select_for_update().get(pk=document.pk)
    if not file:
        raise Refused(_("Choose the file to upload."))
    made = _document_file(document, language, file)
    audit.record("document.file_added", by=by, obj=document,
                 summary=f"{document.symbol}: {language}")  # fmt: skip
    return made
