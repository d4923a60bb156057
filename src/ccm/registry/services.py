"""State changes of the registry. Each is one function, atomic, audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ccm.core import audit
from ccm.core.reference import Loaded
from ccm.core.tables import RowError, RowsRefused, csv_rows, parse_date
from ccm.registry import rules
from ccm.registry.choices import (
    DEPOSIT_KINDS,
    ActionKind,
    Language,
    Region,
    SubRegion,
    UNStanding,
)
from ccm.registry.models import Contact, State, TreatyAction

DATA_DIR = Path(__file__).resolve().parent / "data"
STATES_CSV = DATA_DIR / "states.csv"
MEMBERSHIP_CSV = DATA_DIR / "ccm_membership.csv"

STATE_COLUMNS = [
    "iso3", "iso2", "m49", "un_standing", "region", "subregion",
    "name_en", "name_fr", "name_es", "name_ar", "name_ru", "name_zh", "source",
]  # fmt: skip
MEMBERSHIP_COLUMNS = [
    "state", "iso3", "status", "signature_date", "deposit_date", "deposit_type",
    "entry_into_force_date", "withdrawal_date", "source",
]  # fmt: skip
CSV_DEPOSIT_KINDS = {k.value for k in DEPOSIT_KINDS}


# The working language of a State (issue: every State was English). The Convention works in
# English, French and Spanish; a State starts from its official languages (Unicode CLDR, through
# Babel, by ISO alpha-2; the de facto ones where none is official, e.g. Mexico, United States):
# Spanish if it is one, else French, else English. Checked by hand:
#   Switzerland (de, fr, it) -> fr;  Belgium (nl, fr, de) -> fr;  Cameroon (fr, en) -> fr;
#   Equatorial Guinea (es, fr, pt) -> es;  Luxembourg (fr, lb, de) -> fr.
# Overridden to English, where English is the main language of the administration although
# French is also official: Canada (federal majority language), Rwanda (since 2008), Mauritius,
# Seychelles. Staff change any of them in the admin or with `ccm import_working_languages`; a
# language staff set is never replaced by this default.
WORKING_LANGUAGE_OVERRIDES = {"CA": "en", "RW": "en", "MU": "en", "SC": "en"}


def default_working_language(iso2: str) -> str:
    """en, fr or es for a State, from its official languages (see above)."""
    from babel.languages import get_official_languages

    if iso2 in WORKING_LANGUAGE_OVERRIDES:
        return WORKING_LANGUAGE_OVERRIDES[iso2]
    official = get_official_languages(iso2) or get_official_languages(iso2, de_facto=True)
    return next((lang for lang in ("es", "fr") if lang in official), "en")


class ReferenceDataError(RowsRefused):
    """The shipped reference files hold errors; nothing was written."""


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def parse_states(path: Path, errors: list[RowError]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for line, row in csv_rows(path, STATE_COLUMNS, errors):
        where = (path.name, line)
        iso3 = row["iso3"]
        if len(iso3) != 3 or not iso3.isalpha() or not iso3.isupper():
            errors.append(RowError(*where, f"iso3 {iso3!r} is not three capital letters"))
            continue
        if iso3 in seen:
            errors.append(RowError(*where, f"{iso3} appears twice"))
        seen.add(iso3)
        if not row["m49"].isdigit():
            errors.append(RowError(*where, f"m49 {row['m49']!r} is not a number"))
        if row["un_standing"] not in UNStanding.values:
            errors.append(RowError(*where, f"un_standing {row['un_standing']!r} is unknown"))
        if row["region"] not in Region.values:
            errors.append(RowError(*where, f"region {row['region']!r} is not a UN M49 region"))
        if row["subregion"] not in SubRegion.values:
            errors.append(RowError(*where, f"subregion {row['subregion']!r} is unknown"))
        for col in ("iso2", "name_en", "name_fr", "name_es", "source"):
            if not row[col]:
                errors.append(RowError(*where, f"{col} is empty"))
        out.append(row)
    return out


def parse_membership(
    path: Path, known_states: set[str], errors: list[RowError]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for line, row in csv_rows(path, MEMBERSHIP_COLUMNS, errors):
        where = (path.name, line)
        before = len(errors)
        iso3 = row["iso3"]
        if iso3 not in known_states:
            errors.append(RowError(*where, f"iso3 {iso3!r} is not a known State"))
        if iso3 in seen:
            errors.append(RowError(*where, f"{iso3} appears twice"))
        seen.add(iso3)
        signed = parse_date(row["signature_date"], "signature_date", where, errors)
        deposited = parse_date(row["deposit_date"], "deposit_date", where, errors)
        stated_eif = parse_date(
            row["entry_into_force_date"], "entry_into_force_date", where, errors
        )
        withdrawn = parse_date(row["withdrawal_date"], "withdrawal_date", where, errors)
        kind = row["deposit_type"]
        status = row["status"]
        if not row["source"]:
            errors.append(RowError(*where, "source is empty: every fact keeps its source"))
        if status not in {"party", "signatory", "withdrawn"}:
            errors.append(RowError(*where, f"status {status!r} is not party/signatory/withdrawn"))
        if signed and not rules.OPENED_FOR_SIGNATURE <= signed < rules.CONVENTION_ENTRY_INTO_FORCE:
            errors.append(
                RowError(
                    *where, f"signature_date {signed} is outside the signature period (Art. 15)"
                )
            )
        if deposited and kind not in CSV_DEPOSIT_KINDS:
            errors.append(
                RowError(*where, f"deposit_type {kind!r} is not one of {sorted(CSV_DEPOSIT_KINDS)}")
            )
        if kind and not deposited:
            errors.append(RowError(*where, "deposit_type given without deposit_date"))
        if kind == ActionKind.ACCESSION and signed:
            errors.append(
                RowError(*where, "accession by a signatory (Art. 16(2): non-signatories accede)")
            )
        if kind in {"ratification", "acceptance", "approval"} and deposited and not signed:
            errors.append(RowError(*where, f"{kind} without a signature (Art. 16(1))"))
        if signed and deposited and deposited < signed:
            errors.append(RowError(*where, "deposit_date is before signature_date"))
        if withdrawn and not deposited:
            errors.append(RowError(*where, "withdrawal_date without deposit_date"))
        if withdrawn and deposited and withdrawn <= deposited:
            errors.append(RowError(*where, "withdrawal_date is not after deposit_date"))
        if stated_eif and not deposited:
            errors.append(RowError(*where, "entry_into_force_date without deposit_date"))
        if status == "party" and (not deposited or withdrawn):
            errors.append(
                RowError(*where, "status party needs a deposit_date and no withdrawal_date")
            )
        if status == "signatory" and (not signed or deposited):
            errors.append(
                RowError(*where, "status signatory needs a signature_date and no deposit_date")
            )
        if status == "withdrawn" and not withdrawn:
            errors.append(RowError(*where, "status withdrawn needs a withdrawal_date"))
        if len(errors) == before:
            out.append(
                dict(
                    line=line,
                    iso3=iso3,
                    signed=signed,
                    deposited=deposited,
                    kind=kind,
                    stated_eif=stated_eif,
                    withdrawn=withdrawn,
                    source=row["source"],
                )  # fmt: skip
            )
    return out


def _upsert(obj: Any, values: dict[str, Any], report: LoadReport, create: Any) -> None:
    """Save only what differs, so a second run writes nothing (and no history rows)."""
    if obj is None:
        create(**values)
        report.created += 1
        return
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if not changed:
        report.unchanged += 1
        return
    for k, v in changed.items():
        setattr(obj, k, v)
    obj.save()
    report.updated += 1


def load_reference(states: Path | None = None, membership: Path | None = None) -> Loaded:
    """The registry's part of `ccm load_reference_data` (registered in apps.py)."""
    report = load_reference_data(
        states_path=states or STATES_CSV, membership_path=membership or MEMBERSHIP_CSV
    )
    return Loaded(
        f"reference data: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged",
        report.flagged,
    )


