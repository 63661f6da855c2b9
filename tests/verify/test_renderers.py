"""Renderer comparison: a PDF with broken CID fonts fails in MuPDF and Ghostscript, a good one
passes, and a renderer that is not installed is reported, not passed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest

from banmian.verify.renderers import (
    GHOSTSCRIPT_LIMIT,
    MUPDF_LIMIT,
    compare_renderers,
    is_missing,
)

BROKEN = Path(__file__).resolve().parents[1] / "fixtures" / "pdf" / "broken-cid.pdf"
TOOLS = ("pdftoppm", "mutool", "gs")
ABSENT = [tool for tool in TOOLS if shutil.which(tool) is None]
LIMITS = {"MuPDF": MUPDF_LIMIT, "Ghostscript": GHOSTSCRIPT_LIMIT}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(ABSENT), reason=f"needs {', '.join(ABSENT)} (poppler-utils, "
                                            "mupdf-tools, ghostscript)"),
]

PAGE = """<section><h1>版面检查</h1>
<p>本溪五千五百余个基层党组织和十一万余名党员充分发挥作用，把初心和使命写在抗疫一线。</p>
</section>"""
HTML_TEXT = f"""<html><head><style>
@page {{ size: 100mm 60mm; margin: 8mm }}
body {{ font-family: "Noto Serif CJK SC"; font-size: 12pt; line-height: 1.5 }}
h1 {{ font-size: 24pt; margin: 0 }}
section + section {{ break-before: page }}
</style></head><body>{PAGE}{PAGE}</body></html>"""


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two small pages of Chinese in Noto Serif CJK SC, made by WeasyPrint."""
    from weasyprint import HTML

    path = tmp_path_factory.mktemp("renderers") / "good.pdf"
    HTML(string=HTML_TEXT).write_pdf(path)
    with pikepdf.open(path) as pdf:
        fonts = [str(font.get("/BaseFont", "")) for page in pdf.pages
                 for font in (page.Resources.get("/Font") or {}).values()]
    if not any("Noto-Serif-CJK-SC" in font for font in fonts):
        pytest.skip(f"Noto Serif CJK SC is not installed (Debian: fonts-noto-cjk): {fonts}")
    return path


def test_broken_cid_fonts_fail_in_mupdf_and_ghostscript() -> None:
    """CIDs that are not glyph ids: MuPDF warns and loses glyphs, Ghostscript draws boxes."""
    problems, comparisons = compare_renderers(BROKEN)
    assert [(c.renderer, c.page) for c in comparisons] == [("MuPDF", 1), ("Ghostscript", 1)]
    assert all(c.differing > 2 * LIMITS[c.renderer] for c in comparisons), comparisons
    assert problems[0].startswith("MuPDF: ") and "glyph" in problems[0]
    assert problems[1:] == [
        f"page 1: {c.renderer} differs from poppler in {c.differing:.2%} of pixels "
        f"(limit {LIMITS[c.renderer]:.1%})" for c in comparisons]
    assert not any(is_missing(p) for p in problems)


def test_good_pdf_passes(good_pdf: Path) -> None:
    """Every page in every renderer, each well under its limit, and no problem."""
    problems, comparisons = compare_renderers(good_pdf)
    assert problems == []
    assert [(c.renderer, c.page) for c in comparisons] == [
        ("MuPDF", 1), ("MuPDF", 2), ("Ghostscript", 1), ("Ghostscript", 2)]
    assert all(c.differing < LIMITS[c.renderer] / 3 for c in comparisons), comparisons


def test_missing_renderer_is_reported(good_pdf: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Without gs, Ghostscript is reported as not installed and MuPDF still compared."""
    for tool in ("pdftoppm", "mutool"):
        (tmp_path / tool).symlink_to(shutil.which(tool) or tool)
    monkeypatch.setenv("PATH", str(tmp_path))
    problems, comparisons = compare_renderers(good_pdf)
    assert problems == ["gs is not installed: Ghostscript not compared"]
    assert is_missing(problems[0])
    assert [c.renderer for c in comparisons] == ["MuPDF", "MuPDF"]


def test_without_poppler_nothing_is_compared(good_pdf: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """poppler is the reference: without it every renderer is reported missing."""
    monkeypatch.setenv("PATH", str(tmp_path))
    problems, comparisons = compare_renderers(good_pdf)
    assert comparisons == []
    assert len(problems) == 3 and all(is_missing(p) for p in problems), problems
