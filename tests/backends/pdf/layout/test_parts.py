"""Modules cut in parts: between blocks, between briefs, and inside a measured paragraph
where one of its lines ends."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from banmian.backends.pdf.layout.depth import line_key
from banmian.backends.pdf.layout.parts import LEAST, Cut, cut, part_lines, split_paragraph, units
from banmian.model import Module, Paragraph, Section, Source, Span

WHERE = Source("m.md", 1)
WIDTH = 117.0


def story(*texts: str) -> Module:
    return Module("m", "article", WHERE, headline="标题", contributor="某某", sections=(
        Section(None, tuple(Paragraph((Span(t),), WHERE) for t in texts), WHERE),))


def test_a_measured_paragraph_may_be_cut_where_a_line_ends_two_lines_from_either_end() -> None:
    m = story("一" * 10, "二" * 60)
    lines = {line_key(WIDTH, "二" * 60): (13, 26, 39, 52, 60)}  # five lines
    assert units(m) == [Cut(1)]
    assert units(m, lines, WIDTH) == [Cut(1), Cut(1, 26), Cut(1, 39)]


def test_a_cut_inside_a_paragraph_runs_the_head_on_and_continues_the_tail() -> None:
    m = story("一" * 10, "二" * 30 + "三" * 30, "四" * 5)
    head, tail = cut(m, Cut(1, 30))
    assert [p.text for s in head.sections for p in s.blocks] == ["一" * 10, "二" * 30]
    assert [p.text for s in tail.sections for p in s.blocks] == ["三" * 30, "四" * 5]
    last, first = head.sections[-1].blocks[-1], tail.sections[0].blocks[0]
    assert isinstance(last, Paragraph) and last.runs_on and not last.continues
    assert isinstance(first, Paragraph) and first.continues and not first.runs_on
    assert head.headline and tail.headline is None and tail.contributor == "某某"


def test_the_parts_of_a_cut_paragraph_keep_its_measured_lines() -> None:
    paragraph = Paragraph((Span("二" * 60),), WHERE)
    lines = {line_key(WIDTH, paragraph.text): (13, 26, 39, 52, 60)}
    assert part_lines(paragraph, 26, WIDTH, lines) == {
        line_key(WIDTH, "二" * 26): (13, 26), line_key(WIDTH, "二" * 34): (13, 26, 34)}


@given(st.lists(st.sampled_from(["字", "A", " ", "，", "b"]), min_size=2, max_size=40),
       st.integers(min_value=1, max_value=3), st.data())
def test_a_split_paragraph_loses_and_moves_no_character(chars: list[str], spans: int,
                                                         data: st.DataObject) -> None:
    text = "".join(chars)
    solid = len("".join(text.split()))
    if solid < 2:
        return
    at = data.draw(st.integers(min_value=1, max_value=solid - 1))
    size = -(-len(text) // spans)
    paragraph = Paragraph(tuple(Span(text[i:i + size], "em" if i else "plain")
                                for i in range(0, len(text), size)), WHERE)
    head, tail = split_paragraph(paragraph, at)
    assert len("".join(head.text.split())) == at
    assert "".join((head.text + tail.text).split()) == "".join(text.split())
    for style in ("plain", "em"):  # each style keeps its own characters
        parts = [x.text for x in head.spans + tail.spans if x.style == style]
        whole = [x.text for x in paragraph.spans if x.style == style]
        assert "".join("".join(parts).split()) == "".join("".join(whole).split())


def test_a_paragraph_too_short_to_leave_two_lines_on_each_side_is_not_cut_inside() -> None:
    m = story("二" * 39)
    assert units(m, {line_key(WIDTH, "二" * 39): (13, 26, 39)}, WIDTH) == []
    assert LEAST == 2
