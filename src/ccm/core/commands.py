"""Shared by management commands: `--as-of` and `--format` checks (exit 2 with one line), and
how a file with bad rows is reported (exit 1)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, OutputWrapper
from django.utils import timezone
from django.utils.translation import gettext

from ccm.core.as_of import validate_as_of

# A hostile file once produced 257,894 errors: show the first ones and count the rest.
ERRORS_SHOWN = 100


def rows_refused(stderr: OutputWrapper, errors: Sequence[object], what: str) -> CommandError:
    """Write the bad rows (`file, line N: reason`; the first ERRORS_SHOWN, then how many more),
    then the one-line error to raise (exit 1)."""
    for error in errors[:ERRORS_SHOWN]:
        stderr.write(str(error))
    if len(errors) > ERRORS_SHOWN:
        stderr.write(f"... and {len(errors) - ERRORS_SHOWN} more error(s)")
    return CommandError(f"{len(errors)} error(s) {what}", returncode=1)


def parse_as_of(value: str | None) -> date:
    """`--as-of YYYY-MM-DD` (default today), in the range every page accepts; else exit 2."""
    if value is None:
        return timezone.localdate()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        # The message in the active language, like the range check's (issue #7).
        message = gettext("%(value)s is not a date (YYYY-MM-DD)") % {"value": repr(value)}
        raise CommandError(f"--as-of: {message}", returncode=2) from None
    try:
        validate_as_of(day)
    except ValidationError as exc:
        raise CommandError(f"--as-of: {' '.join(exc.messages)}", returncode=2) from None
    return day


def check_format(value: str, formats: Sequence[str]) -> None:
    """`--format` is one of `formats`; else exit 2 with one line."""
    if value not in formats:
        raise CommandError(f"--format: {value!r} is not one of {', '.join(formats)}", returncode=2)
