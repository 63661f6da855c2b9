"""Typography of the built sample page, measured on the PDF (poppler's ``pdftotext -bbox-layout``):
line-start and line-end prohibitions, and body lines that reach their column edge."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from banmian.build import build_edition
from banmian.content import load_edition
from banmian.grid import papers
from banmian.model import copy_text

SAMPLE = Path(__file__).resolve().parents[4] / "content" / "benxi-2020-02"
NO_START = set("。，、；：？！）》〉】」』”’")
NO_END = set("（《〈【「『“‘")
LINE = re.compile(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</line>',
                  re.S)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")


@dataclass(frozen=True)
class Line:
    x0: float
    x1: float
    text: str


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("typo")
    return build_edition(SAMPLE, out, ["pdf"]).outputs[0]


@pytest.fixture(scope="module")
def lines(pdf: Path) -> list[Line]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    found = []
    for match in LINE.finditer(xml):
        text = "".join("".join(re.findall(r">([^<]*)</word>", match.group(3))).split())
        found.append(Line(float(match.group(1)), float(match.group(2)), text))
    return found


def body_lines(lines: list[Line]) -> list[tuple[Line, bool]]:
    """(line, ends a paragraph) for lines that belong to body paragraphs and nothing else."""
    items = copy_text(load_edition(SAMPLE))
    paragraphs = ["".join(i.text.split()) for i in items if i.role == "body"]
    other = ["".join(i.text.split()) for i in items if i.role != "body"]
    found = []
    for line in lines:
        owners = [p for p in paragraphs if line.text in p]
        if len(line.text) < 2 or not owners or any(line.text in o for o in other):
            continue
        found.append((line, any(p.endswith(line.text) for p in owners)))
    return found


def edges(lines: list[Line]) -> list[float]:
    """Column edges: right ends that many lines share."""
    counts = Counter(round(line.x1 * 2) / 2 for line in lines)
    return sorted(x for x, n in counts.items() if n >= 5)


def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(
        lines: list[Line]) -> None:
    assert len(lines) > 300
    assert [ln.text for ln in lines if ln.text[:1] in NO_START] == []
    assert [ln.text for ln in lines if ln.text[-1:] in NO_END] == []


def test_body_lines_reach_the_column_edge(lines: list[Line]) -> None:
    em = papers()["broadsheet"].body_pt
    inner = [line for line, ends in body_lines(lines) if not ends]
    assert len(inner) > 300, "the sample's body lines were not found in the PDF"
    right = edges(lines)
    short = []
    for line in inner:
        edge = min((e for e in right if e >= line.x1 - em / 4), default=None)
        if edge is None or edge - line.x1 > em / 4:
            short.append(line.text)
    ratio = 1 - len(short) / len(inner)
    print(f"justified: {ratio:.2%} of {len(inner)} body lines reach the column edge")
    assert ratio >= 0.99, short


def test_paragraph_ends_are_not_spread(lines: list[Line]) -> None:
    """Last lines keep natural spacing: most end well short of the edge."""
    em = papers()["broadsheet"].body_pt
    right = edges(lines)
    finals = [line for line, ends in body_lines(lines) if ends]
    ragged = [ln for ln in finals
              if min((e for e in right if e >= ln.x1 - em / 4), default=ln.x1) - ln.x1 > em]
    assert len(ragged) > len(finals) / 2


def test_no_space_inside_latin_words_or_digit_runs(pdf: Path) -> None:
    """Justification spreads Han gaps, not words: ``pdftotext -raw`` shows no ``1 1`` in 11."""
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    edition = load_edition(SAMPLE)
    copy = " ".join(item.text for item in copy_text(edition))
    copy += " ".join(b.pinyin or "" for p in edition.pages for b in (p.banner,) if b)
    runs = re.findall(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)+", raw)
    pairs = [f"{a} {b}" for run in runs for a, b in itertools.pairwise(run.split())]
    assert len(re.findall(r"[0-9]{2,}", raw)) > 20, "the sample's numbers were not found"
    assert [pair for pair in pairs if pair not in copy] == []
