"""State changes of the record of reports received. Each is one function, atomic, audited."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from ccm.core import audit, mail
from ccm.core.pdf import html_to_pdf
from ccm.core.reference import Loaded
from ccm.core.tables import RowError, RowsRefused
from ccm.registry.models import Contact, ContactRole, State
from ccm.registry.rules import Membership
from ccm.registry.selectors import memberships
from ccm.reports import checks, definition, imports, presentation, rules, workbooks
from ccm.reports.choices import Channel, Origin, QueryState, Relation, SubmissionKind
from ccm.reports.models import (
    Draft,
    FormDelegation,
    Query,
    QueryReply,
    Report,
    ReportVersion,
    Submission,
    describe,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
KNOWN_REPORTS_CSV = DATA_DIR / "ccm_reports_known.csv"
MONITOR_REPORTS_CSV = DATA_DIR / "ccm_reports_monitor.csv"
STATED_DUE_DATES_CSV = DATA_DIR / "stated_due_dates.csv"

AUDITED_FIELDS = [
    "state_id", "kind", "period", "relation", "received_on", "received_by", "channel",
    "languages", "un_link", "stated_due_date", "notes", "source", "file",
]  # fmt: skip


class ConflictError(Exception):
    """Someone else changed the record since it was read: the edit is refused, not merged."""


@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
    flagged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


DeadlineRule = Callable[[date | None, str, int | None], date | None]


def _no_rule(in_force: date | None, kind: str, period: int | None) -> date | None:
    return None


# The deadline the treaty gives a report (the State's entry into force, kind, year covered), to
# flag a source that states another. Compliance owns the deadline rules and provides it when the
# apps are ready: the record never imports the app built on it.
_deadline_rule: list[DeadlineRule] = [_no_rule]


def use_deadline_rule(rule: DeadlineRule) -> None:
    _deadline_rule[0] = rule


def rule_due_date(membership_eif: date | None, kind: str, period: int | None) -> date | None:
    """The deadline the rules give for a report, to compare with a source's figure."""
    return _deadline_rule[0](membership_eif, kind, period)


def _stated_due_dates(path: Path) -> dict[tuple[str, str, int | None], date]:
    """Deadlines stated by published sources, transcribed from the notes of the shipped table."""
    out = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            period = int(row["period"]) if row["period"] else None
            out[(row["iso3"], row["kind"], period)] = date.fromisoformat(row["stated_due_date"])
    return out


def recorded_keys() -> set[tuple[Any, ...]]:
    """The key (State, kind, period, dates) of every report recorded; one query."""
    return set(
        Submission.objects.values_list("state_id", "kind", "period", "received_on", "received_by")
    )


def validate_table(
    name: str,
    data: bytes,
    *,
    default_source: str = "",
    today: date | None = None,
    recorded: set[tuple[Any, ...]] | None = None,
    records: dict[str, Membership] | None = None,
) -> list[imports.ReportRow]:
    """Every row checked; raises ImportError_ listing every bad row, or returns them all.
    `recorded` and `records` may be given by a caller that has read them already."""
    errors: list[imports.RowError] = []
    table = imports.check_header(name, data, errors)
    if table is None:
        raise imports.ImportError_(errors)
    if recorded is None:
        recorded = recorded_keys()
    originals = {
        (s.state_id, s.kind, s.period): describe(s)
        for s in Submission.objects.filter(relation=Relation.ORIGINAL).order_by("-pk")
    }
    rows = imports.validate(
        name,
        table.rows,
        records if records is not None else memberships(),
        set(State.objects.values_list("iso3", flat=True)),
        today or timezone.localdate(),
        errors,
        default_source=default_source,
        recorded=recorded,
        recorded_originals=originals,
    )
    if errors:
        raise imports.ImportError_(errors)
    return rows


@transaction.atomic
def import_reports(
    name: str,
    data: bytes,
    *,
    by: AbstractBaseUser | None,
    origin: str = Origin.IMPORT,
    default_source: str = "",
    actor_label: str = "",
    stated_due_dates: dict[tuple[str, str, int | None], date] | None = None,
) -> ImportReport:
    """Import a register of reports received: all rows valid, or nothing written. Idempotent:
    a report already recorded (same State, kind, period and date) is left as it is."""
    records = memberships()
    existing = recorded_keys()
    rows = validate_table(
        name, data, default_source=default_source, recorded=existing, records=records
    )
    report = ImportReport()
    new = []
    for r in rows:
        stated = r.stated_due_date or (stated_due_dates or {}).get((r.iso3, r.kind, r.period))
        if r.key in existing:
            report.unchanged += 1
            continue
        m = records.get(r.iso3)
        computed = rule_due_date(m.entry_into_force if m else None, r.kind, r.period)
        if stated and computed and stated != computed:
            report.flagged.append(
                f"{r.iso3} {r.kind}{' ' + str(r.period) if r.period else ''}: source gives "
                f"deadline {stated}, the rules give {computed}"
            )
        if r.kind == SubmissionKind.ANNUAL and r.period is None:
            report.notes.append(
                f"{name}, line {r.line}: {r.iso3} annual report with no year covered: "
                "recorded, but it satisfies no particular year"
            )
        new.append(
            Submission(
                state_id=r.iso3,
                kind=r.kind,
                period=r.period,
                received_on=r.received_on,
                received_by=r.received_by,
                channel=r.channel,
                languages=r.languages,
                un_link=r.un_link,
                stated_due_date=stated,
                notes=r.notes,
                source=r.source,
                relation=r.relation,
                origin=origin,
                recorded_by=by,  # type: ignore[misc]
            )
        )
    for s in new:
        s.save()  # one by one, so that each gets its history row
    report.created = len(new)
    if new:
        audit.record(
            "reports.imported",
            by=by,
            actor_label=actor_label,
            summary=f"{name}: {report.created} created, {report.unchanged} already recorded",
            after={"flagged": report.flagged},
        )
    return report


def load_known_reports(*, actor_label: str = "ccm load_reference_data") -> ImportReport:
    """The few public facts of reports received (shared/data/ccm_reports_known.csv)."""
    return import_reports(
        KNOWN_REPORTS_CSV.name,
        KNOWN_REPORTS_CSV.read_bytes(),
        by=None,
        origin=Origin.REFERENCE,
        actor_label=actor_label,
        stated_due_dates=_stated_due_dates(STATED_DUE_DATES_CSV),
    )


