"""One validator for a report received (issue #8): the import and the admin refuse the same
records, each in its own words (the register's row by row; the admin's beside the field)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from ccm.reports import rules, services
from ccm.reports.imports import ImportError_
from ccm.reports.models import Submission

pytestmark = pytest.mark.django_db

HEADER = "iso3,kind,period,received_on,received_by,languages,source\n"
FORM = {
    "state": "CHL", "kind": "annual", "period": "2012", "received_on": "2013-04-20",
    "received_by": "", "channel": "email_un", "languages": "es", "un_link": "",
    "stated_due_date": "", "notes": "", "source": "ISU register",
}  # fmt: skip

# (what is wrong, the row's changes, the field the admin names, the code)
REFUSED = [
    ("a year before the Convention", {"period": "2009"}, "period", "period_range"),
    ("a year covered for an initial report", {"kind": "initial"}, "period", "initial_has_period"),
    (
        "both dates",
        {"received_by": "2013-04-30"},
        "received_by",
        "both_dates",
    ),
    ("a date to come", {"received_on": "2099-01-01"}, "received_on", "future"),
    ("received before its year", {"received_on": "2011-06-01"}, "received_on", "before_period"),
    ("not UN language codes", {"languages": "es,xx"}, "languages", "languages"),
    ("a State that deposited nothing", {"state": "PER", "period": ""}, "kind", "no_instrument"),
]


def _row(values: dict[str, str]) -> str:
    v = {**FORM, **values}
    iso3 = "PER" if v["state"] == "PER" else "CHL"
    return (
        f"{iso3},{v['kind']},{v['period']},{v['received_on']},{v['received_by']},"
        f'"{v["languages"]}",{v["source"]}\n'
    )


@pytest.mark.parametrize(("what", "changes", "field", "code"), REFUSED)
def test_the_import_and_the_admin_refuse_the_same_report(
    personas: dict[str, Client], what: str, changes: dict[str, str], field: str, code: str
) -> None:
    if code == "no_instrument":  # Peru (the personas' other State) has not deposited here
        from ccm.registry.models import TreatyAction

        TreatyAction.objects.filter(state_id="PER").exclude(kind="signature").delete()
    with pytest.raises(ImportError_) as refused:
        services.import_reports("r.csv", (HEADER + _row(changes)).encode(), by=None)
    lines = [str(e) for e in refused.value.errors]
    assert any(rules.IMPORT_MESSAGES[code].split("{")[0] in line for line in lines), lines
    response = personas["staff"].post("/admin/reporting/submission/add/", {**FORM, **changes})
    assert response.status_code == 200, what  # the form again, nothing recorded
    errors = response.context["adminform"].form.errors
    if code == "initial_has_period":  # enforced by a constraint: a message for the whole form
        assert str(rules.FORM_MESSAGES[code]) in str(errors), what
    else:
        assert field in errors, (what, errors)
    assert not Submission.objects.exists()


def test_a_good_report_passes_both(personas: dict[str, Client]) -> None:
    services.import_reports("r.csv", (HEADER + _row({})).encode(), by=None)
    Submission.objects.all().delete()
    response = personas["staff"].post("/admin/reporting/submission/add/", FORM)
    assert response.status_code == 302
    assert Submission.objects.get().received_on == date(2013, 4, 20)


def test_each_check_is_a_pure_function_of_the_values() -> None:
    today = date(2026, 11, 28)
    assert [p.code for p in rules.period_problems("annual", 2027, today)] == ["period_range"]
    assert [p.code for p in rules.period_problems("retention", 2027, today)] == [
        "period_range",
        "retention_needs_period",  # the year given is no year at all
    ]
    assert rules.period_problems("annual", 2026, today) == []
    assert [p.code for p in rules.date_problems(date(2027, 1, 1), None, None, today)] == ["future"]
    assert rules.membership_problems("USA", "voluntary", None, today) == []
    assert [p.code for p in rules.membership_problems("USA", "annual", None, today)] == [
        "no_instrument"
    ]
    assert rules.language_codes(" EN, fr ,,") == ["en", "fr"]
