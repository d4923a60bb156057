"""Cross-year checks of Article 7 reports (issue #10): a report against the State's report of
the year before. Pure functions of two documents' forms; nothing is read or written here.

A finding is not a refusal: figures can change for good reasons (a new survey, a recount), so the
State is asked to explain, and its explanation is kept with the version. Each finding has a
stable id (check, form, what it is about), so that an explanation given in a draft stays with
the same finding when the figures are saved again.

The checks (`shared/domain/reporting.md`, "Quality checks across years"):
- stockpile: this year's stockpile of a type = last year's − destroyed this year + discovered
  this year (Form B; Art. 3(2), Art. 7(1)(b), (f), (g));
- contamination: this year's contaminated area at a location = last year's − cleared there this
  year (a location not listed before is newly found); never more cleared than was contaminated
  (Form F; Art. 4, Art. 7(1)(h), (i));
- cumulative clearance: the area cleared up to last year, as this report restates it, never
  smaller than last year's report said (Form F);
- "not applicable" where last year's report held data (any form).

And one check of a report on its own (issue #25), shown and explained the same way: a form
answered "changed" with nothing in it (the published form's checklist says a changed form
carries its new information).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from ccm.reports.choices import Declared

AREA_TOLERANCE = Decimal("0.5")  # m²: areas are decimals; half a square metre is no difference

MESSAGES = {
    "stockpile": _(
        "Form B, %(type)s: the stockpile reported (%(reported)s %(what)s) is not last year's "
        "%(previous)s − %(destroyed)s destroyed + %(discovered)s discovered = %(expected)s."
    ),
    "contamination": _(
        "Form F, %(location)s: the contaminated area reported (%(reported)s m²) is not last "
        "year's %(previous)s m² − %(cleared)s m² cleared = %(expected)s m²."
    ),
    "cleared_more": _(
        "Form F, %(location)s: the area cleared (%(cleared)s m²) is larger than the area "
        "reported as contaminated there last year (%(previous)s m²)."
    ),
    "cumulative_clearance": _(
        "Form F: the area cleared up to %(year)s adds up to %(reported)s m² in this report, "
        "less than the %(previous)s m² reported last year; cumulative clearance never decreases."
    ),
    "not_applicable": _(
        "Form %(form)s is answered “not applicable”, but last year's report held data in it."
    ),
    "changed_empty": _(
        "Form %(form)s is answered “changed” but holds nothing: give what changed, or answer "
        "“unchanged” or “not applicable”."
    ),
}
WHAT = {"munitions": _("cluster munitions"), "submunitions": _("submunitions")}


@dataclass(frozen=True)
class Finding:
    check: str  # a key of MESSAGES
    form: str
    about: str  # the munition type, the location, the form: what the finding is about
    params: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def id(self) -> str:
        return f"{self.check}:{self.form}:{self.about}"

    def message(self) -> str:
        """In the active language."""
        params = dict(self.params)
        if "what" in params:
            params["what"] = WHAT[params["what"]]
        return str(MESSAGES[self.check]) % params

    def as_record(self, explanation: str = "") -> dict[str, Any]:
        """As a version keeps it: enough to say it again in any language."""
        return {
            "id": self.id,
            "check": self.check,
            "form": self.form,
            "about": self.about,
            "params": self.params,
            "explanation": explanation,
        }


def from_record(record: dict[str, Any]) -> Finding:
    return Finding(record["check"], record["form"], record["about"], record["params"])


def _key(text: Any) -> str:
    """Names typed by people: the same type or place whatever the case and spacing."""
    return " ".join(str(text or "").split()).casefold()


def _number(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return Decimal(0)


def _show(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def _form(forms: dict[str, Any], code: str, previous: dict[str, Any] | None) -> dict[str, Any]:
    """A form's values; "unchanged" without values stands for last year's values."""
    values = forms.get(code) or {}
    if values.get("status") == "unchanged" and previous is not None:
        held = {k: v for k, v in values.items() if k not in ("status", "unchanged_since")}
        if not held:
            return previous.get(code) or {}
    if values.get("status") == "not_applicable":
        return {}
    return values


def _sums(rows: Iterable[dict[str, Any]], by: str, amounts: tuple[str, ...]) -> dict[str, Any]:
    """Per name, the sum of each amount; `unknown` holds the (name, amount) pairs a row left
    out (submunitions are optional since template 2010r2: a sum missing some is not a count)."""
    out: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(amounts, Decimal(0)))
    names: dict[str, str] = {}
    unknown: set[tuple[str, str]] = set()
    for row in rows:
        key = _key(row.get(by))
        if not key:
            continue
        names.setdefault(key, " ".join(str(row.get(by)).split()))
        for amount in amounts:
            if row.get(amount) is None:
                unknown.add((key, amount))
            out[key][amount] += _number(row.get(amount, 0))
    return {"sums": out, "names": names, "unknown": unknown}


def stockpile(previous: dict[str, Any], current: dict[str, Any], year: int) -> list[Finding]:
    """Form B: per type, this year's stockpile = last year's − destroyed in `year` + discovered."""
    amounts = ("munitions", "submunitions")
    before = _sums(_form(previous, "B", None).get("stockpiles", []), "munition_type", amounts)
    form = _form(current, "B", previous)
    now = _sums(form.get("stockpiles", []), "munition_type", amounts)
    this_year = [r for r in form.get("destroyed", []) if r.get("year") == year]
    destroyed = _sums(this_year, "munition_type", amounts)
    discovered = _sums(form.get("discovered", []), "munition_type", amounts)
    names = {**discovered["names"], **destroyed["names"], **before["names"], **now["names"]}
    findings = []
    for key in sorted(names):
        for what in amounts:
            sums = (before, destroyed, discovered, now)
            if what == "submunitions" and any((key, what) in part["unknown"] for part in sums):
                continue  # a count not given is not a count of zero: nothing to compare
            was = before["sums"].get(key, {}).get(what, Decimal(0))
            gone = destroyed["sums"].get(key, {}).get(what, Decimal(0))
            found = discovered["sums"].get(key, {}).get(what, Decimal(0))
            reported = now["sums"].get(key, {}).get(what, Decimal(0))
            expected = was - gone + found
            if reported != expected:
                findings.append(Finding("stockpile", "B", f"{key}/{what}", {
                    "type": names[key], "what": what, "previous": _show(was),
                    "destroyed": _show(gone), "discovered": _show(found),
                    "expected": _show(expected), "reported": _show(reported),
                }))  # fmt: skip
    return findings


def contamination(previous: dict[str, Any], current: dict[str, Any], year: int) -> list[Finding]:
    """Form F: per location, this year's area = last year's − cleared there in `year`; a
    location not listed last year is newly found; never more cleared than was contaminated."""
    before = _sums(_form(previous, "F", None).get("contaminated", []), "location", ("area_m2",))
    form = _form(current, "F", previous)
    now = _sums(form.get("contaminated", []), "location", ("area_m2",))
    this_year = [r for r in form.get("cleared", []) if r.get("year") == year]
    cleared = _sums(this_year, "location", ("area_m2",))
    names = {**cleared["names"], **now["names"], **before["names"]}
    findings = []
    for key in sorted(names):
        known = key in before["sums"]
        was = before["sums"].get(key, {}).get("area_m2", Decimal(0))
        done = cleared["sums"].get(key, {}).get("area_m2", Decimal(0))
        reported = now["sums"].get(key, {}).get("area_m2", Decimal(0))
        if done - was > AREA_TOLERANCE and (known or key not in now["sums"]):
            findings.append(Finding("cleared_more", "F", key, {
                "location": names[key], "cleared": _show(done), "previous": _show(was),
            }))  # fmt: skip
        elif known and abs(reported - (was - done)) > AREA_TOLERANCE:
            findings.append(Finding("contamination", "F", key, {
                "location": names[key], "previous": _show(was), "cleared": _show(done),
                "expected": _show(was - done), "reported": _show(reported),
            }))  # fmt: skip
    return findings


def cumulative_clearance(
    previous: dict[str, Any], previous_year: int, current: dict[str, Any]
) -> list[Finding]:
    """Form F: where this report restates the clearance of past years, the total up to last
    year is never smaller than last year's report gave."""
    before = _form(previous, "F", None).get("cleared", [])
    now = _form(current, "F", previous).get("cleared", [])

    def up_to(rows: list[dict[str, Any]]) -> Decimal:
        return sum(
            (_number(r.get("area_m2")) for r in rows if (r.get("year") or 0) <= previous_year),
            Decimal(0),
        )

    restated = [r for r in now if (r.get("year") or 0) <= previous_year]
    if not restated:
        return []
    was, now_says = up_to(before), up_to(restated)
    if was - now_says > AREA_TOLERANCE:
        return [Finding("cumulative_clearance", "F", str(previous_year), {
            "year": previous_year, "previous": _show(was), "reported": _show(now_says),
        })]  # fmt: skip
    return []


