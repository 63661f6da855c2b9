"""Filling placed frames after layout: the last run of columns set again to the frame's foot
(layout.columns), feathered (layout.feather), and what is left reported (BM305)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from banmian.backends.pdf.layout.boxes import classes, element_attr, kind, page_boxes, walk
from banmian.backends.pdf.layout.columns import (
    Run,
    Unit,
    _cuts,
    by_column,
    least_depth,
    rebalance,
)
from banmian.backends.pdf.layout.feather import FEATHER_LINES, _last_columns
from banmian.build import build_edition

LINE = 20.0
LINE_PX = 9 * 1.4 * 96 / 72  # the broadsheet's body line, CSS px
# A frame 220 px wide, 200 px (10 lines) deep, its body in two balanced columns.
PAGE = """<style>@page {{ size: 400px 400px; margin: 0 }}
body {{ margin: 0; font: 10px/20px monospace; }}
.frame {{ position: absolute; width: 220px; height: 200px; }}
.body {{ columns: 2; column-gap: 20px; }} p, h3 {{ margin: 0; }} h3 {{ font-size: 10px; }}
</style><div class="frame" data-module="m"><div class="body">{body}</div></div>"""


def _p(lines: int, word: str) -> str:
    return "<p>" + "<br>".join(f"{word}{i}" for i in range(1, lines + 1)) + "</p>"


def _frame(body: str) -> Any:
    from weasyprint import HTML

    document = HTML(string=PAGE.format(body=body)).render()
    return next(b for root in page_boxes(document) for b, _ in walk(root)
                if element_attr(b, "data-module") == "m" and kind(b) != "TextBox")


def _columns(frame: Any) -> list[list[str]]:
    """The text of each column's lines, where they stand now."""
    return [["".join(t.text for t, _ in walk(u.box) if kind(t) == "TextBox") for u in units]
            for units in by_column(_run(frame))]


def _run(frame: Any) -> Run:
    run = _last_columns(frame)
    assert run is not None
    return run


def _units(blocks: list[int], headings: frozenset[int] = frozenset(),
           line: float = LINE) -> list[Unit]:
    """Lines of ``line`` px, ``blocks[i]`` lines in block ``i``, one after another."""
    found, top = [], 0.0
    for index, count in enumerate(blocks):
        owner = object()
        for _ in range(count):
            found.append(Unit(None, owner, index in headings, top, line))
            top += line
    return found


def test_cuts_fill_every_column_to_the_foot_where_the_copy_allows() -> None:
    # 20 lines in 2 columns of 10: each column takes 10, whatever the paragraphs.
    assert _cuts(_units([7, 6, 7]), [10 * LINE] * 2, LINE) == [0, 10]


def test_cuts_leave_no_orphan_widow_or_stranded_heading() -> None:
    # A cut after line 10 would leave block 1 with one line at the foot (orphan).
    assert _cuts(_units([9, 5, 4]), [10 * LINE] * 2, LINE) == [0, 9]
    # ... or carry one line of block 0 over (widow).
    assert _cuts(_units([11, 7]), [10 * LINE] * 2, LINE) == [0, 9]
    # A heading (block 1) keeps two lines of what follows in its column.
    assert _cuts(_units([9, 1, 6], frozenset({1})), [10 * LINE] * 2, LINE) == [0, 9]


def test_the_least_depth_keeps_the_cut_rules() -> None:
    assert least_depth(_units([9, 1, 8], frozenset({1}), 1.0), 2) == 9  # the heading leads
    assert least_depth(_units([11, 7], line=1.0), 2) == 9
    assert least_depth(_units([4], line=1.0), 2) == 2
    # 3 lines in 2 columns: 2 + 1 leaves a widow, 1 + 2 an orphan: one column of 3
    assert least_depth(_units([3], line=1.0), 2) == 3
    # a heading keeps two lines under it: 1 + 1 + 2 cannot end at 2
    assert least_depth(_units([2, 1, 1], frozenset({1}), 1.0), 2) == 2
    assert least_depth(_units([1, 1, 2], frozenset({1}), 1.0), 2) == 3


def test_copy_deeper_than_the_frame_is_not_cut() -> None:
    assert _cuts(_units([15, 10]), [10 * LINE] * 2, LINE) == []


def test_rebalance_moves_lines_between_columns_without_changing_them() -> None:
    frame = _frame(_p(9, "a") + _p(9, "b"))
    before = [t for column in _columns(frame) for t in column]
    foot = frame.content_box_y() + frame.height
    run = _run(frame)
    assert rebalance(run, [run.boxes[0].content_box_y()] * 2, foot, LINE)
    after = _columns(frame)
    assert [t for column in after for t in column] == before
    assert [len(c) for c in after] == [9, 9]


@pytest.mark.slow
def test_a_short_frame_is_feathered_or_reported(make_edition: Callable[..., Path],
                                                tmp_path: Path) -> None:
    toml = ('title = "测试"\nlanguage = "zh-CN"\ndate = "2020-02-12"\n\n[[pages]]\n'
            'columns = 4\nrows = 20\n\n[[pages.modules]]\nfile = "a.md"\nrole = "article"\n'
            'place = {{ col = 1, span = 2, row = 1, rows = {rows} }}\n')
    story = "+++\nheadline = \"标题\"\n+++\n\n" + "\n\n".join(["测试文字" * 30] * 18) + "\n"
    short = build_edition(make_edition("short", {"edition.toml": toml.format(rows=20),
                                                 "a.md": story}), tmp_path / "a", ["pdf"])
    found = [d for d in short.diagnostics if d.code == "BM305"]
    assert len(found) == 1 and "'a' falls" in found[0].message
    assert found[0].source is not None and found[0].source.path.endswith("a.md")
    fits = build_edition(make_edition("fits", {"edition.toml": toml.format(rows=9),
                                               "a.md": story}), tmp_path / "b", ["pdf"])
    assert [d for d in fits.diagnostics if d.code == "BM305"] == []
    assert FEATHER_LINES <= 2.0