def load_monitor_reports(
    path: Path = MONITOR_REPORTS_CSV, *, actor_label: str = "ccm load_reference_data"
) -> ImportReport:
    """More reports received, from the Cluster Munition Monitor's country profiles (issue #15).
    A report the record already holds from another source (the same State, kind and year) is
    not recorded twice: the row is left out and said so, the record keeping its own dates."""
    import csv
    import io

    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    keys = recorded_keys()
    held = {(s, k, p) for s, k, p, _on, _by in keys}
    kept, skipped, same = [], [], 0
    for row in rows:
        period = int(row["period"]) if (row.get("period") or "").strip().isdigit() else None
        key = (row.get("iso3"), row.get("kind"), period)
        on = date.fromisoformat(row["received_on"]) if row.get("received_on") else None
        by = date.fromisoformat(row["received_by"]) if row.get("received_by") else None
        if (*key, on, by) in keys:
            same += 1  # loaded before: unchanged
        elif key in held:
            skipped.append(
                f"{path.name}: {row['iso3']} {row['kind']} {period or ''} is already "
                f"recorded from another source; this one ({row['source']}) says "
                f"received {row['received_on'] or 'by ' + row['received_by']}"
            )
        else:
            kept.append(row)
    if not kept:
        return ImportReport(unchanged=same + len(skipped), notes=skipped)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept)
    report = import_reports(
        path.name,
        out.getvalue().encode(),
        by=None,
        origin=Origin.REFERENCE,
        actor_label=actor_label,
        stated_due_dates={},
    )
    report.unchanged += same + len(skipped)
    report.notes += skipped
    return report


def load_reference() -> Loaded:
    """The record's part of `ccm load_reference_data` (registered in apps.py): the shipped report
    templates are checked first (a broken definition stops the load), then the reports known."""
    errors = []
    for version in definition.shipped():
        try:
            definition.load(version)
        except definition.DefinitionError as exc:
            errors += [RowError(f"{version}.json", 1, line) for line in str(exc).splitlines()]
    if errors:
        raise RowsRefused(errors)
    known = load_known_reports()
    monitor = load_monitor_reports()
    return Loaded(
        f"reports received: {known.created + monitor.created} created, "
        f"{known.unchanged + monitor.unchanged} unchanged",
        known.flagged + monitor.flagged,
    )


def _audited_values(s: Submission) -> dict[str, Any]:
    return {
        f: str(getattr(s, f)) if getattr(s, f) not in (None, "") else None for f in AUDITED_FIELDS
    }


@transaction.atomic
def record_submission(*, by: AbstractBaseUser, **values: Any) -> Submission:
    """Staff record a report received; validated by the model, audited."""
    submission = Submission(**values, origin=Origin.STAFF, recorded_by=by)  # type: ignore[misc]
    submission.full_clean()
    submission.save()
    audit.record(
        "submission.recorded",
        by=by,
        obj=submission,
        summary=str(submission),
        after=_audited_values(submission),
    )
    return submission


@transaction.atomic
def correct_submission(
    submission: Submission, *, by: AbstractBaseUser, version: int, reason: str, **changes: Any
) -> Submission:
    """Staff correct a record. Refused if it changed since `version` was read; the reason and
    the before/after values are audited (never a silent correction)."""
    current = Submission.objects.select_for_update().get(pk=submission.pk)
    if current.version != version:
        raise ConflictError(
            f"{current} was changed by someone else since you opened it (version {version}, "
            f"now {current.version}); reload it and apply your change again."
        )
    if not reason.strip():
        raise ValueError("a correction needs its reason")
    before = _audited_values(current)
    for key, value in changes.items():
        setattr(current, key, value)
    current.full_clean()
    current.version += 1
    current._change_reason = reason  # type: ignore[attr-defined]  # kept by simple-history
    current.save()
    audit.record(
        "submission.corrected",
        by=by,
        obj=current,
        summary=f"{current}: {reason}",
        before=before,
        after=_audited_values(current),
    )
    return current


@transaction.atomic
def remove_demo() -> int:
    """Delete the generated demonstration reports (`ccm load_demo_reports --remove`)."""
    deleted, _ = Submission.objects.filter(origin=Origin.DEMO).delete()
    return deleted


@transaction.atomic
def record_demo(rows: list[dict[str, Any]], *, seed: int) -> int:
    """Replace the demonstration reports with `rows` (field values), labelled as such."""
    remove_demo()
    Submission.objects.bulk_create(  # demo rows: no history wanted
        [Submission(**row, origin=Origin.DEMO) for row in rows], batch_size=500
    )
    audit.record(
        "reports.demo_generated",
        actor_label="ccm load_demo_reports",
        summary=f"{len(rows)} demonstration reports (seed {seed})",
    )
    return len(rows)