def _holds_data(values: dict[str, Any]) -> bool:
    return any(
        v not in (None, "", [], False)
        for k, v in values.items()
        if k not in ("status", "unchanged_since", "explanation")
    )


def not_applicable(previous: dict[str, Any], current: dict[str, Any]) -> list[Finding]:
    """Any form answered "not applicable" where last year's report held data in it."""
    return [
        Finding("not_applicable", code, code, {"form": code})
        for code, values in sorted(current.items())
        if code != "cover"
        and isinstance(values, dict)
        and values.get("status") == "not_applicable"
        and _holds_data(_form(previous, code, None))
    ]


def changed_empty(current: dict[str, Any]) -> list[Finding]:
    """Any form answered "changed" that holds nothing: a warning to explain, not a refusal (a
    State may have nothing more to say than that the form changed; the ISU asks what)."""
    return [
        Finding("changed_empty", code, code, {"form": code})
        for code, values in sorted(current.items())
        if code != "cover"
        and isinstance(values, dict)
        and values.get("status") == "changed"
        and not any(_answered(v) for k, v in values.items() if k not in STATUS_KEYS)
    ]


STATUS_KEYS = ("status", "unchanged_since", "explanation")


def _answered(value: Any) -> bool:
    """A value someone gave: a zero is an answer (`0 in (False,)` is true in Python)."""
    return value is not None and value is not False and value not in ("", [], {})


def cross_year(
    previous: dict[str, Any] | None, previous_year: int | None, current: dict[str, Any], year: int
) -> list[Finding]:
    """Every cross-year finding of a report for `year` against the State's report before it
    (None: there is none, nothing to compare)."""
    if previous is None:
        return []
    findings = stockpile(previous, current, year) + contamination(previous, current, year)
    if previous_year is not None:
        findings += cumulative_clearance(previous, previous_year, current)
    return findings + not_applicable(previous, current)


STOCKPILES, CONTAMINATION = Declared.STOCKPILES.value, Declared.CONTAMINATION.value


def declares(forms: dict[str, Any]) -> set[str]:
    """What a report declares that brings an obligation (issue #10): cluster munitions in stock
    (Form B: Art. 3(2), destroy them) and contaminated areas (Form F: Art. 4(1)(a), clear them)."""
    out = set()
    b = _form(forms, "B", None)
    if any(
        _number(r.get("munitions")) > 0 or _number(r.get("submunitions")) > 0
        for r in b.get("stockpiles", [])
    ):
        out.add(STOCKPILES)
    f = _form(forms, "F", None)
    if any(_number(r.get("area_m2")) > 0 for r in f.get("contaminated", [])):
        out.add(CONTAMINATION)
    return out
