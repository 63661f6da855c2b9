"""The EPUB's package metadata: identifier, dates, people, publisher, accessibility.

Everything here is derived from the edition, so builds are reproducible: the identifier is a
UUID v5 of the edition's id, date and title; ``dcterms:modified`` is ``SOURCE_DATE_EPOCH`` when
set, else the start of the edition date; creators are the people bylines and pen names name
(:func:`banmian.chinese.bylines.byline_names`), contributors the others.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid

from ebooklib import epub

from banmian.chinese.bylines import byline_names
from banmian.model import Edition
from banmian.render.labels import date_label, labels

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "banmian.invalid")  # banmian's own namespace
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


def identifier(edition: Edition) -> str:
    """A UUID v5 derived from the edition: stable across builds."""
    name = f"{edition.id}|{edition.date or ''}|{edition.title}"
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, name)}"


def modified(edition: Edition) -> dt.datetime:
    """``dcterms:modified``: SOURCE_DATE_EPOCH when set, else the start of the edition date
    (of 1980, the ZIP epoch, for an undated edition)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    parts = [int(p) for p in (edition.date or "1980").split("-")] + [1, 1]
    return dt.datetime(parts[0], parts[1], parts[2], tzinfo=dt.UTC)


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


def add_metadata(book: epub.EpubBook, edition: Edition) -> None:
    """Identifier, title, language, date, publisher, people, accessibility, page source."""
    book.set_identifier(identifier(edition))
    book.set_title(edition.title)
    book.set_language(edition.language)
    if edition.date:
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
    dated = f" {date_label(edition)}" if edition.date else ""
    source = f"{edition.publication or edition.title}{dated} 印刷版"
    book.add_metadata(None, "meta", source, {"property": "pageBreakSource"})