class InvalidDocument(ValueError):
    """The document does not match its template's schema: (JSON path, reason) per problem."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p}: {r}" for p, r in problems))


@transaction.atomic
def import_report_document(
    document: Any,
    *,
    received_on: date,
    by: AbstractBaseUser | None,
    actor_label: str = "",
    today: date | None = None,
) -> ReportVersion:
    """Record a report document a State sent as a submitted version entered by the ISU on its
    behalf (issue #9). Checked against its template's schema first (InvalidDocument, nothing
    written); the rule checks come back as the version's warnings. A later document for the same
    State, kind and year is the next version. The record of reports received gains the matching
    entry in the same transaction, so the engine sees the report at once."""
    template_version = document.get("template") if isinstance(document, dict) else None
    if template_version not in definition.shipped():
        raise InvalidDocument([("$.template", f"{template_version!r} is not a known template")])
    template = definition.load(str(template_version))
    today = today or timezone.localdate()
    # The schema as of `today`: no report covers a year to come (5340 was published, issue #24).
    problems = definition.validate(template, document, last_year=today.year)
    if not problems and not State.objects.filter(iso3=document["state"]).exists():
        problems = [("$.state", f"{document['state']!r} is not a known State")]
    if problems:
        raise InvalidDocument(problems)
    iso3, kind, period = document["state"], document["kind"], document["period"]
    report = Report.objects.filter(state_id=iso3, kind=kind, period=period).first() or Report(
        state_id=iso3, kind=kind, period=period
    )
    years = earlier_report_years(report)
    problems = [
        (path, reason)
        for code, values in document["forms"].items()
        for path, reason in answer_problems(report, code, values, years, today)
    ]
    if problems:
        raise InvalidDocument(problems)
    membership = memberships().get(iso3)
    warnings = rules.document_warnings(
        kind,
        period,
        document["forms"],
        received_on,
        membership.deposit if membership else None,
        today,
        iso3,
    )
    report, _created = Report.objects.select_for_update().get_or_create(
        state_id=iso3, kind=kind, period=period, defaults={"template": template.version}
    )
    last = report.versions.order_by("-number").first()
    number = last.number + 1 if last else 1
    original = (
        Submission.objects.filter(state_id=iso3, kind=kind, period=period)
        .filter(relation=Relation.ORIGINAL)
        .order_by("pk")
        .first()
    )
    relation = Relation.ORIGINAL if original is None else Relation.AMENDMENT
    if number == 1 and original is not None:
        warnings.append(
            f"the record already held this report ({describe(original)}): this document is "
            "recorded beside it as an amendment"
        )
    forms = {}
    for code, values in document["forms"].items():
        stale = rules.stale_answers(values) if isinstance(values, dict) else []
        forms[code] = rules.without_stale_answers(values) if stale else values
        warnings += [
            f"forms.{code}.{name}: dropped, it answers only status {rules.STATUS_ANSWERS[name]!r}"
            f" and the form is answered {values['status']!r}"
            for name in stale
        ]  # said, never dropped in silence
    found = [f.as_record() for f in cross_year_findings(report, forms)]
    version = _record_version(
        report, forms, received_on=received_on, by=by, entered_by_isu=True,
        channel=Channel.VIA_ISU, origin=Origin.STAFF, warnings=warnings, relation=relation,
        checks=found,
        source=f"structured report, version {number}, entered by the ISU on the State's behalf",
    )  # fmt: skip
    _answer_open_queries(version, by)
    audit.record(
        "report.version_submitted",
        by=by,
        actor_label=actor_label,
        obj=version,
        summary=f"{report} version {number}, received {received_on}, entered by the ISU",
        after={"warnings": warnings, "checks": found},
    )
    return version


def report_document(version: ReportVersion) -> dict[str, Any]:
    """A version as a document: the forms exactly as they went in, with its number and date."""
    report = version.report
    return {
        "state": report.state_id,
        "kind": report.kind,
        "period": report.period,
        "template": report.template,
        "forms": version.forms,
        "version": version.number,
        "received_on": version.received_on.isoformat(),
    }


# ---------------------------------------------------------------------------------------------
# Online reports: drafts per form, submission (issue #9)
# ---------------------------------------------------------------------------------------------

# New reports are made with the latest template; a report keeps the template it was made with
# (its versions and drafts read and validate as they were): issue #25 added 2010r2.
CURRENT_TEMPLATE = "2010r2"


class NotReady(ValueError):
    """The report cannot be submitted yet: (JSON path, reason) per problem, every form's."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p}: {r}" for p, r in problems))


@transaction.atomic
def start_report(*, state: State, kind: str, period: int | None, by: AbstractBaseUser) -> Report:
    """The report a State prepares for an obligation (its initial report, or its annual report
    for `period`); the one already started or submitted is returned as it is."""
    if kind not in definition.KINDS or (kind == "initial") != (period is None):
        raise ValueError("an initial report has no year covered; an annual report has one")
    for problem in rules.period_problems(kind, period, timezone.localdate()):
        raise ValueError(rules.import_message(problem))  # the form says it first, in words
    report, created = Report.objects.get_or_create(
        state=state, kind=kind, period=period, defaults={"template": CURRENT_TEMPLATE}
    )
    if created:
        audit.record("report.started", by=by, obj=report, summary=str(report))
    return report


def earlier_report_years(report: Report) -> list[int]:
    """The years of the State's reports before this one in the record of reports received (its
    initial report, by the year it arrived; its annual reports for earlier years): what
    "unchanged since last report" may point to. An initial report has none before it."""
    if report.kind != SubmissionKind.ANNUAL or report.period is None:
        return []
    earlier = Submission.objects.filter(state_id=report.state_id).filter(
        Q(kind=SubmissionKind.INITIAL) | Q(kind=SubmissionKind.ANNUAL, period__lt=report.period)
    )
    years = set()
    for kind, period, received_on, received_by in earlier.values_list(
        "kind", "period", "received_on", "received_by"
    ):
        received = received_on or received_by
        year = period if kind == SubmissionKind.ANNUAL else (received.year if received else None)
        if year is not None:
            years.add(year)
    return sorted(years)


def answer_problems(
    report: Report,
    code: str,
    values: Any,
    years: list[int] | None = None,
    today: date | None = None,
) -> list[tuple[str, str]]:
    """What is wrong in a form's answer given the State's other reports (issue #24): an
    "unchanged" with no earlier report or year to point to; on the cover page, dates that
    cannot be (a period ending before it begins, a submission in the future: issue #25)."""
    if code == "cover":
        return [
            (f"$.forms.cover.{p.field}", rules.form_message(p))
            for p in rules.cover_problems(values, today or timezone.localdate())
        ]
    if not isinstance(values, dict) or values.get("status") != "unchanged":
        return []
    years = earlier_report_years(report) if years is None else years
    return [
        (f"$.forms.{code}.{p.field}", rules.form_message(p))
        for p in rules.unchanged_problems(values, years)
    ]


def new_cover(report: Report, today: date | None = None) -> dict[str, Any]:
    """The cover page a report starts with online: the calendar year it covers (issue #25) and
    today as the date of submission, both shown for the person to change."""
    values = rules.cover_defaults(report.kind, report.period)
    template = definition.load(report.template)
    if any(f.name == "submission_date" for f in template.form("cover").fields):
        values["submission_date"] = (today or timezone.localdate()).isoformat()
    return values


def form_warnings(code: str, values: Any) -> list[str]:
    """What one form's answer asks the person to explain, said where they answer it (the form
    page, the workbook's upload): today, a form "changed" with nothing in it (issue #25). The
    same finding comes back with the report's checks, to explain before submitting."""
    return [f.message() for f in checks.changed_empty({code: values})]


def form_problems(
    template: definition.Template, code: str, values: Any, report: Report | None = None
) -> list[tuple[str, str]]:
    """What is wrong in one form, as (JSON path, reason), in a person's words; with `report`,
    also what its answer contradicts in the State's other reports."""
    problems = definition.validate_form(template, code, values)
    return problems + (answer_problems(report, code, values) if report is not None else [])


