"""Page geometry and press marks: whole-em columns, frames on the grid, marks outside the bleed."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest

from banmian.backends.pdf import marks
from banmian.backends.pdf.layout.geometry import grid_for, sheets
from banmian.backends.pdf.press import press_pdf
from banmian.content import load_edition
from banmian.fonts import faces
from banmian.grid import MM, papers
from banmian.verify.press import artifact_points

SAMPLE = Path(__file__).resolve().parents[4] / "content" / "benxi-2020-02"


def test_columns_are_whole_body_ems_and_fit_the_paper() -> None:
    edition = load_edition(SAMPLE)
    grid = grid_for(edition, edition.pages[0])
    assert grid.column_pt / grid.em == grid.column_ems
    paper = papers()["broadsheet"]
    assert grid.width_pt <= (paper.width_mm - 2 * paper.margin_mm) * MM
    assert grid.columns == 8


def test_a_boxed_frame_sets_whole_em_columns_inside_its_padding() -> None:
    edition = load_edition(SAMPLE)
    sheet = sheets(edition)[0]
    profile = sheet.frames["profile"]
    assert (profile.column_pt / sheet.grid.em).is_integer()
    outer = 2 * sheet.grid.column_pt + sheet.grid.gap_pt
    assert profile.inner_pt + 2 * (profile.padding_pt + 0.75) == pytest.approx(outer)


def test_crop_marks_stay_outside_the_bleed() -> None:
    trim = (0.0, 0.0, 100.0, 200.0)
    bleed = 3 * MM
    stream = "\n".join(marks.crop_marks(trim))
    points = [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+) (-?[\d.]+) [ml]\b", stream)]
    assert len(points) == 16
    for x, y in points:
        assert x < -bleed or x > 100 + bleed or y < -bleed or y > 200 + bleed


def test_every_mark_and_the_slug_stay_between_bleed_and_sheet_edge() -> None:
    trim = (0.0, 0.0, 800.0, 1100.0)
    bleed, edge = 3 * MM, 15 * MM
    ops = [*marks.crop_marks(trim), *marks.registration_marks(trim), *marks.colour_bar(trim),
           *marks.slug_line(trim, "benxi-2020-02  ·  page 1  ·  2020-02  ·  plates K",
                            faces("zh-CN")["sans-bold"].path)]
    pdf = pikepdf.new()
    stream = pikepdf.Stream(pdf, ("/Artifact BMC q\n" + "\n".join(ops) + "\nQ EMC").encode())
    points = artifact_points(pikepdf.parse_content_stream(stream))
    assert len(marks.register_centres(trim)) == 4 and len(points) > 100
    for x, y in points:
        outside_bleed = x < -bleed or x > 800 + bleed or y < -bleed or y > 1100 + bleed
        assert outside_bleed and -edge <= x <= 800 + edge and -edge <= y <= 1100 + edge


def test_press_marks_set_the_boxes(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(300, 400))
    path = tmp_path / "a.pdf"
    pdf.save(path)
    out = press_pdf(path.read_bytes(), ["slug"], faces("zh-CN")["sans-bold"].path)
    with pikepdf.open(io.BytesIO(out)) as p:
        page = p.pages[0].obj
        assert [float(v) for v in page.TrimBox] == [0, 0, 300, 400]
        assert float(page.BleedBox[0]) == pytest.approx(-3 * MM)
        assert float(page.MediaBox[0]) < float(page.BleedBox[0])
