"""Report templates as data (issue #9, part 1): the 2010 definition loads, its schema documents
every field with an example it accepts, and documents are checked against it."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from jsonschema import Draft202012Validator

from ccm.reports import definition

TEMPLATE = definition.load("2010")


def _schema_fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every leaf field of the schema (form fields and table columns)."""
    out = []
    for form in schema["properties"]["forms"]["properties"].values():
        for prop in form["properties"].values():
            if prop.get("type") == "array":
                out += list(prop["items"]["properties"].values())
            else:
                out.append(prop)
    return out


def test_the_2010_template_has_the_cover_page_and_forms_a_to_j() -> None:
    assert [f.code for f in TEMPLATE.forms] == ["cover", *"ABCDEFGHIJ"]
    assert TEMPLATE.form("A").statuses == ("changed", "unchanged")  # Form A is never n/a
    assert TEMPLATE.form("F").items == ("h", "i")
    casualties = next(t for t in TEMPLATE.form("H").tables if t.name == "casualties")
    assert [c.name for c in casualties.columns] == ["year", "outcome", "sex", "age_group", "people"]
    area = next(c for t in TEMPLATE.form("F").tables for c in t.columns if c.name == "area_m2")
    assert (area.type, area.unit, area.minimum) == ("decimal", "m2", 0)
    for form in TEMPLATE.forms:  # every label in the three languages
        assert all(form.title[lang] for lang in definition.LANGUAGES)


def test_the_schema_is_valid_draft_2020_12_and_every_field_has_an_accepted_example() -> None:
    schema = definition.json_schema(TEMPLATE)
    Draft202012Validator.check_schema(schema)
    fields = _schema_fields(schema)
    assert len(fields) >= 80
    for field in fields:
        assert field["examples"], field["title"]
        assert Draft202012Validator(field).is_valid(field["examples"][0]), field["title"]
    numbers = [f for f in fields if f["type"] in ("integer", "number")]
    assert all("minimum" in f for f in numbers if f.get("x-unit"))  # no negative quantities
    assert any(f.get("format") == "date" for f in fields)
    assert any(f.get("x-voluntary") for f in fields)


def test_a_document_built_from_the_examples_alone_is_valid() -> None:
    assert definition.validate(TEMPLATE, definition.example_document(TEMPLATE)) == []


@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        (lambda d: d["forms"]["B"]["stockpiles"][0].update(munitions=-3),
         "$.forms.B.stockpiles[0].munitions", "less than the minimum of 0"),
        (lambda d: d["forms"]["B"]["stockpiles"][0].update(munitions="120"),
         "$.forms.B.stockpiles[0].munitions", "is not of type 'integer'"),
        (lambda d: d["forms"]["cover"].update(period_from="2024-13-01"),
         "$.forms.cover.period_from", "is not a 'date'"),
        (lambda d: d["forms"]["A"].update(status="not_applicable"),
         "$.forms.A.status", "is not one of"),
        (lambda d: d["forms"]["C"].pop("status"), "$.forms.C", "'status' is a required property"),
        (lambda d: d["forms"]["H"]["casualties"][0].update(sex="x"),
         "$.forms.H.casualties[0].sex", "is not one of"),
        (lambda d: d["forms"]["I"]["cooperation"][0].update(currency="euro"),
         "$.forms.I.cooperation[0].currency", "does not match"),
        (lambda d: d["forms"]["J"].update(surprise=1), "$.forms.J", "Additional properties"),
        (lambda d: d.update(kind="voluntary"), "$.kind", "is not one of"),
        (lambda d: d.update(template="2022"), "$.template", "was expected"),
    ],
)  # fmt: skip
def test_a_broken_document_is_refused_with_its_path_and_reason(
    change: Any, path: str, reason: str
) -> None:
    document = copy.deepcopy(definition.example_document(TEMPLATE))
    change(document)
    problems = definition.validate(TEMPLATE, document)
    assert any(p == path and reason in r for p, r in problems), problems


def test_a_form_left_unchanged_holds_nothing_else() -> None:
    document = definition.example_document(TEMPLATE)
    document["forms"]["C"] = {"status": "unchanged", "unchanged_since": 2022}
    assert definition.validate(TEMPLATE, document) == []


def test_a_broken_definition_is_refused_with_every_problem() -> None:
    raw = json.loads((definition.TEMPLATES_DIR / "2010.json").read_text(encoding="utf-8"))
    raw["forms"][1]["fields"][0]["type"] = "colour"
    raw["forms"][2]["title"].pop("es")
    raw["forms"][3]["tables"][0]["columns"][0]["example"] = 7  # not the text it documents
    with pytest.raises(definition.DefinitionError) as refused:
        definition.parse(raw)
    message = str(refused.value)
    assert "type 'colour' is not one of" in message
    assert "B: needs a label in each of en, fr, es" in message
    raw["forms"][1]["fields"][0]["type"] = "text"
    raw["forms"][2]["title"]["es"] = "x"
    with pytest.raises(definition.DefinitionError, match=r"example \$\.forms\.C\.types\[0\]"):
        definition.parse(raw)


def test_the_schema_command_prints_the_schema_and_refuses_bad_arguments() -> None:
    out = io.StringIO()
    call_command("report_schema", "--template", "2010", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == definition.json_schema(TEMPLATE)
    with pytest.raises(CommandError) as bad:
        call_command("report_schema", "--template", "1999")
    assert bad.value.returncode == 2 and "'1999' is not one of 2010" in str(bad.value)
    with pytest.raises(CommandError) as bad_format:
        call_command("report_schema", "--format", "xml")
    assert bad_format.value.returncode == 2


@pytest.mark.django_db
def test_a_broken_shipped_template_stops_the_reference_data(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = json.loads((definition.TEMPLATES_DIR / "2010.json").read_text(encoding="utf-8"))
    raw["forms"][1]["fields"][0]["type"] = "colour"
    (tmp_path / "2010.json").write_text(json.dumps(raw), encoding="utf-8")
    monkeypatch.setattr(definition, "TEMPLATES_DIR", tmp_path)
    err = io.StringIO()
    with pytest.raises(CommandError, match="in the reports received; none was loaded"):
        call_command("load_reference_data", stdout=io.StringIO(), stderr=err)
    assert "2010.json, line 1: A.other_information: type 'colour' is not one of" in err.getvalue()


def test_plain_words_for_people_name_each_missing_value_at_its_own_path() -> None:
    document = copy.deepcopy(definition.example_document(TEMPLATE))
    document["forms"]["B"]["stockpiles"][0] = {"munition_type": "M26"}
    document["forms"]["B"]["destroyed"][0]["year"] = "2024"
    problems = definition.validate(TEMPLATE, document, plain=True)
    assert ("$.forms.B.stockpiles[0].munitions", "Required.") in problems
    assert ("$.forms.B.stockpiles[0].submunitions", "Required.") in problems
    assert (
        "$.forms.B.destroyed[0].year",
        "A whole number, without spaces or separators.",
    ) in problems
