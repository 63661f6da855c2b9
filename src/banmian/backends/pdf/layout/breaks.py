"""Widows, orphans and stranded subheads at column and frame breaks, found after layout.

WeasyPrint keeps ``orphans``/``widows`` (print.css asks for 2) where the column heights let it;
where they do not (a frame too shallow, a balanced column one line short), a paragraph leaves a
single line alone at the top or the foot of a column, or a subhead ends a column with fewer than
two lines of its section under it. This module finds those places in the laid-out box tree, so
the build can report them (BM304) for an editor to cut or add a line.
"""

from __future__ import annotations

from dataclasses import dataclass

from banmian.backends.pdf.layout.boxes import Box, classes, element_attr, kind, page_boxes, walk
from banmian.diagnostics import Diagnostic, warning
from banmian.model import Edition

#: The least lines a paragraph may leave at a column's foot or carry to the next column's top.
LEAST = 2


@dataclass(frozen=True)
class Strand:
    """One bad break: what kind, the module, and the text of the stranded line."""

    kind: str  # "widow", "orphan" or "subhead"
    module_id: str
    text: str


def _text(box: Box) -> str:
    return "".join(b.text for b, _ in walk(box) if kind(b) == "TextBox")


@dataclass(frozen=True)
class _Fragment:
    """One laid-out piece of a block in one column: its module, element, column and lines."""

    module: str
    element: object
    column: tuple[int, str, int]  # the page, the module and the column's left edge
    lines: list[Box]
    subhead: bool


def _fragments(document: Box) -> list[_Fragment]:
    """Every laid-out fragment of a block that holds lines, in document order. Columns are
    told apart by where the lines stand, not by the box they are in: the last run of a
    placed frame is set again after layout (:mod:`.columns`), which moves lines between
    columns without moving them between boxes."""
    found = []
    for root in page_boxes(document):
        module = ""
        edges: list[float] = []  # the left edges of the current frame's columns
        for box, parent in walk(root):
            if element_attr(box, "data-module"):
                module, edges = element_attr(box, "data-module") or "", []
            if "body" in classes(box) and parent is not None and "body" in classes(parent):
                edges.append(float(box.position_x))
            lines = [c for c in getattr(box, "children", ()) if kind(c) == "LineBox"]
            if not lines or getattr(box, "element", None) is None:
                continue
            runs: dict[int, list[Box]] = {}
            for line in lines:
                runs.setdefault(_column(edges, line), []).append(line)
            for x, run in runs.items():
                found.append(_Fragment(module, box.element, (id(root), module, x), run,
                                       "subhead" in classes(box)))
    return found


def _column(edges: list[float], line: Box) -> int:
    """The left edge of the column ``line`` stands in (a centred line starts further in)."""
    inside = [x for x in edges if x <= line.position_x + 0.5]
    return round(max(inside)) if inside else round(line.position_x)


def _split(fragments: list[_Fragment]) -> list[Strand]:
    """Paragraphs broken across columns that leave one line on either side of the break."""
    pieces: dict[int, list[_Fragment]] = {}
    for fragment in fragments:
        pieces.setdefault(id(fragment.element), []).append(fragment)
    found = []
    for parts in pieces.values():
        if len(parts) < 2:
            continue
        if len(parts[0].lines) < LEAST:
            found.append(Strand("orphan", parts[0].module, _text(parts[0].lines[0])))
        if len(parts[-1].lines) < LEAST:
            found.append(Strand("widow", parts[-1].module, _text(parts[-1].lines[-1])))
    return found


def _subheads(fragments: list[_Fragment]) -> list[Strand]:
    """Subheads that end a column with fewer than ``LEAST`` lines of their section under them."""
    found = []
    for i, fragment in enumerate(fragments):
        if not fragment.subhead:
            continue
        under = 0
        for after in fragments[i + 1:]:
            if after.column != fragment.column or after.subhead:
                break
            under += len(after.lines)
        more = i + 1 < len(fragments) and fragments[i + 1].module == fragment.module
        if more and under < LEAST:
            found.append(Strand("subhead", fragment.module, _text(fragment.lines[0])))
    return found


def strands(document: Box) -> list[Strand]:
    """Every single-line widow, orphan and stranded subhead of the laid-out document."""
    fragments = _fragments(document)
    return _split(fragments) + _subheads(fragments)


_WHAT = {"widow": "a single line alone at the top of a column",
         "orphan": "a single line alone at the foot of a column",
         "subhead": "a subhead ending a column with fewer than two lines under it"}


def break_warnings(edition: Edition, document: Box) -> list[Diagnostic]:
    """BM304 for every bad break the layout could not avoid, at its module's file."""
    modules = {m.id: m for m in edition.modules}
    found = []
    for strand in strands(document):
        module = modules.get(strand.module_id)
        where = module.source if module else edition.source
        found.append(warning("BM304", f"{_WHAT[strand.kind]} ({strand.kind}) in "
                             f"'{strand.module_id}': “{strand.text}”; cut or add a line",
                             where))
    return found
