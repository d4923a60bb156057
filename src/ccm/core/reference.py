"""The reference data every app ships, loaded by one command (`ccm load_reference_data`).

Each app registers its loader when it is ready (`AppConfig.ready`), so the command never needs
to know which apps exist; loaders run in the order of INSTALLED_APPS (the States first)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Loaded:
    """What one loader did: lines to flag (a source disagreeing with the rules) and a summary."""

    summary: str
    flagged: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Loader:
    app: str
    load: Callable[..., Loaded]  # keyword options of the command; raises tables.RowsRefused
    refused: str  # how the command ends when the files hold errors, e.g. "nothing was loaded"


_loaders: list[Loader] = []


def register(app: str, load: Callable[..., Loaded], refused: str) -> None:
    """Called from an app's `ready()`; registering twice (a test reloading apps) is harmless."""
    if not any(loader.app == app for loader in _loaders):
        _loaders.append(Loader(app, load, refused))


def loaders() -> list[Loader]:
    return list(_loaders)


def load_all(**options: Any) -> list[Loaded]:
    """Every app's reference data, in order (tests and benchmarks use it)."""
    return [loader.load(**options) for loader in _loaders]