def load_reference_data(
    *,
    by: AbstractBaseUser | None = None,
    actor_label: str = "ccm load_reference_data",
    states_path: Path = STATES_CSV,
    membership_path: Path = MEMBERSHIP_CSV,
) -> LoadReport:
    """Load the States table and the Convention's membership. Validates both files whole, then
    writes in one transaction: a bad row anywhere means nothing is written. Idempotent."""
    errors: list[RowError] = []
    state_rows = parse_states(states_path, errors)
    known = {r["iso3"] for r in state_rows} | set(State.objects.values_list("iso3", flat=True))
    member_rows = parse_membership(membership_path, known, errors)
    if errors:
        raise ReferenceDataError(errors)

    report = LoadReport()
    with transaction.atomic():
        existing = State.objects.in_bulk()
        for row in state_rows:
            values = {k: row[k] for k in STATE_COLUMNS if k != "iso3"}
            values["m49"] = int(values["m49"])
            state = existing.get(row["iso3"])
            if state is None or not state.language_set_by_staff:
                values["language"] = default_working_language(row["iso2"])
            _upsert(
                state,
                values,
                report,
                lambda **v: State.objects.create(iso3=row["iso3"], **v),  # noqa: B023
            )
        actions: dict[tuple[str, str], TreatyAction] = {}
        for a in TreatyAction.objects.all():
            key = "deposit" if a.kind in DEPOSIT_KINDS else a.kind
            actions[(a.state_id, key)] = a
        for r in member_rows:
            iso3, source = r["iso3"], r["source"]
            wanted: list[tuple[str, dict[str, Any]]] = []
            if r["signed"]:
                wanted.append(("signature", {"kind": ActionKind.SIGNATURE, "date": r["signed"]}))
            if r["deposited"]:
                wanted.append(
                    (
                        "deposit",
                        {
                            "kind": r["kind"],
                            "date": r["deposited"],
                            "source_entry_into_force": r["stated_eif"],
                        },
                    )
                )
                computed = rules.entry_into_force(r["deposited"])
                if r["stated_eif"] and r["stated_eif"] != computed:
                    report.flagged.append(
                        f"{iso3}: source gives entry into force {r['stated_eif']}, "
                        f"Art. 17 gives {computed}"
                    )
            if r["withdrawn"]:
                # The table gives the date the withdrawal took effect (Art. 20(2)).
                wanted.append(
                    (
                        "withdrawal",
                        {"kind": ActionKind.WITHDRAWAL, "effective_date": r["withdrawn"]},
                    )
                )
            for key, values in wanted:
                values["source"] = source
                _upsert(
                    actions.get((iso3, key)),
                    values,
                    report,
                    lambda **v: TreatyAction.objects.create(state_id=iso3, **v),  # noqa: B023
                )
        if report.changed:
            audit.record(
                "reference_data.loaded",
                by=by,
                actor_label=actor_label,
                summary=(
                    f"{report.created} created, {report.updated} updated, "
                    f"{report.unchanged} unchanged"
                ),
                after={"flagged": report.flagged},
            )
    return report


