"""Traditional (zh-TW) editions: built with the TC faces in both outputs, never the SC ones, and a
Simplified edition still with the SC faces only. EPUBCheck, banmian check and the fonts embedded in
the PDF (read with pikepdf, as ``pdffonts`` would show them, by the programs' own names)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from banmian.assets.placeholders import placeholder_png
from banmian.backends.pdf import backend
from banmian.backends.pdf.checks import (
    document_fonts,
    font_problems,
    font_program_name,
    foreign_fonts,
)
from banmian.build import build_edition
from banmian.content import load_edition
from banmian.fonts import faces, postscript_name
from banmian.fonts.coverage import check_coverage, cmap
from banmian.verify.check import check_epubs, check_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EDITIONS = {"zh-TW": FIXTURES / "two-page-tc", "zh-CN": FIXTURES / "two-page"}
SAMPLE = Path(__file__).resolve().parents[2] / "content" / "benxi-2020-02"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """language → (EPUB, PDF) of the two-page edition in that language."""
    out = tmp_path_factory.mktemp("tc")
    found = {}
    for language, folder in EDITIONS.items():
        assert load_edition(folder).language == language
        epub, pdf = build_edition(folder, out, ["epub", "pdf"]).outputs
        found[language] = (epub, pdf)
    return found


def names(language: str) -> set[str]:
    """The PostScript names of a language's faces that copy without rare characters uses (the
    Song, Hei and Kai faces; not the rare-character face)."""
    return {postscript_name(face.path) for face in faces(language).values()
            if face.key != "fallback"}


def pdf_programs(path: Path) -> set[str | None]:
    """The PostScript names of the font programs embedded in a PDF."""
    with pikepdf.open(path) as pdf:
        return {font_program_name(font) for page in pdf.pages
                for font in (page.resources.get("/Font") or {}).values()}


def epub_fonts(path: Path) -> dict[str, str]:
    """Embedded font file → its family name (name ID 1)."""
    found = {}
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.startswith("EPUB/fonts/"):
                with TTFont(io.BytesIO(book.read(name)), lazy=True) as font:
                    found[name] = str(font["name"].getDebugName(1))
    return found


def test_both_epubs_pass_epubcheck(built: dict[str, tuple[Path, Path]]) -> None:
    reports = check_epubs([epub for epub, _ in built.values()])
    assert {path: [d for d in found if d.severity == "error"] for path, found in reports.items()
            } == {epub: [] for epub, _ in built.values()}


@pytest.mark.parametrize("language", sorted(EDITIONS))
def test_pdf_embeds_the_language_faces_only(built: dict[str, tuple[Path, Path]],
                                            language: str) -> None:
    _, pdf = built[language]
    assert pdf_programs(pdf) == names(language)  # all its faces, and nothing else
    assert check_pdf(pdf) == []
    assert foreign_fonts(pdf.read_bytes(), language) == []


def test_a_pdf_with_the_other_language_faces_is_refused(
        built: dict[str, tuple[Path, Path]]) -> None:
    _, pdf = built["zh-CN"]
    problems = foreign_fonts(pdf.read_bytes(), "zh-TW")
    assert len({p.message for p in problems}) == 3  # each Noto face (the Kai serves both)
    assert all(p.code == "BM200" and "zh-TW faces" in p.message for p in problems)


def test_a_one_page_build_checks_the_fonts_its_document_wrote(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-page edition's fonts are checked on the WeasyPrint document that wrote them, not
    on the PDF read back: the same findings as the PDF's, and an SC face refused for zh-TW."""
    written: list[tuple[object, bytes]] = []

    def keep(*args: object) -> bytes:
        data = write(*args)
        written.append((args[1], data))
        return data

    write, checked = backend.write, []
    monkeypatch.setattr(backend, "write", keep)
    monkeypatch.setattr(backend, "document_fonts",
                        lambda document, *args: checked.append(document) or [])
    build_edition(SAMPLE, tmp_path, ["pdf"])
    [(document, data)] = written
    assert checked == [document]
    assert document_fonts(document, "zh-CN") == foreign_fonts(data, "zh-CN") == []
    problems = document_fonts(document, "zh-TW")
    assert sorted(map(str, problems)) == sorted(map(str, foreign_fonts(data, "zh-TW")))
    assert len({p.message for p in problems}) == 3  # each Noto face (the Kai serves both)
    assert all(p.code == "BM200" and "zh-TW faces" in p.message for p in problems)


