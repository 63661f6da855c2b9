"""How full each placed frame of a written PDF is: the frame-fill measure.

This module owns the reading of a *built* PDF against the edition's grid: where each placed
frame stands on its page (from the model and :mod:`banmian.grid`, the arithmetic of
``backends/pdf/layout/geometry.cell_css`` plus the page furniture), where its copy ends in each
of its body columns (from the characters' and images' boxes, read with pypdfium2), whether copy
sticks out of it, and the grid area no frame covers. It knows nothing of how the layout fills a
frame, so it measures any layout the same way.

Definitions (every distance in PDF points; a *line* is the body size × the paper's leading,
12.6 pt on both papers today):

- A frame's ``rect`` is its grid cell; its ``content`` is the cell less its border and padding
  (a boxed profile's). Coordinates are PDF user space, origin at the bottom left, y up; the
  page is placed by its TrimBox, so a ``--press`` PDF (bleed, slug) measures the same.
- Its body columns are the frame's CSS columns (``geometry.frame_of``: count, width, gap) laid
  from the content's left edge. A character or image belongs to every column its box overlaps
  by its centre (a character) or by any width (an image: a photo band spans columns).
- A column's ``gap_lines`` is the distance from the bottom of the lowest content in it (a
  character's loose box, whose bottom is its line box's bottom within 0.2 pt for body text) to
  the content's bottom, in lines; negative when copy runs below. An empty column counts from
  the content's top (its whole depth).
- ``lines_short`` of a frame is how many whole lines more copy its worst column could take
  beyond what "copy ends within one line of the frame's bottom" allows: a column's allowance is
  a gap under one line, and the last column of a frame of two or more columns (balanced columns
  cannot share lines finer than one) may be one line shorter still. So
  ``lines_short = max(0, max over columns of floor(gap + ε) − (1 if last of ≥ 2 else 0))``
  with ε = :data:`EPSILON_LINES`; 0 means every column ends within its allowance, and a frame
  is ``underset`` when ``lines_short ≥ 1``.
- ``overset``: copy sticks out: a character of the frame's cell whose box runs below its
  content by more than :data:`TOLERANCE_PT`, or right of it, or a character on the grid in no
  frame's cell at all, counted for the frame nearest above it in its column. Copy clipped into
  a neighbouring frame's cell cannot be told from that frame's own; the build's copyfit
  (BM300) catches it before anything is written.
- A ``Hole`` is grid area no frame covers: in one grid column, a run of rows covered by no
  frame, deeper than ``hole_lines`` lines (runs with the same rows in adjacent columns are
  joined into one hole).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from math import floor
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from banmian.backends.pdf.layout.geometry import BOX_RULE_PT, BOXED_ROLES, frame_of, grid_for
from banmian.diagnostics import InputError, error
from banmian.grid import MM, Grid, furniture_mm, papers
from banmian.model import Edition, Module, Page, Placement, Source
from banmian.storage import display_path

#: Rounding in the layout and in the font's boxes, in points.
TOLERANCE_PT = 0.5
#: A gap this close under a whole number of lines counts as that many lines: a character's
#: loose box ends about 0.17 pt (0.013 line) below its line box, so a column with room for one
#: more line measures a gap a little under one.
EPSILON_LINES = 0.02
#: Holes shallower than this many lines are not reported by default.
HOLE_LINES = 2.0


@dataclass(frozen=True)
class Rect:
    """A rectangle in PDF user space (points, origin at the bottom left, y up)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def contains(self, x: float, y: float, slack: float = 0.0) -> bool:
        return (self.x0 - slack <= x <= self.x1 + slack
                and self.y0 - slack <= y <= self.y1 + slack)


@dataclass(frozen=True)
class ColumnFill:
    """One body column of a frame: its area and how far its copy ends above its bottom."""

    index: int  # 0-based, left to right
    rect: Rect
    last_bottom: float | None  # y of the lowest content's bottom; None for an empty column
    gap_lines: float  # (last_bottom − content bottom) / line; negative: copy runs below


