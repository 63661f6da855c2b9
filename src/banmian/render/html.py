"""Render documents from the model: one XHTML document per module for the EPUB, one HTML
document for the whole edition in print."""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from banmian.model import Edition, Module, Page
from banmian.render.env import environment


def date_label(edition: Edition) -> str:
    """The edition date as a Chinese newspaper prints it: 2020年2月 (or 2020年2月11日)."""
    parts = [int(p) for p in edition.date.split("-")]
    label = "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日", strict=False))
    return label


def module_xhtml(
    edition: Edition, page: Page, module: Module, images: Mapping[str, str], *,
    css: str, page_break: bool, page_banner: bool,
) -> str:
    """One module as an EPUB content document."""
    return environment().get_template("epub_article.xhtml.j2").render(
        lang=edition.language, page=page, module=module, images=images, css=css,
        page_break=page_break, page_banner=page_banner,
    )


def print_html(edition: Edition, images: Mapping[str, str], *, font_css: str,
               page_css: str) -> str:
    """The whole edition as one HTML document for the print backend."""
    authors = sorted({name for m in edition.modules
                      for name in (m.byline, m.pen_name) if name})
    for css in (font_css, page_css):
        if "</" in css:
            raise ValueError("a stylesheet must not contain '</'")
    return environment().get_template("print.html.j2").render(
        lang=edition.language, edition=edition, images=images, font_css=Markup(font_css),
        page_css=Markup(page_css), date_label=date_label(edition), authors="；".join(authors),
    )
