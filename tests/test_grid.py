"""The page grid (banmian.grid): papers from data/papers.toml, whole-em columns, the limits the
content reader checks against."""

from __future__ import annotations

from typing import get_args

import pytest

from banmian.grid import MIN_COLUMN_EMS, grid_limits, headline_pt, make_grid, papers
from banmian.model import Paper


def test_every_paper_of_the_model_has_a_size() -> None:
    assert set(papers()) == set(get_args(Paper)) == {"broadsheet", "tabloid"}
    broadsheet = papers()["broadsheet"]
    assert (broadsheet.width_mm, broadsheet.height_mm, broadsheet.body_pt) == (390, 543, 9.0)


@pytest.mark.parametrize("paper", ["broadsheet", "tabloid"])
def test_limits_are_the_edge_of_what_the_grid_makes(paper: str) -> None:
    columns, rows = grid_limits(paper)
    widest = make_grid(paper, columns, 1)
    assert widest.column_ems >= MIN_COLUMN_EMS
    assert widest.width_pt <= (papers()[paper].width_mm - 2 * papers()[paper].margin_mm) * 72 / 25.4
    with pytest.raises(ValueError, match="do not fit"):
        make_grid(paper, columns + 1, 1)
    deepest = make_grid(paper, 1, rows)
    assert deepest.row_pt >= deepest.row_gap_pt > make_grid(paper, 1, rows + 1).row_pt


def test_headline_sizes_by_role() -> None:
    assert headline_pt("lead") == (48.0, 0.05)
    assert headline_pt("no-such-role") == headline_pt("article") == (22.0, 0.0)
