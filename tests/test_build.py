"""End to end: an edition folder → EPUB and PDF on disk, through build_edition."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pytest

from banmian.build import BuildResult, build_edition

FIXTURES = Path(__file__).resolve().parent / "fixtures"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_NS = "{http://www.idpf.org/2007/ops}"
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"


@pytest.fixture(scope="module")
def two_page(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_edition(FIXTURES / "two-page", tmp_path_factory.mktemp("out"), ["epub", "pdf"])


def _epub_member(result: BuildResult, suffix: str) -> ElementTree.Element:
    epub = next(p for p in result.outputs if p.suffix == ".epub")
    with zipfile.ZipFile(epub) as zf:
        name = next(n for n in zf.namelist() if n.endswith(suffix))
        return ElementTree.fromstring(zf.read(name))


def test_outputs_are_named_after_the_edition(two_page: BuildResult) -> None:
    assert sorted(p.name for p in two_page.outputs) == ["two-page.epub", "two-page.pdf"]
    assert all(p.stat().st_size > 0 for p in two_page.outputs)
    assert not any(p.name.startswith(".") for p in two_page.outputs[0].parent.iterdir())


def test_one_pdf_page_per_newspaper_page(two_page: BuildResult) -> None:
    pdf_path = next(p for p in two_page.outputs if p.suffix == ".pdf")
    with pikepdf.open(pdf_path) as pdf:
        assert len(pdf.pages) == len(two_page.edition.pages) == 2


def test_epub_toc_groups_articles_by_page(two_page: BuildResult) -> None:
    nav = _epub_member(two_page, "nav.xhtml")
    toc = next(n for n in nav.iter(f"{XHTML}nav") if n.get(f"{EPUB_NS}type") == "toc")
    pages = toc.findall(f"{XHTML}ol/{XHTML}li")
    assert [p.findtext(f"{XHTML}a") for p in pages] == ["第A1版 要闻", "第A2版 观点"]
    titles = [[li.findtext(f"{XHTML}a") for li in p.findall(f"{XHTML}ol/{XHTML}li")]
              for p in pages]
    assert titles == [["春耕时节田野忙"], ["让科技的种子落地生根", "简讯"]]
    briefs = pages[1].findall(f"{XHTML}ol/{XHTML}li")[1].findall(f"{XHTML}ol/{XHTML}li/{XHTML}a")
    assert [(a.text, a.get("href")) for a in briefs] == [
        ("全市春播面积过半", "text/news.xhtml#news-brief-1"),
        ("农资市场供应充足", "text/news.xhtml#news-brief-2")]


def test_ncx_groups_articles_by_page(two_page: BuildResult) -> None:
    ncx = _epub_member(two_page, ".ncx")
    top = ncx.findall(f"{NCX}navMap/{NCX}navPoint")
    assert len(top) == 2
    assert [len(p.findall(f"{NCX}navPoint")) for p in top] == [1, 2]


def test_builds_are_byte_identical(two_page: BuildResult, tmp_path: Path) -> None:
    again = build_edition(FIXTURES / "two-page", tmp_path, ["epub", "pdf"])
    for first, second in zip(two_page.outputs, again.outputs, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_source_date_epoch_sets_the_date_and_builds_stay_identical(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    first = build_edition(FIXTURES / "two-page", tmp_path / "a", ["epub", "pdf"])
    second = build_edition(FIXTURES / "two-page", tmp_path / "b", ["epub", "pdf"])
    for one, two in zip(first.outputs, second.outputs, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name
    opf = _epub_member(first, ".opf")
    modified = [m.text for m in opf.iter("{http://www.idpf.org/2007/opf}meta")
                if m.get("property") == "dcterms:modified"]
    assert modified == ["2020-09-13T12:26:40Z"]


def test_ncx_lists_each_brief_under_its_strip(two_page: BuildResult) -> None:
    ncx = _epub_member(two_page, ".ncx")
    strip = ncx.findall(f"{NCX}navMap/{NCX}navPoint")[1].findall(f"{NCX}navPoint")[1]
    assert strip.findtext(f"{NCX}navLabel/{NCX}text") == "简讯"
    assert [(p.findtext(f"{NCX}navLabel/{NCX}text"), p.find(f"{NCX}content").get("src"))  # type: ignore[union-attr]
            for p in strip.findall(f"{NCX}navPoint")] == [
        ("全市春播面积过半", "text/news.xhtml#news-brief-1"),
        ("农资市场供应充足", "text/news.xhtml#news-brief-2")]
