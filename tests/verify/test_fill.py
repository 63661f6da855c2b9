"""The frame-fill measure on written PDFs: a frame with one line of copy is short by nearly its
depth, a boxed frame's rectangle is where its rule is drawn, uncovered grid rows are a hole,
copy outside a (shrunken) frame is overset, and a press PDF measures as the plain one."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from banmian.build import build_edition
from banmian.content import load_edition
from banmian.grid import papers
from banmian.model import Edition, Placement
from banmian.verify.fill import ColumnFill, FrameFill, Rect, frames, lines_short, measure

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "benxi-2020-02"
LINE = papers()["tabloid"].body_pt * papers()["tabloid"].leading

@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory,
          short_and_box: dict[str, str]) -> tuple[Path, Path, Path]:
    """The page of ``short_and_box``, built plain and for the press."""
    folder = tmp_path_factory.mktemp("fill") / "fill-test"
    folder.mkdir()
    for name, text in short_and_box.items():
        (folder / name).write_text(text, encoding="utf-8")
    plain = build_edition(folder, folder.parent / "out", ["pdf"]).outputs[0]
    press = build_edition(folder, folder.parent / "press", ["pdf"], press=True).outputs[0]
    return folder, plain, press


def by_id(fills: list[FrameFill]) -> dict[str, FrameFill]:
    return {f.module_id: f for f in fills}


def test_one_line_of_copy_leaves_its_frame_short_by_nearly_its_depth(
        small: tuple[Path, Path, Path]) -> None:
    folder, plain, _ = small
    short = by_id(frames(measure(plain, load_edition(folder))))["short"]
    depth = short.content.height / LINE
    # headline, header space and one line of copy take at most 6 lines of the depth
    assert short.lines_short >= depth - 6
    assert short.underset and not short.overset
    first, second = short.columns
    assert first.last_bottom is not None and first.gap_lines < second.gap_lines


def test_a_boxed_frame_is_where_its_rule_is_drawn(small: tuple[Path, Path, Path]) -> None:
    folder, plain, _ = small
    box = by_id(frames(measure(plain, load_edition(folder))))["box"]
    document = pdfium.PdfDocument(str(plain))
    rules = [Rect(*o.get_bounds()) for o in
             document[0].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=8)]
    document.close()
    drawn = [r for r in rules if abs(r.x0 - box.rect.x0) < 1 and abs(r.y1 - box.rect.y1) < 1]
    assert drawn, rules
    rule = drawn[0]
    assert (rule.x0, rule.x1, rule.y1) == pytest.approx((box.rect.x0, box.rect.x1, box.rect.y1),
                                                        abs=0.1)
    # The frame is short of copy: its rule hugs the copy (layout.feather), above the cell's foot.
    lowest = min(c.last_bottom for c in box.columns if c.last_bottom is not None)
    assert box.rect.y0 < rule.y0 < lowest
    assert box.content.y0 > box.rect.y0 and box.content.x1 < box.rect.x1


def test_rows_under_no_frame_are_a_hole(small: tuple[Path, Path, Path]) -> None:
    folder, plain, _ = small
    (page,) = measure(plain, load_edition(folder))
    (hole,) = page.holes
    assert (hole.col, hole.span, hole.row, hole.rows) == (3, 2, 6, 5)
    assert hole.lines == pytest.approx(hole.rect.height / LINE, abs=0.01)
    assert hole.lines > 30
    assert measure(plain, load_edition(folder), hole_lines=hole.lines)[0].holes == ()


def shrunk(edition: Edition, module_id: str, rows: int) -> Edition:
    page = edition.pages[0]
    modules = tuple(dataclasses.replace(m, place=Placement(m.place.col, m.place.span,
                                                           m.place.row, rows))
                    if m.id == module_id and m.place else m for m in page.modules)
    return dataclasses.replace(edition, pages=(dataclasses.replace(page, modules=modules),))


def test_copy_below_a_frame_is_overset(small: tuple[Path, Path, Path]) -> None:
    folder, plain, _ = small
    edition = shrunk(load_edition(folder), "box", 1)  # the box's copy now runs below it
    box = by_id(frames(measure(plain, edition)))["box"]
    assert box.overset and not box.underset
    assert box.overset_chars > 50


def test_a_press_pdf_measures_as_the_plain_one(small: tuple[Path, Path, Path]) -> None:
    folder, plain, press = small
    edition = load_edition(folder)
    ours = [(f.module_id, f.lines_short, [c.gap_lines for c in f.columns])
            for f in frames(measure(plain, edition))]
    theirs = [(f.module_id, f.lines_short, [c.gap_lines for c in f.columns])
              for f in frames(measure(press.read_bytes(), edition))]
    assert [o[:2] for o in ours] == [t[:2] for t in theirs]
    for (_, _, a), (_, _, b) in zip(ours, theirs, strict=True):
        assert a == pytest.approx(b, abs=0.02)


def column(index: int, gap: float) -> ColumnFill:
    return ColumnFill(index, Rect(0, 0, 1, 1), None, gap)


@pytest.mark.parametrize(("gaps", "expected"), [
    ([0.4, 0.9, 1.9], 0),   # the last of several columns may be one line shorter
    ([0.4, 1.2, 0.3], 1),   # any other column may not
    ([0.4, 0.4, 2.99], 2),  # within rounding of 3 lines: 3, less the allowance
    ([1.5], 1),             # one column: no allowance
    ([0.97], 0),
    ([0.99], 1),            # room for one more line, measured by the characters' loose boxes
    ([-2.0, 0.5], 0),       # overset columns are not short
])
def test_lines_short_allows_the_last_column_one_line(gaps: list[float], expected: int) -> None:
    assert lines_short([column(i, g) for i, g in enumerate(gaps)]) == expected


def test_the_sample_page_has_its_four_frames_and_no_hole(tmp_path: Path) -> None:
    """Issue 12's acceptance: every frame's copy ends within one line of its foot."""
    edition = load_edition(SAMPLE)
    data = build_edition(SAMPLE, tmp_path, ["pdf"]).outputs[0].read_bytes()
    (page,) = measure(data, edition)
    assert [f.module_id for f in page.frames] == ["lead", "profile", "commentary", "briefs"]
    assert page.holes == ()
    for frame in page.frames:
        assert not frame.overset
        assert all(c.last_bottom is not None for c in frame.columns)
        assert len(frame.columns) == frame.place.span
        assert frame.lines_short == 0, (frame.module_id, [c.gap_lines for c in frame.columns])
        assert all(c.gap_lines < 1.0 for c in frame.columns[:-1]), frame.module_id


def test_banmian_fill_prints_the_table_and_fails_on_a_short_frame(
        small: tuple[Path, Path, Path], run_cli: Callable[..., Any], tmp_path: Path) -> None:
    folder, plain, _ = small
    fills = measure(plain, load_edition(folder))
    result = run_cli("fill", plain, folder)
    assert result.status == 1, result.err
    rows = {line.split()[1]: line.split() for line in result.out.splitlines()[1:]}
    assert rows["short"][2] == str(by_id(frames(fills))["short"].lines_short)
    assert "columns 3-4, rows 6-10" in result.out
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    result = run_cli("fill", broken, folder)
    assert result.status == 2 and "BM400" in result.err


FLOW_THEN_PLACED = """\
title = "测试版"
language = "zh-CN"
date = "2020-02-12"
paper = "tabloid"

