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
        if len(errors) == before:
            part = re.search(r"-(\d+)$", code)
            out.append({
                "code": code, "kind": row["kind"], "number": number,
                "part": int(part.group(1)) if part else None,
                "start_date": start, "end_date": end, "city": row["city"],
                "host": states.get(row["country"]), "venue": row["venue"],
                "mode": rules.mode_of(row["venue"]), "notes": row["notes"],
                "source": row["source"], "president_state": states.get(row["president_state"]),
                "president": row["president_person"],
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
            "value": row["value"], "note": row["note"], "source": row["source"],
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
    if errors:
        raise RowsRefused(errors)
    done = MeetingsLoaded()
    by_code: dict[str, Meeting] = {}
    for values in meetings:
        values = dict(values)
        president_state, president = values.pop("president_state"), values.pop("president")
        meeting, created = Meeting.objects.get_or_create(code=values["code"], defaults=values)
        by_code[meeting.code] = meeting
        done.meetings += created
        done.unchanged += not created
        if president_state is not None:
            _p, made = Presidency.objects.get_or_create(
                meeting=meeting,
                defaults={"state": president_state, "president": president,
                          "source": values["source"]},
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
    if done.meetings or done.presidencies or done.facts or done.deadlines:
        audit.record(
            "meetings.loaded",
            actor_label="ccm load_reference_data",
            summary=f"{done.meetings} meetings, {done.presidencies} Presidencies, "
            f"{done.facts} facts, {done.deadlines} deadlines; {done.unchanged} meetings unchanged",
        )
    return done


def load_reference() -> Loaded:
    """Meetings' part of `ccm load_reference_data` (registered in apps.py)."""
    done = load_meetings()
    return Loaded(
        f"meetings: {done.meetings} created, {done.unchanged} unchanged; "
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
