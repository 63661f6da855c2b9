"""``banmian build --preview``: a PNG per page beside the PDF, at the page's proportions, with
an underset frame outlined in amber, a hole in blue, the press PDF's bleed and slug cut off,
and the outline colour following the measure."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from banmian.content import load_edition
from banmian.grid import papers
from banmian.verify.fill import ColumnFill, FrameFill, Rect, frames, measure
from banmian.verify.preview import COLOURS, OUTLINE_PX, PREVIEW_DPI, status


@pytest.fixture
def edition(make_edition: Callable[..., Path], short_and_box: dict[str, str]) -> Path:
    return make_edition("preview-test", short_and_box)


def pixel_at(image: Image.Image, x: float, y: float) -> Any:
    return image.getpixel((round(x), round(y)))


def test_preview_outlines_an_underset_frame_in_amber(
        edition: Path, tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    out = tmp_path / "out"
    stale = out / "preview-test.preview" / "page-7.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an old page")
    result = run_cli("build", edition, "-o", out, "--format", "pdf", "--preview", "-j", "1")
    assert result.status == 0, result.err
    png = out / "preview-test.preview" / "page-1.png"
    assert png.is_file() and not stale.exists()
    paper = papers()["tabloid"]
    with Image.open(png) as opened:
        image = opened.convert("RGB")
    assert image.width / image.height == pytest.approx(paper.width_mm / paper.height_mm,
                                                       abs=0.002)
    assert image.width == pytest.approx(paper.width_mm / 25.4 * PREVIEW_DPI, abs=1)

    fills = measure(out / "preview-test.pdf", load_edition(edition))
    short = {f.module_id: f for f in frames(fills)}["short"]
    assert short.underset
    scale, height_pt = PREVIEW_DPI / 72, paper.height_mm / 25.4 * 72
    x = short.rect.x0 * scale + OUTLINE_PX / 2
    y = (height_pt - (short.rect.y0 + short.rect.y1) / 2) * scale
    assert pixel_at(image, x, y) == COLOURS["underset"]
    assert pixel_at(image, x + 3 * OUTLINE_PX, y) != COLOURS["underset"]
    (hole,) = fills[0].holes
    hx = (hole.rect.x1 * scale) - OUTLINE_PX / 2 - 1
    assert pixel_at(image, hx, (height_pt - hole.rect.y1 / 2 - hole.rect.y0 / 2) * scale) \
        == COLOURS["hole"]


def test_a_press_preview_is_cut_to_the_trim(edition: Path, tmp_path: Path,
                                            run_cli: Callable[..., Any]) -> None:
    plain, press = tmp_path / "plain", tmp_path / "press"
    for out, extra in ((plain, ()), (press, ("--press",))):
        result = run_cli("build", edition, "-o", out, "--format", "pdf", "--preview", "-j", "1",
                         *extra)
        assert result.status == 0, result.err
    sizes = []
    for out in (plain, press):
        with Image.open(out / "preview-test.preview" / "page-1.png") as image:
            sizes.append(image.size)
    (w0, h0), (w1, h1) = sizes  # the same page: within a pixel of rounding
    assert abs(w0 - w1) <= 1 and abs(h0 - h1) <= 1


def test_preview_needs_the_pdf(edition: Path, tmp_path: Path,
                               run_cli: Callable[..., Any]) -> None:
    result = run_cli("build", edition, "-o", tmp_path / "out", "--format", "epub", "--preview")
    assert result.status == 2
    assert "--preview" in result.err
    assert not (tmp_path / "out").exists()


def frame(**changes: Any) -> FrameFill:
    column = ColumnFill(0, Rect(0, 0, 10, 10), 5.0, 0.4)
    base = FrameFill("m", 1, 0, None, Rect(0, 0, 10, 10), Rect(0, 0, 10, 10),  # type: ignore[arg-type]
                     12.6, (column,), 0, 0)
    return dataclasses.replace(base, **changes)


def test_the_outline_follows_the_measure() -> None:
    assert status(frame()) == "fits"
    assert status(frame(lines_short=1)) == "underset"
    assert status(frame(lines_short=3, overset_chars=2)) == "overset"
