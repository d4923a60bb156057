"""Letters with live figures (issue #25): the Presidency's letters quote the Convention's figures
([States Parties], [GA vote], [initial reports missing], [deadline], [next meeting]...) computed
as of the letter's date by the apps that own them, each listed with its source on the letter's
page for the author to check, never in the letter sent.

The figures of compliance and outreach reach the letters through core.figures (the apps register
their providers when ready): meetings, below them, never imports them. A figure named in the
letters' vocabulary that no app provides fails here and at start, never as an empty figure."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ccm.core import figures
from ccm.core.figures import Figure, Provider
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.core.testing.queries import queries
from ccm.meetings import figures as meeting_figures
from ccm.meetings import letters, rules, services
from ccm.meetings.models import Letter, Presidency
from ccm.registry.models import State
from ccm.registry.selectors import counts_on

JANUARY_2017 = date(2017, 1, 15)
DESK: dict[str, int | str] = {
    "anonymous": LOGIN, "other_focal_point": 403, "focal_point": 403, "presidency": 200,
    "staff": 200,
}  # fmt: skip
# The 7th Meeting was held: a Presidency account reads that year's letters, only the ISU changes
# them (meetings.selectors.may_change)
CHANGE_HELD: dict[str, int | str] = {
    "anonymous": LOGIN, "other_focal_point": 403, "focal_point": 403, "presidency": 403,
    "staff": 302,
}  # fmt: skip
OWNERS = {
    "States Parties": "registry", "signatories": "registry",
    "GA vote": "outreach", "GA yes": "outreach", "GA no": "outreach",
    "GA abstentions": "outreach", "GA resolution": "outreach", "GA date": "outreach",
    "initial reports missing": "compliance", "initial reports unknown": "compliance",
    "annual reports missing": "compliance", "annual reports unknown": "compliance",
    "annual report year": "compliance", "deadline": "compliance", "deadline year": "compliance",
    "next meeting": "meetings", "next meeting dates": "meetings",
    "next meeting place": "meetings",
}  # fmt: skip


@pytest.fixture
def shipped(reference: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _january_letter(**fields: Any) -> Letter:
    """The Presidency of the 7th Meeting writes at the start of 2017, from the model letter
    that quotes every kind of figure."""
    presidency = Presidency.objects.get(meeting__code="7MSP")
    return services.save_letter(presidency, {
        "dated": JANUARY_2017, "reference": "DEU/CCM/2017/1",
        **letters.starting_point("year_ahead"), **fields,
    }, by=None)  # fmt: skip


def _engine(day: date) -> dict[str, Any]:
    """What the circular letter reads on a day, as `ccm letter circular --format json` prints
    it (the compliance engine's one reading; meetings does not import compliance)."""
    out = StringIO()
    call_command("letter", "circular", "--as-of", day.isoformat(), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def _said(certain: int, unknown: int) -> str:
    return f"at least {certain}" if unknown else str(certain)


# The registry of figures ------------------------------------------------------------------


def test_every_figure_a_letter_may_name_is_provided_by_the_app_that_owns_it() -> None:
    assert set(OWNERS) == set(rules.FIGURES), "name the owner of each figure here"
    assert figures.missing(rules.FIGURES) == []
    assert {name: figures.provider_of(name) for name in rules.FIGURES} == OWNERS
    assert meeting_figures.check_figures() == []
    assert all(figures.label(name) for name in rules.FIGURES)
    assert set(rules.FIGURES).isdisjoint(rules.PLACEHOLDERS)
    assert all(len(name) <= 30 for name in rules.VOCABULARY)  # the placeholders' syntax


def test_a_registration_missing_fails_loudly_never_an_empty_figure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    without = {k: v for k, v in figures._providers.items() if k != "GA vote"}
    monkeypatch.setattr(figures, "_providers", without)
    found = meeting_figures.check_figures()
    assert [e.id for e in found] == ["meetings.E001"] and "[GA vote]" in found[0].msg
    with pytest.raises(figures.Unprovided, match="GA vote"):
        figures.compute(["States Parties", "GA vote"], JANUARY_2017, "en")
    with pytest.raises(figures.Unprovided):
        figures.label("GA vote")


def test_two_apps_cannot_provide_one_figure_and_a_provider_gives_what_it_registered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(figures, "_providers", dict(figures._providers))
    with pytest.raises(ValueError, match="provided by both registry and finance"):
        figures.register(Provider("finance", {"States Parties": "x"}, lambda d, lang: {}))
    assert figures.provider_of("States Parties") == "registry"  # nothing was replaced
    figures.register(Provider("test", {"lost": "x"}, lambda d, lang: {}))
    with pytest.raises(figures.Unprovided, match="test did not give 'lost'"):
        figures.compute(["lost"], JANUARY_2017, "en")


def test_the_vocabulary_accepts_the_figures_and_still_catches_typos() -> None:
    assert rules.unknown_placeholders("[States Parties] and [GA vote] by [deadline]") == []
    assert rules.unknown_placeholders("[State Parties] [GA votes]") == ["GA votes", "State Parties"]
    assert rules.figures_in("[deadline] [State] [GA vote] [deadline]") == ["GA vote", "deadline"]
    filled = rules.fill("[GA vote] [next meeting dates]", {"GA vote": "141"})
    assert filled == "141 [next meeting dates]"  # a figure the record lacks stays as written


# The January 2017 letter from the shipped data ---------------------------------------------


def test_the_january_2017_letter_states_its_figures_from_the_shipped_data(shipped: None) -> None:
    letter = _january_letter()
    assert letter.languages == ["en", "fr", "es"]
    quoted = letters.figures_of(letter, "en")  # the model letter quotes all but the GA parts
    assert set(quoted) == set(rules.FIGURES) - {"GA yes", "GA no", "GA abstentions"}
    found = figures.compute(rules.FIGURES, letter.dated, "en")
    assert all(quoted[name] == found[name] for name in quoted)
    value = {name: f.value for name, f in found.items()}
    assert value["States Parties"] == "100" and value["signatories"] == "19"
    assert (value["GA yes"], value["GA no"], value["GA abstentions"]) == ("141", "2", "39")
    assert value["GA vote"] == "141 in favour, 2 against and 39 abstentions"
    assert value["GA resolution"] == "A/RES/71/45" and value["GA date"] == "5 December 2016"
    assert value["deadline"] == "30 April 2017" and value["deadline year"] == "2016"
    assert value["next meeting"] == "7th Meeting of States Parties"
    assert value["next meeting dates"] == "4 September 2017 – 6 September 2017"
    assert value["next meeting place"] == "Palais des Nations, Room XIX, Geneva"
    # Reports: exactly what the compliance engine says, as the circular letter says it
    engine = _engine(JANUARY_2017)
    initial = engine["initial"]
    certain, unknown = len(initial["overdue_iso3"]), initial["unknown"]
    assert value["initial reports missing"] == _said(certain, unknown)
    assert value["initial reports unknown"] == str(unknown)
    assert unknown and value["initial reports missing"] == f"at least {certain}"  # partial
    annual = next(p for p in engine["annual"] if p["period"] == 2015)  # the latest fallen due
    assert value["annual report year"] == "2015"
    assert value["annual reports missing"] == _said(len(annual["overdue_iso3"]), annual["unknown"])
    assert value["annual reports unknown"] == str(annual["unknown"])
    # The letter as printed
    english = letters.render(letter, "en")
    for said in (
        "The Convention now has 100 States Parties, and 19 signatories",
        "(A/RES/71/45, 5 December 2016) was adopted with 141 in favour, 2 against and 39 "
        "abstentions", f"Our record shows {value['initial reports missing']} initial reports",
        "Annual reports covering 2016 are due by 30 April 2017",
        "The 7th Meeting of States Parties will be held on 4 September 2017 – 6 September 2017 "
        "at Palais des Nations, Room XIX, Geneva",
    ):  # fmt: skip
        assert said in english, said
    body = english.split('class="subject"')[1]
    assert "[" not in body.replace("[State]", "")  # every figure filled in ([State]: to no one)
    assert "counts_on" not in english and "selectors" not in english  # sources stay out
    french = letters.render(letter, "fr")
    assert "30 avril 2017" in french and "7e Assemblée des États parties" in french
    assert "5 décembre 2016" in french and "compte désormais 100 États parties" in french


def test_the_figures_are_those_of_the_letters_date(shipped: None) -> None:
    later = _january_letter(dated=date(2025, 6, 2))
    value = {n: f.value for n, f in letters.figures_of(later, "en").items()}
    counts = counts_on(date(2025, 6, 2))
    assert value["States Parties"] == str(counts.parties) != "100"
    assert value["signatories"] == str(counts.signatories)
    assert value["GA resolution"] != "A/RES/71/45" and value["deadline"] == "30 April 2026"
    assert value["next meeting"] == "13th Meeting of States Parties"
    initial = _engine(date(2025, 6, 2))["initial"]
    assert value["initial reports missing"] == _said(
        len(initial["overdue_iso3"]), initial["unknown"]
    )
    # On 30 April itself the deadline is that day's; the day after, the next year's
    assert _january_letter(dated=date(2017, 4, 30)).dated == date(2017, 4, 30)
    on_the_day = letters.figures_of(Letter.objects.get(dated=date(2017, 4, 30)), "en")
    assert on_the_day["deadline"].value == "30 April 2017"
    day_after = _january_letter(dated=date(2017, 5, 1))
    assert letters.figures_of(day_after, "en")["deadline"].value == "30 April 2018"


def test_a_figure_the_record_cannot_give_stays_as_written_and_is_said(shipped: None) -> None:
    """The 3rd Review Conference has no dates nor venue in the record: a letter of 2026 keeps
    [next meeting dates] as written, and its sources list says why."""
    letter = _january_letter(dated=date(2026, 1, 15))
    found = letters.figures_of(letter, "en")
    assert found["next meeting"].value == "3rd Review Conference"
    assert found["next meeting dates"].value is None
    assert "not yet recorded" in found["next meeting dates"].note
    assert "will be held on [next meeting dates] at [next meeting place]" in letters.render(
        letter, "en"
    )


def test_one_letter_per_state_computes_the_figures_once_per_language(shipped: None) -> None:
    letter = _january_letter()
    parties = letters.audience("parties", letter.dated)
    assert len(parties) == 100

    def cost(states: list[State]) -> int:
        with CaptureQueriesContext(connection) as ctx:
            html = letters.render_to_states(letter, states)
        assert "100 States Parties" in html
        return len(ctx)

    cost(parties[:1])  # first use: what is read once per process (e.g. the data revision)
    assert cost(parties[:5]) == cost(parties)
    chile = State.objects.get(iso3="CHL")
    html = letters.render_to_states(letter, [chile, State.objects.get(iso3="FRA")])
    assert "La Convención cuenta ya con 100 Estados Partes" in html  # Chile's Spanish
    assert "compte désormais 100 États parties" in html and "30 avril 2017" in html  # France


# The letter's page: the sources, for the author --------------------------------------------


def test_the_letters_page_lists_each_figure_with_its_source(
    personas: dict[str, Client], shipped: None
) -> None:
    letter = _january_letter()
    url = f"/staff/meetings/letters/{letter.pk}/"
    assert_matrix(personas, url, DESK)
    page = personas["presidency"].get(url).content.decode()
    sources = page.split('id="letter-sources"')[1].split("</section>")[0]
    assert "The figures in this letter, as of 15 January 2017" in page
    for name in rules.FIGURES:  # the figures the letter quotes, and only those
        listed = f'data-figure="{name}"' in sources
        assert listed is (name in letters.figures_used(letter)), name
    for source in (
        "registry.selectors.counts_on", "outreach.selectors.latest_assembly_vote",
        "compliance.letters.circular", "ccm letter circular --as-of 2017-01-15",
        "compliance.rules.annual_report_due", "meetings.selectors.coming_meeting",
        "CCM Presidency statement of 9 Dec 2016",  # the vote's official totals, as recorded
        "the per-State record counts 141/1/39",  # the difference is said
    ):  # fmt: skip
        assert source in sources, source
    assert "<strong>141 in favour, 2 against and 39 abstentions</strong>" in sources
    assert "as of 15 January 2017" in sources
    # Bounded whatever the number of States: the engine reads in 8 queries, the rest in ~9
    assert queries(personas["presidency"], url) <= 25
    # The preview is the letter, without the list
    for language in ("en", "fr", "es"):
        preview = f"/staff/meetings/letters/{letter.pk}/{language}/"
        assert_matrix(personas, preview, DESK)
        html = personas["presidency"].get(preview).content.decode()
        assert "100" in html and "letter-sources" not in html and "selectors" not in html
    assert_matrix(personas, f"/staff/meetings/letters/{letter.pk}/states/?to=all", DESK)
    # The form's help names every figure
    listing = personas["staff"].get("/staff/meetings/7MSP/letters/").content.decode()
    help_text = listing.split('id="letter-figures-help"')[1].split("</details>")[0]
    assert all(f"<code>[{name}]</code>" in help_text for name in rules.FIGURES)


def test_writing_a_letter_with_figures_and_the_refusals(
    personas: dict[str, Client], shipped: None
) -> None:
    url = "/staff/meetings/7MSP/letters/"
    assert_matrix(personas, url, DESK)
    fields = {"dated": "2017-01-15", "subject_en": "[States Parties] States Parties",
              "body_en": "Excellency,\n\n[GA vote]; by [deadline].", "revision": "0"}  # fmt: skip
    assert_matrix(personas, url, CHANGE_HELD, method="post", data=fields)
    letter = Letter.objects.get()
    assert letter.subject_en == "[States Parties] States Parties"
    page = personas["staff"].get(f"/staff/meetings/letters/{letter.pk}/").content.decode()
    assert 'data-figure="GA vote"' in page and 'data-figure="signatories"' not in page
    for typo in ("[States parties]", "[GA Vote]", "[deadlines]", "[next meeting date]"):
        refused = personas["staff"].post(url, {**fields, "body_en": f"It is {typo}."})
        assert refused.status_code == 400, typo
        assert "Unknown placeholders" in refused.content.decode()
        assert "[next meeting place]" in refused.content.decode()  # the known ones, said
    assert Letter.objects.count() == 1  # nothing written
    edit = f"/staff/meetings/letters/{letter.pk}/"
    change = {**fields, "body_en": "[signatories] signatories.", "revision": "1"}
    assert_matrix(personas, edit, CHANGE_HELD, method="post", data=change)
    assert Letter.objects.get().body_en == "[signatories] signatories."
    forged = {**change, "revision": "2"}
    assert personas["staff"].post("/staff/meetings/letters/99999/", forged).status_code == 404
    assert personas["staff"].get("/staff/meetings/NOPE/letters/").status_code == 404
    assert personas["presidency"].get("/staff/meetings/letters/99999/").status_code == 404


def test_a_letter_that_quotes_no_figure_computes_none(
    monkeypatch: pytest.MonkeyPatch, shipped: None
) -> None:
    letter = _january_letter(
        subject_en="The [meeting]", body_en="[State]", subject_fr="", body_fr="", subject_es="",
        body_es="",
    )  # fmt: skip

    def refuse(*args: Any) -> dict[str, Figure]:
        raise AssertionError("no figure was asked for")

    monkeypatch.setattr(figures, "compute", refuse)
    assert letters.figures_of(letter, "en") == {} and letters.sources(letter, "en") == []
    assert "7th Meeting of States Parties" in letters.render(letter, "en")
