"""factory_boy factories of the registry: States, treaty actions, contacts, and `party()`."""

from __future__ import annotations

import csv
from datetime import date

import factory

from ccm.core.testing.factories import UserFactory
from ccm.registry.choices import ActionKind
from ccm.registry.models import Contact, State, TreatyAction
from ccm.registry.services import STATES_CSV

__all__ = ["ContactFactory", "StateFactory", "TreatyActionFactory", "UserFactory", "party"]


def _free_iso2() -> list[str]:
    """Two-letter codes no shipped State uses: a made-up State never collides with a real one
    when a test also loads the reference data (Afghanistan's AF did, once the sequence got
    there)."""
    with STATES_CSV.open(encoding="utf-8", newline="") as fh:
        taken = {row["iso2"] for row in csv.DictReader(fh)}
    letters = [chr(c) for c in range(65, 91)]
    return [a + b for a in letters for b in letters if a + b not in taken]


FREE_ISO2 = _free_iso2()


class StateFactory(factory.django.DjangoModelFactory[State]):
    class Meta:
        model = State
        django_get_or_create = ("iso3",)

    iso3 = factory.Sequence(lambda n: "X" + chr(65 + n // 26 % 26) + chr(65 + n % 26))
    iso2 = factory.Sequence(lambda n: FREE_ISO2[n % len(FREE_ISO2)])
    m49 = factory.Sequence(lambda n: 900 + n)
    name_en = factory.LazyAttribute(lambda s: f"State {s.iso3}")
    name_fr = factory.LazyAttribute(lambda s: f"État {s.iso3}")
    name_es = factory.LazyAttribute(lambda s: f"Estado {s.iso3}")
    region = "Europe"
    subregion = "Western Europe"
    source = "test"


class TreatyActionFactory(factory.django.DjangoModelFactory[TreatyAction]):
    class Meta:
        model = TreatyAction

    state = factory.SubFactory(StateFactory)
    kind = ActionKind.SIGNATURE
    date = date(2008, 12, 3)
    source = "test source"


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    state = factory.SubFactory(StateFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    role = "national_focal_point"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


_CODES = {"CHL": (152, "CL"), "PER": (604, "PE"), "LTU": (440, "LT"), "ECU": (218, "EC")}


def party(
    iso3: str,
    name: str,
    *,
    signed: str | None = None,
    deposited: str | None = None,
    kind: str = ActionKind.RATIFICATION,
    withdrawal_effect: str | None = None,
) -> State:
    m49, iso2 = _CODES.get(iso3, (None, None))
    extra = {"m49": m49, "iso2": iso2} if m49 else {}
    state = StateFactory(
        iso3=iso3, name_en=name, region="Americas", subregion="South America", **extra
    )
    if signed:
        TreatyActionFactory(state=state, kind=ActionKind.SIGNATURE, date=date.fromisoformat(signed))
    if deposited:
        TreatyActionFactory(state=state, kind=kind, date=date.fromisoformat(deposited))
    if withdrawal_effect:
        TreatyActionFactory(
            state=state,
            kind=ActionKind.WITHDRAWAL,
            date=None,
            effective_date=date.fromisoformat(withdrawal_effect),
        )
    return state
