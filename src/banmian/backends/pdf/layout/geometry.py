"""Page geometry in points: trim size, margins, the column grid and each frame's measures.

Column widths are whole multiples of the body size, so a line of Han characters fills its
column exactly; gutters are one body em. A frame spanning ``k`` grid columns sets its body in
``k`` columns of the grid's width (a boxed frame in ``k`` columns one em narrower, the em going
to its border and padding).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import floor

from banmian.model import Edition, Figure, FigureRef, Module, Page, Placement

MM = 72 / 25.4  # points per millimetre


@dataclass(frozen=True)
class Paper:
    """A paper size (trim, in mm), its minimum margins (mm) and its body type size (pt)."""

    width_mm: float
    height_mm: float
    margin_mm: float
    body_pt: float
    leading: float = 1.4


PAPERS: dict[str, Paper] = {
    "broadsheet": Paper(390, 543, 15, 9.0),   # 对开, body 小五
    "tabloid": Paper(270, 390, 12, 9.0),     # 四开, body 小五
}
MASTHEAD_MM = 9.0
BANNER_MM = 13.0
BOXED_ROLES = frozenset({"profile"})
#: The rule around a boxed frame (pt): its padding is one em less this, in all.
BOX_RULE_PT = 0.75
#: Headline (主题) sizes by role, in points, and the letter-spacing (em) each is set with.
HEADLINE_PT = {"lead": 48.0, "profile": 24.0, "commentary": 20.0, "article": 22.0}
HEADLINE_TRACKING = {"lead": 0.05}
#: A photo in a band is at most this many grid columns wide.
PHOTO_COLUMNS = 2


def photo_max_pt(column_pt: float, gap_pt: float) -> float:
    return PHOTO_COLUMNS * column_pt + (PHOTO_COLUMNS - 1) * gap_pt


def photo_groups(module: Module) -> list[tuple[Figure, ...]]:
    """The module's photos as the print template bands them: runs of consecutive figures."""
    groups: list[tuple[Figure, ...]] = []
    if module.lead_figures:
        groups.append(module.lead_figures)
    for section in module.sections:
        run: list[Figure] = []
        for block in (*section.blocks, None):
            if isinstance(block, FigureRef):
                run.append(module.figure(block.figure_id))
            elif run:
                groups.append(tuple(run))
                run = []
    return groups


