"""Shared by management commands: how a file with bad rows is reported."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.management.base import CommandError, OutputWrapper

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
