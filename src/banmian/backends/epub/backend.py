"""The EPUB 3 backend: a cover, one XHTML document per module, nav with toc, landmarks and
page-list, an NCX for EPUB 2 reading systems, embedded font subsets and accessibility metadata.

ebooklib assembles the package (manifest, spine, NCX); :mod:`.metadata` fills the OPF metadata,
:mod:`.navigation` the nav and the NCX's tree, :mod:`.container` makes the zip deterministic.
The documents come from the package's templates. Each font file is cut down to the characters
that the documents set in it (:func:`banmian.fonts.coverage.chars_by_file`: the copy by the
face of its role's chain that sets each character, the characters the templates add — the
banner mark ■ and the navigation document's labels — and U+0020); the rare-character face is
embedded only when the copy needs it. ``styles/epub.css`` names font chains
(``var(--font-serif)``), which :func:`banmian.fonts.css.expand` turns into banmian's own
families mapped to the edition language's subsets, so one stylesheet serves both languages.

An edition with ``writing-mode = "vertical-rl"`` (竖排) gets the same documents with
``class="vertical-rl"`` on each ``html`` element (styles/epub.css sets the vertical layout:
upright CJK, Latin runs rotated, one- and two-digit numbers across the column, marked
``tcy``), and a spine that turns pages right to left (``page-progression-direction="rtl"``).
The subsets keep the fonts' ``vert`` features and vertical metrics (HarfBuzz's defaults).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ebooklib import epub

from banmian.assets.cover import alt_text, cached_cover_png, cover_text
from banmian.assets.figures import figure_assets
from banmian.assets.placeholders import placeholder_alt
from banmian.backends.base import BuildOptions, Output
from banmian.backends.epub.container import normalise
from banmian.backends.epub.metadata import add_metadata, modified
from banmian.backends.epub.navigation import Doc, nav_document, ncx_toc
from banmian.fonts import css as font_css
from banmian.fonts.coverage import chars_by_file
from banmian.fonts.subset import subset
from banmian.model import Edition
from banmian.render.env import environment
from banmian.storage import stylesheet

CSS = "styles/epub.css"
#: Characters the article templates draw that are not copy: the banner mark, in the banner face.
TEMPLATE_CHARS = {"sans-bold": "■"}
#: The face the navigation document is set in (styles/epub.css, .nav-page).
NAV_FACE = "sans-bold"
#: The prefix of banmian's CSS family names in the EPUB ("Banmian Serif").
EPUB_PREFIX = "Banmian"
#: A run of one or two digits, set across the column in vertical text (tate-chu-yoko).
SHORT_NUMBER = re.compile(r'<span class="latn">(\d{1,2})</span>')
#: The opening tag of every document's root element.
HTML_TAG = re.compile(r"<html ")


def vertical(xhtml: str) -> str:
    """A document made vertical: the root's class, and short numbers marked ``tcy``."""
    xhtml = HTML_TAG.sub('<html class="vertical-rl" ', xhtml, count=1)
    return SHORT_NUMBER.sub(r'<span class="latn tcy">\1</span>', xhtml)


def media_type(path: Path) -> str:
    """A font file's media type in the package."""
    return "font/otf" if path.suffix == ".otf" else "font/ttf"


class EpubBackend:
    """Reflowable EPUB 3 for Kindle, Kobo, Apple Books and calibre."""

    name = "epub"
    suffix = ".epub"

    def build(self, edition: Edition, folder: Path, options: BuildOptions) -> Output:
        book = epub.EpubBook()
        add_metadata(book, edition)
        if edition.writing_mode == "vertical-rl":
            book.set_direction("rtl")
        cover = self._cover(book, edition)
        docs = self._documents(book, edition, self._images(book, edition, folder))
        nav, nav_text = nav_document(edition, docs, CSS, cover.file_name)
        book.add_item(nav)
        book.add_item(epub.EpubNcx())
        self._styles(book, edition, nav_text)
        book.toc = ncx_toc(edition, docs)
        book.spine = [cover, nav, *(doc.item for doc in docs)]
        return Output(self._write(book, edition))

    def _write(self, book: epub.EpubBook, edition: Edition) -> bytes:
        if edition.writing_mode == "vertical-rl":
            for item in book.get_items():
                if item.media_type == "application/xhtml+xml":
                    item.content = vertical(item.get_content().decode()).encode()
        out = io.BytesIO()
        options: dict[str, Any] = {"mtime": modified(edition), "epub3_pages": False,
                                   "epub3_landmark": False, "raise_exceptions": True,
                                   "spine_direction": True, "package_direction": False}
        epub.write_epub(out, book, options)
        return normalise(out.getvalue(), edition.language)

    def _cover(self, book: epub.EpubBook, edition: Edition) -> epub.EpubItem:
        image = epub.EpubItem(uid="cover-image", file_name="images/cover.png",
                              media_type="image/png", content=cached_cover_png(edition))
        image.properties = ["cover-image"]
        book.add_item(image)
        book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
        html = environment().get_template("epub_cover.xhtml.j2").render(
            lang=edition.language, title=edition.title, css=CSS, image=image.file_name,
            alt=alt_text(cover_text(edition)))
        page = epub.EpubItem(uid="cover", file_name="cover.xhtml",
                             media_type="application/xhtml+xml", content=html.encode())
        book.add_item(page)
        return page

    def _images(self, book: epub.EpubBook, edition: Edition, folder: Path) -> dict[str, str]:
        urls: dict[str, str] = {}
        for asset in figure_assets(edition, folder, width=1200):
            book.add_item(epub.EpubItem(uid=f"img-{asset.name.rsplit('.', 1)[0]}",
                                        file_name=f"images/{asset.name}",
                                        media_type=asset.media_type, content=asset.data))
            urls[asset.key] = f"../images/{asset.name}"
        return urls

    def _styles(self, book: epub.EpubBook, edition: Edition, nav_text: str) -> None:
        extra = dict(TEMPLATE_CHARS)
        extra[NAV_FACE] = extra.get(NAV_FACE, "") + nav_text
        files: dict[Path, str] = {}
        for path, chars in chars_by_file(edition, extra).items():
            name = f"fonts/{path.name}"
            data = subset(path, chars, keep_locl=edition.traditional)
            book.add_item(epub.EpubItem(uid=f"font-{path.stem}", file_name=name,
                                        media_type=media_type(path), content=data))
            files[path] = f"../{name}"
        css = (font_css.font_face_css(edition.language, EPUB_PREFIX, lambda f: files.get(f.path))
               + font_css.expand(stylesheet("epub.css"), edition.language, EPUB_PREFIX,
                                 generic=True))
        book.add_item(epub.EpubItem(uid="css", file_name=CSS, media_type="text/css",
                                    content=css.encode()))

    def _documents(self, book: epub.EpubBook, edition: Edition, images: dict[str, str]
                   ) -> list[Doc]:
        template = environment().get_template("epub_article.xhtml.j2")
        alts = {f"{module.id}/{fig.id}": placeholder_alt(fig, edition.language)
                for module in edition.modules for fig in module.figures if fig.image is None}
        docs = []
        for page in edition.pages:
            for index, module in enumerate(page.modules):
                xhtml = template.render(lang=edition.language, page=page, module=module,
                                        images=images, alts=alts, css=f"../{CSS}",
                                        page_break=index == 0,
                                        page_banner=index == 0)
                item = epub.EpubItem(uid=f"doc-{module.id}", file_name=f"text/{module.id}.xhtml",
                                     media_type="application/xhtml+xml",
                                     content=xhtml.encode())
                book.add_item(item)
                docs.append(Doc(page, module, item.file_name, item))
        return docs