@dataclass(frozen=True)
class FrameFill:
    """One placed frame on one page of the PDF, as measured."""

    module_id: str
    page: int  # the edition's page number (1-based)
    pdf_page: int  # 0-based index of the PDF page
    place: Placement
    rect: Rect  # the grid cell
    content: Rect  # the cell less border and padding
    line_pt: float
    columns: tuple[ColumnFill, ...]
    lines_short: int
    overset_chars: int

    @property
    def overset(self) -> bool:
        return self.overset_chars > 0

    @property
    def underset(self) -> bool:
        return not self.overset and self.lines_short >= 1


@dataclass(frozen=True)
class Hole:
    """Grid area of a page that no frame covers (grid columns and rows, 1-based)."""

    page: int
    pdf_page: int
    col: int
    span: int
    row: int
    rows: int
    rect: Rect
    lines: float


@dataclass(frozen=True)
class PageFill:
    """One placed page: its frames and its holes."""

    page: int
    pdf_page: int
    frames: tuple[FrameFill, ...]
    holes: tuple[Hole, ...]


@dataclass(frozen=True)
class _Ink:
    """A box of content on the page: a character (by its centre) or an image (by its width)."""

    box: Rect
    image: bool


class _Sheet:
    """Where a page's grid stands on its PDF page (from its TrimBox)."""

    def __init__(self, edition: Edition, page: Page, trim: Rect) -> None:
        self.grid: Grid = grid_for(edition, page)
        paper = papers()[edition.paper]
        masthead, banner = furniture_mm()
        margin = paper.margin_mm * MM
        area = (paper.width_mm - 2 * paper.margin_mm) * MM
        self.left = trim.x0 + margin + (area - self.grid.width_pt) / 2  # .sheet: margin 0 auto
        self.top = trim.y1 - margin - (masthead + banner) * MM - self.grid.row_gap_pt
        self.line_pt = paper.body_pt * paper.leading

    def cell(self, col: int, span: int, row: int, rows: int) -> Rect:
        g = self.grid
        x0 = self.left + (col - 1) * (g.column_pt + g.gap_pt)
        top = self.top - (row - 1) * (g.row_pt + g.row_gap_pt)
        width = span * g.column_pt + (span - 1) * g.gap_pt
        return Rect(x0, top - (rows * g.row_pt + (rows - 1) * g.row_gap_pt), x0 + width, top)

    @property
    def area(self) -> Rect:
        return Rect(self.left, self.top - self.grid.height_pt,
                    self.left + self.grid.width_pt, self.top)


def _content(module: Module, cell: Rect, sheet: _Sheet) -> Rect:
    """The cell less the frame's border and padding (a boxed frame's; the others have none
    at the sides and bottom)."""
    if module.role not in BOXED_ROLES:
        return cell
    inset = frame_of(sheet.grid, module).padding_pt + BOX_RULE_PT
    return Rect(cell.x0 + inset, cell.y0 + inset, cell.x1 - inset, cell.y1 - inset)


def _column_rects(module: Module, content: Rect, sheet: _Sheet) -> list[Rect]:
    frame = frame_of(sheet.grid, module)
    step = frame.column_pt + frame.gap_pt
    return [Rect(content.x0 + i * step, content.y0, content.x0 + i * step + frame.column_pt,
                 content.y1) for i in range(frame.columns)]


def _in_column(ink: _Ink, column: Rect) -> bool:
    box = ink.box
    if ink.image:
        return box.x0 < column.x1 and box.x1 > column.x0
    return column.x0 - TOLERANCE_PT <= (box.x0 + box.x1) / 2 <= column.x1 + TOLERANCE_PT


def _column_fill(index: int, column: Rect, inks: Sequence[_Ink], line: float) -> ColumnFill:
    bottoms = [ink.box.y0 for ink in inks if _in_column(ink, column)]
    last = min(bottoms) if bottoms else None
    gap = ((column.y1 if last is None else last) - column.y0) / line
    return ColumnFill(index, column, last, round(gap, 3))


def lines_short(columns: Sequence[ColumnFill]) -> int:
    """Whole lines more copy the frame's worst column could take beyond its allowance (see
    the module's docstring): 0 when every column ends within one line of the frame's bottom,
    the last of two or more within two."""
    worst = 0
    for column in columns:
        allowance = 1 if len(columns) >= 2 and column.index == len(columns) - 1 else 0
        worst = max(worst, floor(column.gap_lines + EPSILON_LINES) - allowance)
    return worst


