"""The coverage editions (tests/fixtures/coverage-sc, coverage-tc): names outside GB2312,
element names, Traditional characters outside Big5 and Extension B ideographs build in both
outputs; the rare ones come from the fallback face, with a BM201 warning each; every character
is in an embedded face's cmap; the PDF's text is the copy; MuPDF and Ghostscript draw the pages
as poppler does. The sample's Kai quotes are full-width in the PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from banmian.build import build_edition
from banmian.content import load_edition
from banmian.fonts.coverage import needs_glyph
from banmian.model import copy_text
from banmian.verify.check import check_epubs, check_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EDITIONS = ("coverage-sc", "coverage-tc")
RARE = {"\U00026f4e", "\U00020ef3"}  # 𦽎 𠻳: in no Noto face
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, list[str]]]:
    """edition → (EPUB, PDF, warnings as text)."""
    out = tmp_path_factory.mktemp("coverage")
    found = {}
    for name in EDITIONS:
        result = build_edition(FIXTURES / name, out, ["epub", "pdf"])
        epub, pdf = result.outputs
        found[name] = (epub, pdf, [f"{d.severity} {d.code}: {d.message}"
                                   for d in result.diagnostics])
    return found


@pytest.mark.parametrize("name", EDITIONS)
def test_builds_with_warnings_only_for_the_rare_characters(
        built: dict[str, tuple[Path, Path, list[str]]], name: str) -> None:
    # the editions are a page each of a few paragraphs, placed automatically: their pages
    # end far above their feet, which is BM306's to say, once a page
    warnings = [w for w in built[name][2] if not w.startswith("warning BM306:")]
    assert len(built[name][2]) - len(warnings) == 1
    assert warnings and all(w.startswith("warning BM201:") and "set in the fallback face" in w
                            for w in warnings)
    named = {ch for w in warnings for ch in w if ord(ch) > 0xFFFF}
    assert named == RARE


@pytest.mark.parametrize("name", EDITIONS)
def test_every_character_is_in_an_embedded_face(
        built: dict[str, tuple[Path, Path, list[str]]], name: str) -> None:
    with zipfile.ZipFile(built[name][0]) as book:
        covered = set().union(*(TTFont(io.BytesIO(book.read(f))).getBestCmap()
                                for f in book.namelist() if f.startswith("EPUB/fonts/")))
        assert "EPUB/fonts/BanmianFallback-Regular.ttf" in book.namelist()
    chars = {ch for item in copy_text(load_edition(FIXTURES / name)) for ch in item.text}
    assert [ch for ch in sorted(chars) if needs_glyph(ch) and ord(ch) not in covered] == []


def test_epubcheck_passes(built: dict[str, tuple[Path, Path, list[str]]]) -> None:
    epubs = [epub for epub, _, _ in built.values()]
    assert check_epubs(epubs) == {epub: [] for epub in epubs}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")
@pytest.mark.parametrize("name", EDITIONS)
def test_pdf_text_is_the_copy(built: dict[str, tuple[Path, Path, list[str]]], name: str) -> None:
    text = "".join(subprocess.run(["pdftotext", "-raw", str(built[name][1]), "-"],
                                  capture_output=True, text=True, check=True).stdout.split())
    items = copy_text(load_edition(FIXTURES / name))
    assert [i.text for i in items if "".join(i.text.split()) not in text] == []
    assert all(text.count(ch) >= 2 for ch in RARE)


@pytest.mark.skipif(not (shutil.which("mutool") and shutil.which("gs")),
                    reason="needs MuPDF and Ghostscript")
@pytest.mark.parametrize("name", EDITIONS)
def test_pdf_passes_banmian_check_in_three_renderers(
        built: dict[str, tuple[Path, Path, list[str]]], name: str) -> None:
    assert check_pdf(built[name][1]) == []


@pytest.mark.skipif(shutil.which("mutool") is None, reason="needs MuPDF")
def test_kai_quotes_are_full_width_in_the_pdf(tmp_path: Path) -> None:
    """WenKai's quotes are 0.35 em; in Kai text they come from the serif, 1 em wide: none is
    drawn in the Kai face, and every quote of the copy is drawn."""
    pdf = build_edition(FIXTURES / "coverage-sc", tmp_path, ["pdf"]).outputs[0]
    stext = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", str(pdf)],
                           capture_output=True, check=True).stdout
    widths: dict[str, list[float]] = {}
    for font in ET.fromstring(stext).iter("font"):
        size = float(font.get("size", "0"))
        for char in font.iter("char"):
            if char.get("c") in ("“", "”"):
                quad = [float(v) for v in char.get("quad", "").split()]
                family = font.get("name", "").split("+")[-1]
                widths.setdefault(family, []).append((quad[2] - quad[0]) / size)
    copy = "".join(i.text for i in copy_text(load_edition(FIXTURES / "coverage-sc")))
    assert sum(map(len, widths.values())) == copy.count("“") + copy.count("”") > 10
    assert "Banmian-Print-Kai" not in widths  # none in WenKai's narrow forms
    assert all(abs(w - 1.0) < 0.02 for found in widths.values() for w in found)
