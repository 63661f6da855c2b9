"""The EPUB 3 backend: a cover, one XHTML document per module, nav with toc, landmarks and
page-list, an NCX for EPUB 2 reading systems, embedded font subsets and accessibility metadata.

ebooklib assembles the package (manifest, spine, OPF metadata, NCX); the documents come from the
package's templates, and :mod:`banmian.backends.epub.container` makes the container
deterministic and adds Apple Books' display options. Each font file is cut down to the characters that the documents set in
it (:func:`banmian.fonts.coverage.chars_by_file`: the copy by the face of its role's chain that
sets each character, plus the few characters that the templates add: the banner mark ■ and the
navigation document's labels, and U+0020); the rare-character face is embedded only when the
copy needs it.

Fonts follow the edition's language (:func:`banmian.fonts.faces`): SC files for ``zh-CN``, TC
files for ``zh-TW``. ``styles/epub.css`` names font chains (``var(--font-serif)``), which
:func:`banmian.fonts.css.expand` turns into banmian's own families ("Banmian Serif", "Banmian
Kai", "Banmian Fallback"), the same for every language; the generated
``@font-face`` rules map them to the language's subsets, so one stylesheet serves both.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ebooklib import epub

from banmian.assets.cover import alt_text, cached_cover_png, cover_text
from banmian.backends.base import BuildOptions, Output, figure_assets
from banmian.backends.epub.container import normalise
from banmian.fonts import css as font_css
from banmian.fonts.coverage import chars_by_file
from banmian.fonts.subset import subset
from banmian.model import Edition, Module, Page
from banmian.render.env import environment
from banmian.render.labels import date_label, labels
from banmian.resources import stylesheet

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "banmian.invalid")  # banmian's own namespace
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CSS = "styles/epub.css"
#: Characters the article templates draw that are not copy: the banner mark, in the banner face.
TEMPLATE_CHARS = {"sans-bold": "■"}
#: The face the navigation document is set in (styles/epub.css, .nav-page).
NAV_FACE = "sans-bold"
#: The prefix of banmian's CSS family names in the EPUB ("Banmian Serif"), mapped to the edition
#: language's subsets by the generated @font-face rules.
EPUB_PREFIX = "Banmian"
ACCESSIBILITY: list[tuple[str, str]] = [
    ("schema:accessMode", "textual"),
    ("schema:accessMode", "visual"),
    ("schema:accessModeSufficient", "textual"),
    *(("schema:accessibilityFeature", f) for f in (
        "structuralNavigation", "tableOfContents", "readingOrder", "alternativeText",
        "printPageNumbers", "displayTransformability")),
    ("schema:accessibilityHazard", "none"),
    ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"),
]
#: Apple Books shows embedded fonts only when this file says so.
APPLE_DISPLAY_OPTIONS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<display_options>\n'
    b'<platform name="*">\n<option name="specified-fonts">true</option>\n</platform>\n'
    b"</display_options>\n"
)
_BYLINE_ROLE = re.compile(r"^(本报|新华社)?(特约|见习|实习)?(记者|通讯员|实习生|评论员|摄影)")


@dataclass(frozen=True)
class Doc:
    """One content document: the newspaper page it stands on, its module and its href."""

    page: Page
    module: Module
    href: str
    item: epub.EpubItem


def identifier(edition: Edition) -> str:
    """A UUID v5 derived from the edition: stable across builds."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{edition.id}|{edition.date}|{edition.title}')}"


def modified(edition: Edition) -> dt.datetime:
    """``dcterms:modified``: SOURCE_DATE_EPOCH when set, else the start of the edition date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    parts = [int(p) for p in edition.date.split("-")] + [1, 1]
    return dt.datetime(parts[0], parts[1], parts[2], tzinfo=dt.UTC)


def byline_names(byline: str) -> list[str]:
    """The people a byline names: 本报记者 王云峰 → [王云峰]."""
    names = []
    for token in re.split(r"[\s、，,；;]+", byline):
        name = _BYLINE_ROLE.sub("", token).strip()
        if name:
            names.append(name)
    return names


def people(edition: Edition) -> tuple[list[str], list[str]]:
    """(creators, contributors) in order of appearance, each once."""
    creators: dict[str, None] = {}
    contributors: dict[str, None] = {}
    for module in edition.modules:
        for name in byline_names(module.byline or ""):
            creators[name] = None
        if module.pen_name:
            creators[module.pen_name] = None
        named = [module.contributor, *(b.contributor for b in module.briefs)]
        contributors.update(dict.fromkeys(n for n in named if n))
    return list(creators), [n for n in contributors if n not in creators]


def _toc_entry(doc: Doc) -> Any:
    module = doc.module
    if not module.briefs:
        return epub.Link(doc.href, module.title, f"toc-{module.id}")
    briefs = [epub.Link(f"{doc.href}#{module.id}-brief-{n}", brief.title,
                        f"toc-{module.id}-brief-{n}")
              for n, brief in enumerate(module.briefs, start=1)]
    return (epub.Section(module.title, doc.href), briefs)


def docs_href(docs: list[Doc], page: Page) -> str:
    """Where a newspaper page starts: its first document."""
    return next(d.href for d in docs if d.page is page)


def page_title(page: Page) -> str:
    """A page's entry in the table of contents: 第1版 前沿观察."""
    banner = f" {page.banner.name}" if page.banner else ""
    return f"第{page.label}版{banner}"


