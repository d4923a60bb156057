"""Nothing that cannot be true is accepted or published (issue #24, item 6): a report for a year
to come or for no calendar's year, an address that is no address, a currency with a newline,
NaN or Infinity; the published schema states the bounds the rules enforce, and documents made
from that schema import or are refused with one line, never a traceback."""

from __future__ import annotations

import functools
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone, translation
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from ccm.reports import definition, rules, services
from ccm.reports.models import Report, ReportVersion, Submission
from ccm.reports.workspace_views import StartForm

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


@functools.cache
def _schema() -> dict[str, Any]:
    """The schema as `ccm report_schema` publishes it."""
    out = io.StringIO()
    call_command("report_schema", "--template", "2010", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def _document(**changes: Any) -> dict[str, Any]:
    document = definition.example_document(definition.load("2010"))
    document |= changes
    return document


def _import(tmp_path: Path, text: str | bytes) -> tuple[str, str]:
    """(stdout, stderr) of `ccm import_report`; CommandError as it comes."""
    path = tmp_path / "report.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_report", str(path), "--received-on", timezone.localdate().isoformat(),
        stdout=out, stderr=err,
    )  # fmt: skip
    return out.getvalue(), err.getvalue()


def _refused(tmp_path: Path, text: str | bytes) -> list[str]:
    """The lines `ccm import_report` refuses the document with (exit 1, nothing written)."""
    err = io.StringIO()
    path = tmp_path / "report.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_report", str(path), "--received-on", timezone.localdate().isoformat(),
            stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    assert refused.value.returncode == 1
    assert "\n" not in str(refused.value)
    assert not Report.objects.exists() and not ReportVersion.objects.exists()
    return [line for line in err.getvalue().splitlines() if line] + [str(refused.value)]


# -- The year covered --------------------------------------------------------------------------


def test_the_schema_states_the_years_a_report_may_cover() -> None:
    period = _schema()["properties"]["period"]
    assert (period["minimum"], period["maximum"]) == (2010, THIS_YEAR)
    assert "current year" in period["description"] and "null" in period["description"]
    status = _schema()["properties"]["forms"]["properties"]["B"]["properties"]
    assert status["unchanged_since"]["maximum"] == THIS_YEAR


@pytest.mark.parametrize("period", [2117, 2437, 5340, THIS_YEAR + 1, 2009])
def test_a_report_for_a_year_outside_the_conventions_is_refused(
    tmp_path: Path, registry_reference: None, period: int
) -> None:
    lines = _refused(tmp_path, json.dumps(_document(period=period)))
    assert any("$.period" in line and str(period) in line for line in lines), lines


def test_a_period_no_calendar_has_is_one_line_not_a_traceback(
    tmp_path: Path, registry_reference: None
) -> None:
    lines = _refused(tmp_path, json.dumps(_document(period=25568)))
    assert lines == [
        "report.json: $.period: 25568 is greater than the maximum of " + str(THIS_YEAR),
        "1 error(s) in the document; nothing was recorded.",
    ]


def test_an_initial_report_covers_no_year(tmp_path: Path, registry_reference: None) -> None:
    lines = _refused(tmp_path, json.dumps(_document(kind="initial", period=2020)))
    assert any(line.startswith("report.json: $.period:") for line in lines), lines


def test_this_years_report_is_taken(tmp_path: Path, registry_reference: None) -> None:
    document = _document(period=THIS_YEAR)
    document["forms"]["cover"] |= {
        "period_from": f"{THIS_YEAR}-01-01",
        "period_to": f"{THIS_YEAR}-12-31",
    }
    printed, _err = _import(tmp_path, json.dumps(document))
    assert json.loads(printed)["period"] == THIS_YEAR


def test_the_online_start_form_takes_no_year_to_come() -> None:
    assert StartForm({"kind": "annual", "period": THIS_YEAR}).is_valid()
    for period in (THIS_YEAR + 1, 2100, 5340, 2009):
        form = StartForm({"kind": "annual", "period": period})
        assert not form.is_valid() and "period" in form.errors, period


def test_the_start_service_refuses_a_year_to_come(registry_reference: None) -> None:
    from ccm.accounts.tests.factories import make_user
    from ccm.registry.models import State

    chile, user = State.objects.get(iso3="CHL"), make_user(None)
    with pytest.raises(ValueError, match="period 5340 is not a year from 2010"):
        services.start_report(state=chile, kind="annual", period=5340, by=user)
    assert not Report.objects.exists()


