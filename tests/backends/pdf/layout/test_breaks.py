"""Widows, orphans and stranded subheads: found in WeasyPrint's box tree, avoided on the sample
page (print.css asks for two lines), reported (BM304) where the frame leaves no other break."""

from __future__ import annotations

from pathlib import Path

import pytest

from banmian.backends.pdf.layout.breaks import Strand, strands
from banmian.build import build_edition

SAMPLE = Path(__file__).resolve().parents[4] / "content" / "benxi-2020-02"
# Two columns of five 20 px lines.
PAGE = """<style>@page {{ size: 400px 400px; margin: 0 }}
body {{ margin: 0; font: 10px/20px monospace; }}
div {{ columns: 2; column-gap: 20px; column-fill: auto; width: 220px; height: 100px; }}
p, h3 {{ margin: 0; widows: {n}; orphans: {n}; }} h3 {{ font-size: 10px; }}</style>
<div data-module="m">{body}</div>"""


def _p(lines: int, word: str) -> str:
    return "<p>" + "<br>".join(f"{word}{i}" for i in range(1, lines + 1)) + "</p>"


def _strands(body: str, n: int) -> list[Strand]:
    from weasyprint import HTML

    return strands(HTML(string=PAGE.format(n=n, body=body)).render())


def test_a_single_line_carried_over_is_a_widow() -> None:
    six_lines = _p(6, "x")
    assert _strands(six_lines, 1) == [Strand("widow", "m", "x6")]
    assert _strands(six_lines, 2) == []


def test_a_single_line_left_behind_is_an_orphan() -> None:
    body = _p(4, "y") + _p(3, "x")
    assert _strands(body, 1) == [Strand("orphan", "m", "x1")]
    assert _strands(body, 2) == []


def test_a_subhead_at_a_column_foot_is_stranded() -> None:
    body = _p(3, "y") + '<h3 class="subhead">head</h3>' + _p(3, "x")
    assert _strands(body, 1) == [Strand("orphan", "m", "x1"), Strand("subhead", "m", "head")]
    two_under = _p(2, "y") + '<h3 class="subhead">head</h3>' + _p(3, "x")
    assert _strands(two_under, 1) == [Strand("widow", "m", "x3")]  # the subhead is fine


@pytest.mark.slow
def test_the_sample_page_has_no_widow_orphan_or_stranded_subhead(tmp_path: Path) -> None:
    result = build_edition(SAMPLE, tmp_path, ["pdf"])
    assert [d for d in result.diagnostics if d.code == "BM304"] == []