def media_type(path: Path) -> str:
    """A font file's media type in the package."""
    return "font/otf" if path.suffix == ".otf" else "font/ttf"


def visible_text(xhtml: str) -> str:
    """The text of an XHTML document's body that a reader sees (aria-hidden included)."""
    root = ElementTree.fromstring(xhtml.encode())
    body = root.find("{http://www.w3.org/1999/xhtml}body")
    return "".join(body.itertext()) if body is not None else ""


class _Writer(epub.EpubWriter):  # type: ignore[misc]
    """ebooklib's writer, with ``xml:lang`` on the OPF package element (Ace: epub-lang)."""

    def _write_opf_file(self, root: Any) -> None:
        root.set(XML_LANG, self.book.language)
        super()._write_opf_file(root)


class EpubBackend:
    """Reflowable EPUB 3 for Kindle, Kobo, Apple Books and calibre."""

    name = "epub"
    suffix = ".epub"

    def build(self, edition: Edition, folder: Path, options: BuildOptions) -> Output:
        book = epub.EpubBook()
        self._metadata(book, edition)
        cover = self._cover(book, edition)
        docs = self._documents(book, edition, self._images(book, edition, folder))
        nav, nav_text = self._nav(edition, docs, cover.file_name)
        book.add_item(nav)
        book.add_item(epub.EpubNcx())
        self._styles(book, edition, nav_text)
        book.toc = self._toc(edition, docs)
        book.spine = [cover, nav, *(doc.item for doc in docs)]
        return Output(self._write(book, edition))

    def _write(self, book: epub.EpubBook, edition: Edition) -> bytes:
        out = io.BytesIO()
        options: dict[str, Any] = {"mtime": modified(edition), "epub3_pages": False,
                                   "epub3_landmark": False}
        writer = _Writer(out, book, options)
        writer.process()
        writer.write()
        return normalise(out.getvalue(),
                         {"META-INF/com.apple.ibooks.display-options.xml": APPLE_DISPLAY_OPTIONS})

    def _metadata(self, book: epub.EpubBook, edition: Edition) -> None:
        book.set_identifier(identifier(edition))
        book.set_title(edition.title)
        book.set_language(edition.language)
        book.add_metadata("DC", "date", edition.date)
        if edition.publisher or edition.publication:
            book.add_metadata("DC", "publisher", edition.publisher or edition.publication)
        creators, contributors = people(edition)
        for kind, role, names in (("creator", "aut", creators), ("contributor", "ctb",
                                                                  contributors)):
            for index, name in enumerate(names, start=1):
                book.add_metadata("DC", kind, name, {"id": f"{kind}-{index}"})
                book.add_metadata(None, "meta", role, {"refines": f"#{kind}-{index}",
                                                       "property": "role",
                                                       "scheme": "marc:relators"})
        summary = ("schema:accessibilitySummary", labels(edition.language)["summary"])
        for prop, value in [*ACCESSIBILITY, summary]:
            book.add_metadata(None, "meta", value, {"property": prop})
        source = f"{edition.publication or edition.title} {date_label(edition)} 印刷版"
        book.add_metadata(None, "meta", source, {"property": "pageBreakSource"})

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
        extra = {key: "".join(chars) for key, chars in TEMPLATE_CHARS.items()}
        extra[NAV_FACE] = extra.get(NAV_FACE, "") + nav_text
        files: dict[Path, str] = {}
        for path, chars in chars_by_file(edition, extra).items():
            name = f"fonts/{path.stem}{path.suffix}"
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
        docs = []
        for page in edition.pages:
            for index, module in enumerate(page.modules):
                xhtml = template.render(lang=edition.language, page=page, module=module,
                                        images=images, css=f"../{CSS}", page_break=index == 0,
                                        page_banner=index == 0)
                item = epub.EpubItem(uid=f"doc-{module.id}", file_name=f"text/{module.id}.xhtml",
                                     media_type="application/xhtml+xml",
                                     content=xhtml.encode())
                book.add_item(item)
                docs.append(Doc(page, module, item.file_name, item))
        return docs

    def _nav(self, edition: Edition, docs: list[Doc], cover: str) -> tuple[epub.EpubItem, str]:
        pages = [(page, next(d.href for d in docs if d.page is page))
                 for page in edition.pages if any(d.page is page for d in docs)]
        html = environment().get_template("epub_nav.xhtml.j2").render(
            edition=edition, lang=edition.language, css=CSS, cover=cover, pages=pages,
            docs=[(d.page, d.module, d.href) for d in docs], page_title=page_title,
            labels=labels(edition.language),
        )
        item = epub.EpubItem(uid="nav", file_name="nav.xhtml",
                             media_type="application/xhtml+xml", content=html.encode())
        item.properties = ["nav"]
        return item, visible_text(html)

    def _toc(self, edition: Edition, docs: list[Doc]) -> list[Any]:
        """The NCX's tree, as the nav's: page → article → each brief of a strip."""
        toc: list[Any] = []
        for page in edition.pages:
            entries = [_toc_entry(d) for d in docs if d.page is page]
            if entries:
                toc.append((epub.Section(page_title(page), docs_href(docs, page)), entries))
        return toc
