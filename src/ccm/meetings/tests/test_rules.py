"""UN document symbols and meeting rules (issue #11)."""

from __future__ import annotations

from datetime import date

import pytest

from ccm.meetings import rules


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("CCM/MSP/2017/1", ("MSP", 2017, 1, "", None, ())),
        ("CCM/CONF/2015/WP.3", ("CONF", 2015, 3, "WP", None, ())),
        ("CCM/MSP/2019/PM.1/2", ("MSP", 2019, 2, "", 1, ())),
        ("CCM/MSP/2017/INF.1", ("MSP", 2017, 1, "INF", None, ())),
        ("CCM/CONF/2021/CRP.2", ("CONF", 2021, 2, "CRP", None, ())),
        ("CCM/MSP/2022/L.1/Rev.1", ("MSP", 2022, 1, "L", None, (("Rev", 1),))),
        ("CCM/MSP/2010/3/Add.1/Corr.2", ("MSP", 2010, 3, "", None, (("Add", 1), ("Corr", 2)))),
    ],
)
def test_valid_symbols_parse_into_their_parts_and_read_back(text: str, parts: tuple) -> None:
    symbol = rules.parse_symbol(f"  {text} ")
    got = (symbol.body, symbol.year, symbol.number, symbol.series, symbol.preparatory,
           symbol.suffixes)  # fmt: skip
    assert got == parts and str(symbol) == text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("CCM/MSP/2017", "is not a document symbol"),
        ("CCM/ABC/2017/1", "the body is MSP or CONF"),
        ("CCM/MSP/1999/1", "outside 2008–2100"),
        ("CCM/MSP/2017/XY.1", "the series is one of WP, INF, CRP, L"),
        ("CCM/MSP/2017/0", "is not a document symbol"),
        ("CCM/MSP/2017/WP.", "is not a document symbol"),
        ("ccm/msp/2017/1", "is not a document symbol"),
        ("CCM/MSP/2017/1/Rev", "is not a document symbol"),
        ("APLC/MSP.17/2019/1", "is not a document symbol"),
        ("", "is not a document symbol"),
    ],
)
def test_invalid_symbols_say_why(text: str, said: str) -> None:
    with pytest.raises(rules.SymbolError, match=said):
        rules.parse_symbol(text)


def test_status_on_a_day() -> None:
    start, end = date(2017, 9, 4), date(2017, 9, 6)
    assert rules.status_on(start, end, False, date(2017, 9, 3)) == "planned"
    assert rules.status_on(start, end, False, date(2017, 9, 5)) == "convened"
    assert rules.status_on(start, end, False, date(2017, 9, 7)) == "held"
    assert rules.status_on(start, None, False, date(2017, 9, 5)) == "held"
    assert rules.status_on(None, None, False, date(2030, 1, 1)) == "planned"
    assert rules.status_on(start, end, True, date(2017, 9, 7)) == "cancelled"


def test_ordinals_and_modes() -> None:
    assert [rules.ordinal(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd",
    ]  # fmt: skip
    assert (rules.ordinal(1, "fr"), rules.ordinal(7, "fr"), rules.ordinal(7, "es")) == (
        "1re", "7e", "7.ª",
    )  # fmt: skip
    assert rules.mode_of("virtual") == "virtual"
    assert rules.mode_of("Palais des Nations (hybrid)") == "hybrid"
    assert rules.mode_of("Palais des Nations, Room XIX") == "in_person"