@transaction.atomic
def save_form(
    report: Report, code: str, values: dict[str, Any], *, revision: int | None, by: AbstractBaseUser
) -> tuple[Draft, list[tuple[str, str]]]:
    """Save one form as a draft, complete or not, and say what is wrong in it. `revision` is
    the draft's revision the person started from (None for a form never saved): a save from an
    older copy is refused with ConflictError, never written over the newer one."""
    template = definition.load(report.template)
    if code not in {f.code for f in template.forms}:
        raise ValueError(f"{report.template} has no form {code!r}")
    draft = Draft.objects.select_for_update().filter(report=report, form=code).first()
    current = draft.revision if draft else None
    if current != revision:
        raise ConflictError(
            f"Form {code} was saved by someone else since you opened it (revision {revision}, "
            f"now {current}); your entries are kept on the page: compare and save again."
        )
    if draft is None:
        draft = Draft(report=report, form=code, revision=0)
    # Every way in (the form, the workbook) saves here: an answer the status no longer calls
    # for goes, so it is never published beside the new one (issue #24).
    values = rules.without_stale_answers(values)
    draft.values = values
    draft.revision += 1
    draft.carried_from = ""
    draft.updated_by = by  # type: ignore[assignment]
    draft.save()
    audit.record(
        "report.form_saved", by=by, obj=report,
        summary=f"{report} form {code}, revision {draft.revision}",
    )  # fmt: skip
    _colleague_saved(report, code, by)
    return draft, form_problems(template, code, values, report)


def previous_version(report: Report) -> ReportVersion | None:
    """The State's last submitted version before this report (its latest earlier report)."""
    return (
        ReportVersion.objects.select_related("report")
        .filter(report__state_id=report.state_id)
        .exclude(report=report)
        .order_by("-received_on", "-pk")
        .first()
    )


@transaction.atomic
def carry_forward(report: Report, code: str, *, by: AbstractBaseUser) -> Draft:
    """ "Unchanged since last report": the form takes the values the State last submitted,
    marked unchanged since that report's year, and remembers where they came from."""
    previous = previous_version(report)
    if previous is None or code not in previous.forms:
        raise ValueError("no earlier report holds this form")
    values = dict(previous.forms[code])
    if code == "cover" and previous.report.template != report.template:
        values = cover_in_template(values, report.template)
    since = previous.report.period or previous.received_on.year
    if code != "cover":
        values |= {"status": "unchanged", "unchanged_since": since}
        values = rules.without_stale_answers(values)  # last year's "not applicable" reason
    draft, _ = Draft.objects.select_for_update().get_or_create(
        report=report, form=code, defaults={"revision": 0}
    )
    draft.values = values
    draft.revision += 1
    draft.carried_from = f"{previous.report}, version {previous.number}"
    draft.updated_by = by  # type: ignore[assignment]
    draft.save()
    audit.record(
        "report.carried_forward", by=by, obj=report, summary=f"{code}: {draft.carried_from}"
    )
    _colleague_saved(report, code, by)
    return draft


OLD_CONTACT = {"contact_name": "name", "contact_organisation": "organisation",
               "contact_telephone": "telephone", "contact_email": "email"}  # fmt: skip


def cover_in_template(values: dict[str, Any], version: str) -> dict[str, Any]:
    """A cover page of template 2010 (one point of contact in four fields) in the shape of a
    template with a table of contacts (2010r2): the one contact becomes the table's first row.
    Other values the template has no field for are left out (the cover is shown to the person
    before it is submitted)."""
    form = definition.load(version).form("cover")
    names = {f.name for f in form.fields}
    out = {k: v for k, v in values.items() if k in names}
    if any(t.name == "contacts" for t in form.tables) and "contacts" not in values:
        contact = {new: values[old] for old, new in OLD_CONTACT.items() if values.get(old)}
        if contact:
            out["contacts"] = [contact]
    return out


@transaction.atomic
def start_amendment(report: Report, *, by: AbstractBaseUser) -> None:
    """An amendment starts from the last submitted version: its forms become the drafts."""
    last = report.versions.order_by("-number").first()
    if last is None:
        raise ValueError("nothing submitted yet: there is nothing to amend")
    report.drafts.all().delete()
    Draft.objects.bulk_create(
        [
            Draft(report=report, form=code, values=values, updated_by=by)  # type: ignore[misc]
            for code, values in last.forms.items()
        ]
    )
    audit.record("report.amendment_started", by=by, obj=report, summary=f"from {last}")


def draft_document(report: Report) -> dict[str, Any]:
    return {
        "state": report.state_id,
        "kind": report.kind,
        "period": report.period,
        "template": report.template,
        "forms": {d.form: d.values for d in report.drafts.order_by("form")},
    }


def baseline(report: Report) -> tuple[dict[str, Any] | None, int | None]:
    """The forms of the report a cross-year check compares with (issue #10) and the year they
    cover: the last version of the annual report for the year before; for a State's first
    annual report, its initial report (covering no calendar year: None). Nothing for an
    initial report, or when the report before was never submitted."""
    if report.kind != SubmissionKind.ANNUAL or report.period is None:
        return None, None
    earlier = (
        ReportVersion.objects.filter(report__state_id=report.state_id)
        .filter(
            Q(report__kind=SubmissionKind.ANNUAL, report__period=report.period - 1)
            | Q(report__kind=SubmissionKind.INITIAL)
        )
        .select_related("report")
        .order_by("report__kind", "-number")  # "annual" sorts before "initial"
    )
    first = earlier.first()
    if first is None:
        return None, None
    if first.report.kind == SubmissionKind.INITIAL and Report.objects.filter(
        state_id=report.state_id, kind=SubmissionKind.ANNUAL, period__lt=report.period,
        versions__isnull=False,
    ).exists():  # fmt: skip
        return None, None  # annual reports came between: the year before is missing
    return first.forms, first.report.period


def cross_year_findings(report: Report, forms: dict[str, Any]) -> list[checks.Finding]:
    """The checks to explain of `forms` (the drafts, or a document) for this report: against
    the report of the year before (issue #10), and on the report alone (a form "changed" with
    nothing in it, issue #25)."""
    own = checks.changed_empty(forms)
    previous, previous_year = baseline(report)
    if report.period is None:
        return own
    return checks.cross_year(previous, previous_year, forms, report.period) + own


def readiness(report: Report) -> list[tuple[str, str]]:
    """Everything that stops submission: every form answered, every value right."""
    template = definition.load(report.template)
    document = draft_document(report)
    from django.utils.translation import gettext as _

    problems = [
        (f"$.forms.{form.code}", _("not answered yet"))
        for form in template.forms
        if form.code not in document["forms"]
    ]
    years = earlier_report_years(report)
    for code, values in document["forms"].items():
        problems += answer_problems(report, code, values, years)
    return problems + definition.validate(template, document, plain=True)


class NotDeclared(ValueError):
    """A focal point submits online only with the declaration ticked on "check your answers"."""