def test_the_isu_records_checks_do_not_crash_on_a_year_no_calendar_has(
    registry_reference: None,
) -> None:
    today = date(2026, 6, 1)
    assert [p.code for p in rules.period_problems("annual", 25568, today)] == ["period_range"]
    assert rules.date_problems(date(2025, 1, 1), None, 25568, today) == []
    record = Submission(state_id="CHL", kind="annual", period=25568, received_on=today)
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert "period" in refused.value.message_dict


# -- Addresses and codes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "email", ["@", "focal point@ministry", "a@b", "fp@ministry.gov.cl\n", "fp@@ministry.org"]
)
def test_an_address_that_is_no_address_is_refused(
    tmp_path: Path, registry_reference: None, email: str
) -> None:
    document = _document()
    document["forms"]["cover"]["contact_email"] = email
    lines = _refused(tmp_path, json.dumps(document))
    # One line for the address, however many of its checks refuse it.
    assert [line for line in lines if "contact_email" in line] == [
        f"report.json: $.forms.cover.contact_email: {email!r} is not a 'email'"
    ], lines


def test_the_online_form_says_so_in_the_persons_language() -> None:
    template = definition.load("2010")
    cover = definition.example_document(template)["forms"]["cover"] | {"contact_email": "@"}
    assert definition.validate_form(template, "cover", cover) == [
        ("$.forms.cover.contact_email", "An e-mail address.")
    ]
    with translation.override("fr"):
        [(path, reason)] = definition.validate_form(template, "cover", cover)
    assert path == "$.forms.cover.contact_email" and reason != "An e-mail address."


