"""Each State's working language: defaults from its official languages, set by staff (admin or
import), kept by later loads, used by contacts, letters and reminders."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from ccm.registry import services
from ccm.registry.admin import StateAdmin
from ccm.registry.models import Contact, State
from ccm.registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("iso2", "language"),
    [
        ("FR", "fr"),
        ("CL", "es"),
        ("ES", "es"),
        ("GQ", "es"),  # Equatorial Guinea: es, fr, pt official -> Spanish first
        ("CH", "fr"),  # Switzerland: de, fr, it -> French
        ("BE", "fr"),  # Belgium: nl, fr, de -> French
        ("CM", "fr"),  # Cameroon: fr, en -> French
        ("CA", "en"),  # Canada: en, fr -> English, documented override
        ("RW", "en"),  # Rwanda: English administration since 2008, documented override
        ("MX", "es"),  # no official language in law: the de facto one
        ("US", "en"),
        ("DE", "en"),
        ("NO", "en"),
    ],
)
def test_default_working_language_follows_official_languages(iso2: str, language: str) -> None:
    assert services.default_working_language(iso2) == language


def test_loaded_states_get_their_working_language(registry_reference: None) -> None:
    languages = dict(State.objects.values_list("iso3", "language"))
    assert languages["FRA"] == "fr"
    assert languages["CHL"] == "es" and languages["ESP"] == "es"
    assert languages["CHE"] == "fr" and languages["CAN"] == "en"
    assert languages["GBR"] == "en" and languages["BFA"] == "fr"
    assert not State.objects.filter(language_set_by_staff=True).exists()


def test_staff_set_language_survives_load_reference_data(registry_reference: None) -> None:
    State.objects.filter(iso3="CHE").update(language="en", language_set_by_staff=True)
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()
    assert State.objects.get(iso3="CHE").language == "en"


def test_default_is_applied_again_while_staff_have_not_chosen(registry_reference: None) -> None:
    State.objects.filter(iso3="FRA").update(language="en")  # e.g. an old database
    services.load_reference_data()
    assert State.objects.get(iso3="FRA").language == "fr"


def test_choosing_the_language_in_the_admin_marks_it_as_staffs(registry_reference: None) -> None:
    state = State.objects.get(iso3="CMR")
    state.language = "en"
    request = RequestFactory().post("/")
    request.user = factories.UserFactory.create(is_staff=True, is_superuser=True)
    StateAdmin(State, site).save_model(
        request, state, SimpleNamespace(changed_data=["language"]), True
    )
    state.refresh_from_db()
    assert state.language == "en" and state.language_set_by_staff
    services.load_reference_data()
    assert State.objects.get(iso3="CMR").language == "en"


def test_a_new_contact_takes_its_states_working_language(registry_reference: None) -> None:
    chile = State.objects.get(iso3="CHL")
    contact = Contact.objects.create(state=chile, name="Ana", role="national_focal_point")
    assert contact.language == "es"
    chosen = Contact.objects.create(
        state=chile, name="John", role="national_focal_point", language="en"
    )
    assert chosen.language == "en"


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "languages.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_working_languages_is_all_or_nothing(
    registry_reference: None, tmp_path: Path
) -> None:
    bad = _csv(tmp_path, "iso3,language\nCHE,en\nXXX,fr\nCAN,de\n")
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_working_languages", str(bad), stderr=err)
    assert exc.value.returncode == 1
    assert "line 3: iso3 'XXX' is not a known State" in err.getvalue()
    assert "line 4: language 'de' is not one of en, fr, es" in err.getvalue()
    assert State.objects.get(iso3="CHE").language == "fr"  # nothing written

    good = _csv(tmp_path, "iso3,language\nCHE,en\ncan,FR\n")
    out = io.StringIO()
    call_command("import_working_languages", str(good), stdout=out)
    assert "changed: CHE: fr -> en" in out.getvalue() and "2 changed" in out.getvalue()
    services.load_reference_data()
    assert dict(State.objects.filter(iso3__in=["CHE", "CAN"]).values_list("iso3", "language")) == {
        "CHE": "en",
        "CAN": "fr",
    }


def test_migration_keeps_languages_staff_set_and_fills_the_others(db: None) -> None:
    from importlib import import_module

    migration = import_module("ccm.registry.migrations.0002_working_language")
    fra = factories.StateFactory(iso3="FRA", iso2="FR", language="en")
    bel = factories.StateFactory(iso3="BEL", iso2="BE", language="es")  # staff chose it
    che = factories.StateFactory(iso3="CHE", iso2="CH", language="fr")
    che.language = "en"  # staff changed it back to English: the history shows it
    che.save()
    migration.fill_working_languages(apps, None)
    got = {
        s.iso3: (s.language, s.language_set_by_staff)
        for s in State.objects.filter(pk__in=[fra.pk, bel.pk, che.pk])
    }
    assert got == {"FRA": ("fr", False), "BEL": ("es", True), "CHE": ("en", True)}