SAMPLE = Path(__file__).resolve().parents[4] / "content" / "benxi-2020-02"


@pytest.mark.slow
def test_the_sample_body_lines_sit_on_the_baseline_grid(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    kept = _kept_documents(monkeypatch)
    build_edition(SAMPLE, tmp_path, ["pdf"])
    (root,) = page_boxes(kept[0])
    origin = next(b.content_box_y() for b, _ in walk(root) if "grid" in classes(b))
    residues: dict[str, set[float]] = {}
    module = ""
    for box, parent in walk(root):
        module = element_attr(box, "data-module") or module
        if kind(box) == "LineBox" and parent is not None and parent.element_tag == "p" \
                and not classes(parent) and module:
            residues.setdefault(module, set()).add(round((box.position_y - origin) % LINE_PX, 2))
    assert set(residues) == {"lead", "profile", "commentary", "briefs"}
    for found in residues.values():
        assert found <= {0.0, round(LINE_PX, 2)}, found


def _kept_documents(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The laid-out documents the PDF backend writes, kept for a look at their boxes."""
    from banmian.backends.pdf import backend

    kept: list[Any] = []
    write = backend.write

    def keep(edition: Any, document: Any, profile: Any) -> bytes:
        kept.append(document)
        return write(edition, document, profile)

    monkeypatch.setattr(backend, "write", keep)
    return kept


BAND_PAGE = """title = "测试版"
language = "zh-CN"
date = "2020-02-12"

[[pages]]
columns = 8
rows = 55

[[pages.modules]]
file = "story.md"
role = "lead"
place = { col = 1, span = 6, row = 1, rows = 33 }
"""


@pytest.mark.slow
def test_columns_beside_a_narrow_band_carry_the_text_after_it(
        make_edition: Callable[..., Path], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    before = "\n\n".join(["我们的工作在这个时期取得了重大成就。" * 6] * 8)
    after = "\n\n".join(["中国人民发展经济社会文化建设方面进步。" * 6] * 12)
    story = ('+++\nheadline = "照片旁边的文字"\n\n[[figures]]\nid = "one"\ncaption = "说明。"\n'
             f'+++\n\n{before}\n\n![](#one)\n\n{after}\n')
    kept = _kept_documents(monkeypatch)
    build_edition(make_edition("band", {"edition.toml": BAND_PAGE, "story.md": story}),
                  tmp_path, ["pdf"])
    (root,) = page_boxes(kept[0])
    band = next(b for b, _ in walk(root) if "photo-band" in classes(b))
    right = max(f.position_x + f.margin_width() for f in band.children)
    bottom = band.position_y + band.margin_height()
    beside = [b for b, _ in walk(root) if kind(b) == "LineBox" and b.position_x >= right
              and band.position_y <= b.position_y < bottom]
    depth = (bottom - band.position_y) / LINE_PX
    assert len(beside) >= 2 * (int(depth) - 3)  # both columns beside the band, top to bottom
    texts = {"".join(t.text for t, _ in walk(b) if kind(t) == "TextBox") for b in beside}
    assert all(t and t[0] in "中国人民发展经济社会文化建设方面进步。" for t in texts)


@given(blocks=st.lists(st.integers(1, 12), min_size=1, max_size=12),
       headings=st.sets(st.integers(0, 11)), columns=st.integers(1, 6),
       depth=st.integers(1, 30))
def test_cuts_keep_order_and_never_overfill_a_column(blocks: list[int], headings: set[int],
                                                     columns: int, depth: int) -> None:
    """Whatever the copy: columns start in order at the galley's start, none is deeper than
    its room, and no cuts are returned exactly when the lines cannot fit at all (a column
    holds whole lines, ``depth`` of them)."""
    units = _units(blocks, frozenset(headings))
    cuts = _cuts(units, [depth * LINE] * columns, LINE)
    fits = sum(blocks) <= depth * columns
    assert bool(cuts) == fits
    if cuts:
        assert cuts[0] == 0 and cuts == sorted(set(cuts)) and len(cuts) <= columns
        for start, end in zip(cuts, [*cuts[1:], len(units)], strict=True):
            assert end - start <= depth


@pytest.mark.slow
def test_a_frame_that_ends_with_its_photos_keeps_them_inside(
        make_edition: Callable[..., Path], tmp_path: Path) -> None:
    """Its runs of text are evened, nothing moves down: the band and its shared credit stay
    in a frame just deep enough for them (moved down like a body, the credit overset)."""
    toml = ('title = "测试"\nlanguage = "zh-CN"\ndate = "2020-02-12"\n\n[[pages]]\n'
            'columns = 4\nrows = 55\n\n[[pages.modules]]\nfile = "a.md"\nrole = "lead"\n'
            'place = { col = 1, span = 4, row = 1, rows = 19 }\n')  # 18 rows overset
    figures = "".join(f'[[figures]]\nid = "f{i}"\ncaption = "图片说明"\ncredit = "资料片"\n\n'
                      for i in (1, 2))
    story = (f"+++\nheadline = \"标题\"\n\n{figures}+++\n\n" + "测试文字" * 40
             + "\n\n![](#f1)\n\n![](#f2)\n")
    result = build_edition(make_edition("band", {"edition.toml": toml, "a.md": story}),
                           tmp_path, ["pdf"])
    assert not [d for d in result.diagnostics if d.code in ("BM300", "BM301")]
