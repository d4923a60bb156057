"""JSON documents from outside (a report document given to `ccm import_report`), bounded before
and while they are parsed (issue #32, finding 6): 100,000 nested brackets made `json.loads`
raise RecursionError, and a count of 10^40 was taken. The nesting is measured on the text
first; numbers are checked as the parser meets them; NaN and Infinity, which Python's parser
takes but JSON does not have, are refused. Each refusal is one line."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, NoReturn

from django.utils.translation import gettext as _

# A string with its escapes (skipped whole: its brackets do not count), or a bracket.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


class JSONRefused(ValueError):
    """The document cannot be taken; the message, one line, says why."""


@dataclass(frozen=True)
class JSONLimits:
    max_bytes: int = 20 * 2**20
    max_depth: int = 32  # a report document nests 5 deep ($.forms.B.stockpiles[3].munitions)
    max_digits: int = 15  # a whole number beyond 10^15 is no count of anything


def _refuse(message: str) -> NoReturn:
    raise JSONRefused(message)


def too_deep(text: str, limit: int) -> int | None:
    """Where (1-based character) the brackets outside strings first nest deeper than `limit`,
    or None. Linear, without recursion, whatever the text."""
    level = 0
    for token in _TOKEN.finditer(text):
        bracket = token[0]
        if bracket in "[{":
            level += 1
            if level > limit:
                return token.start() + 1
        elif bracket in "]}":
            level -= 1
    return None


def load_json(data: bytes, limits: JSONLimits | None = None) -> Any:
    """The document in `data` (UTF-8 JSON), or JSONRefused with one line."""
    limits = limits or JSONLimits()
    if len(data) > limits.max_bytes:
        _refuse(_("larger than %(n)d MB") % {"n": limits.max_bytes // 2**20})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _refuse(_("not UTF-8 text (byte %(at)d)") % {"at": exc.start})
    where = too_deep(text, limits.max_depth)
    if where is not None:
        _refuse(
            _("nested deeper than %(n)d levels (at character %(at)d)")
            % {"n": limits.max_depth, "at": where}
        )

    def whole(literal: str) -> int:
        if len(literal.lstrip("-")) > limits.max_digits:
            _refuse(
                _("the number %(number)s has more than %(n)d digits: no count is that large")
                % {"number": _short(literal), "n": limits.max_digits}
            )
        return int(literal)

    def real(literal: str) -> float:
        number = float(literal)
        if not math.isfinite(number) or abs(number) >= 10.0**limits.max_digits:
            _refuse(
                _("the number %(number)s is larger than %(n)d digits allow")
                % {"number": _short(literal), "n": limits.max_digits}
            )
        return number

    def constant(name: str) -> NoReturn:
        _refuse(_("%(name)s is not a number JSON has") % {"name": name})

    try:
        return json.loads(text, parse_int=whole, parse_float=real, parse_constant=constant)
    except json.JSONDecodeError as exc:
        _refuse(
            _("not a JSON document (%(why)s at line %(line)d, column %(column)d)")
            % {"why": exc.msg, "line": exc.lineno, "column": exc.colno}
        )
    except RecursionError:  # cannot happen under the depth limit; never a traceback if it does
        _refuse(_("nested too deeply"))


def _short(literal: str) -> str:
    """A number as it can be shown on one line."""
    if len(literal) <= 24:
        return literal
    return f"{literal[:10]}…{literal[-4:]} ({len(literal)} characters)"
