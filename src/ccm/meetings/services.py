"""State changes of meetings. Each is one function, atomic, audited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from ccm.core import audit
from ccm.core.reference import Loaded
from ccm.core.tables import RowError, RowsRefused, csv_rows, parse_date
from ccm.meetings import rules
from ccm.meetings.choices import ItemStatus, MeetingKind, Owner
from ccm.meetings.models import Meeting, MeetingFact, Presidency, WorkPlanItem
from ccm.registry.models import State

DATA_DIR = Path(__file__).resolve().parent / "data"
MEETINGS_CSV = DATA_DIR / "ccm_meetings.csv"
FACTS_CSV = DATA_DIR / "ccm_meeting_facts.csv"
MEETING_COLUMNS = [
    "code", "kind", "number", "start_date", "end_date", "city", "country", "venue",
    "president_state", "president_person", "notes", "source",
]  # fmt: skip
FACT_COLUMNS = ["meeting", "field", "value", "note", "source"]


@dataclass
class MeetingsLoaded:
    meetings: int = 0
    presidencies: int = 0
    facts: int = 0
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


@transaction.atomic
def load_meetings(meetings_csv: Path = MEETINGS_CSV, facts_csv: Path = FACTS_CSV) -> MeetingsLoaded:
    """Past and planned meetings, their Presidencies and the facts sources give about them;
    every row checked before anything is written (RowsRefused); loading twice changes nothing."""
    errors: list[RowError] = []
    meetings = _meetings(meetings_csv, errors)
    existing = set(Meeting.objects.values_list("code", flat=True))
    facts = _facts(facts_csv, {m["code"] for m in meetings} | existing, errors)
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
    if done.meetings or done.presidencies or done.facts:
        audit.record(
            "meetings.loaded",
            actor_label="ccm load_reference_data",
            summary=f"{done.meetings} meetings, {done.presidencies} Presidencies, "
            f"{done.facts} facts; {done.unchanged} meetings unchanged",
        )
    return done


def load_reference() -> Loaded:
    """Meetings' part of `ccm load_reference_data` (registered in apps.py)."""
    done = load_meetings()
    return Loaded(
        f"meetings: {done.meetings} created, {done.unchanged} unchanged; "
        f"{done.presidencies} Presidencies and {done.facts} facts created"
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
