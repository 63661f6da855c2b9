"""Checks on the laid-out document and on the written PDF, shared by the backend (before an
output is written) and ``banmian check`` (on files already built).

Copy: every piece must be in the laid-out text (BM301), and every placed frame must hold its
copy (BM300, with a copyfit report). Fonts: each must be one of the language's faces, by its
PDF name (the print-only family) and by its embedded program's own PostScript name (a system
fallback, or an SC face in a ``zh-TW`` edition, is BM200). Photos: BM113 below ``MIN_DPI``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

from PIL import Image

from banmian.assets.figures import ImageAsset
from banmian.backends.pdf.document import PRINT_PREFIX
from banmian.backends.pdf.layout.boxes import page_boxes, text_boxes
from banmian.backends.pdf.layout.copyfit import Cell, copyfit
from banmian.backends.pdf.layout.geometry import Sheet
from banmian.diagnostics import Diagnostic, error, warning
from banmian.fonts import Face, faces, postscript_name
from banmian.fonts import css as font_css
from banmian.grid import MM
from banmian.model import Edition, Source, TextItem, copy_text

MIN_DPI = 200


def pdf_font_names(language: str = "zh-CN") -> set[str]:
    """The font names WeasyPrint gives the project's faces in the PDF (without subset tag):
    the print family of each face, with "-Bold" for its bold weight."""
    return {font_css.family(face, PRINT_PREFIX).replace(" ", "-") + ("-Bold" if w >= 700 else "")
            for face in faces(language).values() for w in face.weights}


def program_names(language: str) -> dict[str, Face]:
    """The language's faces by the PostScript name their embedded programs carry."""
    return {postscript_name(face.path): face for face in faces(language).values()}


def program_name(data: bytes) -> str | None:
    """The PostScript name (name ID 6) of an OpenType or TrueType font program; None if
    fontTools cannot read it."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(io.BytesIO(data), lazy=True) as program:
            return str(program["name"].getDebugName(6))
    except Exception:  # a bare CFF or a damaged program: not one of banmian's
        return None


def font_program_name(font: Any) -> str | None:
    """The PostScript name of a PDF font's embedded OpenType or TrueType program; None if it
    has none that fontTools can read."""
    descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
    descriptor = descendant.get("/FontDescriptor") or {}
    for key in ("/FontFile2", "/FontFile3"):
        if key in descriptor:
            return program_name(descriptor[key].read_bytes())
    return None


def laid_out_text(document: Any) -> str:
    """All text of the laid-out pages, in box order, without whitespace."""
    parts = [box.text for root in page_boxes(document) for box in text_boxes(root)]
    return "".join("".join(parts).split())


def missing_copy(edition: Edition, text: str) -> list[TextItem]:
    """Every piece of copy that is not in the laid-out text."""
    return [item for item in copy_text(edition)
            if "".join(item.text.split()) not in text]


def cells(pages: list[Sheet]) -> dict[str, Cell]:
    """Every placed module's allotment on its page's grid, in CSS px."""
    found = {}
    for sheet in pages:
        grid = sheet.grid
        line_mm = grid.em * grid.paper.leading / MM
        for m in sheet.page.modules:
            if sheet.page.placed and m.place:
                frame = sheet.frames[m.id]
                found[m.id] = Cell(m.place.span, grid.cell_height_pt(m.place) * 96 / 72,
                                   int(frame.column_pt // grid.em), line_mm)
    return found


def fit_problems(edition: Edition, document: Any, pages: list[Sheet]) -> list[Diagnostic]:
    """BM300 for placed frames that overflow (their lost copy included), BM301 for the rest."""
    allotted = cells(pages)
    missing = missing_copy(edition, laid_out_text(document))
    lost: dict[str, list[str]] = {}
    problems = []
    for item in missing:
        module_id = item.module.id if item.module else ""
        if module_id in allotted:
            lost.setdefault(module_id, []).append(item.text)
        else:
            problems.append(error("BM301", f"{item.role} missing from the PDF: "
                                           f"{item.text[:24]}…", item.source))
    return problems + copyfit(edition, document, allotted, lost)


def font_problems(fonts: Iterable[tuple[str, str | None]], language: str = "zh-CN",
                  where: Source | None = None) -> list[Diagnostic]:
    """BM200 for every font, given as (PDF name with or without its subset tag, embedded
    program's PostScript name), that is not one of the language's faces: by its PDF name (a
    system fallback) or by its program's own name (an SC face in a ``zh-TW`` edition is an
    error). One message per font name; ``where`` is the edition the messages point at."""
    expected, programs = pdf_font_names(language), program_names(language)
    found: dict[str, Diagnostic] = {}
    for tagged, program in fonts:
        name = tagged.lstrip("/").split("+", 1)[-1]
        if name not in expected:
            found[name] = error("BM200", f"a glyph fell back to the font '{name}', "
                                         "which is not one of banmian's faces", where)
        elif program not in programs:
            found[name] = error("BM200", f"the font '{name}' is '{program}', not one "
                                         f"of banmian's {language} faces", where)
    return list(found.values())


def foreign_fonts(pdf: bytes, language: str = "zh-CN",
                  where: Source | None = None) -> list[Diagnostic]:
    """:func:`font_problems` for the fonts of a written PDF (a joined one, or in
    ``banmian check``), read back with pikepdf."""
    import pikepdf

    fonts: list[tuple[str, str | None]] = []
    seen: set[tuple[int, int]] = set()  # a joined PDF's pages share their font objects
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for font in (page.resources.get("/Font") or {}).values():
                if font.is_indirect:
                    if font.objgen in seen:
                        continue
                    seen.add(font.objgen)
                fonts.append((str(font.get("/BaseFont", "")), font_program_name(font)))
    return font_problems(fonts, language, where)


def written_fonts(document: Any) -> Iterator[tuple[str, str | None]]:
    """The fonts a WeasyPrint document has just written (``document.fonts``, filled by
    ``write_pdf``), as the PDF holds them: each font's name, and the name of the program
    embedded for it, the first of its hash's fonts, subset while writing (none for a bitmap
    font, drawn as a Type 3 font)."""
    programs: dict[str, str | None] = {}  # WeasyPrint embeds one program per font hash
    for font in document.fonts.values():
        if font.hash not in programs:
            programs[font.hash] = None if font.bitmap else program_name(font.file_content)
        yield font.name.decode(), programs[font.hash]


def document_fonts(document: Any, language: str = "zh-CN",
                   where: Source | None = None) -> list[Diagnostic]:
    """:func:`font_problems` for a document WeasyPrint has written, without reading the PDF
    back: what a one-page build checks (its PDF is the document's own output)."""
    return font_problems(written_fonts(document), language, where)


def image_warnings(edition: Edition, prepared: list[ImageAsset],
                   pages: list[Sheet]) -> list[Diagnostic]:
    """A warning for every real photo printed at less than ``MIN_DPI`` effective."""
    widths = {f"{m.id}/{f.id}": (f, sheet.frames[m.id].figure_pt(m, f))
              for sheet in pages for m in sheet.page.modules for f in m.figures}
    found = []
    for asset in prepared:
        fig, width_pt = widths[asset.key]
        if fig.image is None:
            continue
        with Image.open(io.BytesIO(asset.data)) as image:
            dpi = image.width / (width_pt / 72)
        if dpi < MIN_DPI:
            found.append(warning("BM113", f"photo '{fig.image}' prints at {dpi:.0f} dpi "
                                          f"(under {MIN_DPI}); supply a larger image", fig.source))
    return found
