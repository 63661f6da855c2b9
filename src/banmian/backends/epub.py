"""The EPUB 3 backend: one XHTML document per module, nav with toc, landmarks and page-list,
an NCX for EPUB 2 reading systems, embedded font subsets and accessibility metadata.

ebooklib assembles the package (manifest, spine, OPF metadata, NCX); the documents themselves
come from the shared templates, and :mod:`banmian.epubzip` makes the container deterministic.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import uuid
from pathlib import Path
from typing import Any

from ebooklib import epub

from banmian.backends.base import figure_assets
from banmian.coverage import chars_by_face
from banmian.epubzip import normalise
from banmian.fonts import FACES
from banmian.fontsubset import subset
from banmian.model import Edition, Module, Page
from banmian.render.env import environment
from banmian.render.html import module_xhtml
from banmian.resources import stylesheet

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "banmian.invalid")  # banmian's own namespace
ACCESSIBILITY: list[tuple[str, str]] = [
    ("schema:accessMode", "textual"),
    ("schema:accessMode", "visual"),
    ("schema:accessModeSufficient", "textual"),
    *(("schema:accessibilityFeature", f) for f in (
        "structuralNavigation", "tableOfContents", "readingOrder", "alternativeText",
        "printPageNumbers", "displayTransformability")),
    ("schema:accessibilityHazard", "none"),
    ("schema:accessibilitySummary",
     "本电子书按报纸版面的阅读顺序编排，提供目录、结构化标题导航和印刷版页码对照；"
     "所有图片均有替代文字，文字可调整字号与版式。"),
]


def identifier(edition: Edition) -> str:
    """A UUID v5 derived from the edition: stable across builds."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{edition.id}|{edition.date}|{edition.title}')}"


def modified(edition: Edition) -> dt.datetime:
    """``dcterms:modified``: SOURCE_DATE_EPOCH when set, else the start of the edition date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    parts = [int(p) for p in edition.date.split("-")] + [1, 1]
    return dt.datetime(parts[0], parts[1], parts[2], tzinfo=dt.UTC)


def font_face_css(prefix: str) -> str:
    rules = []
    for face in FACES.values():
        rules.append(
            f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
            f'font-style: normal; src: url("{prefix}{face.key}{face.path.suffix}"); }}'
        )
    return "\n".join(rules) + "\n"


class EpubBackend:
    """Reflowable EPUB 3 for Kindle, Kobo, Apple Books and calibre."""

    name = "epub"
    suffix = ".epub"

    def build(self, edition: Edition, folder: Path) -> bytes:
        book = epub.EpubBook()
        self._metadata(book, edition)
        images = self._images(book, edition, folder)
        self._styles(book, edition)
        docs = self._documents(book, edition, images)
        nav = self._nav(edition, docs)
        book.add_item(nav)
        book.add_item(epub.EpubNcx())
        book.toc = self._toc(edition, docs)
        book.spine = [nav, *(item for _, _, item in docs)]
        out = io.BytesIO()
        options: dict[str, Any] = {"mtime": modified(edition), "raise_exceptions": True,
                                   "epub3_pages": False, "epub3_landmark": False}
        epub.write_epub(out, book, options)
        return normalise(out.getvalue())

    def _metadata(self, book: epub.EpubBook, edition: Edition) -> None:
        book.set_identifier(identifier(edition))
        book.set_title(edition.title)
        book.set_language(edition.language)
        book.add_metadata("DC", "date", edition.date)
        if edition.publication or edition.publisher:
            book.add_metadata("DC", "publisher", edition.publisher or edition.publication)
        names = sorted({n for m in edition.modules for n in (m.byline, m.pen_name) if n})
        for index, name in enumerate(names, start=1):
            book.add_metadata("DC", "creator", name.removeprefix("本报记者").strip() or name,
                              {"id": f"creator-{index}"})
        for prop, value in ACCESSIBILITY:
            book.add_metadata(None, "meta", value, {"property": prop})
        book.add_metadata(None, "meta", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA",
                          {"property": "dcterms:conformsTo"})
        book.add_metadata(None, "meta", identifier(edition),
                          {"property": "pageBreakSource"})

    def _images(self, book: epub.EpubBook, edition: Edition, folder: Path) -> dict[str, str]:
        urls: dict[str, str] = {}
        for asset in figure_assets(edition, folder, width=1200):
            book.add_item(epub.EpubItem(uid=f"img-{asset.name.rsplit('.', 1)[0]}",
                                        file_name=f"images/{asset.name}",
                                        media_type=asset.media_type, content=asset.data))
            urls[asset.key] = f"../images/{asset.name}"
        return urls

    def _styles(self, book: epub.EpubBook, edition: Edition) -> None:
        chars = chars_by_face(edition)
        for face in FACES.values():
            data = subset(face, chars.get(face.key, frozenset()))
            book.add_item(epub.EpubItem(uid=f"font-{face.key}",
                                        file_name=f"fonts/{face.key}{face.path.suffix}",
                                        media_type=face.media_type, content=data))
        css = font_face_css("../fonts/") + stylesheet("epub.css")
        book.add_item(epub.EpubItem(uid="css", file_name="styles/epub.css",
                                    media_type="text/css", content=css.encode()))

    def _documents(self, book: epub.EpubBook, edition: Edition, images: dict[str, str]
                   ) -> list[tuple[Page, Module, epub.EpubItem]]:
        docs = []
        for page in edition.pages:
            for index, module in enumerate(page.modules):
                xhtml = module_xhtml(edition, page, module, images, css="../styles/epub.css",
                                     page_break=index == 0, page_banner=index == 0)
                item = epub.EpubItem(uid=f"doc-{module.id}", file_name=f"text/{module.id}.xhtml",
                                     media_type="application/xhtml+xml",
                                     content=xhtml.encode())
                book.add_item(item)
                docs.append((page, module, item))
        return docs

    def _nav(self, edition: Edition, docs: list[tuple[Page, Module, epub.EpubItem]]
             ) -> epub.EpubItem:
        html = environment().get_template("epub_nav.xhtml.j2").render(
            edition=edition, lang=edition.language, docs=docs,
        )
        item = epub.EpubItem(uid="nav", file_name="nav.xhtml",
                             media_type="application/xhtml+xml", content=html.encode())
        item.properties = ["nav"]
        return item

    def _toc(self, edition: Edition, docs: list[tuple[Page, Module, epub.EpubItem]]
             ) -> list[Any]:
        toc: list[Any] = []
        for page in edition.pages:
            links = [epub.Link(item.file_name, module.title, f"toc-{module.id}")
                     for p, module, item in docs if p is page]
            toc.append((epub.Section(page_title(page), links[0].href if links else None), links))
        return toc


def page_title(page: Page) -> str:
    """A page's entry in the table of contents: 第1版 前沿观察."""
    banner = f" {page.banner.name}" if page.banner else ""
    return f"第{page.label}版{banner}"
