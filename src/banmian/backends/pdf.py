"""The print PDF backend: the edition as newspaper pages, laid out by WeasyPrint.

WeasyPrint is imported only here, when a PDF is built. Images are served from memory and fonts
from ``fonts/`` by a URL fetcher that refuses everything else, so a build reads nothing outside
the edition, ``fonts/`` and ``styles/`` and never touches the network. After layout every piece
of copy is looked for in the laid-out text: a lost paragraph fails the build.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from banmian.backends.base import figure_assets
from banmian.diagnostics import Diagnostic, OutputError, error
from banmian.fonts import FACES
from banmian.model import Edition, copy_text
from banmian.render.html import print_html
from banmian.resources import stylesheet

PAPER_SIZES = {"broadsheet": "390mm 543mm", "tabloid": "270mm 390mm"}
PAGE_MARGIN = "18mm 15mm 20mm"
ASSET_SCHEME = "banmian-asset:"


def font_face_css() -> str:
    return "".join(
        f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
        f'src: url("{face.path.as_uri()}"); }}\n'
        for face in FACES.values()
    )


def page_css(edition: Edition) -> str:
    return (f"@page {{ size: {PAPER_SIZES[edition.paper]}; margin: {PAGE_MARGIN}; }}\n"
            + stylesheet("print.css"))


def _fetcher(assets: dict[str, tuple[str, bytes]], refused: list[str]) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = [FACES[key].path.as_uri() for key in FACES]

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        """Serve in-memory images and the project's fonts; refuse every other URL."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(ASSET_SCHEME) and url[len(ASSET_SCHEME):] in assets:
                media_type, data = assets[url[len(ASSET_SCHEME):]]
                return URLFetcherResponse(url, data, {"Content-Type": media_type})
            if url in allowed:
                return super().fetch(url, headers)
            refused.append(url)
            raise ValueError(f"banmian refuses to fetch {url}")

    return ConfinedFetcher()


def laid_out_text(document: Any) -> str:
    """All text of the laid-out pages, in box order, without whitespace."""
    from weasyprint.formatting_structure import boxes

    parts: list[str] = []

    def walk(box: Any) -> None:
        if isinstance(box, boxes.TextBox):
            parts.append(box.text)
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return "".join("".join(parts).split())


def lost_copy(edition: Edition, text: str) -> list[Diagnostic]:
    """BM301 for every piece of copy that is not in the laid-out text."""
    found = []
    for item in copy_text(edition):
        wanted = "".join(item.text.split())
        if wanted and wanted not in text:
            found.append(error("BM301", f"{item.role} missing from the PDF: "
                                        f"{item.text[:24]}…", item.source))
    return found


class PdfBackend:
    """A print PDF with embedded CJK fonts, tagged, one PDF page per newspaper page."""

    name = "pdf"
    suffix = ".pdf"

    def build(self, edition: Edition, folder: Path) -> bytes:
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration

        prepared = figure_assets(edition, folder, 1600)
        assets = {a.name: (a.media_type, a.data) for a in prepared}
        images = {a.key: f"{ASSET_SCHEME}{a.name}" for a in prepared}
        html = print_html(edition, images, font_css=font_face_css(), page_css=page_css(edition))
        refused: list[str] = []
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        document = HTML(string=html, base_url=str(folder.resolve()) + "/",
                        url_fetcher=_fetcher(assets, refused)).render(
            font_config=FontConfiguration())
        problems = [error("BM301", f"refused to fetch {url}") for url in refused]
        problems += lost_copy(edition, laid_out_text(document))
        if problems:
            raise OutputError(problems)
        data: bytes = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=False)
        return data

