"""Vertical fill of placed frames after layout: the baseline grid, feathering, boxes that hug
their copy, and the underset report (BM305).

Every line of body text is one line of the page's baseline grid deep (print.css sets
headings and quotes so that none is deeper), and the grid starts at the top of the page's
grid of frames. After WeasyPrint has laid a frame out, this module:

1. sets each run of columns above a photo band again as evenly as its copy allows, no deeper,
   and moves the frame's body onto the baseline grid (up into the space under the headline
   block where it leaves half a line, else down where the frame has the room), and its last run
   of columns (the one after its last photo band) likewise;
2. sets that last run again (:mod:`.columns`): one galley cut into the columns so that each
   ends as near the frame's foot as the copy and the break rules allow, every line on the grid;
3. fills what is left, in whole lines so that the lines of neighbouring columns stay level:
   first, where a column alone could not take it, space under the headline block (at most
   :data:`AIR_LINES`, the whole body moves down), then one line in some of each column's gaps
   between paragraphs or before a heading (at most :data:`FEATHER_LINES` a column, spread
   evenly), never between a heading and what it heads, never between the lines of a paragraph,
   never in letter-spacing.

A column then ends less than a line above the foot, or the frame is reported (BM305, with the
whole lines short): a larger hole is left as it is, because spreading it would only hide that
the frame needs more copy or fewer rows. A boxed frame (the profile) left short is shortened
instead, so that its rule hugs its copy. Only vertical positions change: the line breaks, and
so the copy, are exactly as laid out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from math import ceil, floor

from banmian.backends.pdf.layout.boxes import (
    Box,
    cell_foot,
    classes,
    element_attr,
    kind,
    page_boxes,
    walk,
)
from banmian.backends.pdf.layout.columns import Run, Unit, by_column, rebalance
from banmian.backends.pdf.layout.geometry import BOXED_ROLES, Sheet
from banmian.diagnostics import Diagnostic, warning
from banmian.model import Edition

#: CSS px a pt.
PX = 96 / 72
#: The most lines put into one column's paragraph gaps.
FEATHER_LINES = 2
#: The most lines added between a frame's headline block and its body.
AIR_LINES = 2
#: Rounding, in lines: a gap this close to a whole line counts as that line.
SLACK = 0.05
#: The most the body or its last run moves up to meet the baseline grid where it cannot go
#: down, in lines.
RISE = 0.75
#: The space, in lines, kept above the body and above its last run when they move up.
KEEP = 0.5


@dataclass(frozen=True)
class Fill:
    """How one placed frame met its foot: the gap of each column of its last run before
    filling (in lines), and the whole lines still short after."""

    module_id: str
    gaps: tuple[float, ...] = ()
    short: int = 0


def _frames(document: Box, ids: set[str]) -> Iterator[tuple[str, Box, Box]]:
    """Each placed frame box (its first piece) whose module is in ``ids``, with the top of
    its page's grid (the baseline grid's origin)."""
    seen: set[str] = set()
    for root in page_boxes(document):
        origin = next((b.content_box_y() for b, _ in walk(root) if "grid" in classes(b)), 0.0)
        for box, _ in walk(root):
            module_id = element_attr(box, "data-module")
            if module_id in ids and module_id not in seen and kind(box) != "TextBox":
                seen.add(module_id)
                yield module_id, box, origin


def _body(frame: Box) -> Box | None:
    return next((b for b, _ in walk(frame) if "body" in classes(b)), None)


def _runs(frame: Box) -> list[Run]:
    """The frame body's runs of columns (split by its photo bands), in order; the body
    itself where it has no column boxes."""
    body = _body(frame)
    if body is None:
        return []
    runs: list[list[Box]] = [[]]
    for child in getattr(body, "children", ()):
        if "body" in classes(child):
            runs[-1].append(child)
        elif runs[-1]:
            runs.append([])
    xs = _column_xs(body)
    return [Run(run, xs) for run in runs if run] or [Run([body], [body.content_box_x()])]


def _column_xs(body: Box) -> list[float]:
    """Where each of the body's columns starts (px), as CSS multi-column sets them."""
    count, gap = body.style["column_count"], body.style["column_gap"]
    if count == "auto":
        return [body.content_box_x()]
    gap = body.style["font_size"] if gap == "normal" else gap.value
    width = (body.width - (count - 1) * gap) / count
    return [body.content_box_x() + i * (width + gap) for i in range(count)]