def draft_state(report: Report) -> str:
    """What the person saw on "check your answers": every draft's revision and the last version
    number, as one token. A save or a submission since then changes it (the page is stale)."""
    drafts = sorted(report.drafts.values_list("form", "revision"))
    last = report.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return f"v{last};" + ",".join(f"{form}:{revision}" for form, revision in drafts)


def submit_report(
    report: Report,
    *,
    by: AbstractBaseUser,
    today: date | None = None,
    explanations: dict[str, str] | None = None,
    declared: bool | None = None,
    seen: str | None = None,
) -> ReportVersion:
    """Submission, one atomic step: the drafts become an immutable version (the next one: an
    amendment supersedes the last), the record of reports received gains its entry, and a
    receipt with the report as PDF, in the State's language, is queued for the State's focal
    points and sent after commit. NotReady lists what is missing or wrong; nothing changes.

    Online, from "check your answers" (issue #26): `declared` must be True (NotDeclared
    otherwise) and is recorded with the declarant's name and the time; `seen` is the
    `draft_state` the page showed, and a report changed since is refused (ConflictError).
    `declared=None` is for callers that are not a person declaring (tests, commands)."""
    if declared is False:
        raise NotDeclared("tick the declaration to submit")
    if seen is not None and seen != draft_state(report):
        raise ConflictError("the report changed since its answers were checked")
    problems = readiness(report)
    if problems:
        raise NotReady(problems)
    today = today or timezone.localdate()
    declaration: dict[str, Any] = {}
    if declared:
        name = (by.get_full_name() or "").strip() if hasattr(by, "get_full_name") else ""
        declaration = {
            "declared_by_name": (name or getattr(by, "email", "") or str(by))[:300],
            "declared_at": timezone.now(),
        }
    return _drafts_become_version(
        report, by=by, received_on=today, verb="report.submitted", explanations=explanations,
        describe_it=lambda number: f"submitted online, version {number}", seen=seen,
        entered_by_isu=False, channel=Channel.ONLINE, origin=Origin.ONLINE, warnings=[],
        **declaration,
    )  # fmt: skip


def record_received_report(
    report: Report,
    *,
    received_on: date,
    channel: str,
    file: Any,
    languages: list[str],
    by: AbstractBaseUser,
    today: date | None = None,
    explanations: dict[str, str] | None = None,
) -> ReportVersion:
    """ISU staff record a report a State sent by e-mail (issue #9): the forms they transcribed
    into the drafts become the next version, entered by the ISU on the State's behalf, received
    on the day the State's e-mail arrived, with the file it sent attached to the record's entry.
    Every form must be answered and valid (NotReady, nothing changes); the rule checks (dates,
    totals) come back as the version's warnings, as for `ccm import_report`. One atomic step,
    audited; the State's focal points get the receipt after commit."""
    if channel not in (Channel.EMAIL_UN, Channel.VIA_ISU):
        raise ValueError(f"a report received by e-mail comes by e-mail, not {channel!r}")
    if not file:
        raise ValueError("the file the State sent is attached to the record")
    for validator in Submission._meta.get_field("file").validators:
        validator(file)  # ValidationError: PDF or Word, by content, within the size limit
    today = today or timezone.localdate()
    if received_on > today:
        raise ValueError("a report is not received in the future")
    problems = readiness(report)
    if problems:
        raise NotReady(problems)
    membership = memberships().get(report.state_id)
    warnings = rules.document_warnings(
        report.kind,
        report.period,
        draft_document(report)["forms"],
        received_on,
        membership.deposit if membership else None,
        today,
        report.state_id,
    )
    return _drafts_become_version(
        report, by=by, received_on=received_on, verb="report.version_submitted",
        describe_it=lambda number: f"structured report, version {number}, entered by the ISU "
        "on the State's behalf from the file it sent",
        entered_by_isu=True, channel=channel, origin=Origin.STAFF, warnings=warnings,
        file=file, languages=",".join(sorted(set(languages))), explanations=explanations,
    )  # fmt: skip


def _drafts_become_version(
    report: Report,
    *,
    by: AbstractBaseUser,
    received_on: date,
    verb: str,
    describe_it: Callable[[int], str],
    explanations: dict[str, str] | None = None,
    seen: str | None = None,
    **recorded: Any,
) -> ReportVersion:
    """The drafts of a ready report become its next version and the record's entry, in one
    transaction; the receipt (rendered before: its PDF takes a second) is queued for the
    State's focal points and sent after commit. A version submitted meanwhile: ConflictError.
    `seen`: the `draft_state` the person checked, compared again under the lock."""
    seen_revisions = dict(report.drafts.values_list("form", "revision"))
    document = draft_document(report)
    explanations = explanations or {}
    found = [
        f.as_record(explanations.get(f.id, "").strip()[:2000])
        for f in cross_year_findings(report, document["forms"])
    ]
    last = report.versions.order_by("-number").first()
    number = last.number + 1 if last else 1
    receipt = _receipt(report, number, document["forms"], received_on)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        latest = locked.versions.order_by("-number").first()
        if (latest.number if latest else 0) != number - 1:
            raise ConflictError("another version was submitted meanwhile: reload the report")
        now = dict(locked.drafts.select_for_update().values_list("form", "revision"))
        if now != seen_revisions:  # a form saved while the receipt was made: never lose it
            raise ConflictError("a form was saved meanwhile: look at the report again")
        if seen is not None and seen != draft_state(locked):
            raise ConflictError("the report changed since its answers were checked")
        source = describe_it(number)
        version = _record_version(
            locked, document["forms"], received_on=received_on, by=by, source=source,
            checks=found, **recorded,
        )  # fmt: skip
        locked.drafts.all().delete()
        # The colleagues' links end with the drafts they were for: an amendment asks anew.
        locked.delegations.filter(revoked_at=None).update(revoked_at=timezone.now())
        _answer_open_queries(version, by)
        to = _focal_point_addresses(locked.state_id)
        if to:
            subject, body, attachments = receipt
            mail.queue_email(
                subject, body, to, attachments=attachments, purpose=f"receipt {version}"
            )
        file = version.record.file.name
        audit.record(
            verb,
            by=by,
            obj=version,
            summary=f"{locked} version {number}, received {received_on}: {source}"
            + (f" ({file})" if file else ""),
            after={
                "warnings": version.warnings,
                "checks": found,
                "declared_by": version.declared_by_name,
                "declared_at": version.declared_at.isoformat() if version.declared_at else "",
                "receipt": receipt_number(version),
                "receipt_to": to,
            },
        )
    mail.deliver_pending()
    return version