LANGUAGE_COLUMNS = ["iso3", "language"]


@dataclass
class LanguageReport:
    changed: list[str] = field(default_factory=list)  # "CHE: en -> fr"
    unchanged: int = 0


def import_working_languages(
    path: Path,
    *,
    by: AbstractBaseUser | None = None,
    actor_label: str = "ccm import_working_languages",
) -> LanguageReport:
    """Set the working language of States from a CSV (columns iso3, language: en, fr or es).
    The whole file is checked first: one bad row and nothing is written. Languages set this
    way count as set by staff: loading the reference data keeps them."""
    errors: list[RowError] = []
    states = State.objects.in_bulk()
    wanted: dict[str, str] = {}
    for line, row in csv_rows(path, LANGUAGE_COLUMNS, errors):
        where = (path.name, line)
        iso3, language = row["iso3"].upper(), row["language"].lower()
        if iso3 not in states:
            errors.append(RowError(*where, f"iso3 {row['iso3']!r} is not a known State"))
        elif iso3 in wanted:
            errors.append(RowError(*where, f"{iso3} appears twice"))
        if language not in Language.values:
            errors.append(
                RowError(*where, f"language {row['language']!r} is not one of en, fr, es")
            )
        wanted[iso3] = language
    if errors:
        raise ReferenceDataError(errors)
    report = LanguageReport()
    with transaction.atomic():
        for iso3, language in wanted.items():
            state = states[iso3]
            if state.language == language and state.language_set_by_staff:
                report.unchanged += 1
                continue
            if state.language != language:
                report.changed.append(f"{iso3}: {state.language} -> {language}")
            state.language, state.language_set_by_staff = language, True
            state.save()
        if report.changed:
            audit.record(
                "working_languages.imported",
                by=by,
                actor_label=actor_label,
                summary=f"{len(report.changed)} changed, {report.unchanged} unchanged",
                after={"changed": report.changed},
            )
    return report


