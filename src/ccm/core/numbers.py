"""Whole numbers typed by people or forged in requests: ASCII digits only ("²" and "٣" pass
str.isdigit but int() refuses them or reads them otherwise), and never longer than needed."""

from __future__ import annotations


def whole(text: object, *, digits: int = 12, signed: bool = False) -> int | None:
    """The whole number `text` says, or None."""
    value = str(text if text is not None else "").strip()
    sign = 1
    if signed and value.startswith("-"):
        sign, value = -1, value[1:]
    if not value or len(value) > digits or not (value.isascii() and value.isdigit()):
        return None
    return sign * int(value)