[[pages]]
section = "要闻"
pinyin = "YAOWEN"

[[pages.modules]]
file = "long.md"
role = "article"

[[pages]]
section = "综合"
pinyin = "ZONGHE"
columns = 4
rows = 10

[[pages.modules]]
file = "short.md"
role = "article"
place = { col = 1, span = 4, row = 1, rows = 10 }
"""


def test_a_placed_page_after_a_flowing_one_is_found_by_its_masthead(
        make_edition: Callable[..., Path], tmp_path: Path,
        short_and_box: dict[str, str]) -> None:
    paragraph = "春天来了，城里的人们走出家门，在公园里散步，孩子们在草地上放风筝。" * 40
    long = '+++\nheadline = "很长的文章"\n+++\n\n' + "\n\n".join([paragraph] * 6) + "\n"
    files = {"edition.toml": FLOW_THEN_PLACED, "long.md": long,
             "short.md": short_and_box["short.md"]}
    folder = make_edition("flow-then-placed", files)
    pdf = build_edition(folder, tmp_path / "out", ["pdf"]).outputs[0]
    document = pdfium.PdfDocument(str(pdf))
    count = len(document)
    document.close()
    assert count >= 3  # the first page runs over two PDF pages or more
    (page,) = measure(pdf, load_edition(folder))
    assert (page.page, page.pdf_page) == (2, count - 1)
    (short,) = page.frames
    assert short.lines_short > 60 and short.columns[0].last_bottom is not None
