"""Copyfit: after layout, every placed frame's copy must lie inside the frame.

Frames are grid cells with ``overflow: hidden``; WeasyPrint lays overflowing copy out anyway
(below the frame, or in extra columns to its right) and then clips it without a word. This
module finds those lines in the box tree and reports them per module (BM300): how many lines and
characters are over and how much column depth they need, so an editor knows what to cut.
"""

from __future__ import annotations

from dataclasses import dataclass

from banmian.backends.pdf.layout.boxes import (
    Box,
    bottom_edge,
    cell_foot,
    element_attr,
    kind,
    page_boxes,
    walk,
)
from banmian.diagnostics import Diagnostic, error
from banmian.model import Edition, Module

PX_PER_MM = 96 / 25.4
#: Tolerance for rounding in the layout, in CSS px.
TOLERANCE = 0.5
#: The boxes that count as a line when they stick out of a frame.
OVERFLOWING = frozenset({"LineBox", "BlockReplacedBox", "InlineReplacedBox"})


@dataclass(frozen=True)
class Overflow:
    """What lies outside one frame: lines, characters and the column depth they take (mm)."""

    module_id: str
    lines: int
    characters: int
    depth_mm: float
    columns: int


def _line_text(line: Box) -> str:
    return "".join(b.text for b, _ in walk(line) if kind(b) == "TextBox")


def _outside(box: Box, frame: Box, height_px: float, first_page: bool) -> bool:
    """Whether ``box`` lies (partly) outside the frame's cell, which is ``height_px`` deep."""
    if not first_page:
        return True
    right = frame.padding_box_x() + frame.padding_width()
    return bool(box.position_x + box.width > right + TOLERANCE
                or bottom_edge(box) > cell_foot(frame, height_px) + TOLERANCE)


def _frames(document: Box) -> list[tuple[Box, bool]]:
    """Every frame box, with whether it is the first box of its module."""
    seen: set[str] = set()
    found = []
    for root in page_boxes(document):
        for box, _ in walk(root):
            module_id = element_attr(box, "data-module")
            if module_id is not None and kind(box) != "TextBox":
                found.append((box, module_id not in seen))
                seen.add(module_id)
    return found


@dataclass(frozen=True)
class Cell:
    """A placed frame's allotment: its body columns and its depth in CSS px."""

    columns: int
    height_px: float
    chars_per_line: int = 1
    line_mm: float = 0.0

    def lost(self, text: str) -> tuple[int, int, float]:
        """Lines, characters and depth (mm) that ``text``, dropped from the page, would take."""
        lines = -(-len(text) // max(1, self.chars_per_line))
        return lines, len(text), lines * self.line_mm


def measure(document: Box, cells: dict[str, Cell],
            lost: dict[str, list[str]] | None = None) -> list[Overflow]:
    """The overflow of every frame in ``cells``; ``lost`` adds copy that WeasyPrint dropped
    (module id → texts), as a frame that runs off the page loses its end."""
    totals: dict[str, list[float]] = {}
    for mid, texts in (lost or {}).items():
        estimates = [cells[mid].lost(text) for text in texts]
        totals[mid] = [sum(e[i] for e in estimates) for i in range(3)]
    for frame, first in _frames(document):
        module_id = element_attr(frame, "data-module") or ""
        if module_id not in cells:
            continue
        total = totals.setdefault(module_id, [0, 0, 0.0])
        for box, _ in walk(frame):
            if kind(box) in OVERFLOWING and _outside(box, frame, cells[module_id].height_px,
                                                     first):
                total[0] += 1
                total[1] += len(_line_text(box).strip())
                total[2] += box.margin_height() / PX_PER_MM
    return [Overflow(mid, int(t[0]), int(t[1]), t[2] / cells[mid].columns, cells[mid].columns)
            for mid, t in totals.items() if t[0] and mid in cells]


def _describe(module: Module, over: Overflow) -> str:
    place = module.place
    where = (f" (columns {place.col}–{place.col + place.span - 1}, rows "
             f"{place.row}–{place.row + place.rows - 1})" if place else "")
    return (f"{module.role} '{module.id}' does not fit its frame{where}: {over.lines} lines "
            f"({over.characters} characters) over, about {over.depth_mm:.0f} mm of depth in "
            f"each of its {over.columns} columns; enlarge the frame or cut the copy")


def copyfit(edition: Edition, document: Box, cells: dict[str, Cell],
            lost: dict[str, list[str]] | None = None) -> list[Diagnostic]:
    """BM300 for every placed module whose copy does not fit its frame."""
    modules = {m.id: m for m in edition.modules}
    return [error("BM300", _describe(modules[o.module_id], o), modules[o.module_id].source)
            for o in measure(document, cells, lost)]
