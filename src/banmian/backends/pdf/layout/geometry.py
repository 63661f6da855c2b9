"""Each frame's measures on its page's grid (:mod:`banmian.grid`), in points, and the CSS
the print template places them with.

A frame spanning ``k`` grid columns sets its body in ``k`` columns of the grid's width (a
boxed frame in ``k`` columns one em narrower, the em going to its border and padding); photos
stand in bands at most ``PHOTO_COLUMNS`` grid columns each (the automatic placement,
:mod:`.placer`, may give a frame's photos another width: ``Frame.photo_columns``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from banmian.grid import Grid, furniture_mm, headline_pt, make_grid, papers
from banmian.model import Block, Edition, Figure, FigureRef, Module, Page, Paragraph, Placement

BOXED_ROLES = frozenset({"profile"})
#: The rule around a boxed frame (pt): its padding is one em less this, in all.
BOX_RULE_PT = 0.75
#: A photo in a band is at most this many grid columns wide.
PHOTO_COLUMNS = 2


def photo_max_pt(column_pt: float, gap_pt: float) -> float:
    return PHOTO_COLUMNS * column_pt + (PHOTO_COLUMNS - 1) * gap_pt


def banded(module: Module, blocks: Sequence[Block]) -> list[Paragraph | tuple[Figure, ...]]:
    """A section's blocks as print sets them: paragraphs, and each run of consecutive figure
    references as one band of photos (a tuple of figures) across the frame's columns."""
    found: list[Paragraph | tuple[Figure, ...]] = []
    run: list[Figure] = []
    for block in blocks:
        if isinstance(block, FigureRef):
            run.append(module.figure(block.figure_id))
            continue
        if run:
            found.append(tuple(run))
            run = []
        found.append(block)
    return [*found, tuple(run)] if run else found


def photo_groups(module: Module) -> list[tuple[Figure, ...]]:
    """The module's photo bands: its lead photos, then each band of its sections."""
    groups = [module.lead_figures] if module.lead_figures else []
    for section in module.sections:
        groups += [item for item in banded(module, section.blocks) if isinstance(item, tuple)]
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
    photo_columns: int = PHOTO_COLUMNS

    @property
    def inner_pt(self) -> float:
        """The width the frame's body is set in."""
        return self.columns * self.column_pt + (self.columns - 1) * self.gap_pt

    def figure_pt(self, module: Module, figure: Figure) -> float:
        """How wide ``figure`` prints: its share of the band it stands in, at most
        ``photo_columns`` grid columns."""
        group = next(g for g in photo_groups(module) if figure in g)
        share = (self.inner_pt - (len(group) - 1) * self.gap_pt) / len(group)
        widest = self.photo_columns * self.column_pt + (self.photo_columns - 1) * self.gap_pt
        return min(share, widest)

    def headline_chars(self, role: str) -> int:
        """How many headline characters one line of the frame holds."""
        size, tracking = headline_pt(role)
        return int(self.inner_pt // (size * (1 + tracking)))

    def headline_css(self, role: str) -> str:
        size, tracking = headline_pt(role)
        return f"font-size: {size}pt; letter-spacing: {tracking}em;"

    @property
    def cell_css(self) -> str:
        pad = f" padding: {self.padding_pt:.3f}pt;" if self.padding_pt else ""
        if self.photo_columns != PHOTO_COLUMNS:  # the band's photos (print.css: var(--photo))
            wide = self.photo_columns * self.column_pt + (self.photo_columns - 1) * self.gap_pt
            pad += f" --photo: {wide:.3f}pt;"
        return self.cell + pad

    @property
    def body_css(self) -> str:
        return (f"column-count: {self.columns}; column-width: {self.column_pt:.3f}pt; "
                f"column-gap: {self.gap_pt:.3f}pt;")


def cell_css(grid: Grid, place: Placement) -> str:
    """Absolute position and size of a placed frame (the grid is computed, not CSS grid:
    WeasyPrint's grid sizes tracks from content widths, which is slow for CJK text)."""
    left = (place.col - 1) * (grid.column_pt + grid.gap_pt)
    top = (place.row - 1) * (grid.row_pt + grid.row_gap_pt)
    width = place.span * grid.column_pt + (place.span - 1) * grid.gap_pt
    return (f"position: absolute; left: {left:.3f}pt; top: {top:.3f}pt; "
            f"width: {width:.3f}pt; min-height: {grid.cell_height_pt(place):.3f}pt;")


def frame_of(grid: Grid, module: Module, photo_columns: int = PHOTO_COLUMNS) -> Frame:
    """The frame of ``module``: its place on the grid, or, when the page flows, the full
    width of the page with its headline across and its body in all the grid's columns; its
    photos at most ``photo_columns`` grid columns wide."""
    place = module.place
    cell = "" if place is None else cell_css(grid, place)
    span = grid.columns if place is None else place.span
    if module.role in BOXED_ROLES:
        return Frame(module.id, cell, span, grid.column_pt - grid.em, grid.gap_pt,
                     span * grid.em / 2 - BOX_RULE_PT, photo_columns)
    return Frame(module.id, cell, span, grid.column_pt, grid.gap_pt, 0.0, photo_columns)


def grid_for(edition: Edition, page: Page) -> Grid:
    """The grid of ``page`` on the edition's paper."""
    return make_grid(edition.paper, page.columns, page.rows)


def page_css(edition: Edition) -> str:
    """The ``@page`` rule (trim size and margins) and the body measures as CSS variables."""
    paper = papers()[edition.paper]
    masthead, banner = furniture_mm()
    grid = grid_for(edition, edition.pages[0])
    photo = photo_max_pt(grid.column_pt, grid.gap_pt)
    return (
        f"@page {{ size: {paper.width_mm}mm {paper.height_mm}mm; margin: {paper.margin_mm}mm; }}\n"
        f":root {{ --body: {paper.body_pt}pt; --leading: {paper.leading}; --photo: {photo:.3f}pt; "
        f"--masthead: {masthead}mm; --banner: {banner}mm; }}\n"
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


def sheets(edition: Edition, photos: Mapping[str, int] | None = None) -> list[Sheet]:
    """Every page's sheet: placed pages on their grid; on the others each module runs the full
    width, headline across and body in the grid's columns, onto as many pages as it needs.
    ``photos``: the photo width (grid columns) of a module's frame, by module id."""
    found = []
    for page in edition.pages:
        grid = grid_for(edition, page)
        frames = {m.id: frame_of(grid, m, (photos or {}).get(m.id, PHOTO_COLUMNS))
                  for m in page.modules}
        found.append(Sheet(page, grid, frames))
    return found
