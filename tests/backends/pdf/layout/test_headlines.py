"""Headline breaking: balanced, no single character alone, Latin runs kept whole."""

from __future__ import annotations

import itertools

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


def test_lines_break_between_words_only() -> None:
    """The issue's splits (抗/疫, 网格/员, 大/家) cannot happen: breaks are jieba word starts."""
    for text, per_line in [("把初心和使命写在抗疫一线", 7),
                           ("葫芦岛疫情排查党员网格员作用明显", 10),
                           ("再苦再累，也得带着大家挺过这个特殊时期", 10),
                           ("抚顺各级第一书记在抗疫前线主动作为", 10)]:
        lines = balance(text, per_line)
        assert "".join(lines) == text and len(lines) == 2
        joins = [a[-1] + b[0] for a, b in itertools.pairwise(lines)]
        assert not set(joins) & {"抗疫", "格员", "大家", "书记", "初心"}, lines


def test_a_single_long_word_still_breaks() -> None:
    assert "".join(balance("中华人民共和国", 4)) == "中华人民共和国"
    assert len(balance("中华人民共和国", 4)) == 2