def test_the_schema_states_an_address_and_anchors_every_pattern() -> None:
    schema = _schema()
    cover = schema["properties"]["forms"]["properties"]["cover"]["properties"]
    email = cover["contact_email"]
    assert email["format"] == "email" and email["pattern"] == definition.EMAIL_PATTERN

    def patterns(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
            return own + [p for value in node.values() for p in patterns(value)]
        if isinstance(node, list):
            return [p for value in node for p in patterns(value)]
        return []

    found = patterns(schema)
    assert len(found) >= 4  # state, the address, the two currencies
    assert all(p.startswith("^") and p.endswith("$") for p in found), found


def test_a_currency_with_a_newline_is_refused(tmp_path: Path, registry_reference: None) -> None:
    document = _document()
    document["forms"]["I"]["national_resources"][0]["currency"] = "EUR\n"
    lines = _refused(tmp_path, json.dumps(document))
    assert lines[0] == (
        "report.json: $.forms.I.national_resources[0].currency: 'EUR\\n' does not match "
        "'^[A-Z]{3}$'"
    )


def test_a_patterns_dollar_is_the_end_as_in_json_schema() -> None:
    assert definition.ecma_regex("^[A-Z]{3}$") == r"^[A-Z]{3}\Z"
    assert definition.ecma_regex(r"^a\$[$]$") == r"^a\$[$]\Z"


# -- Strict JSON -------------------------------------------------------------------------------


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused_with_one_line(
    tmp_path: Path, registry_reference: None, constant: str
) -> None:
    text = json.dumps(_document()).replace(
        '"people_reached": 1500', f'"people_reached": {constant}'
    )
    assert constant in text
    with pytest.raises(CommandError) as refused:
        _import(tmp_path, text)
    assert refused.value.returncode == 1
    assert str(refused.value) == f"report.json: {constant} is not a number JSON has"
    assert not Report.objects.exists()


# -- Documents made from the published schema --------------------------------------------------

# Values the schema's types allow and a careless writer makes: the import must refuse each with
# one line, whatever the reference validator says of them.
ODD_TEXT = st.sampled_from(["EUR\n", "", " ", "@", "focal point@ministry", "x" * 600, "CHL\n"])


def _from_schema(node: dict[str, Any], odd: bool) -> st.SearchStrategy[Any]:
    """Values for a node of the published schema: what it allows, or with `odd` sometimes just
    beyond (a year after the maximum, a wrong choice, a missing required property)."""
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        # "unchanged" is true or not by the record (tested with it); here it would refuse all.
        allowed = st.sampled_from([v for v in node["enum"] if v != "unchanged"])
        return allowed | st.sampled_from(["unchanged", "other"]) if odd else allowed
    kinds = node.get("type")
    if isinstance(kinds, list):
        return st.one_of([_from_schema({**node, "type": k}, odd) for k in kinds])
    if kinds == "object":
        props, required = node.get("properties", {}), set(node.get("required", []))

        @st.composite
        def build(draw: Any) -> dict[str, Any]:
            out = {}
            for name, sub in props.items():
                if name in required or draw(st.booleans()):
                    if odd and draw(st.integers(0, 40)) == 0:
                        continue  # now and then a required property is missing
                    out[name] = draw(_from_schema(sub, odd))
            return out

        return build()
    if kinds == "array":
        return st.lists(_from_schema(node["items"], odd), max_size=2)
    if kinds == "integer":
        low, high = int(node.get("minimum", 0)), int(node.get("maximum", 10**6))
        if odd:
            return st.integers(low - 2, high + 2) | st.sampled_from([25568, 5340, 2117])
        return st.integers(low, high)
    if kinds == "number":
        low, high = node.get("minimum", -1e6), node.get("maximum", 1e6)
        if odd:
            return st.floats(low - 1, high + 1, allow_nan=False) | st.sampled_from([1e300])
        return st.floats(low, high, allow_nan=False)
    if kinds == "boolean":
        return st.booleans()
    if kinds == "null":
        return st.none()
    odd_text = ODD_TEXT if odd else st.nothing()
    if node.get("format") == "date":
        return st.dates(date(2010, 1, 1), date(2040, 12, 31)).map(date.isoformat) | odd_text
    if node.get("format") == "email":
        return st.emails() | odd_text
    if "pattern" in node:
        return st.from_regex(node["pattern"], fullmatch=True) | odd_text
    return st.text(max_size=min(30, node.get("maxLength", 30))) | odd_text


SCHEMA = definition.json_schema(definition.load("2010"))


@st.composite
def _documents(draw: Any, odd: bool) -> dict[str, Any]:
    kind = draw(_from_schema(SCHEMA["properties"]["kind"], odd))
    year = _from_schema({"type": "integer", "minimum": 2010, "maximum": THIS_YEAR}, odd)
    period = draw(year if kind == "annual" else st.none())
    if odd and draw(st.booleans()):
        period = draw(st.none() | year)
    states = ["CHL", "FRA", "ITA"] + (["ZZZ", "chl"] if odd else [])
    return {
        "state": draw(st.sampled_from(states)),
        "kind": kind,
        "period": period,
        "template": "2010",
        "forms": draw(_from_schema(SCHEMA["properties"]["forms"], odd)),
    }


DOCUMENTS = _documents(odd=False) | _documents(odd=True)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=DOCUMENTS)
def test_documents_from_the_schema_import_or_are_refused_with_one_line(
    tmp_path: Path, registry_reference: None, document: dict[str, Any]
) -> None:
    # The reference: jsonschema itself, with its own format checks, on the schema as published.
    reference = Draft202012Validator(_schema(), format_checker=FormatChecker())
    valid = reference.is_valid(document)
    text = json.dumps(document)
    outcome: str
    with transaction.atomic():
        try:
            printed, _err = _import(tmp_path, text)
        except CommandError as refused:
            assert refused.returncode == 1, str(refused)
            assert "\n" not in str(refused)
            outcome = "refused"
        else:
            assert json.loads(printed)["state"] == document["state"]
            outcome = "imported"
        transaction.set_rollback(True)
    event(f"{'valid' if valid else 'invalid'} by the reference, {outcome}")
    if not valid:
        assert outcome == "refused", (document, list(reference.iter_errors(document))[:3])


def test_a_nul_character_is_refused_with_one_line_not_stored(
    tmp_path: Path, registry_reference: None
) -> None:
    # PostgreSQL cannot store U+0000 in JSON: the import ended in a DataError traceback there.
    document = _document()
    document["forms"]["cover"]["contact_organisation"] = "Ministry\u0000"
    lines = _refused(tmp_path, json.dumps(document))
    assert len(lines) == 2 and "$.forms.cover.contact_organisation" in lines[0], lines
    template = definition.load("2010")
    cover = definition.example_document(template)["forms"]["cover"]
    assert definition.validate_form(template, "cover", cover | {"contact_organisation": "\0"}) == [
        (
            "$.forms.cover.contact_organisation",
            "Remove the NUL character (\\u0000): text cannot hold it.",
        )
    ]
