"""The print PDF backend: the edition as newspaper pages, laid out by WeasyPrint.

WeasyPrint is imported only here and in :mod:`.document`, when a PDF is built. One layout pass
of the document (:mod:`.document`), then the checks on the laid-out boxes before anything is
drawn (:mod:`.checks`: lost copy BM301, overset frames BM300), justification to the column
edge (:mod:`.layout.justify`), drawing, the font check on the written PDF (BM200), and for
``--press`` bleed and crop marks (:mod:`.press`). WeasyPrint's own warnings (an image it
cannot read, CSS it ignores) become BM302 warnings instead of going to the process's log.

The default PDF is PDF/UA-1 in RGB. ``--press`` gives PDF/X-4, tagged, in CMYK: the press
colours of the stylesheet, photos converted to the output profile (:mod:`.intent`), black
overprinting, bleed, marks and a slug line (:mod:`.press`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from banmian.assets.figures import ImageAsset, figure_assets
from banmian.assets.photos import PressColour
from banmian.backends.base import BuildOptions, Output
from banmian.backends.pdf.checks import fit_problems, foreign_fonts, image_warnings
from banmian.backends.pdf.document import (
    ASSET_SCHEME,
    fetcher,
    font_config,
    render_with_fonts,
)
from banmian.backends.pdf.intent import output_profile, total_ink, w3c_date
from banmian.backends.pdf.layout.breaks import break_warnings
from banmian.backends.pdf.layout.geometry import Sheet, sheets
from banmian.backends.pdf.layout.justify import justify
from banmian.backends.pdf.press import BLEED_MM, press_pdf
from banmian.diagnostics import Diagnostic, OutputError, error, warning
from banmian.fonts import faces
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


def slug(edition: Edition, sheet: Sheet) -> str:
    """The slug line of a sheet, without its plates: edition id, page label, date."""
    return f"{edition.id}  ·  page {sheet.page.label}  ·  {edition.date}  ·  plates"


class PdfBackend:
    """A print PDF with embedded CJK fonts, tagged, one PDF page per newspaper page."""

    name = "pdf"
    suffix = ".pdf"

    def build(self, edition: Edition, folder: Path, options: BuildOptions) -> Output:
        pages = sheets(edition)
        widest = max((s.frames[m.id].figure_pt(m, f) for s in pages for m in s.page.modules
                      for f in m.figures), default=0.0)
        where = Source(edition.source.path, 0)
        profile = output_profile(where) if options.press else None
        prepared = figure_assets(edition, folder, max(1, round(widest / 72 * PRINT_DPI)),
                                 PressColour(profile, total_ink()) if profile else None)
        variant = "pdf/x-4" if profile else "pdf/ua-1"
        with weasyprint_warnings(where) as logged:
            document = self._layout(edition, folder, pages, prepared, profile)
            strands = break_warnings(edition, document)
            justify(document)
            if profile:  # PDF/X-4 dates: the edition's, not the build's
                document.metadata.created = document.metadata.modified = w3c_date(edition.date)
            data: bytes = document.write_pdf(pdf_variant=variant, pdf_tags=True,
                                             pdf_identifier=False)
        problems = foreign_fonts(data, edition.language, where)
        if problems:
            raise OutputError(problems)
        if profile:
            data = press_pdf(data, [slug(edition, s) for s in pages],
                             faces(edition.language)["sans-bold"].path)
        return Output(data, (*image_warnings(edition, prepared, pages), *strands, *logged))

    def _layout(self, edition: Edition, folder: Path, pages: list[Sheet],
                prepared: list[ImageAsset], profile: Path | None) -> Any:
        from weasyprint import CSS, HTML

        assets = {a.name: (a.media_type, a.data) for a in prepared}
        images = {a.key: f"{ASSET_SCHEME}{a.name}" for a in prepared}
        html, files = render_with_fonts(edition, images, pages, profile)
        refused: list[str] = []
        extra = [CSS(string=f"@page {{ bleed: {BLEED_MM}mm; }}")] if profile else []
        allowed = [*files.values(), *([profile] if profile else [])]
        document = HTML(string=html, base_url=str(folder.resolve()) + "/",
                        url_fetcher=fetcher(assets, refused, allowed)).render(
            font_config=font_config(frozenset(files.values())), stylesheets=extra,
            pdf_variant="pdf/x-4" if profile else None)
        problems = [error("BM301", f"refused to fetch {url}") for url in refused]
        problems += fit_problems(edition, document, pages)
        if problems:
            raise OutputError(problems)
        return document
