"""`ccm logo --meeting CODE --national-logo FILE --language en --out FILE.svg|.png|.pdf`: the
meeting's logo (issue #11). A stable contract: an unknown meeting, an unsafe or unreadable logo,
an unknown language or output type exits 2 with one line and writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.meetings import logo
from ccm.meetings.models import Meeting

LANGUAGES = ("en", "fr", "es")
OUTPUTS = (".svg", ".png", ".pdf")


class Command(BaseCommand):
    help = "Compose a meeting's logo (the Convention's mark, the national logo, the title)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--meeting", required=True, help="meeting code, e.g. 7MSP")
        parser.add_argument("--national-logo", dest="national", required=True, type=Path)
        mark = "the Convention's mark (SVG or PNG); a placeholder otherwise"
        parser.add_argument("--mark", type=Path, default=None, help=mark)
        languages = "en, fr or es; several separated by commas: en,fr"
        parser.add_argument("--language", default="en", help=languages)
        parser.add_argument("--out", required=True, type=Path, help="FILE.svg, .png or .pdf")

    def _refuse(self, message: str) -> CommandError:
        return CommandError(message, returncode=2)

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        if out.suffix.lower() not in OUTPUTS:
            raise self._refuse(f"--out: {out.name} is not .svg, .png or .pdf")
        languages = [part.strip() for part in options["language"].split(",") if part.strip()]
        if not languages or any(lang not in LANGUAGES for lang in languages):
            raise self._refuse(f"--language: {options['language']!r} is not en, fr or es")
        meeting = Meeting.objects.filter(code__iexact=options["meeting"]).first()
        if meeting is None:
            raise self._refuse(f"--meeting: no meeting {options['meeting']!r}")
        logos: list[logo.Logo | None] = []
        for option in ("national", "mark"):
            path: Path | None = options[option]
            if path is None:
                logos.append(None)
                continue
            if not path.is_file():
                raise self._refuse(f"{path}: no such file")
            try:
                logos.append(logo.read_logo(path.name, path.read_bytes()))
            except logo.UnsafeLogo as exc:
                raise self._refuse(f"{path.name}: refused: {exc}") from None
        national, mark = logos
        assert national is not None
        svg = logo.compose(meeting, national, languages, mark)
        suffix = out.suffix.lower()
        data = (svg.encode() if suffix == ".svg" else logo.to_pdf(svg) if suffix == ".pdf"
                else logo.to_png(svg))  # fmt: skip
        out.write_bytes(data)
        self.stdout.write(f"{out} ({len(data) // 1024} KB)")
        for language, pieces in logo.untranslated(meeting, languages).items():
            # said, never guessed: a place with no known translation stays as written
            self.stderr.write(f"{language}: left as written (no known translation): "
                              f"{', '.join(pieces)}")  # fmt: skip