# Contacts, kept by ISU staff on their own pages (issue #26) ---------------------------------

CONTACT_COLUMNS = ["state", "name", "role", "email"]  # required in an import
CONTACT_OPTIONAL = ["title", "organisation", "phone", "language", "notes"]


class ContactRefused(ValueError):
    """A contact change the rules refuse; the message is for the person."""


class ContactConflict(Exception):
    """The contact was changed since the copy the person edited: nothing was written."""


def _same_address(state_id: str, email: str, exclude: int | None = None) -> Contact | None:
    """Another contact of the State with this address (inactive ones too: the address is
    unique per State, letters would go twice), compared without regard to case."""
    if not email:
        return None
    found = Contact.objects.filter(state_id=state_id, email__iexact=email)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.first()


def _address_taken(contact: Contact) -> str:
    from django.utils.translation import gettext as _

    return _(
        "%(state)s already has a contact with the address %(email)s (%(name)s%(inactive)s): "
        "correct that contact instead."
    ) % {
        "state": contact.state.name,
        "email": contact.email,
        "name": contact.name,
        "inactive": "" if contact.active else ", " + _("inactive"),
    }


def _contact_values(contact: Contact) -> dict[str, Any]:
    return {
        "state": contact.state_id, "name": contact.name, "role": contact.role,
        "title": contact.title, "organisation": contact.organisation, "email": contact.email,
        "phone": contact.phone, "language": contact.language, "notes": contact.notes,
        "active": contact.active,
    }  # fmt: skip


@transaction.atomic
def add_contact(*, by: AbstractBaseUser, **values: Any) -> Contact:
    """A new contact of a State (values as `ContactForm.values()` gives them). Its address is
    unique within its State, whatever the case."""
    taken = _same_address(values["state"].iso3, values.get("email", ""))
    if taken is not None:
        raise ContactRefused(_address_taken(taken))
    contact = Contact(**values)
    contact.full_clean(exclude=["user"])
    contact._change_reason = "added by the ISU"  # type: ignore[attr-defined]
    contact.save()
    audit.record("contact.added", by=by, obj=contact, summary=str(contact),
                 after=_contact_values(contact))  # fmt: skip
    return contact


@transaction.atomic
def update_contact(
    contact: Contact, *, revision: int, by: AbstractBaseUser, **values: Any
) -> Contact:
    """Staff correct a contact, from the copy they saw (`revision`): a copy older than the
    record is refused (ContactConflict) and nothing is overwritten. A contact invited to an
    account keeps its State (the account's scope came from it): deactivate it and add one for
    the other State instead."""
    from django.utils.translation import gettext as _

    locked = Contact.objects.select_for_update().select_related("state").get(pk=contact.pk)
    if locked.revision != revision:
        raise ContactConflict
    state = values.get("state", locked.state)
    if locked.user_id is not None and state.iso3 != locked.state_id:
        raise ContactRefused(
            _(
                "This contact was invited to an account for %(state)s: its State stays. "
                "Deactivate it and add a contact for the other State."
            )
            % {"state": locked.state.name}
        )
    taken = _same_address(state.iso3, values.get("email", locked.email), exclude=locked.pk)
    if taken is not None:
        raise ContactRefused(_address_taken(taken))
    before = _contact_values(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["user"])
    locked.revision += 1
    locked._change_reason = "corrected by the ISU"  # type: ignore[attr-defined]
    locked.save()
    after = _contact_values(locked)
    changed = {k for k in after if after[k] != before[k]}
    audit.record("contact.updated", by=by, obj=locked, summary=str(locked),
                 before={k: before[k] for k in sorted(changed)},
                 after={k: after[k] for k in sorted(changed)})  # fmt: skip
    return locked