def _focal_point_addresses(iso3: str) -> list[str]:
    return sorted(
        Contact.objects.filter(state_id=iso3, role=ContactRole.NATIONAL_FOCAL_POINT, active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def receipt_number(version: ReportVersion) -> str:
    report = version.report
    year = f"-{report.period}" if report.period else ""
    return f"CCM-A7-{report.state_id}-{report.kind}{year}-v{version.number}"


def _receipt(
    report: Report, number: int, forms: dict[str, Any], today: date
) -> tuple[str, str, list[tuple[str, bytes, str]]]:
    """Subject, body and the report as PDF, in the State's working language."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    version = ReportVersion(report=report, number=number, forms=forms, received_on=today)
    language = report.state.language if report.state.language in ("en", "fr", "es") else "en"
    with translation.override(language):
        subject = _("Receipt %(number)s: Article 7 report of %(state)s") % {
            "number": receipt_number(version),
            "state": report.state.name,
        }
        body = _(
            "Your report (%(report)s, version %(version)d) was received on %(day)s. "
            "It is now public, as the United Nations publishes every report it receives."
        ) % {"report": str(report), "version": number, "day": today.isoformat()}
        html = render_to_string(
            "reports/report_print.html",
            {"version": version, "report": report, "forms": presentation.forms_of(version)},
        )
    pdf = (f"{receipt_number(version)}.pdf", html_to_pdf(html), "application/pdf")
    return subject, body, [pdf]


def _record_version(
    report: Report,
    forms: dict[str, Any],
    *,
    received_on: date,
    by: AbstractBaseUser | None,
    entered_by_isu: bool,
    channel: str,
    origin: str,
    warnings: list[str],
    source: str,
    relation: str | None = None,
    file: Any = None,
    languages: str = "",
    checks: list[dict[str, Any]] | None = None,
    declared_by_name: str = "",
    declared_at: Any = None,
) -> ReportVersion:
    """The next version of `report` and its entry in the record of reports received (the
    original for the first version, an amendment after), in the caller's transaction."""
    last = report.versions.order_by("-number").first()
    number = last.number + 1 if last else 1
    if relation is None:
        has_original = Submission.objects.filter(
            state_id=report.state_id, kind=report.kind, period=report.period,
            relation=Relation.ORIGINAL,
        ).exists()  # fmt: skip
        relation = Relation.AMENDMENT if has_original else Relation.ORIGINAL
    record = Submission(
        state_id=report.state_id,
        kind=report.kind,
        period=report.period,
        received_on=received_on,
        relation=relation,
        channel=channel,
        source=source,
        origin=origin,
        languages=languages,
        recorded_by=by,  # type: ignore[misc]
    )
    if file:
        record.file = file
    record.save()
    return ReportVersion.objects.create(
        report=report,
        number=number,
        forms=forms,
        received_on=received_on,
        entered_by_isu=entered_by_isu,
        submitted_by=by,  # type: ignore[misc]
        warnings=warnings,
        checks=checks or [],
        record=record,
        declared_by_name=declared_by_name,
        declared_at=declared_at,
    )


# ---------------------------------------------------------------------------------------------
# Offline workbooks (issue #10)
# ---------------------------------------------------------------------------------------------


def workbook_of(report: Report, language: str) -> bytes:
    """The report's workbook in `language`, pre-filled with its drafts, or with its last
    submitted version where nothing is in draft."""
    drafts = list(report.drafts.all())
    forms = {d.form: d.values for d in drafts}
    if not forms:
        last = report.versions.order_by("-number").first()
        forms = last.forms if last else {}
    if "cover" not in forms:  # the calendar year by default, shown (issue #25)
        forms = {**forms, "cover": rules.cover_defaults(report.kind, report.period)}
    last_version = report.versions.order_by("-number").values_list("number", flat=True).first()
    identity = workbooks.Identity(
        report.state_id, report.kind, report.period, report.template, language,
        revisions=tuple(sorted((d.form, d.revision) for d in drafts)),
        version=last_version or 0,
    )  # fmt: skip
    return workbooks.build(
        definition.load(report.template), identity, forms, title=f"{report.state.name}: {report}"
    )


@transaction.atomic
def import_workbook(
    report: Report, data: bytes, *, by: AbstractBaseUser
) -> tuple[list[str], list[str]]:
    """A filled workbook back into the report's drafts, every form it holds at once, or none:
    WorkbookRefused lists every problem by sheet and cell, and a workbook of another State,
    report or template is refused. Returns the forms saved and the forms left out (empty)."""
    from django.utils.translation import gettext as _

    read = workbooks.read(data)
    i = read.identity
    if (i.state, i.kind, i.period, i.template) != (
        report.state_id, report.kind, report.period, report.template
    ):  # fmt: skip
        year = f" {i.period}" if i.period else ""
        raise workbooks.WorkbookRefused([
            _("This workbook is of another report (%(other)s, template %(template)s): download "
              "the workbook of this one.") % {"other": f"{i.state} {i.kind}{year}",
                                              "template": i.template},
        ])  # fmt: skip
    latest = report.versions.order_by("-number").values_list("number", flat=True).first() or 0
    if latest > i.version:
        raise workbooks.WorkbookRefused([
            _("The report was submitted (version %(n)d) since this workbook was downloaded: "
              "nothing was saved. Download it again.") % {"n": latest}
        ])  # fmt: skip
    drafts = {d.form: d for d in Draft.objects.select_for_update().filter(report=report)}
    seen = dict(i.revisions)
    changed_since = [
        code
        for code, values in read.forms.items()
        if code in drafts
        and drafts[code].revision != seen.get(code)
        and drafts[code].values != values
    ]
    if changed_since:
        raise workbooks.WorkbookRefused([
            _("%(sheet)s: saved by someone else since this workbook was downloaded; nothing was "
              "saved. Download it again, or copy your entries into the form online.")
            % {"sheet": "Cover" if code == "cover" else f"Form {code}"}
            for code in changed_since
        ])  # fmt: skip
    for code, values in read.forms.items():
        current = drafts.get(code)
        save_form(report, code, values, revision=current.revision if current else None, by=by)
    audit.record(
        "report.workbook_imported",
        by=by,
        obj=report,
        summary=f"{report}: forms {', '.join(read.forms)} saved from a workbook",
        after={"forms": sorted(read.forms), "left_out": read.left_out},
    )
    return sorted(read.forms), read.left_out


# ---------------------------------------------------------------------------------------------
# The ISU's review: queries on submitted versions (issue #10)
# ---------------------------------------------------------------------------------------------


def _notify_focal_points(iso3: str, subject: str, body: str, purpose: str) -> list[str]:
    to = _focal_point_addresses(iso3)
    if to:
        mail.queue_email(subject, body, to, purpose=purpose)
    return to


def raise_query(
    version: ReportVersion, *, form: str, about: str, text: str, by: AbstractBaseUser
) -> Query:
    """ISU staff ask the State about one form (or one of its values) of a submitted version;
    its focal points are told by e-mail after commit."""
    template = definition.load(version.report.template)
    if form not in {f.code for f in template.forms}:
        raise ValueError(f"template {template.version} has no form {form!r}")
    text, about = text.strip(), about.strip()
    if not text:
        raise ValueError("a query says what it asks")
    with transaction.atomic():
        query = Query.objects.create(
            version=version,
            form=form,
            about=about[:200],
            text=text[:4000],
            raised_by=by,  # type: ignore[misc]
        )
        report = version.report
        subject, body = _query_message(report, version.number, form, about, text)
        to = _notify_focal_points(report.state_id, subject, body, purpose=f"query {query.pk}")
        audit.record("query.raised", by=by, obj=query, summary=f"{version} {form}: {text[:80]}",
                     after={"to": to})  # fmt: skip
    mail.deliver_pending()
    return query


def _query_message(
    report: Report, number: int, form: str, about: str, text: str
) -> tuple[str, str]:
    """The e-mail telling the focal points of a query, in the State's working language."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    language = report.state.language if report.state.language in ("en", "fr", "es") else "en"
    with translation.override(language):
        subject = _("ISU query on your Article 7 report (%(report)s, version %(n)d)") % {
            "report": str(report), "n": number,
        }  # fmt: skip
        where = _("Form %(code)s") % {"code": form} + (f": {about}" if about else "")
        ending = _("Answer it from the report's page: reply, or amend the report.")
    return subject, f"{where}\n\n{text}\n\n{ending}"


@transaction.atomic
def reply_to_query(query: Query, *, text: str, by: AbstractBaseUser) -> QueryReply:
    """A reply from the State's focal point (the query is answered) or from staff."""
    from ccm.accounts import roles

    text = text.strip()
    if not text:
        raise ValueError("a reply says something")
    query = Query.objects.select_for_update().get(pk=query.pk)  # a close racing this reply
    if query.state == QueryState.CLOSED:
        raise ValueError("the query is closed")
    reply = QueryReply.objects.create(query=query, text=text[:4000], by=by)  # type: ignore[misc]
    if not roles.is_isu_staff(by) and query.state == QueryState.OPEN:
        query.state = QueryState.ANSWERED
        query.save(update_fields=["state"])
    audit.record("query.replied", by=by, obj=query, summary=text[:80])
    return reply


@transaction.atomic
def close_query(query: Query, *, by: AbstractBaseUser, reopen: bool = False) -> Query:
    """Staff close a query once answered to their satisfaction (or reopen it)."""
    query = Query.objects.select_for_update().get(pk=query.pk)
    query.state = QueryState.OPEN if reopen else QueryState.CLOSED
    query.closed_at = None if reopen else timezone.now()
    if reopen:
        query.answered_by = None  # open again: no longer answered by that amendment
    query.save(update_fields=["state", "closed_at", "answered_by"])
    audit.record("query.reopened" if reopen else "query.closed", by=by, obj=query,
                 summary=str(query))  # fmt: skip
    return query


def _answer_open_queries(version: ReportVersion, by: AbstractBaseUser | None) -> int:
    """A new version (an amendment) answers the open queries on the versions before it."""
    open_queries = Query.objects.filter(
        version__report=version.report, version__number__lt=version.number, state=QueryState.OPEN
    )
    ids = list(open_queries.values_list("pk", flat=True))
    if ids:
        Query.objects.filter(pk__in=ids).update(state=QueryState.ANSWERED, answered_by=version)
        audit.record(
            "query.answered_by_amendment",
            by=by,
            obj=version,
            summary=f"{len(ids)} queries answered by {version}",
            after={"queries": ids},
        )
    return len(ids)


# ---------------------------------------------------------------------------------------------
# A colleague fills one form (issue #10)
# ---------------------------------------------------------------------------------------------

DELEGATION_DAYS = 14
DELEGATION_SALT = "ccm.reports.delegation"


class DelegationRefused(ValueError):
    """A delegation link that cannot be used: `reason` says why, for a person."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def delegation_token(delegation: FormDelegation) -> str:
    from django.core import signing

    return signing.dumps(
        {"d": delegation.pk, "e": delegation.email}, salt=DELEGATION_SALT, compress=True
    )


def delegate_form(
    report: Report, *, form: str, email: str, by: AbstractBaseUser, days: int = DELEGATION_DAYS
) -> FormDelegation:
    """A focal point asks a colleague to fill one form: a personal link, bound to the address,
    expiring in `days`, e-mailed with the link to set a password when the address has no
    account yet. Audited; the e-mail goes after commit."""
    from datetime import timedelta
    from urllib.parse import urlencode

    from django.core.validators import validate_email
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext as _

    from ccm.accounts import services as accounts

    template = definition.load(report.template)
    titles = {f.code: f.title for f in template.forms}
    if form not in titles:
        raise ValueError(f"template {template.version} has no form {form!r}")
    if report.versions.exists() and not report.drafts.exists():
        raise ValueError("the report is submitted: amend it before asking a colleague")
    email = email.strip().lower()
    validate_email(email)  # ValidationError
    language = report.state.language if report.state.language in ("en", "fr", "es") else "en"
    with transaction.atomic():
        with translation.override(language):  # the links open in the e-mail's language (#26)
            _user, password_link = accounts.colleague_account(email, by=by)
        delegation = FormDelegation.objects.create(
            report=report, form=form, email=email, invited_by=by,  # type: ignore[misc]
            expires_at=timezone.now() + timedelta(days=days),
        )  # fmt: skip
        base = settings.CCM_BASE_URL.rstrip("/")
        with translation.override(language):
            path = reverse("workspace:delegation", args=[delegation_token(delegation)])
        link = base + path
        if password_link:  # once the password is chosen, and two-factor set up: the form (#26)
            password_link += "?" + urlencode({"next": path})
        with translation.override(language):
            subject = _("Please fill in a form of the Article 7 report of %(state)s") % {
                "state": report.state.name
            }
            lines = [
                _("%(who)s asks you to fill in %(form)s of the Article 7 report of %(state)s "
                  "(%(report)s).") % {"who": getattr(by, "email", ""), "state": report.state.name,
                                      "form": f"{form}: {titles[form][language]}",
                                      "report": str(report)},
            ]  # fmt: skip
            if password_link:
                lines.append(_("First, choose a password (once), then set up an authenticator "
                               "app when asked:") + f"\n{password_link}")  # fmt: skip
            lines.append(
                _("Then open the form with this personal link (valid %(days)d days, for your "
                  "address only):") % {"days": days} + f"\n{link}"
            )  # fmt: skip
        mail.queue_email(
            subject, "\n\n".join(lines), [email], purpose=f"delegation {delegation.pk}"
        )
        audit.record(
            "delegation.created", by=by, obj=delegation,
            summary=f"{report} form {form} delegated to {email} for {days} days",
        )  # fmt: skip
    mail.deliver_pending()
    return delegation


@transaction.atomic
def accept_delegation(token: str, *, user: AbstractBaseUser) -> FormDelegation:
    """The colleague opens their link, signed in: it must be genuine, unexpired, unrevoked,
    for their own (verified) address, and not taken by another account (DelegationRefused)."""
    from allauth.account.models import EmailAddress
    from django.core import signing
    from django.utils.translation import gettext as _

    invalid = _("This link is not valid: copy the whole link from the e-mail.")
    try:
        data = signing.loads(token, salt=DELEGATION_SALT)
    except signing.BadSignature:
        raise DelegationRefused(invalid) from None
    pk = data.get("d") if isinstance(data, dict) else None
    delegation = (
        FormDelegation.objects.select_for_update().filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if delegation is None or delegation.email != data.get("e"):
        raise DelegationRefused(invalid)
    if delegation.revoked_at is not None:
        raise DelegationRefused(_("This request was withdrawn by the State's focal point."))
    if not delegation.usable():
        raise DelegationRefused(_("This link has expired: ask the focal point for a new one."))
    own = EmailAddress.objects.filter(
        user_id=user.pk, email__iexact=delegation.email, verified=True
    ).exists() or (
        getattr(user, "email", "").lower() == delegation.email and user.has_usable_password()
    )
    if not own:
        raise DelegationRefused(
            _("This link was sent to %(email)s: sign in with that address's account.")
            % {"email": delegation.email}
        )
    if delegation.accepted_by_id not in (None, user.pk):
        raise DelegationRefused(_("This link was already used by another account."))
    if delegation.accepted_by_id is None:
        delegation.accepted_by = user  # type: ignore[assignment]
        delegation.accepted_at = timezone.now()
        delegation.save(update_fields=["accepted_by", "accepted_at"])
        audit.record("delegation.accepted", by=user, obj=delegation, summary=str(delegation))
    return delegation


@transaction.atomic
def revoke_delegation(delegation: FormDelegation, *, by: AbstractBaseUser) -> None:
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        audit.record("delegation.revoked", by=by, obj=delegation, summary=str(delegation))


def _colleague_saved(report: Report, code: str, by: AbstractBaseUser) -> None:
    """A colleague's save of the form they were given shows on the report page (issue #26)."""
    FormDelegation.objects.filter(
        report=report, form=code, accepted_by_id=by.pk, revoked_at=None
    ).update(saved_at=timezone.now())


class FinishRefused(ValueError):
    """The colleague cannot say they finished: `reason` says why, for a person."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def finish_delegation(delegation: FormDelegation, *, by: AbstractBaseUser) -> FormDelegation:
    """The colleague says they have finished the form they were given (issue #26): recorded
    once (saying it again changes nothing and sends nothing), audited, and the focal point who
    asked is told by e-mail, in their own working language, after commit. Refused when the
    request was withdrawn or has expired, when the report was submitted meanwhile, and for
    anyone but the colleague who opened the link."""
    from django.utils.translation import gettext as _

    with transaction.atomic():
        locked = (
            FormDelegation.objects.select_for_update(of=("self",))
            .select_related("report__state", "invited_by")
            .get(pk=delegation.pk)
        )
        if locked.accepted_by_id is None or locked.accepted_by_id != by.pk:
            raise PermissionError("only the colleague who opened the link finishes it")
        if locked.finished_at is not None:
            return locked  # said already: nothing new, no second e-mail
        report = locked.report
        if report.versions.exists() and not report.drafts.exists():
            raise FinishRefused(_("The report was submitted meanwhile: there is nothing left "
                                  "to finish."))  # fmt: skip
        if locked.revoked_at is not None:
            raise FinishRefused(_("This request was withdrawn by the State's focal point."))
        if not locked.usable():
            raise FinishRefused(_("This link has expired: ask the focal point for a new one."))
        locked.finished_at = timezone.now()
        locked.save(update_fields=["finished_at"])
        to, subject, body = _finished_message(locked)
        if to:
            mail.queue_email(subject, body, to, purpose=f"delegation {locked.pk} finished")
        audit.record(
            "delegation.finished", by=by, obj=locked, summary=str(locked), after={"to": to}
        )
    mail.deliver_pending()
    return locked


def _finished_message(delegation: FormDelegation) -> tuple[list[str], str, str]:
    """To the focal point who asked, in their working language (their contact record for the
    State, else the State's); when nobody can be named (the request came from the ISU, or the
    account is gone), to the State's focal points, in the State's working language."""
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext as _

    from ccm.accounts import roles
    from ccm.accounts import selectors as accounts

    report = delegation.report
    language = report.state.language
    asker = delegation.invited_by
    address = getattr(asker, "email", "") if asker is not None else ""
    if asker is not None and address and report.state_id in roles.state_ids_of(asker):
        to = [address]
        own = accounts.own_contacts(asker, report.state_id)
        if own and own[0].language:
            language = own[0].language
    else:
        to = _focal_point_addresses(report.state_id)
    language = language if language in ("en", "fr", "es") else "en"
    template = definition.load(report.template)
    titles = {f.code: f.title for f in template.forms}
    title = titles.get(delegation.form, {}).get(language, "")
    with translation.override(language):
        page = settings.CCM_BASE_URL.rstrip("/") + reverse("workspace:report", args=[report.pk])
        form = _("Cover") if delegation.form == "cover" else f"{delegation.form}: {title}"
        subject = _("%(email)s has finished %(form)s of the Article 7 report of %(state)s") % {
            "email": delegation.email, "form": form, "state": report.state.name,
        }  # fmt: skip
        body = "\n\n".join([
            _("%(email)s, whom you asked to fill in %(form)s of the Article 7 report of "
              "%(state)s (%(report)s), says they have finished it.")
            % {"email": delegation.email, "form": form, "state": report.state.name,
               "report": str(report)},
            _("Look at the form on the report's page, and submit the report when every form "
              "is ready:") + f"\n{page}",
        ])  # fmt: skip
    return to, subject, body
