"""Report templates as data (issue #9): the forms of an Article 7 report, their fields and
tables, types, units, required or voluntary fields, labels in English, French and Spanish.

A template (the 2010 format today, the 2022 adapted form later) is a JSON file under
`data/templates/`; this module reads one into plain objects, checks the definition itself, and
derives from it the JSON Schema (draft 2020-12) of a report document and the document's
validation. One definition drives the forms, the validation, the schema and (later) the PDF.

A report document:

    {"state": "CHL", "kind": "annual", "period": 2024, "template": "2010",
     "forms": {"cover": {"period_from": "2024-01-01", ...},
               "B": {"status": "changed", "destruction_programme": "...",
                     "stockpiles": [{"munition_type": "M26 rocket", "munitions": 120, ...}]},
               "C": {"status": "unchanged", "unchanged_since": 2022}, ...}}
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema import ValidationError as SchemaError
from jsonschema.validators import extend

TEMPLATES_DIR = Path(__file__).resolve().parent / "data" / "templates"
LANGUAGES = ("en", "fr", "es")
TYPES = {"text", "integer", "decimal", "date", "email", "choice", "boolean"}
KINDS = ("initial", "annual")  # the reports a document may be (Art. 7(1), 7(2))
STATUS_FIELDS = ("status", "unchanged_since", "explanation")
FIRST_YEAR = 2010  # the Convention entered into force on 1 Aug 2010 (Art. 17(1))
# An address as the schema states it to other tools (ECMA-262 syntax, anchored both ends); in
# Python the format check below is Django's EmailValidator, stricter still (issue #24).
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
# Text without NUL: PostgreSQL cannot store it, and no form needs it (a traceback on import).
TEXT_PATTERN = r"^[^\u0000]*$"


class DefinitionError(ValueError):
    """The template file itself is wrong; the message lists every problem."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    label: dict[str, str]
    required: bool
    voluntary: bool  # grey-shaded in the paper form
    example: Any
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    pattern: str = ""
    multiline: bool = False
    choices: tuple[tuple[str, dict[str, str]], ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    label: dict[str, str]
    columns: tuple[Field, ...]
    required: bool = False  # at least one row (the points of contact, issue #25)


@dataclass(frozen=True)
class Form:
    code: str
    title: dict[str, str]
    items: tuple[str, ...]  # the letters of Art. 7(1) it answers
    statuses: tuple[str, ...]  # empty for the cover page
    fields: tuple[Field, ...]
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class Template:
    version: str
    title: dict[str, str]
    source: str
    statuses: dict[str, dict[str, str]]
    forms: tuple[Form, ...]
    _validators: dict[int, Any] = field(default_factory=dict, compare=False, repr=False)

    def form(self, code: str) -> Form:
        return next(f for f in self.forms if f.code == code)

    def validator(self, last_year: int | None = None) -> Any:
        """The schema's validator for reports up to `last_year` (this year by default), built
        once per template and year (a template never changes; the year does, once a year)."""
        year = last_year or date.today().year
        if year not in self._validators:
            self._validators[year] = StrictValidator(
                json_schema(self, last_year=year), format_checker=FORMATS
            )
        return self._validators[year]


def ecma_regex(pattern: str) -> str:
    """`pattern` (ECMA-262, as JSON Schema means it) for Python's `re`: there `$` also matches
    before a final newline, so "EUR\\n" passed "^[A-Z]{3}$" (issue #24); `\\Z` is the end."""
    out, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        out.append(char)
    return "".join(out)


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[SchemaError]:
    if validator.is_type(instance, "string") and not re.search(ecma_regex(pattern), instance):
        yield SchemaError(f"{instance!r} does not match {pattern!r}")


# jsonschema's own checks, but a pattern's `$` means the end and an address is an address.
StrictValidator = extend(Draft202012Validator, {"pattern": _pattern})
FORMATS = FormatChecker()


@FORMATS.checks("email", raises=ValidationError)
def _is_email(instance: object) -> bool:
    # jsonschema's own "email" asks only for an "@": "@" and "focal point@ministry" passed.
    if isinstance(instance, str):
        validate_email(instance)
    return True


def _labels(value: Any, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict) or any(not value.get(lang) for lang in LANGUAGES):
        problems.append(f"{where}: needs a label in each of {', '.join(LANGUAGES)}")
        return {}
    return {lang: str(value[lang]) for lang in LANGUAGES}


def _field(raw: dict[str, Any], where: str, problems: list[str], *, column: bool = False) -> Field:
    where = f"{where}.{raw.get('name', '?')}"
    if raw.get("type") not in TYPES:
        problems.append(f"{where}: type {raw.get('type')!r} is not one of {sorted(TYPES)}")
    choices = tuple(
        (str(c["value"]), _labels(c.get("label"), f"{where}:{c.get('value')}", problems))
        for c in raw.get("choices", [])
    )
    if raw.get("type") == "choice" and not choices:
        problems.append(f"{where}: a choice needs its choices")
    field = Field(
        name=str(raw.get("name", "")),
        type=str(raw.get("type", "")),
        label=_labels(raw.get("label"), where, problems),
        required=bool(raw.get("required", False)),
        voluntary=bool(raw.get("voluntary", False)),
        example=raw.get("example"),
        unit=str(raw.get("unit", "")),
        minimum=raw.get("minimum"),
        maximum=raw.get("maximum"),
        pattern=str(raw.get("pattern", "")),
        multiline=bool(raw.get("multiline", False)),
        choices=choices,
    )
    if field.required and field.voluntary:
        problems.append(f"{where}: a field cannot be both required and voluntary")
    if not field.name.isidentifier() or (not column and field.name in STATUS_FIELDS):
        problems.append(f"{where}: {field.name!r} cannot name a field")
    return field


def parse(raw: dict[str, Any]) -> Template:
    """The template of a definition file, or DefinitionError listing every problem."""
    problems: list[str] = []
    statuses = {
        str(s["value"]): _labels(s.get("label"), f"status {s.get('value')}", problems)
        for s in raw.get("statuses", [])
    }
    forms = []
    for f in raw.get("forms", []):
        code = str(f.get("code", ""))
        fields = tuple(_field(x, code, problems) for x in f.get("fields", []))
        tables = tuple(
            Table(
                name=str(t.get("name", "")),
                label=_labels(t.get("label"), f"{code}.{t.get('name')}", problems),
                columns=tuple(
                    _field(c, f"{code}.{t.get('name')}", problems, column=True)
                    for c in t["columns"]
                ),
                required=bool(t.get("required", False)),
            )
            for t in f.get("tables", [])
        )
        names = [x.name for x in fields] + [t.name for t in tables]
        if len(names) != len(set(names)):
            problems.append(f"{code}: two fields or tables share a name")
        unknown = [s for s in f.get("statuses", []) if s not in statuses]
        if unknown:
            problems.append(f"{code}: unknown status(es) {unknown}")
        forms.append(
            Form(
                code=code,
                title=_labels(f.get("title"), code, problems),
                items=tuple(f.get("items", [])),
                statuses=tuple(f.get("statuses", [])),
                fields=fields,
                tables=tables,
            )
        )
    codes = [f.code for f in forms]
    if len(codes) != len(set(codes)) or "cover" not in codes:
        problems.append("forms: each code once, and a cover page ('cover')")
    template = Template(
        version=str(raw.get("template", "")),
        title=_labels(raw.get("title"), "template", problems),
        source=str(raw.get("source", "")),
        statuses=statuses,
        forms=tuple(forms),
    )
    if not template.version or not template.source:
        problems.append("template: needs its version and its source")
    if not problems:
        # Every example must be accepted by the schema it documents.
        problems += [
            f"example {path}: {reason}"
            for path, reason in validate(template, example_document(template))
        ]
    if problems:
        raise DefinitionError("\n".join(problems))
    return template


def load(version: str) -> Template:
    """A shipped template by its version ("2010"). Read and checked once per file as it is on
    disk (every form page and save asks for it)."""
    path = TEMPLATES_DIR / f"{version}.json"
    if not path.is_file():
        raise DefinitionError(f"no template {version!r}")
    return _parsed(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _parsed(path: str, mtime_ns: int) -> Template:
    return parse(json.loads(Path(path).read_text(encoding="utf-8")))


def shipped() -> list[str]:
    return sorted(p.stem for p in TEMPLATES_DIR.glob("*.json"))


def _field_schema(f: Field) -> dict[str, Any]:
    schema: dict[str, Any]
    if f.type == "integer":
        schema = {"type": "integer"}
    elif f.type == "decimal":
        schema = {"type": "number"}
    elif f.type == "date":
        schema = {"type": "string", "format": "date"}
    elif f.type == "email":
        schema = {"type": "string", "format": "email", "pattern": EMAIL_PATTERN, "maxLength": 254}
    elif f.type == "boolean":
        schema = {"type": "boolean"}
    elif f.type == "choice":
        schema = {"type": "string", "enum": [value for value, _ in f.choices]}
    else:
        schema = {"type": "string", "maxLength": 20000 if f.multiline else 500}
        schema["pattern"] = TEXT_PATTERN
    if f.minimum is not None:
        schema["minimum"] = f.minimum
    if f.maximum is not None:
        schema["maximum"] = f.maximum
    if f.pattern:
        schema["pattern"] = f.pattern
    schema["title"] = f.label["en"]
    if f.unit:
        schema["x-unit"] = f.unit
    if f.voluntary:
        schema["x-voluntary"] = True
    schema["examples"] = [f.example]
    return schema


def _object(fields: tuple[Field, ...], extra: dict[str, Any]) -> dict[str, Any]:
    properties = {f.name: _field_schema(f) for f in fields} | extra
    return {
        "type": "object",
        "properties": properties,
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def json_schema(template: Template, *, last_year: int | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a report document made with `template`, for reports
    covering years up to `last_year` (this year by default: no report covers a year to come)."""
    last_year = last_year or date.today().year
    forms: dict[str, Any] = {}
    for form in template.forms:
        extra: dict[str, Any] = {}
        if form.statuses:
            extra = {
                "status": {"type": "string", "enum": list(form.statuses), "examples": ["changed"]},
                "unchanged_since": {
                    "type": "integer",
                    "minimum": FIRST_YEAR,
                    "maximum": last_year,
                    "examples": [2022],
                },  # fmt: skip
                "explanation": {
                    "type": "string",
                    "maxLength": 2000,
                    "pattern": TEXT_PATTERN,
                    "examples": [""],
                },  # fmt: skip
            }
        for table in form.tables:
            row = _object(table.columns, {})
            row["title"] = table.label["en"]
            extra[table.name] = {"type": "array", "items": row, "title": table.label["en"]}
            if table.required:
                extra[table.name]["minItems"] = 1
        schema = _object(form.fields, extra)
        schema["required"] += [t.name for t in form.tables if t.required]
        schema["title"] = form.title["en"]
        if form.statuses:
            schema["required"] = ["status"]  # a form answered "unchanged" holds nothing else
        forms[form.code] = schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://ccm-isu.example/schemas/article7-report-{template.version}.json",
        "title": template.title["en"],
        "type": "object",
        "properties": {
            "state": {"type": "string", "pattern": "^[A-Z]{3}$", "examples": ["CHL"]},
            "kind": {"type": "string", "enum": list(KINDS), "examples": ["annual"]},
            "period": {
                "type": ["integer", "null"],
                "minimum": FIRST_YEAR,
                "maximum": last_year,
                "description": (
                    f"The calendar year an annual report covers, from {FIRST_YEAR} to the "
                    "current year (the maximum is the year the schema was generated); null for "
                    "an initial report."
                ),
                "examples": [2024],
            },
            "template": {"const": template.version, "examples": [template.version]},
            "forms": {
                "type": "object",
                "properties": forms,
                "required": ["cover"],
                "additionalProperties": False,
            },
        },
        "required": ["state", "kind", "period", "template", "forms"],
        "additionalProperties": False,
        # An initial report covers no calendar year (Art. 7(1)); an annual report covers one.
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": "initial"}}},
                "then": {"properties": {"period": {"type": "null"}}},
            },
            {
                "if": {"properties": {"kind": {"const": "annual"}}},
                "then": {"properties": {"period": {"type": "integer"}}},
            },
        ],
    }


def example_document(template: Template) -> dict[str, Any]:
    """A document built from the definition's examples alone (one row per table)."""
    forms: dict[str, Any] = {}
    for form in template.forms:
        values: dict[str, Any] = {"status": "changed"} if form.statuses else {}
        values |= {f.name: f.example for f in form.fields}
        for table in form.tables:
            values[table.name] = [{c.name: c.example for c in table.columns}]
        forms[form.code] = values
    return {
        "state": "CHL",
        "kind": "annual",
        "period": 2024,
        "template": template.version,
        "forms": forms,
    }


def validate(
    template: Template, document: Any, *, plain: bool = False, last_year: int | None = None
) -> list[tuple[str, str]]:
    """Every problem of `document` against the template's schema, as (JSON path, reason), in
    document order; empty when it is valid. The reasons are the validator's own (the command
    line's contract), or with `plain` a person's words in the active language, a missing value
    named at its own path (beside its input)."""
    validator = template.validator(last_year)
    errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.path])
    # An address refused by its format is not refused again by its pattern: one line each.
    formats = {e.json_path for e in errors if e.validator == "format"}
    errors = [e for e in errors if not (e.validator == "pattern" and e.json_path in formats)]
    if not plain:
        return [(e.json_path, e.message) for e in errors]
    return [_plain(e) for e in errors]


def validate_form(template: Template, code: str, values: Any) -> list[tuple[str, str]]:
    """What is wrong in one form of a document, as (JSON path, reason) in a person's words,
    checked against its part of the schema: types, units, ranges, choices, required fields (the
    other forms of the document are not asked for)."""
    schema = json_schema(template)
    if code not in schema["properties"]["forms"]["properties"]:
        return [(f"$.forms.{code}", "no such form")]
    example = example_document(template)
    document = {**example, "forms": {code: values}}
    if code != "cover":
        document["forms"]["cover"] = example["forms"]["cover"]
    prefix = f"$.forms.{code}"
    return [
        (path, reason)
        for path, reason in validate(template, document, plain=True)
        if path == prefix or path.startswith((prefix + ".", prefix + "["))
    ]


def _plain(error: Any) -> tuple[str, str]:
    from django.utils.translation import gettext as _

    path, kind, schema = error.json_path, error.validator, error.validator_value
    if kind == "required":
        # One error per missing property; its name is the message's quoted word.
        missing = error.message.split("'")[1] if error.message.count("'") >= 2 else ""
        return f"{path}.{missing}", _("Required.")
    if kind == "minimum":
        return path, _("At least %(minimum)s.") % {"minimum": schema}
    if kind == "maximum":
        return path, _("At most %(maximum)s.") % {"maximum": schema}
    if kind == "type":
        wanted = schema if isinstance(schema, str) else schema[0]
        words = {
            "integer": _("A whole number, without spaces or separators."),
            "number": _("A number (a point or a comma for decimals)."),
        }
        return path, words.get(wanted, _("Not the expected kind of value."))
    if kind == "format" or (kind == "pattern" and error.schema.get("format") == "email"):
        words = {"date": _("A date: day, month and year."), "email": _("An e-mail address.")}
        return path, words.get(error.schema.get("format"), _("Not in the expected form."))
    if kind == "enum":
        return path, _("Choose one of the options.")
    if kind == "pattern" and schema == TEXT_PATTERN:
        return path, _("Remove the NUL character (\\u0000): text cannot hold it.")
    if kind == "pattern":
        return path, _("Not in the expected form (for a currency, its three-letter code: EUR).")
    if kind == "minItems":
        return path, _("Give at least one row.")
    if kind == "maxLength":
        return path, _("At most %(n)d characters.") % {"n": schema}
    return path, error.message
