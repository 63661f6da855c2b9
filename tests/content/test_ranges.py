"""Numeric values in edition.toml out of range: BM105 at the key's line from the loader, so
``build`` exits 2 and ``lint`` reports it, instead of an internal error in the print layout;
and every grid the loader accepts lays out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from banmian.backends.pdf.layout.geometry import Grid, grid_for
from banmian.cli import EXIT_INPUT, EXIT_OK
from banmian.content import load_edition
from banmian.grid import grid_limits
from banmian.model import DEFAULT_COLUMNS, DEFAULT_ROWS, Page, Paper

Factory = Callable[..., Path]
Run = Callable[..., Any]

# The minimal edition.toml (tests/conftest.py) is 11 lines: the page table's keys end with
# `pinyin` on line 7, the module entry's with `role` on line 11. A page key added after
# `pinyin` is on line 8 and pushes a module key added after `role` to line 13; without a page
# key, the module key is on line 12. A top-level key added after `date` is on line 4 and moves
# everything below it down one line.
PINYIN = 'pinyin = "YAOWEN"\n'
ROLE = 'role = "article"\n'
DATE = 'date = "2020-02-12"\n'


def write_edition(make_edition: Factory, minimal_toml: str, *, top: str = "", page: str = "",
                  module: str = "", role: str = "article") -> Path:
    """The minimal edition with ``top``, ``page`` and ``module`` lines added to its tables and
    its module in ``role``."""
    toml = minimal_toml
    for anchor, extra in ((DATE, top), (PINYIN, page), (ROLE, module)):
        assert anchor in toml
        if extra:
            toml = toml.replace(anchor, anchor + extra + "\n")
    return make_edition(files={"edition.toml": toml.replace(ROLE, f'role = "{role}"\n')})


BAD: list[tuple[str, str, str, list[tuple[int, str]]]] = [
    # (top-level lines, page lines, module lines, [(line, message)])
    ("", "columns = 40", "", [(8, "'columns' must be from 1 to 22 on a broadsheet page")]),
    ("", "columns = 23", "", [(8, "'columns' must be from 1 to 22 on a broadsheet page")]),
    ("", "columns = 0", "", [(8, "'columns' must be from 1 to 22 on a broadsheet page")]),
    ("", "columns = -1", "", [(8, "'columns' must be from 1 to 22 on a broadsheet page")]),
    ("", "columns = 99999999999999999999", "",
     [(8, "'columns' must be from 1 to 22 on a broadsheet page")]),
    ("", "rows = 0", "", [(8, "'rows' must be from 1 to 55 on a broadsheet page")]),
    ("", "rows = -3", "", [(8, "'rows' must be from 1 to 55 on a broadsheet page")]),
    ("", "rows = 56", "", [(8, "'rows' must be from 1 to 55 on a broadsheet page")]),
    ("", "columns = true", "", [(8, "'columns' must be an integer")]),
    ("", "rows = false", "", [(8, "'rows' must be an integer")]),
    ("", "columns = 8.0", "", [(8, "'columns' must be an integer")]),
    ("", 'rows = "20"', "", [(8, "'rows' must be an integer")]),
    ('paper = "tabloid"', "columns = 16", "",
     [(9, "'columns' must be from 1 to 15 on a tabloid page")]),
    ('paper = "tabloid"', "rows = 39", "", [(9, "'rows' must be from 1 to 38 on a tabloid page")]),
    # An unknown paper is reported, and the grid is checked against the default broadsheet.
    ('paper = "a3"', "columns = 23", "",
     [(4, "paper must be broadsheet or tabloid"),
      (9, "'columns' must be from 1 to 22 on a broadsheet page")]),
    ("", "", "place = { col = 1, span = 9, row = 1, rows = 2 }",
     [(12, "place runs off the page's 8×20 grid")]),
    ("", "", "place = { col = 1, span = 2, row = 20, rows = 2 }",
     [(12, "place runs off the page's 8×20 grid")]),
    ("", "columns = 4\nrows = 10", "place = { col = 2, span = 4, row = 1, rows = 2 }",
     [(14, "place runs off the page's 4×10 grid")]),
    ("", "", "place = { col = 1, span = 0, row = 1, rows = 2 }",
     [(12, "place must be { col, span, row, rows } with positive integers")]),
    ("", "", "place = { col = 1, span = true, row = 1, rows = 2 }",
     [(12, "place must be { col, span, row, rows } with positive integers")]),
    ("", "", "place = { col = 1, span = 99999999999999999999, row = 1, rows = 2 }",
     [(12, "place runs off the page's 8×20 grid")]),
    # A bad grid is the one error: the place is not measured against it as well.
    ("", "columns = 40", "place = { col = 1, span = 30, row = 1, rows = 2 }",
     [(8, "'columns' must be from 1 to 22 on a broadsheet page")]),
]


def expected_err(folder: Path, errors: list[tuple[int, str]]) -> list[str]:
    return [f"{folder / 'edition.toml'}:{line}: error BM105: {message}"
            for line, message in errors]


@pytest.mark.parametrize(("top", "page", "module", "errors"), BAD)
def test_out_of_range_stops_build(make_edition: Factory, minimal_toml: str, run_cli: Run,
                                  tmp_path: Path, top: str, page: str, module: str,
                                  errors: list[tuple[int, str]]) -> None:
    folder = write_edition(make_edition, minimal_toml, top=top, page=page, module=module)
    result = run_cli("build", folder, "-o", tmp_path / "out")
    assert result.status == EXIT_INPUT, result.err
    assert result.err.splitlines() == expected_err(folder, errors)
    assert "internal error" not in result.err and "Traceback" not in result.err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize(("top", "page", "module", "errors"), BAD)
def test_out_of_range_fails_lint(make_edition: Factory, minimal_toml: str, run_cli: Run,
                                 top: str, page: str, module: str,
                                 errors: list[tuple[int, str]]) -> None:
    folder = write_edition(make_edition, minimal_toml, top=top, page=page, module=module)
    result = run_cli("lint", folder)
    # lint exits 2 for an edition it cannot load, as build does (docs/lint-rules.md).
    assert result.status == EXIT_INPUT, result.err
    assert result.err.splitlines() == expected_err(folder, errors)
    assert "internal error" not in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(("paper", "limits"), [("broadsheet", (22, 55)), ("tabloid", (15, 38))])
def test_limits_are_what_the_layout_takes(paper: Paper, limits: tuple[int, int],
                                          make_edition: Factory, minimal_toml: str) -> None:
    """The limits (as docs/content-format.md states them) are exactly the layout's: the most
    columns grid_for sets, the most rows that are each at least one line deep."""
    assert grid_limits(paper) == limits
    most_columns, most_rows = limits
    edition = load_edition(write_edition(make_edition, minimal_toml, top=f'paper = "{paper}"'))
    (page,) = edition.pages

    def grid(columns: int, rows: int) -> Grid:
        return grid_for(edition, Page(page.number, page.label, page.modules, page.source,
                                      columns=columns, rows=rows))

    assert grid(most_columns, most_rows).row_pt >= grid(most_columns, most_rows).row_gap_pt
    with pytest.raises(ValueError, match="do not fit"):
        grid(most_columns + 1, most_rows)
    assert grid(1, most_rows + 1).row_pt < grid(1, most_rows + 1).row_gap_pt


def test_defaults_and_limits_load(make_edition: Factory, minimal_toml: str) -> None:
    (page,) = load_edition(write_edition(make_edition, minimal_toml)).pages
    assert (page.columns, page.rows) == (DEFAULT_COLUMNS, DEFAULT_ROWS)
    for columns, rows in [(1, 1), (22, 55)]:
        folder = write_edition(make_edition, minimal_toml, page=f"columns = {columns}\n"
                               f"rows = {rows}", module="place = { col = 1, span = "
                               f"{columns}, row = 1, rows = {rows} }}")
        (page,) = load_edition(folder).pages
        assert (page.columns, page.rows) == (columns, rows)
        (module,) = page.modules
        assert module.place is not None and module.place.span == columns


@pytest.mark.slow
@pytest.mark.parametrize(("paper", "page", "module", "role"), [
    ("broadsheet", "columns = 22\nrows = 55", "place = { col = 1, span = 22, row = 1, rows = 55 }",
     "article"),
    ("broadsheet", "columns = 1\nrows = 1", "place = { col = 1, span = 1, row = 1, rows = 1 }",
     "article"),
    # The narrowest frames: one column of the widest grid, boxed (a profile) or not.
    ("broadsheet", "columns = 22\nrows = 55", "place = { col = 22, span = 1, row = 1, rows = 55 }",
     "article"),
    ("broadsheet", "columns = 22\nrows = 55", "place = { col = 1, span = 1, row = 1, rows = 55 }",
     "profile"),
    ("broadsheet", "columns = 22", "", "article"),  # a flowing page in 22 columns
    ("tabloid", "columns = 15\nrows = 38", "place = { col = 1, span = 15, row = 1, rows = 38 }",
     "article"),
    ("tabloid", "columns = 15", "", "profile"),
])
def test_accepted_limits_build_a_pdf(make_edition: Factory, minimal_toml: str, run_cli: Run,
                                     tmp_path: Path, paper: str, page: str, module: str,
                                     role: str) -> None:
    folder = write_edition(make_edition, minimal_toml, top=f'paper = "{paper}"', page=page,
                           module=module, role=role)
    out = tmp_path / "out"
    result = run_cli("build", folder, "-o", out, "--format", "pdf")
    assert result.status == EXIT_OK, result.err
    assert (out / f"{folder.name}.pdf").stat().st_size > 0
