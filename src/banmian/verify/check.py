"""``banmian check``: validate built files with real tools and report their findings as
diagnostics.

EPUB: EPUBCheck (the ``epubcheck`` package, which needs Java). PDF: every font embedded, subset,
with a Unicode map and one of banmian's faces (read with pikepdf), by its PDF name and by its
embedded program's PostScript name, all from one language's set (SC or TC, never both); text
that extracts (poppler's ``pdftotext``); TrimBox inside BleedBox inside MediaBox, with at least
3 mm of bleed where there is any; an outline; and every page drawn alike by poppler, MuPDF and
Ghostscript (:mod:`banmian.verify.renderers`), which catches fonts that only a lenient reader
draws right. A press PDF (one with a bleed, or claiming PDF/X) must also be PDF/X-4 in CMYK
for newsprint (:mod:`banmian.verify.press`).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from banmian.backends.pdf.press import BLEED_MM
from banmian.diagnostics import Diagnostic, error, warning
from banmian.grid import MM
from banmian.model import Source
from banmian.verify.press import is_press, press_problems


def check_files(paths: Sequence[Path]) -> dict[Path, list[Diagnostic]]:
    """Every problem found in each built file; all EPUBs go to one EPUBCheck run."""
    epubs = [p for p in paths if p.suffix.lower() == ".epub"]
    found = check_epubs(epubs) if epubs else {}
    return {path: found[path] if path in found else check_file(path) for path in paths}


def check_file(path: Path) -> list[Diagnostic]:
    """Every problem found in one built file, by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".epub":
        return check_epub(path)
    if suffix == ".pdf":
        return check_pdf(path)
    return [error("BM400", f"cannot check '{path.name}': not an .epub or .pdf file")]


def check_epub(path: Path) -> list[Diagnostic]:
    """EPUBCheck's messages about one EPUB; see :func:`check_epubs` for many at once."""
    return check_epubs([path])[path]


def check_epubs(paths: Sequence[Path]) -> dict[Path, list[Diagnostic]]:
    """EPUBCheck's messages about each EPUB, all checked in one Java process when possible."""
    from banmian.verify import epubcheck as epubchecker

    if not epubchecker.available():
        return {path: [warning("BM400", "EPUBCheck needs Java, which is not installed: "
                                        "not checked", Source(str(path), 0))] for path in paths}
    return epubchecker.check(paths)


def _fonts(pdf: Any) -> dict[str, Any]:
    fonts: dict[str, Any] = {}
    for page in pdf.pages:
        for name, font in (page.resources.get("/Font") or {}).items():
            fonts[str(font.get("/BaseFont", name))] = font
    return fonts


def _font_problems(name: str, font: Any) -> list[str]:
    problems = []
    descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
    descriptor = descendant.get("/FontDescriptor")
    if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2",
                                                               "/FontFile3")):
        problems.append(f"font {name} is not embedded")
    if "/ToUnicode" not in font:
        problems.append(f"font {name} has no Unicode map")
    if "+" not in name:
        problems.append(f"font {name} is not subset")
    from banmian.backends.pdf.checks import font_program_name, pdf_font_names
    from banmian.fonts import languages

    names = set().union(*(pdf_font_names(language) for language in languages()))
    if name.lstrip("/").split("+", 1)[-1] not in names:
        problems.append(f"font {name} is not one of banmian's faces (a system fallback?)")
    elif font_program_name(font) not in face_languages():
        problems.append(f"font {name} embeds '{font_program_name(font)}', which is not one of "
                        "banmian's faces")
    return problems


def face_languages() -> dict[str, frozenset[str]]:
    """Every face's PostScript name → the languages whose faces include it."""
    from banmian.backends.pdf.checks import program_names
    from banmian.fonts import languages

    found: dict[str, set[str]] = {}
    for language in languages():
        for name in program_names(language):
            found.setdefault(name, set()).add(language)
    return {name: frozenset(langs) for name, langs in found.items()}


def _language_problems(fonts: dict[str, Any]) -> list[str]:
    """A problem if the PDF's faces come from more than one language's set (faces that serve
    every language, such as the Kai and the rare-character face, say nothing)."""
    from banmian.backends.pdf.checks import font_program_name

    known = face_languages()
    used = [known[n] for n in map(font_program_name, fonts.values()) if n in known]
    common = frozenset.intersection(*used) if used else frozenset()
    if used and not common:
        names = sorted({lang for langs in used if len(langs) == 1 for lang in langs})
        return [f"the PDF mixes the faces of {' and '.join(names)}"]
    return []


def _rect(page: Any, key: str) -> tuple[float, ...] | None:
    value = page.obj.get(key)
    return None if value is None else tuple(float(v) for v in value)


def _inside(inner: tuple[float, ...], outer: tuple[float, ...], margin: float = 0.0) -> bool:
    return (inner[0] - outer[0] >= margin - 0.01 and inner[1] - outer[1] >= margin - 0.01
            and outer[2] - inner[2] >= margin - 0.01 and outer[3] - inner[3] >= margin - 0.01)


def _box_problems(pdf: Any) -> list[str]:
    """TrimBox inside BleedBox inside MediaBox; a bleed, where there is one, of at least the
    press variant's (``BLEED_MM``)."""
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        media = _rect(page, "/MediaBox")
        trim = _rect(page, "/TrimBox") or media
        bleed = _rect(page, "/BleedBox") or trim
        if media is None or trim is None or bleed is None:
            problems.append(f"page {number} has no MediaBox")
            continue
        if not (_inside(trim, bleed) and _inside(bleed, media)):
            problems.append(f"page {number}: TrimBox, BleedBox and MediaBox are not nested")
        elif bleed != trim and not _inside(trim, bleed, BLEED_MM * MM - 0.05):
            problems.append(f"page {number}: bleed is less than {BLEED_MM:g} mm on some side")
    return problems


def _outline_problems(pdf: Any) -> list[str]:
    with pdf.open_outline() as outline:
        if not outline.root:
            return ["the PDF has no outline (bookmarks)"]
    return []


def _text_problems(path: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        return []
    text = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True,
                          check=False).stdout.decode("utf-8", "replace")
    return [] if text.strip() else ["no text extracts from the PDF"]


def _render_problems(path: Path, where: Source) -> list[Diagnostic]:
    """The three-renderer comparison (:mod:`banmian.verify.renderers`): glyph warnings and
    pages that differ from poppler's are errors; a renderer not installed is a warning."""
    from banmian.verify.renderers import compare_renderers, is_missing

    problems, _ = compare_renderers(path)
    return [warning("BM400", p, where) if is_missing(p) else error("BM400", p, where)
            for p in problems]


def check_pdf(path: Path) -> list[Diagnostic]:
    """Fonts (embedded, subset, Unicode, banmian's own), text, page boxes, the outline, and
    the same rendering in poppler, MuPDF and Ghostscript."""
    import pikepdf

    where = Source(str(path), 0)
    try:
        with pikepdf.open(path) as pdf:
            fonts = _fonts(pdf)
            problems = [p for name, font in fonts.items() for p in _font_problems(name, font)]
            problems += _language_problems(fonts) + _box_problems(pdf) + _outline_problems(pdf)
            if is_press(pdf):
                problems += press_problems(path, pdf)
    except pikepdf.PdfError as exc:
        return [error("BM400", f"not a readable PDF: {exc}", where)]
    problems += _text_problems(path)
    return [error("BM400", p, where) for p in problems] + _render_problems(path, where)
