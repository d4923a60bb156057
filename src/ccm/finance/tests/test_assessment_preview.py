"""The assessment preview says what the saved page says (issue #24, item 5): a ceiling of 22 % is
"22 %", never "0.22", and States by name, their shares in percent formatted alike."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from django.test import Client

from ccm.finance import selectors
from ccm.finance.models import Assessment

pytestmark = pytest.mark.django_db
DATA = {
    "purpose": "isu", "year": "2026", "cost": "12,500.50", "as_of": "2026-01-01",
    "without_rate": "exclude", "ceiling": "22", "action": "preview",
    # issue #25: a payer without a rate (the Cook Islands, Niue) is excluded only with a reason
    "exclude_reason": "no UN rate and no notional rate",
}  # fmt: skip
PERCENT_22 = re.compile(r"\b22(\s|&nbsp;)?%")  # French puts a (no-break) space before %


def _share_cell(html: str, name: str) -> str:
    row = re.search(rf"<td>{re.escape(name)}</td>(.*?)</tr>", html, re.S)
    assert row, name
    return re.findall(r'<td class="text-end">(.*?)</td>', row.group(1))[1]


def test_share_percent_is_the_one_formatting_of_a_share() -> None:
    assert selectors.share_percent(D("0.22")) == D("22.00")
    assert selectors.share_percent("0.015") == D("1.500")
    assert selectors.share_percent(None) is None


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_preview_shows_percentages_and_names_as_the_saved_page(
    reference: None, personas: dict[str, Client], language: str
) -> None:
    staff = personas["staff"]
    prefix = "" if language == "en" else f"/{language}"
    preview = staff.post(f"{prefix}/staff/finance/assess/", DATA).content.decode()
    method = preview.split('id="method"', 1)[1].split("</div>", 1)[0]
    assert PERCENT_22.search(method) and "0.22" not in method and "0,22" not in method
    table = preview.split('id="preview"', 1)[1]
    assert ">CHL<" not in table and ">FRA<" not in table
    saved = staff.post(f"{prefix}/staff/finance/assess/", {**DATA, "action": "save"})
    assert saved.status_code == 302
    page = staff.get(saved["Location"]).content.decode()
    assert PERCENT_22.search(page.split('id="assessment-method"', 1)[1].split("</dd>", 1)[0])
    name = Assessment.objects.get().lines.get(state_id="CHL").state.name
    assert _share_cell(table, name) == _share_cell(page.split('id="lines"', 1)[1], name)