def _overset(cell: Rect, content: Rect, inks: Sequence[_Ink]) -> int:
    """Characters of the cell that run below its content or out at its right."""
    return sum(1 for ink in inks if not ink.image
               and cell.contains(*_centre(ink.box))
               and (ink.box.y0 < content.y0 - TOLERANCE_PT
                    or _centre(ink.box)[0] > content.x1 + TOLERANCE_PT))


def _centre(box: Rect) -> tuple[float, float]:
    return (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2


def _strays(cells: dict[str, Rect], area: Rect, inks: Sequence[_Ink]) -> dict[str, int]:
    """Characters on the grid in no cell, each counted for the cell nearest above it."""
    found: dict[str, int] = {}
    for ink in inks:
        x, y = _centre(ink.box)
        if ink.image or not area.contains(x, y, TOLERANCE_PT):
            continue
        if any(cell.contains(x, y, TOLERANCE_PT) for cell in cells.values()):
            continue
        above = [(cell.y0, mid) for mid, cell in cells.items()
                 if cell.x0 <= x <= cell.x1 and cell.y0 >= y]
        if above:
            owner = min(above)[1]
            found[owner] = found.get(owner, 0) + 1
    return found


def _frames(edition: Edition, page: Page, index: int, sheet: _Sheet,
            inks: Sequence[_Ink]) -> tuple[FrameFill, ...]:
    cells = {m.id: sheet.cell(m.place.col, m.place.span, m.place.row, m.place.rows)
             for m in page.modules if m.place is not None}
    strays = _strays(cells, sheet.area, inks)
    found = []
    for module in page.modules:
        if module.place is None:
            continue
        cell = cells[module.id]
        content = _content(module, cell, sheet)
        mine = [ink for ink in inks if cell.contains(*_centre(ink.box), TOLERANCE_PT)]
        columns = tuple(_column_fill(i, rect, mine, sheet.line_pt)
                        for i, rect in enumerate(_column_rects(module, content, sheet)))
        over = _overset(cell, content, mine) + strays.get(module.id, 0)
        found.append(FrameFill(module.id, page.number, index, module.place, cell, content,
                               sheet.line_pt, columns, lines_short(columns), over))
    return tuple(found)


def holes(page: Page, index: int, sheet: _Sheet, hole_lines: float = HOLE_LINES) -> list[Hole]:
    """Runs of grid rows no frame covers, per grid column, deeper than ``hole_lines`` lines;
    equal runs in adjacent columns joined."""
    covered = {(c, r) for m in page.modules if m.place is not None
               for c in range(m.place.col, m.place.col + m.place.span)
               for r in range(m.place.row, m.place.row + m.place.rows)}
    runs: list[tuple[int, int, int]] = []  # (col, row, rows)
    for col in range(1, page.columns + 1):
        row = 1
        while row <= page.rows:
            if (col, row) in covered:
                row += 1
                continue
            end = row
            while end + 1 <= page.rows and (col, end + 1) not in covered:
                end += 1
            runs.append((col, row, end - row + 1))
            row = end + 1
    found: list[Hole] = []
    for col, row, rows in runs:
        last = found[-1] if found else None
        if last and (last.row, last.rows) == (row, rows) and last.col + last.span == col:
            found[-1] = _hole(page, index, sheet, last.col, last.span + 1, row, rows)
        else:
            found.append(_hole(page, index, sheet, col, 1, row, rows))
    return [h for h in found if h.lines > hole_lines]


def _hole(page: Page, index: int, sheet: _Sheet, col: int, span: int, row: int,
          rows: int) -> Hole:
    rect = sheet.cell(col, span, row, rows)
    lines = round(rect.height / sheet.line_pt, 3)
    return Hole(page.number, index, col, span, row, rows, rect, lines)


def _inks(pdf_page: pdfium.PdfPage) -> list[_Ink]:
    """Every character (its loose box, whitespace left out) and image on the page."""
    text = pdf_page.get_textpage()
    found = []
    for i in range(text.count_chars()):
        if text.get_text_range(i, 1).isspace():
            continue
        box = Rect(*text.get_charbox(i, loose=True))
        if box.width > 0:
            found.append(_Ink(box, False))
    for obj in pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=8):
        found.append(_Ink(Rect(*obj.get_bounds()), True))
    return found


