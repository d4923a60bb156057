"""Every user-facing string is translated into French and Spanish, and the compiled catalogues
(committed) say the same as their sources."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_catalogue_is_complete_and_compiled(lang: str) -> None:
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES/django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{lang}: untranslated {untranslated}"
    assert not fuzzy, f"{lang}: fuzzy {fuzzy}"
    mo = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in polib.mofile(str(LOCALE / lang / "LC_MESSAGES/django.mo"))
    }
    stale = [
        e.msgid
        for e in po.translated_entries()
        if mo.get((e.msgctxt, e.msgid)) != (e.msgstr, e.msgstr_plural)
    ]
    assert not stale, f"{lang}: django.mo is older than django.po for {stale} (make messages)"


def test_placeholders_survive_translation() -> None:
    for lang in ("fr", "es"):
        for e in polib.pofile(str(LOCALE / lang / "LC_MESSAGES/django.po")).translated_entries():
            wanted = sorted(p for p in e.msgid.split("%(")[1:])
            wanted = sorted(p.split(")")[0] for p in wanted)
            got = sorted(
                p.split(")")[0] for p in (e.msgstr or e.msgstr_plural.get(1, "")).split("%(")[1:]
            )
            assert wanted == got, f"{lang}: {e.msgid!r}"
