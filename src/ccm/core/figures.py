"""Figures that letters quote ("100 States Parties", "the vote 141/2/39"), each contributed by
the app that owns the fact, as pages are composed from panels (core.panels): an app registers
its providers when it is ready, and a letter names the figures it uses without knowing which app
computes them (issue #25). So a lower app (meetings, whose letters quote the figures) never
imports the apps above it (compliance, outreach).

A provider gives one or more named figures as of a date, in the active language, each with its
source, for the author to check. A figure asked for that no app provides is an error, never an
empty value: `compute` raises `Unprovided`, and the app that names the figures checks at start
(a system check) and in its tests that every one is provided."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import translation


@dataclass(frozen=True)
class Figure:
    """One figure as of a date, in the language asked for."""

    value: str | None  # None: the record cannot give it on that date (said, never guessed)
    source: str  # where it comes from: the selector and the data it reads, for a person to check
    as_of: date
    note: str = ""  # what the value leaves open, e.g. how many reports are not in our record


Compute = Callable[[date, str], dict[str, Figure]]  # (as of, language) -> figures by name


@dataclass(frozen=True, eq=False)  # one per registration, hashed by identity
class Provider:
    app: str  # who contributes it (the app label)
    labels: dict[str, Any]  # figure name (as written in a letter) -> label for people
    compute: Compute  # gives every name in `labels`, in the active language


class Unprovided(LookupError):
    """A figure that no app provides (a registration missing): never filled in as empty."""


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """Called from an app's `ready()`; registering again (a test reloading apps) replaces the
    app's own, but two apps may not provide the same figure."""
    for name in provider.labels:
        found = _providers.get(name)
        if found is not None and found.app != provider.app:
            raise ValueError(f"figure {name!r} is provided by both {found.app} and {provider.app}")
        _providers[name] = provider


def provided() -> list[str]:
    return sorted(_providers)


def missing(names: Iterable[str]) -> list[str]:
    """The names no app provides."""
    return sorted({n for n in names if n not in _providers})


def label(name: str) -> str:
    found = _providers.get(name)
    if found is None:
        raise Unprovided(name)
    return str(found.labels[name])


def provider_of(name: str) -> str:
    found = _providers.get(name)
    if found is None:
        raise Unprovided(name)
    return found.app


def compute(names: Iterable[str], as_of: date, language: str) -> dict[str, Figure]:
    """The named figures as of a date in a language, each provider run once; `Unprovided` for a
    name no app provides or a provider that does not give what it registered."""
    wanted = list(dict.fromkeys(names))
    lost = missing(wanted)
    if lost:
        raise Unprovided(", ".join(lost))
    out: dict[str, Figure] = {}
    with translation.override(language):
        for provider in dict.fromkeys(_providers[n] for n in wanted):
            given = provider.compute(as_of, language)
            for name in provider.labels:
                if name in wanted:
                    if name not in given:
                        raise Unprovided(f"{provider.app} did not give {name!r}")
                    out[name] = given[name]
    return {name: out[name] for name in wanted}
