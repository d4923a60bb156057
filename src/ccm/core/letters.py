"""The letterhead a letter is printed on (core/templates/letters/base.html): who writes, from
where, with which logo, and who signs. Domain apps fill it in (the Presidency's comes from
meetings.selectors.letterhead); core only knows its shape."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Letterhead:
    sender: str  # "Presidency of the 13th Meeting of States Parties"
    state: str  # "Philippines"
    address: str = ""
    logo: str = ""  # a data: URI of an image made by the system (never an uploaded file as is)
    signatory: str = ""
    signatory_title: str = ""
    signs_as: str = ""  # "President of the 13th Meeting of States Parties"