@dataclass(frozen=True)
class Frame:
    """One module's frame: CSS for its grid cell and for the columns its body is set in."""

    module_id: str
    cell: str
    columns: int
    column_pt: float
    gap_pt: float
    padding_pt: float

    @property
    def inner_pt(self) -> float:
        """The width the frame's body is set in."""
        return self.columns * self.column_pt + (self.columns - 1) * self.gap_pt

    def figure_pt(self, module: Module, figure: Figure) -> float:
        """How wide ``figure`` prints: its share of the band it stands in, at most
        ``PHOTO_COLUMNS`` grid columns."""
        group = next(g for g in photo_groups(module) if figure in g)
        share = (self.inner_pt - (len(group) - 1) * self.gap_pt) / len(group)
        return min(share, photo_max_pt(self.column_pt, self.gap_pt))

    def headline_chars(self, role: str) -> int:
        """How many headline characters one line of the frame holds."""
        size = HEADLINE_PT.get(role, HEADLINE_PT["article"])
        return int(self.inner_pt // (size * (1 + HEADLINE_TRACKING.get(role, 0.0))))

    def headline_css(self, role: str) -> str:
        size = HEADLINE_PT.get(role, HEADLINE_PT["article"])
        return f"font-size: {size}pt; letter-spacing: {HEADLINE_TRACKING.get(role, 0.0)}em;"

    @property
    def cell_css(self) -> str:
        pad = f" padding: {self.padding_pt:.3f}pt;" if self.padding_pt else ""
        return self.cell + pad

    @property
    def body_css(self) -> str:
        return (f"column-count: {self.columns}; column-width: {self.column_pt:.3f}pt; "
                f"column-gap: {self.gap_pt:.3f}pt;")


@dataclass(frozen=True)
class Grid:
    """A page's grid: columns of whole body ems, gutters of one em, rows sharing the height."""

    paper: Paper
    columns: int
    rows: int
    column_ems: int

    @property
    def em(self) -> float:
        return self.paper.body_pt

    @property
    def column_pt(self) -> float:
        return self.column_ems * self.em

    @property
    def gap_pt(self) -> float:
        return self.em

    @property
    def width_pt(self) -> float:
        return self.columns * self.column_pt + (self.columns - 1) * self.gap_pt

    @property
    def height_pt(self) -> float:
        """The grid's height: the type area less the masthead, the page banner and one line
        of space under the banner (the grid's top margin in print.css)."""
        area = (self.paper.height_mm - 2 * self.paper.margin_mm) * MM
        return area - (MASTHEAD_MM + BANNER_MM) * MM - self.row_gap_pt

    @property
    def row_gap_pt(self) -> float:
        return self.em * self.paper.leading

    @property
    def row_pt(self) -> float:
        return (self.height_pt - (self.rows - 1) * self.row_gap_pt) / self.rows

    def cell(self, place: Placement) -> str:
        """Absolute position and size of a placed frame (the grid is computed, not CSS grid:
        WeasyPrint's grid sizes tracks from content widths, which is slow for CJK text)."""
        left = (place.col - 1) * (self.column_pt + self.gap_pt)
        top = (place.row - 1) * (self.row_pt + self.row_gap_pt)
        width = place.span * self.column_pt + (place.span - 1) * self.gap_pt
        height = self.cell_height_pt(place)
        return (f"position: absolute; left: {left:.3f}pt; top: {top:.3f}pt; "
                f"width: {width:.3f}pt; min-height: {height:.3f}pt;")

    def cell_height_pt(self, place: Placement) -> float:
        return place.rows * self.row_pt + (place.rows - 1) * self.row_gap_pt

    def frame(self, module: Module) -> Frame:
        """The frame of ``module``: its place on the grid, or, when the page flows, the full
        width of the page with its headline across and its body in all the grid's columns."""
        place = module.place
        cell = "" if place is None else self.cell(place)
        span = self.columns if place is None else place.span
        if module.role in BOXED_ROLES:
            return Frame(module.id, cell, span, self.column_pt - self.em, self.gap_pt,
                         span * self.em / 2 - BOX_RULE_PT)
        return Frame(module.id, cell, span, self.column_pt, self.gap_pt, 0.0)


def grid_for(edition: Edition, page: Page) -> Grid:
    """The grid of ``page``: as many whole-em columns as the paper's type area holds."""
    paper = PAPERS[edition.paper]
    usable_ems = (paper.width_mm - 2 * paper.margin_mm) * MM / paper.body_pt
    column_ems = floor((usable_ems - (page.columns - 1)) / page.columns)
    if column_ems < 4:
        raise ValueError(f"{page.columns} columns do not fit the {edition.paper} page")
    return Grid(paper, page.columns, page.rows, column_ems)


def page_css(edition: Edition) -> str:
    """The ``@page`` rule (trim size and margins) and the body measures as CSS variables."""
    paper = PAPERS[edition.paper]
    grid = grid_for(edition, edition.pages[0])
    photo = photo_max_pt(grid.column_pt, grid.gap_pt)
    return (
        f"@page {{ size: {paper.width_mm}mm {paper.height_mm}mm; margin: {paper.margin_mm}mm; }}\n"
        f":root {{ --body: {paper.body_pt}pt; --leading: {paper.leading}; --photo: {photo:.3f}pt; "
        f"--masthead: {MASTHEAD_MM}mm; --banner: {BANNER_MM}mm; }}\n"
    )


@dataclass(frozen=True)
class Sheet:
    """What the print template needs for one page: CSS for the sheet, its grid and frames."""

    page: Page
    grid: Grid
    frames: dict[str, Frame]

    @property
    def sheet_css(self) -> str:
        return f"width: {self.grid.width_pt:.3f}pt;"

    @property
    def grid_css(self) -> str:
        g = self.grid
        if not self.page.placed:
            return ""
        return f"position: relative; height: {g.height_pt:.3f}pt;"


def sheets(edition: Edition) -> list[Sheet]:
    """Every page's sheet: placed pages on their grid; on the others each module runs the full
    width, headline across and body in the grid's columns, onto as many pages as it needs."""
    found = []
    for page in edition.pages:
        grid = grid_for(edition, page)
        frames = {m.id: grid.frame(m) for m in page.modules}
        found.append(Sheet(page, grid, frames))
    return found
