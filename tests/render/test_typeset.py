"""CJK preparation adds markup only: the text a reader copies is the text the editor wrote."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from banmian.render.typeset import cjk

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
    assert "<" not in re.sub(r'</?span( class="(latn|nobr|kai-punct)")?>', "", out)


def test_quotes_are_marked_for_kai_text() -> None:
    """WenKai's quotes are 0.35 em: the stylesheets set these spans in the serif in Kai text."""
    assert str(cjk("他说：“好。”")) == (
        '他说：<span class="kai-punct">“</span>好。<span class="kai-punct">”</span>')


def test_latin_runs_and_paired_marks_are_wrapped() -> None:
    assert str(cjk("采用i5/16GB配置——很快")) == (
        '采用<span class="latn">i5/16GB</span>配置<span class="nobr">——</span>很快')
    assert str(cjk("<b>")) == "&lt;<span class=\"latn\">b</span>&gt;"
