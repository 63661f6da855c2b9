"""Headline breaking: balanced, no single character alone, Latin runs kept whole."""

from __future__ import annotations

from banmian.backends.pdf.layout.headlines import balance


def test_a_headline_that_fits_stays_on_one_line() -> None:
    assert balance("党员就要看得出来冲得上去", 18) == ["党员就要看得出来冲得上去"]


def test_a_long_headline_is_balanced_and_loses_nothing() -> None:
    text = "用爱心和责任守住一道门护好一街人"
    lines = balance(text, 9)
    assert "".join(lines) == text
    assert [len(line) for line in lines] == [8, 8]


def test_latin_runs_and_punctuation_are_not_split() -> None:
    text = "本溪5500余个基层党组织和11万余名党员充分发挥作用"
    lines = balance(text, 14)
    assert "".join(lines) == text
    assert all(len(line) <= 14 for line in lines)
    assert not any(line.endswith(("5", "1")) for line in lines[:-1])
    assert all(len(line) >= 2 for line in balance("一二三四五六七八九十，甲", 10))
    assert not any(line.startswith("，") for line in balance("一二三四五六七八九十，甲乙", 10))