def _last_columns(frame: Box) -> Run | None:
    """The frame body's last run of columns (after its last band)."""
    runs = _runs(frame)
    return runs[-1] if runs else None


def _ends_with_band(frame: Box, run: Run) -> bool:
    """Whether a photo band (or its credit) follows the body's last run of columns."""
    children = list(getattr(_body(frame), "children", ()))
    last = run.boxes[-1]
    return last in children and any(
        {"photo-band", "band-credit"} & classes(c) for c in children[children.index(last) + 1:])


def _even(run: Run, line: float) -> None:
    """Set a run above a photo band again, no deeper than WeasyPrint set it, its columns as
    even as the copy allows (WeasyPrint may leave the last of a short run lines short)."""
    units = [u for column in by_column(run) for u in column]
    if len(run.xs) < 2 or not units:
        return
    top = float(run.boxes[0].content_box_y())
    rebalance(run, [top] * len(run.xs), max(_bottom(u.box) for u in units), line)


def _bottom(box: Box) -> float:
    return float(box.position_y + box.margin_height())


def _gaps(run: Run, foot: float, line: float) -> list[float]:
    """Each column's gap from its last line to ``foot``, in lines."""
    return [max(0.0, foot - max(_bottom(u.box) for u in units)) / line
            for units in by_column(run)]


def _grid_line(y: float, origin: float, line: float) -> float:
    """The first line of the baseline grid at or below ``y``."""
    return origin + ceil((y - origin) / line - 1e-6) * line


def _onto_grid(y: float, origin: float, line: float, room: float, above: float) -> float:
    """How far to move ``y`` to put it on the baseline grid: up to the grid line above where
    that leaves :data:`KEEP` of a line of the space ``above`` it (px), else down to the next
    where ``room`` (px) allows, else up as far as :data:`RISE` of a line."""
    down = _grid_line(y, origin, line) - y
    if down < 0.01:
        return 0.0
    up = line - down
    if up <= above - KEEP * line or (down > room and up <= RISE * line):
        return -up
    return down if down <= room else 0.0


def _free_above(parent: Box, child: Box, y: float) -> float:
    """The space between ``y`` (a line inside ``child``) and the sibling before ``child``."""
    children = list(getattr(parent, "children", ()))
    index = next((i for i, c in enumerate(children) if c is child), 0)
    if index == 0:
        return 0.0
    before = children[index - 1]
    return y - float(before.position_y + before.margin_height() - before.margin_bottom)


def _snap(frame: Box, run: Run, origin: float, foot: float, line: float) -> float:
    """Move the body onto the baseline grid; the top its last run is set from, on the grid
    where it can be."""
    body = _body(frame)
    article = next((p for b, p in walk(frame) if b is body), None)
    first = next((b for b, _ in walk(body) if kind(b) == "LineBox"), None)
    room = min(_gaps(run, foot, line), default=0.0) * line
    if body is not None and first is not None and article is not None:
        above = _free_above(article, body, first.position_y)
        move = _onto_grid(first.position_y, origin, line, room, above)
        body.translate(0, move)
        room -= move
    top = float(run.boxes[0].content_box_y())
    return top + _onto_grid(top, origin, line, room, _free_above(body, run.boxes[0], top))


def _tops(frame: Box, run: Run, top: float, origin: float, line: float) -> list[float]:
    """Where each column of the last run starts: at ``top``, or, beside a photo band narrower
    than the frame that stands right above the run, at the band's top (on the grid)."""
    body = _body(frame)
    children = list(getattr(body, "children", ()))
    first = run.boxes[0]
    before = children[:children.index(first)] if first in children else []
    band = next((b for b in reversed(before) if "photo-band" in classes(b)), None)
    if band is None or any("body" in classes(b) for b in before[before.index(band):]):
        return [top] * len(run.xs)
    right = max(f.position_x + f.margin_width() for f in band.children)
    beside = _grid_line(band.position_y + band.margin_top, origin, line)
    return [beside if x >= right - 0.5 else top for x in run.xs]


