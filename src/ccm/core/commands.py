"""Shared by management commands: how a file with bad rows is reported."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.management.base import CommandError, OutputWrapper


def rows_refused(stderr: OutputWrapper, errors: Sequence[object], what: str) -> CommandError:
    """Write every bad row (`file, line N: reason`), then the one-line error to raise (exit 1)."""
    for error in errors:
        stderr.write(str(error))
    return CommandError(f"{len(errors)} error(s) {what}", returncode=1)
