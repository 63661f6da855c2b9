"""Justification spreads Han gaps and Han–Latin boundaries, never a Latin word, a digit run or
the copy's own spaces (measured with poppler on a built PDF)."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from banmian.build import build_edition
from banmian.grid import papers

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")]

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">'
                  r"(.*?)</word>")
SENTENCE = "今年2月11日发布的iPhone 15 Pro售价为12999元，同比上涨3.5%，首批到货1200台。"
STORY = "+++\nheadline = \"新品\"\n+++\n\n" + SENTENCE * 12 + "\n"


def test_latin_words_and_numbers_are_not_spread(make_edition: Callable[..., Path],
                                                tmp_path: Path) -> None:
    folder = make_edition(files={"story.md": STORY})
    pdf = build_edition(folder, tmp_path / "out", ["pdf"]).outputs[0]
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    flat = raw.replace("\n", "")
    assert flat.count("12999") == 12 and flat.count("1200") == 12 and flat.count("3.5%") == 12
    assert re.search(r"\d \d|i P|P h|P r", raw) is None
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    words = [(float(a), float(b), t) for a, b, t in WORD.findall(xml)]
    em = papers()["broadsheet"].body_pt
    gaps = [nxt[0] - cur[1] for cur, nxt in itertools.pairwise(words)
            if cur[2].endswith("iPhone") and nxt[2].startswith("15")]
    assert gaps and max(gaps) < 0.4 * em, gaps  # the copy's space, not a justified gap


def test_the_last_line_of_a_paragraph_cut_between_frames_is_justified_too() -> None:
    from weasyprint import HTML

    from banmian.backends.pdf.layout.justify import justified_lines

    html = ('<div style="width: 120px; font-size: 12px">'
            '<p style="text-align: justify">{}</p>'
            '<p class="runs-on" style="text-align: justify">{}</p></div>').format(
                "字" * 25, "字" * 25)
    found = justified_lines(HTML(string=html).render())
    ends = [(sorted(block.element.get("class", "").split()), last) for _, block, last in found]
    assert ends.count(([], True)) == 1 and (["runs-on"], True) not in ends
    assert len(ends) == 6  # three lines each
