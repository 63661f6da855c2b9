"""Each frame's measures on its page's grid (:mod:`banmian.grid`), in points, and the CSS
the print template places them with.

A frame spanning ``k`` grid columns sets its body in ``k`` columns of the grid's width (a
boxed frame in ``k`` columns one em narrower, the em going to its border and padding). Photos
stand in bands across the frame, each a whole number of its columns (:func:`band_columns`), at
most ``PHOTO_COLUMNS`` each (the automatic placement, :mod:`.placer`, may allow a frame's photos
another width: ``Frame.photo_columns``), so that a band leaves no column beside it empty unless
its photos are too few to span the frame at that width.
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
PHOTO_COLUMNS = 4


def band_columns(columns: int, count: int, widest: int = PHOTO_COLUMNS) -> list[int]:
    """The columns each of ``count`` photos takes in a band of a ``columns``-column frame: the
    band spans the frame, the first photos one column wider where the columns do not divide
    evenly; no photo wider than ``widest``; with more photos than columns, one each (the band
    then shrinks them to the frame)."""
    if count >= columns:
        return [1] * count
    base, extra = divmod(columns, count)
    return [min(widest, base + (i < extra)) for i in range(count)]


def photo_widths(columns: int, column_pt: float, gap_pt: float, count: int,
                 widest: int = PHOTO_COLUMNS) -> list[float]:
    """The width of each photo (pt) of a band of ``count`` in a frame of ``columns`` columns
    ``column_pt`` wide: whole columns (:func:`band_columns`), or an even share of the frame
    when the band has more photos than the frame has columns."""
    if count > columns:
        inner = columns * column_pt + (columns - 1) * gap_pt
        return [(inner - (count - 1) * gap_pt) / count] * count
    return [n * column_pt + (n - 1) * gap_pt for n in band_columns(columns, count, widest)]


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
    photo_columns: int = PHOTO_COLUMNS  # the widest a photo of the frame's bands may be

    @property
    def inner_pt(self) -> float:
        """The width the frame's body is set in."""
        return self.columns * self.column_pt + (self.columns - 1) * self.gap_pt

    def figure_pt(self, module: Module, figure: Figure) -> float:
        """How wide ``figure`` prints: its whole columns of the band it stands in
        (:func:`band_columns`), or its share of the frame when the band has more photos than
        the frame has columns."""
        group = next(g for g in photo_groups(module) if figure in g)
        widths = photo_widths(self.columns, self.column_pt, self.gap_pt, len(group),
                              self.photo_columns)
        return widths[group.index(figure)]

    def band_pt(self, module: Module, figures: Sequence[Figure]) -> float:
        """How wide the band of ``figures`` prints: its photos and the gaps between them."""
        widths = [self.figure_pt(module, f) for f in figures]
        return sum(widths) + (len(widths) - 1) * self.gap_pt

    def headline_chars(self, role: str) -> int:
        """How many headline characters one line of the frame holds."""
        size, tracking = headline_pt(role)
        return int(self.inner_pt // (size * (1 + tracking)))

    def column_chars(self, role: str) -> int:
        """How many characters of ``role``'s headline size one body column holds (a
        subhead's, ``role="subhead"``)."""
        size, tracking = headline_pt(role)
        return int(self.column_pt // (size * (1 + tracking)))

    def headline_css(self, role: str) -> str:
        size, tracking = headline_pt(role)
        return f"font-size: {size}pt; letter-spacing: {tracking}em;"

    @property
    def cell_css(self) -> str:
        pad = f" padding: {self.padding_pt:.3f}pt;" if self.padding_pt else ""
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
    return (
        f"@page {{ size: {paper.width_mm}mm {paper.height_mm}mm; margin: {paper.margin_mm}mm; }}\n"
        f":root {{ --body: {paper.body_pt}pt; --leading: {paper.leading}; "
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
    ``photos``: the widest photo (grid columns) of a module's frame, by module id."""
    found = []
    for page in edition.pages:
        grid = grid_for(edition, page)
        frames = {m.id: frame_of(grid, m, (photos or {}).get(m.id, PHOTO_COLUMNS))
                  for m in page.modules}
        found.append(Sheet(page, grid, frames))
    return found
