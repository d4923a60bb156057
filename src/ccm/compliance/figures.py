"""What Article 7 reporting contributes to the figures letters quote (core.figures, issue #25):
the initial and annual reports certainly missing on the letter's date, read exactly as the
Presidency's circular reads them (`ccm letter circular`), and the next 30 April deadline.

One truth (issue #24): a report not in our record with no evidence either way is unknown, never
missing. A count that leaves reports unknown is "at least N", and the unknown are a figure of
their own; the value is a bare number only where the record is complete for it."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format, localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.compliance import dashboard, letters, rules
from ccm.compliance.selectors import engine_inputs
from ccm.core.figures import Figure, Provider, register

LABELS = {
    "initial reports missing": gettext_lazy(
        'initial reports certainly missing ("at least" where some are not in our record)'
    ),
    "initial reports unknown": gettext_lazy(
        "initial reports past their deadline and not in our record (unknown whether sent)"
    ),
    "annual reports missing": gettext_lazy(
        'annual reports for the latest year fallen due certainly missing ("at least" where '
        "some are not in our record)"
    ),
    "annual reports unknown": gettext_lazy(
        "annual reports for the latest year fallen due not in our record (unknown whether sent)"
    ),
    "annual report year": gettext_lazy("the year those annual reports cover"),
    "deadline": gettext_lazy("the next 30 April deadline for annual reports (Art. 7(2))"),
    "deadline year": gettext_lazy("the year covered by the reports due on that deadline"),
}


def _count(part: letters.CircularPart | None) -> tuple[str, str]:
    """(missing, unknown) as the letter says them: "at least N" while some are unknown."""
    if part is None:
        return localize(0), localize(0)
    certain, unknown = len(part.certain), part.unknown
    missing = _("at least %(n)s") % {"n": localize(certain)} if unknown else localize(certain)
    return missing, localize(unknown)


def next_deadline(as_of: date) -> tuple[date, int]:
    """The next 30 April on or after a day, and the year the reports then due cover."""
    period = as_of.year - 1 if as_of <= rules.annual_report_due(as_of.year - 1) else as_of.year
    return rules.annual_report_due(period), period


def reporting(as_of: date, language: str) -> dict[str, Figure]:
    board = dashboard.build(engine_inputs(), as_of)  # demonstration data never counted
    circular = letters.circular(board)
    day = date_format(as_of, "DATE_FORMAT")
    year = dashboard.latest_annual_year(as_of)
    annual = next((p for p in circular.annual if p.period == year), None)

    def source(part: letters.CircularPart | None) -> str:
        return _(
            "compliance.letters.circular (the compliance engine, as `ccm letter circular "
            "--as-of %(iso)s` and the circular letter read it) on %(day)s: %(due)s past their "
            "deadline, %(certain)s certainly missing (named in the circular), %(unknown)s not "
            "in our record"
        ) % {
            "iso": as_of.isoformat(), "day": day, "due": localize(part.due if part else 0),
            "certain": localize(len(part.certain) if part else 0),
            "unknown": localize(part.unknown if part else 0),
        }  # fmt: skip

    initial_missing, initial_unknown = _count(circular.initial)
    annual_missing, annual_unknown = _count(annual)
    unknown_note = _("the reports not in our record are neither counted as sent nor as missing")
    deadline, covers = next_deadline(as_of)
    rule = _("compliance.rules.annual_report_due: 30 April, for the previous calendar year "
             "(Art. 7(2)), the next on or after %(day)s") % {"day": day}  # fmt: skip
    return {
        "initial reports missing": Figure(
            initial_missing, source(circular.initial), as_of,
            unknown_note if circular.initial.unknown else "",
        ),
        "initial reports unknown": Figure(initial_unknown, source(circular.initial), as_of),
        "annual reports missing": Figure(
            annual_missing, source(annual), as_of,
            unknown_note if annual and annual.unknown else "",
        ),
        "annual reports unknown": Figure(annual_unknown, source(annual), as_of),
        "annual report year": Figure(str(year), source(annual), as_of),
        "deadline": Figure(date_format(deadline, "DATE_FORMAT"), rule, as_of),
        "deadline year": Figure(str(covers), rule, as_of),
    }  # fmt: skip


def register_figures() -> None:
    register(Provider("compliance", LABELS, reporting))
