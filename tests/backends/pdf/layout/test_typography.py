"""Typography of the built sample page, measured on the PDF (poppler's ``pdftotext -bbox-layout``):
line-start and line-end prohibitions, and body lines that reach their column edge."""

from __future__ import annotations

import html
import itertools
import re
import shutil
import statistics
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


CHAR = re.compile(r'<char quad="[^"]*" x="([\d.]+)" y="[\d.]+" color="[^"]*" c="([^"]*)"/>')
FONT = re.compile(r'<font name="[^"]*" size="([\d.]+)">(.*?)</font>', re.S)
MARKS = NO_START | NO_END


def _stext_lines(pdf: Path) -> list[list[tuple[float, str, float]]]:
    """(x, character, font size) of every character, line by line (MuPDF's structured text)."""
    stext = subprocess.run(["mutool", "draw", "-F", "stext", "-o", "-", str(pdf)],
                           capture_output=True, text=True, check=True).stdout
    return [[(float(x), html.unescape(c), float(size))
             for size, body in FONT.findall(line) for x, c in CHAR.findall(body)]
            for line in re.findall(r"<line .*?</line>", stext, re.S)]


@pytest.mark.skipif(shutil.which("mutool") is None, reason="needs mupdf-tools")
def test_two_marks_in_a_row_take_at_most_one_and_a_half_em(pdf: Path) -> None:
    """clreq / GB/T 15834: ``：“`` ``。”`` ``），`` take 1.5 em, not 2 (justification aside)."""
    pairs = []
    for chars in _stext_lines(pdf):
        han = [b[0] - a[0] - a[2] for a, b in itertools.pairwise(chars)
               if "\u4e00" <= a[1] <= "\u9fff" and "\u4e00" <= b[1] <= "\u9fff"]
        spacing = statistics.median(han) if han else 0.0  # the line's justification
        for a, b, c in zip(chars, chars[1:], chars[2:], strict=False):
            if a[1] in MARKS and b[1] in MARKS and c[1] not in MARKS:
                pairs.append((a[1] + b[1], (c[0] - a[0] - 2 * spacing) / a[2]))
    assert len(pairs) > 20, "the sample's punctuation pairs were not found"
    assert [(run, round(width, 2)) for run, width in pairs if width > 1.52] == []


def headings() -> list[str]:
    """The sample's kickers, headlines, decks, subheads and brief titles."""
    edition = load_edition(SAMPLE)
    found = []
    for module in edition.modules:
        found += [t for t in (module.kicker, module.headline, module.deck) if t]
        found += [s.subhead for s in module.sections if s.subhead]
        found += [b.title for b in module.briefs]
    return ["".join(t.split()) for t in found]


def test_headings_break_between_words_only(lines: list[Line]) -> None:
    """Issue 12: a heading set on two or more lines breaks only where a word starts."""
    from banmian.chinese.words import word_starts

    texts = [ln.text for ln in lines]
    broken = 0
    for heading in headings():
        for index, text in enumerate(texts):
            rest = heading[len(text):]
            if len(text) < 2 or text == heading or not heading.startswith(text) \
                    or not any(t.startswith(rest[:2]) for t in texts[index + 1:index + 40]):
                continue
            broken += 1
            assert len(text) in word_starts(heading), (heading, text)
    assert broken >= 4  # the sample sets at least four headings on two lines
