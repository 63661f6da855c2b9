"""The print PDF backend: the edition as newspaper pages, laid out by WeasyPrint.

WeasyPrint is imported only here, when a PDF is built. Images are served from memory and fonts
from ``fonts/`` by a URL fetcher that refuses everything else, so a build reads nothing outside
the edition, ``fonts/`` and ``styles/`` and never touches the network.

One layout pass, then checks and fixes on the laid-out boxes before anything is drawn: every
piece of copy must be in the laid-out text (BM301), every placed frame must hold its copy
(BM300, :mod:`.layout.copyfit`), and justified lines are spread to the column edge
(:mod:`.layout.justify`). After drawing, every font in the PDF must be one of the
project's faces (a system fallback is BM200); ``press`` adds bleed and crop marks.

The print CSS names print-only families ("Banmian Print Serif/Sans/Kai", ``PRINT_FAMILIES``), the
same for every language; ``@font-face`` maps them to the edition language's files
(:func:`banmian.fonts.faces`: SC for ``zh-CN``, TC for ``zh-TW``). So the PDF's font names are
the same for both, and which faces were used is read from each embedded font program's own
PostScript name (:func:`font_program_name`), which must be one of the language's faces.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from html import unescape
from pathlib import Path
from typing import Any

from PIL import Image

from banmian.assets.figures import ImageAsset, figure_assets
from banmian.backends.base import BuildOptions, Output
from banmian.backends.pdf.layout.boxes import page_boxes, text_boxes
from banmian.backends.pdf.layout.copyfit import Cell, copyfit
from banmian.backends.pdf.layout.geometry import MM, PAPERS, Sheet, page_css, sheets
from banmian.backends.pdf.layout.headlines import balance
from banmian.backends.pdf.layout.justify import justify
from banmian.backends.pdf.press import BLEED_MM, add_press_marks
from banmian.diagnostics import Diagnostic, OutputError, error, warning
from banmian.fonts import Face, chain_keys, faces, postscript_name
from banmian.fonts import css as font_css
from banmian.fonts.coverage import chars_by_file
from banmian.fonts.subset import print_subset
from banmian.model import Edition, Source, TextItem, copy_text
from banmian.render.env import environment
from banmian.render.labels import date_label, labels
from banmian.storage import stylesheet

ASSET_SCHEME = "banmian-asset:"
PRINT_DPI = 300
MIN_DPI = 200


PRINT_PREFIX = "Banmian Print"


def font_face_css(language: str = "zh-CN", files: Mapping[Path, Path] | None = None) -> str:
    """@font-face rules mapping the print-only families to the language's font files, or to
    ``files[face.path]`` (the edition's print subsets), leaving out faces not in ``files``."""
    def url(face: Face) -> str | None:
        if files is None:
            return face.path.as_uri()
        return files[face.path].as_uri() if face.path in files else None

    return font_css.font_face_css(language, PRINT_PREFIX, url)


def print_fonts(edition: Edition, html: str) -> dict[Path, Path]:
    """The edition's print subsets: each face file → a file holding the characters the
    document sets in it (the copy by its chain, and every character of the document's text in
    each chain's face, for what the templates draw)."""
    text = "".join(unescape(t) for t in re.findall(r">([^<]+)<", html))
    chars = chars_by_file(edition, dict.fromkeys(chain_keys(), text))
    return {path: print_subset(path, found) for path, found in chars.items()}


def pdf_font_names(language: str = "zh-CN") -> set[str]:
    """The font names WeasyPrint gives the project's faces in the PDF (without subset tag):
    the print family of each face, with "-Bold" for its bold weight."""
    return {font_css.family(face, PRINT_PREFIX).replace(" ", "-") + ("-Bold" if w >= 700 else "")
            for face in faces(language).values() for w in face.weights}


def program_names(language: str) -> dict[str, Face]:
    """The language's faces by the PostScript name their embedded programs carry."""
    return {postscript_name(face.path): face for face in faces(language).values()}


def font_program_name(font: Any) -> str | None:
    """The PostScript name (name ID 6) of a PDF font's embedded OpenType or TrueType program;
    None if it has none that fontTools can read."""
    from fontTools.ttLib import TTFont

    descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
    descriptor = descendant.get("/FontDescriptor") or {}
    for key in ("/FontFile2", "/FontFile3"):
        if key in descriptor:
            try:
                with TTFont(io.BytesIO(descriptor[key].read_bytes()), lazy=True) as program:
                    return str(program["name"].getDebugName(6))
            except Exception:  # a bare CFF or a damaged program: not one of banmian's
                return None
    return None


def render_html(edition: Edition, images: dict[str, str], pages: list[Sheet],
                files: Mapping[Path, Path] | None = None) -> str:
    """The print document: the edition's pages on their grids, its fonts the whole faces or
    ``files`` (see :func:`font_face_css`)."""
    authors = sorted({name for m in edition.modules for name in (m.byline, m.pen_name) if name})
    css = page_css(edition) + font_css.expand(stylesheet("print.css"), edition.language,
                                              PRINT_PREFIX)
    fonts = font_face_css(edition.language, files)
    for text in (css, fonts):
        if "</" in text:
            raise ValueError("a stylesheet must not contain '</'")
    from markupsafe import Markup

    return environment().get_template("print.html.j2").render(
        lang=edition.language, edition=edition, images=images, sheets=pages, balance=balance,
        font_css=Markup(fonts), page_css=Markup(css),
        date_label=date_label(edition), authors="；".join(authors),
        labels=labels(edition.language),
    )


def _fetcher(assets: dict[str, tuple[str, bytes]], refused: list[str],
             fonts: Iterable[Path]) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = {path.as_uri(): path for path in fonts}

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        """Serve in-memory images and the edition's font files; refuse every other URL."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(ASSET_SCHEME) and url[len(ASSET_SCHEME):] in assets:
                media_type, data = assets[url[len(ASSET_SCHEME):]]
                return URLFetcherResponse(url, data, {"Content-Type": media_type})
            if url in allowed:
                path = allowed[url]
                return URLFetcherResponse(url, path.read_bytes(),
                                          {"Content-Type": f"font/{path.suffix[1:]}"})
            refused.append(url)
            raise ValueError(f"banmian refuses to fetch {url}")

    return ConfinedFetcher()


def laid_out_text(document: Any) -> str:
    """All text of the laid-out pages, in box order, without whitespace."""
    parts = [box.text for root in page_boxes(document) for box in text_boxes(root)]
    return "".join("".join(parts).split())


def missing_copy(edition: Edition, text: str) -> list[TextItem]:
    """Every piece of copy that is not in the laid-out text."""
    return [item for item in copy_text(edition)
            if "".join(item.text.split()) not in text]


def lost_copy(edition: Edition, text: str) -> list[Diagnostic]:
    """BM301 for every piece of copy that is not in the laid-out text."""
    return [error("BM301", f"{item.role} missing from the PDF: {item.text[:24]}…", item.source)
            for item in missing_copy(edition, text)]


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


def foreign_fonts(pdf: bytes, language: str = "zh-CN",
                  where: Source | None = None) -> list[Diagnostic]:
    """BM200 for every font in the PDF that is not one of the language's faces: by its PDF name
    and by its embedded program's own name (an SC face in a ``zh-TW`` edition is an error).
    ``where`` is the edition the messages point at."""
    import pikepdf

    expected, programs = pdf_font_names(language), program_names(language)
    found: dict[str, Diagnostic] = {}
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for font in (page.resources.get("/Font") or {}).values():
                name = str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]
                program = font_program_name(font)
                if name not in expected:
                    found[name] = error("BM200", f"a glyph fell back to the font '{name}', "
                                                 "which is not one of banmian's faces", where)
                elif program not in programs:
                    found[name] = error("BM200", f"the font '{name}' is '{program}', not one "
                                                 f"of banmian's {language} faces", where)
    return list(found.values())


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


@lru_cache(maxsize=4)
def _font_config(fonts: frozenset[Path]) -> Any:
    """One WeasyPrint font configuration per set of font files (an edition's print subsets)
    and process: a rebuild registers its files with fontconfig once."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


class PdfBackend:
    """A print PDF with embedded CJK fonts, tagged, one PDF page per newspaper page."""

    name = "pdf"
    suffix = ".pdf"

    def build(self, edition: Edition, folder: Path, options: BuildOptions) -> Output:
        pages = sheets(edition)
        widest = max((s.frames[m.id].figure_pt(m, f) for s in pages for m in s.page.modules
                      for f in m.figures), default=0.0)
        prepared = figure_assets(edition, folder, max(1, round(widest / 72 * PRINT_DPI)))
        warnings = image_warnings(edition, prepared, pages)
        document = self._layout(edition, folder, pages, prepared, options.press)
        justify(document)
        data: bytes = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=False)
        problems = foreign_fonts(data, edition.language, Source(edition.source.path, 0))
        if problems:
            raise OutputError(problems)
        if options.press:
            paper = PAPERS[edition.paper]
            data = add_press_marks(data, (paper.width_mm, paper.height_mm), BLEED_MM)
        return Output(data, tuple(warnings))

    def _layout(self, edition: Edition, folder: Path, pages: list[Sheet],
                prepared: list[ImageAsset], press: bool) -> Any:
        from weasyprint import HTML

        assets = {a.name: (a.media_type, a.data) for a in prepared}
        images = {a.key: f"{ASSET_SCHEME}{a.name}" for a in prepared}
        files = print_fonts(edition, render_html(edition, images, pages, files={}))
        html = render_html(edition, images, pages, files)
        if press:
            html = html.replace("</style>\n</head>",
                                f"@page {{ bleed: {BLEED_MM}mm; }}</style>\n</head>", 1)
        refused: list[str] = []
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        document = HTML(string=html, base_url=str(folder.resolve()) + "/",
                        url_fetcher=_fetcher(assets, refused, files.values())).render(
            font_config=_font_config(frozenset(files.values())))
        problems = [error("BM301", f"refused to fetch {url}") for url in refused]
        problems += fit_problems(edition, document, pages)
        if problems:
            raise OutputError(problems)
        return document
