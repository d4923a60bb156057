"""Démarches by stage (issue #25, item 10): a campaign chooses its States as of a date (each
State's stage then stored with it and shown), and each letter asks what the stage calls for:
a signatory to ratify, a State that has not signed to accede (to sign and ratify only while
signature was open, before the entry into force on 1 August 2010, Art. 15-16)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from ccm.outreach import letters, rules, selectors, services
from ccm.outreach.models import Campaign
from ccm.registry.models import State

EARLY = date(2009, 6, 1)  # France signatory (ratified 25 Sep 2009), Haiti not yet signed
SIGN = "to sign the Convention on Cluster Munitions while it is open for signature"
RATIFY = "As a signatory of the Convention on Cluster Munitions"
ACCEDE = "to accede to the Convention on Cluster Munitions"


def test_the_rules_of_the_as_of_date_and_the_request_by_stage() -> None:
    today = date(2026, 1, 1)
    assert rules.as_of_refusal(date(2008, 5, 29), today) == "before_adoption"
    assert rules.as_of_refusal(date(2008, 5, 30), today) is None  # adopted at Dublin that day
    assert rules.as_of_refusal(today, today) is None
    assert rules.as_of_refusal(today + timedelta(days=1), today) == "future"
    assert rules.signature_open(date(2010, 7, 31))
    assert not rules.signature_open(date(2010, 8, 1))  # Art. 15: until the entry into force
    assert rules.ask("signatory", date(2009, 1, 1)) == "ratify"
    assert rules.ask("signatory", today) == "ratify"
    assert rules.ask("not_signed", date(2010, 7, 31)) == "sign_and_ratify"
    assert rules.ask("not_signed", date(2010, 8, 1)) == "accede"  # Art. 16(2)
    assert rules.ask("withdrawn", today) == "rejoin"
    assert rules.ask("in_force", today) is None and rules.ask("deposited", today) is None


def _campaign(states: list[State], as_of: date | None = None, body: str | None = None) -> Campaign:
    return services.start_campaign(
        title="Démarche", filters={}, by=None, states=states, as_of=as_of,
        subjects={"en": "The Convention", "fr": "", "es": ""},
        bodies={"en": body or "Excellency,\n\nOn {date} we write to {state}.", "fr": "", "es": ""},
    )  # fmt: skip


def _text(campaign: Campaign, on: date) -> dict[str, str]:
    return {t.state.iso3: letters.letter_html(campaign, t, on)
            for t in campaign.targets.select_related("state")}  # fmt: skip


def test_the_selection_as_of_a_date_changes_who_is_chosen(reference: None) -> None:
    today = timezone.localdate()
    early = set(rules.chosen(selectors.candidates(EARLY), {"signatories_only": True}))
    now = set(rules.chosen(selectors.candidates(today), {"signatories_only": True}))
    assert "FRA" in early and "FRA" not in now  # a signatory then, a State Party since 2009
    assert "HTI" not in early and "HTI" in now  # signed on 28 October 2009
    assert "IDN" in early and "IDN" in now  # signed in 2008, not ratified
    every_early = set(rules.chosen(selectors.candidates(EARLY), {}))
    assert "HTI" in every_early and "USA" in every_early  # not signed then: still chosen


def test_the_stage_is_stored_and_each_letter_asks_by_it(
    reference: None, personas: dict[str, Client]
) -> None:
    states = list(State.objects.filter(iso3__in=["FRA", "HTI", "USA"]))
    early = _campaign(states, as_of=EARLY)
    assert early.as_of == EARLY
    stages = {t.state_id: t.stage for t in early.targets.all()}
    assert stages == {"FRA": "signatory", "HTI": "not_signed", "USA": "not_signed"}
    # Letters dated while signature was open: ratify, or sign and ratify
    then = _text(early, EARLY)
    assert RATIFY in then["FRA"] and SIGN not in then["FRA"] and ACCEDE not in then["FRA"]
    assert SIGN in then["USA"] and ACCEDE not in then["USA"] and RATIFY not in then["USA"]
    # The same letters dated after the entry into force: those who had not signed accede
    later = _text(early, date(2011, 3, 1))
    assert ACCEDE in later["USA"] and SIGN not in later["USA"]
    assert RATIFY in later["FRA"]
    # Today: Haiti is a signatory, the United States has not signed; France is a party, refused
    now = _campaign([s for s in states if s.iso3 != "FRA"])
    assert now.as_of == timezone.localdate()
    today = _text(now, timezone.localdate())
    assert RATIFY in today["HTI"] and ACCEDE not in today["HTI"]
    assert ACCEDE in today["USA"] and RATIFY not in today["USA"]
    # {ask} placed by the author: there, once
    placed = _campaign([State.objects.get(iso3="USA")],
                       body="Excellency,\n\n{ask}\n\nWith our highest consideration.")  # fmt: skip
    html = _text(placed, timezone.localdate())["USA"]
    assert html.count(ACCEDE) == 1 and html.index(ACCEDE) < html.index("highest consideration")
    # In the PDF too
    pdf, n = letters.letters_pdf(now, timezone.localdate())
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert n == 2 and "ratify it as soon as possible" in text and "accede to the" in text
    # The campaign's page shows the date and each State's stage and request
    page = personas["staff"].get(f"/staff/outreach/campaigns/{early.pk}/").content.decode()
    assert 'data-as-of="2009-06-01"' in page
    assert 'data-stage="signatory"' in page and 'data-ask="ratify"' in page
    assert 'data-stage="not_signed"' in page and 'data-ask="accede"' in page  # dated today


def test_the_texts_go_through_the_catalogues(reference: None) -> None:
    """Each request is a gettext message, rendered under the letter's language."""
    from django.utils import translation

    from ccm.outreach.choices import ask_paragraph

    seen: list[str] = []
    real = translation.gettext

    def spy(message: str) -> str:
        seen.append(translation.get_language())
        return real(message)

    from unittest import mock

    with mock.patch("django.utils.translation.gettext", spy):
        for language in ("en", "fr", "es"):
            with translation.override(language):
                for asked in rules.ASKS:
                    assert ask_paragraph(asked)
    # each call looks its texts up in the active language's catalogue (four texts, four asks)
    assert seen == ["en"] * 16 + ["fr"] * 16 + ["es"] * 16