def test_a_font_that_is_not_a_face_is_refused() -> None:
    """A glyph set in a system font (its PDF name is not a print family) is BM200."""
    [problem] = font_problems([("/ABCDEF+DejaVuSans", "DejaVuSans")], "zh-CN")
    assert problem.code == "BM200" and "fell back to the font 'DejaVuSans'" in problem.message


@pytest.mark.parametrize("language", sorted(EDITIONS))
def test_epub_embeds_the_language_faces_under_banmian_families(
        built: dict[str, tuple[Path, Path]], language: str) -> None:
    epub, _ = built[language]
    table = faces(language)
    script = {"zh-CN": "SC", "zh-TW": "TC"}[language]
    expected = {f"EPUB/fonts/{face.path.name}": name for face, name in
                ((table["serif"], f"Noto Serif CJK {script}"),
                 (table["serif-bold"], f"Noto Serif CJK {script}"),
                 (table["sans-bold"], f"Noto Sans CJK {script}"),
                 (table["kai"], "Banmian WenKai"))}
    assert epub_fonts(epub) == expected
    with zipfile.ZipFile(epub) as book:
        css = book.read("EPUB/styles/epub.css").decode()
        nav = book.read("EPUB/nav.xhtml").decode()
    for key in ("serif", "serif-bold", "sans-bold", "kai"):
        face = table[key]
        assert (f'font-family: "Banmian {face.family}"; font-weight: {face.weight}; '
                f'font-style: normal; src: url("../fonts/{face.path.name}");') in css
    assert "Noto Serif CJK" not in css.split("*/", 1)[1]  # only banmian's names in the rules
    assert ("目錄" in nav and "目录" not in nav) == (language == "zh-TW")


@pytest.mark.parametrize(("language", "summary"), [("zh-CN", "本电子书"), ("zh-TW", "本電子書")])
def test_accessibility_summary_is_in_the_edition_script(
        built: dict[str, tuple[Path, Path]], language: str, summary: str) -> None:
    import zipfile

    with zipfile.ZipFile(built[language][0]) as zf:
        opf = zf.read("EPUB/content.opf").decode()
    assert f'<meta property="schema:accessibilitySummary">{summary}' in opf


def test_placeholder_follows_the_language(built: dict[str, tuple[Path, Path]]) -> None:
    figure = next(iter(load_edition(EDITIONS["zh-TW"]).modules)).figures[0]
    assert placeholder_png(figure, 300, "zh-TW") != placeholder_png(figure, 300, "zh-CN")


def test_kai_gap_in_copy_falls_back_to_the_serif(make_edition: Callable[..., Path]) -> None:
    """An Extension A ideograph the Kai lacks (but the TC serif has) is set in the serif, with a
    warning."""
    serif, kai = faces("zh-TW")["serif"], faces("zh-TW")["kai"]
    gap = chr(min(cmap(serif.path) - cmap(kai.path) & set(range(0x3400, 0x4DC0))))
    toml = (EDITIONS["zh-TW"] / "edition.toml").read_text(encoding="utf-8")
    folder = make_edition(files={
        "edition.toml": toml, "news.md": (EDITIONS["zh-TW"] / "news.md").read_text("utf-8"),
        "spring.md": f"+++\nheadline = \"春耕\"\n+++\n\n正文{gap}。\n",
        "view.md": f"+++\nheadline = \"評論\"\n+++\n\n評論{gap}。\n"})
    problems = check_coverage(load_edition(folder))
    assert [(p.code, p.severity, p.source.path.endswith("view.md") if p.source else None)
            for p in problems] == [("BM201", "warning", True)]
    assert problems[0].message == (f"U+{ord(gap):04X} {gap} not in the kai face: set in the "
                                   "serif face (body)")
    _, pdf = build_edition(folder, folder / "out", ["epub", "pdf"]).outputs
    assert pdf_programs(pdf) >= {postscript_name(serif.path), postscript_name(kai.path)}