def _trim(pdf_page: pdfium.PdfPage) -> Rect:
    return Rect(*pdf_page.get_trimbox())


def _mast_text(pdf_page: pdfium.PdfPage, edition: Edition) -> str:
    """The text of the page's masthead band, where 第N版 stands."""
    paper = papers()[edition.paper]
    trim = _trim(pdf_page)
    top = trim.y1 - paper.margin_mm * MM
    band = furniture_mm()[0] * MM
    text: str = pdf_page.get_textpage().get_text_bounded(trim.x0, top - band, trim.x1, top)
    return text


def page_indexes(document: pdfium.PdfDocument, edition: Edition) -> dict[int, int]:
    """Each edition page's number → the index of the PDF page it starts on (its masthead's
    第N版; a page without placement may run over several PDF pages)."""
    found: dict[int, int] = {}
    index = 0
    for page in edition.pages:
        for candidate in range(index, len(document)):
            if f"第{page.label}版" in _mast_text(document[candidate], edition):
                found[page.number] = index = candidate
                break
    return found


def _open(pdf: Path | bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    except pdfium.PdfiumError as exc:
        where = Source("<bytes>" if isinstance(pdf, bytes) else display_path(pdf), 0)
        raise InputError([error("BM400", f"not a PDF that can be read: {exc}", where)]) from None


def measure(pdf: Path | bytes, edition: Edition, *,
            hole_lines: float = HOLE_LINES) -> list[PageFill]:
    """Every placed page of ``pdf`` (a path or the bytes of a PDF built from ``edition``): each
    placed frame's fill and the page's holes. Pages without placement are left out."""
    document = _open(pdf)
    try:
        return measure_document(document, edition, hole_lines=hole_lines)
    finally:
        document.close()


def measure_document(document: pdfium.PdfDocument, edition: Edition, *,
                     hole_lines: float = HOLE_LINES) -> list[PageFill]:
    """:func:`measure` on a PDF already open in pypdfium2 (the preview renders it too)."""
    return list(_measure(document, edition, hole_lines))


def _measure(document: pdfium.PdfDocument, edition: Edition,
             hole_lines: float) -> Iterator[PageFill]:
    indexes = page_indexes(document, edition)
    for page in edition.pages:
        index = indexes.get(page.number)
        if index is None or not page.placed:
            continue
        pdf_page = document[index]
        sheet = _Sheet(edition, page, _trim(pdf_page))
        frames = _frames(edition, page, index, sheet, _inks(pdf_page))
        yield PageFill(page.number, index, frames, tuple(holes(page, index, sheet, hole_lines)))


def frames(fills: Sequence[PageFill]) -> list[FrameFill]:
    """Every frame of ``fills``, page by page."""
    return [frame for page in fills for frame in page.frames]


def report(fills: Sequence[PageFill]) -> list[str]:
    """The measure as a table an editor reads: one line per frame (page, module, lines short,
    each column's gap in lines, overset characters), then one per hole."""
    lines = [f"{'page':>4}  {'frame':<16} {'short':>5}  {'overset':>7}  column gaps (lines)"]
    for frame in (f for page in fills for f in page.frames):
        gaps = " ".join(f"{c.gap_lines:.1f}" for c in frame.columns)
        lines.append(f"{frame.page:>4}  {frame.module_id:<16} {frame.lines_short:>5}  "
                     f"{frame.overset_chars:>7}  {gaps}")
    for hole in (h for page in fills for h in page.holes):
        cols = f"{hole.col}" if hole.span == 1 else f"{hole.col}-{hole.col + hole.span - 1}"
        lines.append(f"{hole.page:>4}  hole: columns {cols}, rows {hole.row}-"
                     f"{hole.row + hole.rows - 1}, {hole.lines:.1f} lines empty")
    return lines
