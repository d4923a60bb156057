"""`ccm letter circular --as-of YYYY-MM-DD --language en|fr|es [--out FILE.pdf] [--format json]`.

The Presidency's circular on Article 7 reporting, for automation and checking (issue #24, a
stable contract). `--format json` prints `as_of`, `language`, and for `initial` and for each
annual year (`annual`, with `period` and `due_date`) `overdue_iso3` (the States the letter
names: certainly overdue), `unknown` (how many reports it can only count, not in our record
with no evidence either way) and `due` (reports whose deadline had passed, as `ccm compliance`
counts them). `--out` writes the PDF the staff page serves, from the same function. Without
either, one line per report. Bad input exits 2 with one line. Demonstration data are never
counted unless `--include-demo` is given.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.compliance import dashboard, letters
from ccm.compliance.selectors import engine_inputs
from ccm.core.commands import check_format, parse_as_of

LETTERS = ("circular",)
FORMATS = ("text", "json")


def _bad(option: str, message: str) -> CommandError:
    return CommandError(f"{option}: {message}", returncode=2)


def _writable(value: str) -> Path:
    """The --out path, checked before anything is computed (WeasyPrint takes seconds)."""
    path = Path(value)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise _bad("--out", f"{value!r} is a directory")
    if not folder.is_dir():
        raise _bad("--out", f"folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise _bad("--out", f"{value!r} cannot be written")
    return path


class Command(BaseCommand):
    help = "The Presidency's circular on Article 7 reports on a date, as JSON or PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("letter", help="circular")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--language", default="en", help=", ".join(letters.LETTER_LANGUAGES))
        parser.add_argument("--out", help="write the letter as PDF to this file")
        parser.add_argument("--format", dest="fmt", default="text", help="text or json")
        parser.add_argument(
            "--include-demo", action="store_true", help="count generated demonstration data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["letter"] not in LETTERS:
            raise CommandError(
                f"{options['letter']!r} is not one of {', '.join(LETTERS)}", returncode=2
            )
        check_format(options["fmt"], FORMATS)
        language = options["language"]
        if language not in letters.LETTER_LANGUAGES:
            raise _bad(
                "--language", f"{language!r} is not one of {', '.join(letters.LETTER_LANGUAGES)}"
            )
        as_of = parse_as_of(options["as_of"])
        out = _writable(options["out"]) if options["out"] else None
        board = dashboard.build(engine_inputs(options["include_demo"]), as_of)
        if out is not None:
            pdf = letters.pdf(letters.render_circular(board, language))
            try:
                out.write_bytes(pdf)
            except OSError as exc:
                why = f"{options['out']!r} cannot be written ({exc.strerror})"
                raise _bad("--out", why) from None
        record = letters.circular(board).record(language)
        if options["fmt"] == "json":
            self.stdout.write(json.dumps(record, ensure_ascii=False, indent=2))
            return
        parts = [("initial", record["initial"])]
        parts += [(f"annual {p['period']}", p) for p in record["annual"]]
        for name, p in parts:
            named = " ".join(p["overdue_iso3"]) or "-"
            self.stdout.write(
                f"{name}: due {p['due']}, named as overdue {len(p['overdue_iso3'])} ({named}), "
                f"cannot confirm {p['unknown']}"
            )
        if out is not None:
            self.stdout.write(f"written: {out}")
