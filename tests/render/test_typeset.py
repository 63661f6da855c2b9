"""CJK preparation adds markup only: the text a reader copies is the text the editor wrote."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from banmian.chinese.words import word_starts
from banmian.render.typeset import LAYOUT_RUN, cjk, squeezed, words

TEXT = st.text(alphabet=st.sampled_from(
    list("本报讯党员疫情防控，。、；：？！“”（）《》——……") + list("abcXYZ019 .,%/<>&\"'")))


@given(TEXT)
def test_markup_never_changes_the_text(text: str) -> None:
    out = str(cjk(text))
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text


@given(TEXT)
def test_output_is_well_formed(text: str) -> None:
    out = str(cjk(text))
    assert out.count("<span") == out.count("</span>")
    assert "<" not in re.sub(r'</?span( class="(latn|nobr|kai-punct|halt|open|run| )+")?>', "",
                             out)


def test_quotes_are_marked_for_kai_text() -> None:
    """WenKai's quotes are 0.35 em: the stylesheets set these spans in the serif in Kai text."""
    assert str(cjk("他说“好”")) == (
        '他说<span class="kai-punct">“</span>好<span class="kai-punct">”</span>')


def test_latin_runs_and_paired_marks_are_wrapped() -> None:
    assert str(cjk("采用i5/16GB配置——很快")) == (
        '采用<span class="latn">i5/16GB</span>配置<span class="nobr">——</span>很快')
    assert str(cjk("<b>")) == "&lt;<span class=\"latn\">b</span>&gt;"


@given(st.lists(TEXT, min_size=1, max_size=8), st.integers(1, 60))
def test_long_copy_is_cut_into_runs_at_breaks_it_has_anyway(parts: list[str], times: int) -> None:
    """A stretch over LAYOUT_RUN characters is laid out in pieces (WeasyPrint's time per text
    box grows with the square of its length): the text is unchanged, each piece is at most
    LAYOUT_RUN characters, and a cut falls only before a Han character, after a Han character
    or a sentence or clause mark."""
    text = ("".join(parts) + "这是一段很长的正文，用来测试排版时间。" + "长" * 70) * times
    out = str(cjk(text))
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text
    runs = [html.unescape(re.sub(r"<[^>]+>", "", r))
            for r in re.findall(r'<span class="run">(.*?)</span>', out)]
    assert all(len(run) <= LAYOUT_RUN for run in runs)
    for cut in re.finditer(r'(.)</span><span class="run">(.)', out):  # a cut between runs
        assert re.match(r"[\u3400-\u9fff]", cut.group(2)), cut.group(0)
        assert re.match(r"[\u3400-\u9fff。！？；，、]", cut.group(1)), cut.group(0)


def test_a_huge_paragraph_is_laid_out_in_pieces() -> None:
    text = "这是一段很长的正文，用来测试排版时间。" * 12_632  # 240,008 characters
    out = str(cjk(text))
    assert out.count('<span class="run">') >= len(text) // LAYOUT_RUN
    assert re.sub(r"<[^>]+>", "", out) == text
    assert str(cjk("长" * LAYOUT_RUN)) == "长" * LAYOUT_RUN  # short copy: no markup added


@pytest.mark.parametrize(("run", "expected"), [
    ("：“", [True, False]), ("。”", [True, False]), ("），", [True, False]),
    ("”、", [True, False]), ("（“", [False, True]), ("”。“", [True, True, False]),
    ("》《", [True, False]),
])
def test_runs_squeeze_all_but_one_blank_half(run: str, expected: list[bool]) -> None:
    """clreq / GB/T 15834: two marks in a row take 1.5 em (one keeps its blank half)."""
    assert squeezed(run) == expected


def test_squeezed_marks_are_marked() -> None:
    assert str(cjk("他说：“好。”又（“")) == (
        '他说<span class="halt">：</span><span class="kai-punct">“</span>好'
        '<span class="halt">。</span><span class="kai-punct">”</span>又（'
        '<span class="kai-punct halt open">“</span>')


def test_headings_break_between_words_only() -> None:
    text = "把初心和使命写在抗疫一线"
    assert str(words(text, epub=True)) == (
        "把<wbr/>初心<wbr/>和<wbr/>使命<wbr/>写<wbr/>在<wbr/>抗疫<wbr/>一线")
    word = '<span class="word">抗疫</span>'
    printed = str(words(text))
    assert word in printed and "抗疫" not in printed.replace(word, "")
    starts = word_starts("葫芦岛疫情排查党员网格员")
    assert 9 in starts and 10 not in starts and 11 not in starts


@given(TEXT)
def test_word_markup_never_changes_the_text(text: str) -> None:
    for out in (str(words(text, epub=True)), str(words(text))):
        assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text


def test_traditional_headings_break_between_words() -> None:
    """jieba's dictionary is Simplified: Traditional text is read in its Simplified form, so
    發布會 and 醫療機構 stay whole (before, every Traditional character was a word)."""
    assert str(words("iPhone 15發布會在台北舉行", epub=True)) == (
        '<span class="latn">iPhone 15</span><wbr/>發布會<wbr/>在<wbr/>台北<wbr/>舉行')
    starts = word_starts("臺灣各級醫療機構全力投入")
    assert {2, 4, 8} <= starts and not {1, 3, 5, 6, 7} & starts
    assert 4 in word_starts("著名作家乾隆")  # Simplified text as it is (not 着名作家干隆)


@pytest.mark.parametrize("text, run", [("接种率突破80%", "80%"), ("COVID-19疫情", "COVID-19"),
                                       ("新款iPhone 15发布", "iPhone 15")])
def test_no_word_break_inside_a_latin_run(text: str, run: str) -> None:
    epub, printed = str(words(text, epub=True)), str(words(text))
    assert f'<span class="latn">{run}</span>' in epub and f">{run}<" in printed
