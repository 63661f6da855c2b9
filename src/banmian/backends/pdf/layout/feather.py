"""Vertical fill of placed frames after layout: feathering, boxes that hug their copy, and
the underset report (BM305).

A placed frame's body ends in a run of balanced columns (CSS ``column-fill: balance``), which
stop where the copy does, often some way above the frame's foot. As a compositor feathers a
column, this module moves the lines of each of those columns down so that the column ends on
the frame's foot: the room goes first, where a column alone could not take it, under the
headline block (at most :data:`AIR_LINES`: the whole body moves down), then into the gaps
between paragraphs (between titles, paragraphs and sign-offs of briefs, before subheads, at
most :data:`PARAGRAPH_LINES` each) and what is left evenly between the column's lines.
Never into letter-spacing, and never more than :data:`FEATHER_LINES` lines per column:
a larger hole is left as it is and reported (BM305, with the lines short), because spreading
it would only hide that the frame needs more copy or fewer rows. A boxed frame (the profile)
whose copy cannot be feathered to its foot is shortened instead, so that its rule hugs its
copy. The line breaks are not changed: only vertical positions, so the copy is the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from banmian.backends.pdf.layout.boxes import Box, classes, element_attr, kind, page_boxes, walk
from banmian.backends.pdf.layout.columns import by_column, rebalance
from banmian.backends.pdf.layout.geometry import BOXED_ROLES, Sheet
from banmian.diagnostics import Diagnostic, warning
from banmian.model import Edition

#: The most a column is feathered, in lines of body text.
FEATHER_LINES = 2.0
#: The most feathering put into one gap between paragraphs, in lines (the rest goes between
#: lines).
PARAGRAPH_LINES = 0.5
#: The most space added between a frame's headline block and its body, in lines.
AIR_LINES = 2.0
#: Gaps below this (CSS px) are rounding, not a hole.
EPSILON = 0.5
#: Rounding allowed on the limits above, in lines.
SLACK = 0.1


@dataclass(frozen=True)
class Fill:
    """How one placed frame's last columns meet its foot, before feathering (in lines)."""

    module_id: str
    gaps: tuple[float, ...]  # per column of the frame's last run of columns
    air: float = 0.0  # lines added under the headline block

    @property
    def short(self) -> float:
        """Lines short after the air: the deepest gap of a column, the last column allowed
        one line more."""
        if not self.gaps:
            return 0.0
        *full, last = (g - self.air for g in self.gaps)
        return max([*full, last - 1.0, 0.0])


def _frames(document: Box, ids: set[str]) -> Iterator[tuple[str, Box]]:
    """Each placed frame box (its first piece) whose module is in ``ids``."""
    seen: set[str] = set()
    for root in page_boxes(document):
        for box, _ in walk(root):
            module_id = element_attr(box, "data-module")
            if module_id in ids and module_id not in seen and kind(box) != "TextBox":
                seen.add(module_id)
                yield module_id, box


def _last_columns(frame: Box) -> list[Box]:
    """The column boxes of the frame body's last run of columns (after its last band)."""
    body = next((b for b, _ in walk(frame) if "body" in classes(b)), None)
    if body is None:
        return []
    run: list[Box] = []
    for child in getattr(body, "children", ()):
        is_column = "body" in classes(child)
        run = [*run, child] if is_column else []
    return run or [body]


def _bottom(box: Box) -> float:
    return float(box.position_y + box.margin_height())


def _feather(units: list[tuple[Box, object]], room: float, line_px: float) -> None:
    """Spread ``room`` (px) over a column: up to :data:`PARAGRAPH_LINES` into each gap
    between paragraphs, the rest evenly between all its lines."""
    starts = {i for i in range(1, len(units)) if units[i][1] is not units[i - 1][1]}
    if len(units) < 2:
        return
    each = min(room / len(starts), PARAGRAPH_LINES * line_px) if starts else 0.0
    rest = (room - each * len(starts)) / (len(units) - 1)
    shift = 0.0
    for index, (box, _) in enumerate(units):
        if index:
            shift += rest + (each if index in starts else 0.0)
        box.translate(0, shift)


def _fill_frame(frame: Box, line_px: float, boxed: bool, module_id: str) -> Fill:
    """Feather the frame's last columns to its foot where the holes are small; return the
    gaps found (in lines) before feathering."""
    foot = frame.content_box_y() + frame.height
    run = _last_columns(frame)
    rebalance(run, foot, line_px)
    columns = by_column(run)
    gaps = [max(0.0, foot - max(_bottom(b) for b, _ in units)) / line_px for units in columns]
    air = min([Fill(module_id, tuple(gaps)).short - FEATHER_LINES, AIR_LINES, *gaps])
    fill = Fill(module_id, tuple(gaps), max(0.0, air))
    body = next((b for b, _ in walk(frame) if "body" in classes(b)), None)
    if body is not None and fill.air:
        body.translate(0, fill.air * line_px)
    for units, gap in zip(columns, gaps, strict=True):
        if EPSILON / line_px < gap - fill.air <= FEATHER_LINES + SLACK:
            _feather(units, (gap - fill.air) * line_px, line_px)
    if boxed and fill.short > FEATHER_LINES + SLACK:
        frame.height -= (min(gaps) - fill.air) * line_px
    return fill


def feather(edition: Edition, document: Box, pages: list[Sheet]) -> list[Fill]:
    """Fill every placed frame of ``document`` (see the module's docstring); their fills."""
    modules = {m.id: m for s in pages if s.page.placed for m in s.page.modules if m.place}
    if not modules:
        return []
    grid = pages[0].grid
    line_px = grid.em * grid.paper.leading * 96 / 72
    return [_fill_frame(box, line_px, modules[mid].role in BOXED_ROLES, mid)
            for mid, box in _frames(document, set(modules))]


def underset(edition: Edition, fills: list[Fill]) -> list[Diagnostic]:
    """BM305 for every frame left more than :data:`FEATHER_LINES` short of its foot."""
    modules = {m.id: m for m in edition.modules}
    found = []
    for fill in fills:
        if fill.short <= FEATHER_LINES + SLACK:
            continue
        module = modules[fill.module_id]
        found.append(warning("BM305", (
            f"{module.role} '{module.id}' falls {fill.short:.0f} lines short of its frame's "
            f"foot (in each of {len(fill.gaps)} columns: "
            f"{', '.join(f'{g - fill.air:.1f}' for g in fill.gaps)}); add copy or give it "
            "fewer rows"),
            module.source))
    return found