@transaction.atomic
def set_contact_active(contact: Contact, *, active: bool, by: AbstractBaseUser) -> Contact:
    """A contact is never deleted: it is deactivated (no letter goes to it any more; its
    history stays) or reactivated. Doing it twice changes nothing."""
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    if locked.active == active:
        return locked
    locked.active = active
    locked.revision += 1
    locked._change_reason = "reactivated" if active else "deactivated"  # type: ignore[attr-defined]
    locked.save(update_fields=["active", "revision"])
    audit.record("contact.reactivated" if active else "contact.deactivated", by=by, obj=locked,
                 summary=str(locked), before={"active": not active},
                 after={"active": active})  # fmt: skip
    return locked


def import_contacts(name: str, data: bytes, *, by: AbstractBaseUser) -> list[Contact]:
    """Contacts from a CSV or XLSX file (columns state, name, role, email; title,
    organisation, phone, language and notes may follow), each row validated by the form the
    staff page uses: every row valid or nothing written (RowsRefused names each bad row, its
    column and why). An address already on record for the State, or twice in the file, is
    refused: the import adds contacts, it never changes one."""
    from ccm.core.tables import check_header
    from ccm.registry.forms import ContactForm

    errors: list[RowError] = []
    table = check_header(name, data, errors, CONTACT_COLUMNS, CONTACT_OPTIONAL)
    if errors or table is None:
        raise RowsRefused(errors)
    states = list(State.objects.all())
    by_code = {s.iso3: s for s in states}
    on_record = {
        (state_id, email.casefold())
        for state_id, email in Contact.objects.exclude(email="").values_list("state_id", "email")
    }
    seen: dict[tuple[str, str], int] = {}
    found: list[dict[str, Any]] = []
    for line, row in table.rows:
        if any(k.startswith("__") for k in row):
            errors.append(RowError(name, line, "a row that cannot be read (a formula, too many "
                                               "cells or a quote left open)"))  # fmt: skip
            continue
        data_row = {c: row.get(c, "") for c in CONTACT_COLUMNS + CONTACT_OPTIONAL}
        data_row["state"] = data_row["state"].upper()
        data_row["role"] = data_row["role"].lower()
        data_row["language"] = data_row["language"].lower()
        form = ContactForm(data_row, states=states)
        if not form.is_valid():
            for column, problems in form.errors.items():
                where = "" if column == "__all__" else f"column {column}: "
                for problem in problems:
                    errors.append(RowError(name, line, f"{where}{problem}"))
            continue
        values = form.values()
        key = (values["state"].iso3, values["email"].casefold())
        if values["email"] and key in on_record:
            errors.append(RowError(name, line, f"column email: {values['email']} is already "
                                               f"on record for {key[0]}"))  # fmt: skip
            continue
        if values["email"] and key in seen:
            errors.append(RowError(name, line, f"column email: {values['email']} for {key[0]} "
                                               f"is also on line {seen[key]}"))  # fmt: skip
            continue
        seen[key] = line
        found.append(values)
    if errors:
        raise RowsRefused(errors)
    with transaction.atomic():
        made = []
        for values in found:
            contact = Contact(**values)
            if not contact.language:
                contact.language = by_code[contact.state_id].language
            contact._change_reason = f"imported from {name}"  # type: ignore[attr-defined]
            contact.save()
            made.append(contact)
        audit.record("contacts.imported", by=by,
                     summary=f"{len(made)} contacts imported from {name}",
                     after={"contacts": [f"{c.state_id} {c.name}" for c in made]})  # fmt: skip
    return made
