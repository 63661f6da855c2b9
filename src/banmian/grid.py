"""The page grid: the papers an edition can be printed on (``data/papers.toml``) and the grid
of columns and rows a page makes on its paper, in points.

Pure arithmetic on the model, no I/O but reading the data file once: the content reader
checks ``columns`` and ``rows`` against it (:func:`grid_limits`), and the print layout
(:mod:`banmian.backends.pdf.layout.geometry`) places frames on it. Column widths are whole
multiples of the body size, so a line of Han characters fills its column exactly; gutters are
one body em; rows share the height left under the masthead and the page banner, one line
apart.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from math import floor
from typing import Any

from banmian.model import Placement

MM = 72 / 25.4  # points per millimetre
#: The narrowest column the grid makes, in body ems.
MIN_COLUMN_EMS = 4


@dataclass(frozen=True)
class PaperSize:
    """A paper size (trim, in mm), its minimum margins (mm) and its body type size (pt)."""

    width_mm: float
    height_mm: float
    margin_mm: float
    body_pt: float
    leading: float = 1.4


@cache
def _data() -> dict[str, Any]:
    text = resources.files("banmian").joinpath("data", "papers.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def papers() -> dict[str, PaperSize]:
    """Every paper by name (``broadsheet``, ``tabloid``)."""
    return {name: PaperSize(float(p["width-mm"]), float(p["height-mm"]), float(p["margin-mm"]),
                        float(p["body-pt"]), float(p["leading"]))
            for name, p in _data()["papers"].items()}


def furniture_mm() -> tuple[float, float]:
    """The heights of the masthead and of the page banner above the grid, in mm."""
    table = _data()["furniture"]
    return float(table["masthead-mm"]), float(table["banner-mm"])


def headline_pt(role: str) -> tuple[float, float]:
    """A module role's headline size (pt) and letter-spacing (em); an article's by default."""
    sizes, tracking = _data()["headlines"]["size-pt"], _data()["headlines"]["tracking-em"]
    return float(sizes.get(role, sizes["article"])), float(tracking.get(role, 0.0))


@dataclass(frozen=True)
class Grid:
    """A page's grid: columns of whole body ems, gutters of one em, rows sharing the height."""

    paper: PaperSize
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
        return area - sum(furniture_mm()) * MM - self.row_gap_pt

    @property
    def row_gap_pt(self) -> float:
        return self.em * self.paper.leading

    @property
    def row_pt(self) -> float:
        return (self.height_pt - (self.rows - 1) * self.row_gap_pt) / self.rows

    def cell_height_pt(self, place: Placement) -> float:
        return place.rows * self.row_pt + (place.rows - 1) * self.row_gap_pt


def make_grid(paper_name: str, columns: int, rows: int) -> Grid:
    """The grid of a page of ``columns`` × ``rows`` on ``paper_name``: as many whole-em columns
    as the paper's type area holds; a ValueError if they would be under the minimum width."""
    paper = papers()[paper_name]
    usable_ems = (paper.width_mm - 2 * paper.margin_mm) * MM / paper.body_pt
    column_ems = floor((usable_ems - (columns - 1)) / columns)
    if column_ems < MIN_COLUMN_EMS:
        raise ValueError(f"{columns} columns do not fit the {paper_name} page")
    return Grid(paper, columns, rows, column_ems)


@cache
def grid_limits(paper_name: str) -> tuple[int, int]:
    """The most ``columns`` and ``rows`` a page on ``paper_name`` may have (the least is 1).

    Columns: as many as :func:`make_grid` fits across the type area, each at least
    ``MIN_COLUMN_EMS`` wide. Rows: as many as leave each row at least one line of body text
    deep (its leading); a shallower row could not hold even one line of a one-row frame.
    Today: 22 × 55 on a broadsheet, 15 × 38 on a tabloid.
    """
    def fits(columns: int, rows: int) -> bool:
        try:
            grid = make_grid(paper_name, columns, rows)
        except ValueError:
            return False
        return grid.row_pt >= grid.row_gap_pt

    # Bounded searches, so that a change to the data can never make them run forever.
    columns = next((n for n in range(1, 1000) if not fits(n + 1, 1)), 1)
    rows = next((n for n in range(1, 1000) if not fits(1, n + 1)), 1)
    return columns, rows