def _gaps_between(units: list[Unit]) -> list[int]:
    """Where a column's paragraphs meet: the units that start a paragraph, or a heading,
    after another paragraph (never between a heading and what it heads)."""
    return [i for i in range(1, len(units)) if units[i].block is not units[i - 1].block
            and not units[i - 1].heading]


def _feather(units: list[Unit], lines: int, line: float) -> int:
    """Put ``lines`` whole lines into a column's gaps between paragraphs, one a gap, spread
    evenly; the lines it could place."""
    starts = _gaps_between(units)
    lines = min(lines, len(starts))
    chosen = {starts[floor((k + 0.5) * len(starts) / lines)] for k in range(lines)}
    shift = 0.0
    for index, unit in enumerate(units):
        shift += line if index in chosen else 0.0
        unit.box.translate(0, shift)
    return lines


def _fill(frame: Box, origin: float, line: float, boxed: bool, module_id: str,
          cell_px: float) -> Fill:
    """Snap, set again and feather the frame's last run (see the module's docstring); the
    frame's foot is its grid cell's (``cell_px`` deep), where WeasyPrint may have let it grow
    to hold copy that its own column balancing could not fit."""
    foot = cell_foot(frame, cell_px)
    frame.height = foot - frame.content_box_y()
    run = _last_columns(frame)
    if not run or not by_column(run):
        return Fill(module_id)
    if _ends_with_band(frame, run):  # a part that ends with its photos: its runs evened
        for each in _runs(frame):
            _even(each, line)
        return Fill(module_id)
    for earlier in _runs(frame)[:-1]:
        _even(earlier, line)
    top = _snap(frame, run, origin, foot, line)
    tops = _tops(frame, run, top, origin, line)
    if not rebalance(run, tops, foot, line, FEATHER_LINES):
        rebalance(run, [float(run.boxes[0].content_box_y())] * len(run.xs), foot, line,
                  FEATHER_LINES)
    columns = by_column(run)
    gaps = _gaps(run, foot, line)
    whole = [floor(g + SLACK) for g in gaps]
    whole[-1] = max(0, whole[-1] - 1) if len(whole) > 1 else whole[-1]  # the last may end short
    room = [min(FEATHER_LINES, len(_gaps_between(u))) for u in columns]
    need = any(w > r for w, r in zip(whole, room, strict=True))
    air = min([AIR_LINES, *(floor(g + SLACK) for g in gaps)]) if need else 0
    body = _body(frame)
    if air and body is not None:
        body.translate(0, air * line)
    left = [w - air - _feather(u, w - air, line) if w > air else 0
            for u, w in zip(columns, whole, strict=True)]
    short = max(left, default=0)
    if boxed and short:  # the rule hugs the copy
        frame.height = max(_bottom(u.box) for c in columns for u in c) - frame.content_box_y()
    return Fill(module_id, tuple(gaps), short)


def feather(edition: Edition, document: Box, pages: list[Sheet]) -> list[Fill]:
    """Fill every placed frame of ``document`` (see the module's docstring); their fills."""
    modules = {m.id: (m, s.grid.cell_height_pt(m.place) * PX) for s in pages if s.page.placed
               for m in s.page.modules if m.place}
    if not modules:
        return []
    grid = pages[0].grid
    line = grid.em * grid.paper.leading * PX
    return [_fill(box, origin, line, modules[mid][0].role in BOXED_ROLES, mid, modules[mid][1])
            for mid, box, origin in _frames(document, set(modules))]


def underset(edition: Edition, fills: list[Fill]) -> list[Diagnostic]:
    """BM305 for every frame a whole line or more short of its foot after filling."""
    modules = {m.id: m for m in edition.modules}
    found = []
    for fill in fills:
        if not fill.short:
            continue
        module = modules[fill.module_id]
        found.append(warning("BM305", (
            f"{module.role} '{module.id}' falls {fill.short} lines short of its frame's foot "
            f"(gaps before filling, in lines: {', '.join(f'{g:.1f}' for g in fill.gaps)}); "
            "add copy or give it fewer rows"), module.source))
    return found
