"""The print PDF backend: the edition as newspaper pages, laid out by WeasyPrint.

WeasyPrint is imported only here and in :mod:`.document`, when a PDF is built. One layout pass
of the document (:mod:`.document`), then the checks on the laid-out boxes before anything is
drawn (:mod:`.checks`: lost copy BM301, overset frames BM300), justification to the column
edge (:mod:`.layout.justify`), drawing, the font check on the written PDF (BM200), and for
``--press`` bleed and crop marks (:mod:`.press`). WeasyPrint's own warnings (an image it
cannot read, CSS it ignores) become BM302 warnings instead of going to the process's log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from banmian.assets.figures import ImageAsset, figure_assets
from banmian.backends.base import BuildOptions, Output
from banmian.backends.pdf.checks import fit_problems, foreign_fonts, image_warnings
from banmian.backends.pdf.document import (
    ASSET_SCHEME,
    fetcher,
    font_config,
    render_with_fonts,
)
from banmian.backends.pdf.layout.geometry import Sheet, sheets
from banmian.backends.pdf.layout.justify import justify
from banmian.backends.pdf.press import BLEED_MM, add_press_marks
from banmian.diagnostics import Diagnostic, OutputError, error, warning
from banmian.grid import papers
from banmian.model import Edition, Source

PRINT_DPI = 300


class _Records(logging.Handler):
    """Collects WeasyPrint's warnings during one build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def weasyprint_warnings(where: Source) -> Iterator[list[Diagnostic]]:
    """WeasyPrint's log records of this build, as BM302 warnings, instead of the log."""
    logger = logging.getLogger("weasyprint")
    handler, found = _Records(), list[Diagnostic]()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        found += [warning("BM302", f"WeasyPrint: {m}", where)
                  for m in dict.fromkeys(handler.messages)]


class PdfBackend:
    """A print PDF with embedded CJK fonts, tagged, one PDF page per newspaper page."""

    name = "pdf"
    suffix = ".pdf"

    def build(self, edition: Edition, folder: Path, options: BuildOptions) -> Output:
        pages = sheets(edition)
        widest = max((s.frames[m.id].figure_pt(m, f) for s in pages for m in s.page.modules
                      for f in m.figures), default=0.0)
        prepared = figure_assets(edition, folder, max(1, round(widest / 72 * PRINT_DPI)))
        where = Source(edition.source.path, 0)
        with weasyprint_warnings(where) as logged:
            document = self._layout(edition, folder, pages, prepared, options.press)
            justify(document)
            data: bytes = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=False)
        problems = foreign_fonts(data, edition.language, where)
        if problems:
            raise OutputError(problems)
        if options.press:
            paper = papers()[edition.paper]
            data = add_press_marks(data, (paper.width_mm, paper.height_mm), BLEED_MM)
        return Output(data, (*image_warnings(edition, prepared, pages), *logged))

    def _layout(self, edition: Edition, folder: Path, pages: list[Sheet],
                prepared: list[ImageAsset], press: bool) -> Any:
        from weasyprint import CSS, HTML

        assets = {a.name: (a.media_type, a.data) for a in prepared}
        images = {a.key: f"{ASSET_SCHEME}{a.name}" for a in prepared}
        html, files = render_with_fonts(edition, images, pages)
        refused: list[str] = []
        extra = [CSS(string=f"@page {{ bleed: {BLEED_MM}mm; }}")] if press else []
        document = HTML(string=html, base_url=str(folder.resolve()) + "/",
                        url_fetcher=fetcher(assets, refused, files.values())).render(
            font_config=font_config(frozenset(files.values())), stylesheets=extra)
        problems = [error("BM301", f"refused to fetch {url}") for url in refused]
        problems += fit_problems(edition, document, pages)
        if problems:
            raise OutputError(problems)
        return document