def test_refusals(reference: None, personas: dict[str, Client]) -> None:
    usa = [State.objects.get(iso3="USA")]
    today = timezone.localdate()
    with pytest.raises(services.Refused, match="adopted on"):
        _campaign(usa, as_of=date(2008, 5, 29))
    with pytest.raises(services.Refused, match="future"):
        _campaign(usa, as_of=today + timedelta(days=1))
    with pytest.raises(services.Refused, match="States Parties on"):
        _campaign([State.objects.get(iso3="FRA")], as_of=today)  # nothing to ask of a party
    assert not Campaign.objects.exists()
    # Through the page: the preview and the start both refuse, nothing written
    staff = personas["staff"]
    url = "/staff/outreach/campaigns/new/"
    letter = {"title": "T", "subject_en": "S", "body_en": "Dear {state}", "action": "start"}
    for bad, says in (("2008-05-29", "was adopted on"), ((today + timedelta(1)).isoformat(),
                                                         "future date")):  # fmt: skip
        preview = staff.get(url, {"as_of": bad, "regions": ["Africa"]})
        assert preview.status_code == 400 and says in preview.content.decode()
        started = staff.post(url, {**letter, "as_of": bad, "regions": ["Africa"]})
        assert started.status_code == 400 and says in started.content.decode()
    assert staff.get(url, {"as_of": "not-a-date"}).status_code == 400
    assert not Campaign.objects.exists()


def test_the_page_chooses_as_of_a_date_and_stores_it(
    reference: None, personas: dict[str, Client]
) -> None:
    staff = personas["staff"]
    url = "/staff/outreach/campaigns/new/"
    choose = {"as_of": EARLY.isoformat(), "signatories_only": "on"}
    preview = staff.get(url, choose).content.decode()
    assert 'data-as-of="2009-06-01"' in preview and "France" in preview
    assert 'data-ask="ratify"' in preview
    today = staff.get(url, {"signatories_only": "on"}).content.decode()
    assert "France" not in today.split('id="chosen-count"')[1].split("</p>")[0]
    letter = {"title": "Signatories 2009", "subject_en": "Ratification",
              "body_en": "Excellency,\n\n{ask}"}  # fmt: skip
    done = staff.post(url, {**choose, "action": "start", **letter})
    assert done.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.as_of == EARLY and "as_of" not in campaign.filters
    assert campaign.targets.filter(state_id="FRA", stage="signatory").exists()
    assert not campaign.targets.exclude(stage="signatory").exists()


def test_a_campaign_without_a_recorded_stage_says_so(reference: None, settings: Any) -> None:
    """A campaign made before issue #25 has no stage per target: its letters ask nothing by
    stage (no guess), and its page says the stage was not recorded."""
    campaign = _campaign([State.objects.get(iso3="USA")])
    campaign.targets.update(stage="")
    html = _text(campaign, timezone.localdate())["USA"]
    assert ACCEDE not in html and SIGN not in html
    row = selectors.campaign_rows(campaign)[0]
    assert row.ask is None and row.stage_label == ""
