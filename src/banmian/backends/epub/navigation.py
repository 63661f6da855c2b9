"""The EPUB's navigation: the nav document (toc, landmarks, page-list) and the NCX's tree.

Both list the same tree: newspaper page (第1版 前沿观察) → article → each brief of a strip, or
each subhead of an article (the section's id: ``<module>-section-<n>``, n counting every
section of the module, as the article template does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from ebooklib import epub

from banmian.model import Edition, Module, Page
from banmian.render.env import environment
from banmian.render.labels import labels


@dataclass(frozen=True)
class Doc:
    """One content document: the newspaper page it stands on, its module and its href."""

    page: Page
    module: Module
    href: str
    item: epub.EpubItem


def page_title(page: Page) -> str:
    """A page's entry in the table of contents: 第1版 前沿观察."""
    banner = f" {page.banner.name}" if page.banner else ""
    return f"第{page.label}版{banner}"


def visible_text(xhtml: str) -> str:
    """The text of an XHTML document's body that a reader sees (aria-hidden included)."""
    root = ElementTree.fromstring(xhtml.encode())
    body = root.find("{http://www.w3.org/1999/xhtml}body")
    return "".join(body.itertext()) if body is not None else ""


def nav_document(edition: Edition, docs: list[Doc], css: str, cover: str
                 ) -> tuple[epub.EpubItem, str]:
    """The nav document, and the text it shows (for the font subsets)."""
    pages = [(page, next(d.href for d in docs if d.page is page))
             for page in edition.pages if any(d.page is page for d in docs)]
    html = environment().get_template("epub_nav.xhtml.j2").render(
        edition=edition, lang=edition.language, css=css, cover=cover, pages=pages,
        docs=[(d.page, d.module, d.href) for d in docs], page_title=page_title,
        labels=labels(edition.language),
    )
    item = epub.EpubItem(uid="nav", file_name="nav.xhtml",
                         media_type="application/xhtml+xml", content=html.encode())
    item.properties = ["nav"]
    return item, visible_text(html)


def _children(doc: Doc) -> list[Any]:
    """The entries under an article: its briefs, or its subheads."""
    module = doc.module
    if module.briefs:
        return [epub.Link(f"{doc.href}#{module.id}-brief-{n}", brief.title,
                          f"toc-{module.id}-brief-{n}")
                for n, brief in enumerate(module.briefs, start=1)]
    return [epub.Link(f"{doc.href}#{module.id}-section-{n}", section.subhead,
                      f"toc-{module.id}-section-{n}")
            for n, section in enumerate(module.sections, start=1) if section.subhead]


def _toc_entry(doc: Doc) -> Any:
    children = _children(doc)
    if not children:
        return epub.Link(doc.href, doc.module.title, f"toc-{doc.module.id}")
    return (epub.Section(doc.module.title, doc.href), children)


def ncx_toc(edition: Edition, docs: list[Doc]) -> list[Any]:
    """The NCX's tree, as the nav's: page → article → each brief or subhead."""
    toc: list[Any] = []
    for page in edition.pages:
        entries = [_toc_entry(d) for d in docs if d.page is page]
        if entries:
            first = next(d.href for d in docs if d.page is page)
            toc.append((epub.Section(page_title(page), first), entries))
    return toc
