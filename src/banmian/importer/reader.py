"""Raw page text → the edition model (:class:`~banmian.model.Edition`), nothing written.

The pipeline: :mod:`~banmian.importer.lines` reads and classifies raw lines and joins paragraphs
split at column breaks and hard wraps; :mod:`~banmian.importer.structure` finds the stories;
:mod:`~banmian.importer.roles` gives them roles and builds the modules. Every node's
:class:`~banmian.model.Source` is a raw line. The edition's date comes only from a date or folio
line of the page (:mod:`banmian.chinese.dates`), which is furniture, not copy; without one the
edition has no date and a note says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from banmian.chinese.dates import date_line
from banmian.chinese.script import detect_language
from banmian.importer.lines import (
    Line,
    classify,
    join_units,
    mark_captions,
    split_lines,
    wrap_width,
)
from banmian.importer.roles import Builder, modules
from banmian.importer.structure import Note, Segmenter
from banmian.model import Edition, Module, Page, Source


@dataclass(frozen=True)
class RawPage:
    """One raw page read: the edition, the decisions taken (with raw lines) and the lines that
    were page furniture rather than copy (the date line)."""

    edition: Edition
    notes: list[Note]
    furniture: list[int]

    @property
    def modules(self) -> list[Module]:
        return list(self.edition.modules)

    @property
    def language(self) -> str:
        return self.edition.language


def read_lines(text: str) -> tuple[list[Line], list[Note]]:
    """Split and classify the raw lines; captions found from their credits."""
    lines = split_lines(text)
    width = wrap_width(lines)
    for line in lines:
        line.kind = classify(line, width)
    blank_mode = any(line.blank_before for line in lines[1:])
    notes = [Note(no, "credit with no short line before it, or caption found without blank "
                  "lines around it") for no in mark_captions(lines, blank_mode)]
    if width:
        notes.append(Note(lines[0].no, f"text is hard-wrapped at about {width} characters",
                          False))
    for line in lines:
        if len(line.text) > 1500:
            notes.append(Note(line.no, f"a {len(line.text)}-character line kept as one "
                              "paragraph: paragraph breaks may have been lost"))
    return lines, notes


def find_date(text: str) -> tuple[str | None, list[int], Note]:
    """The edition date from the page's first date or folio line, the raw lines that are date
    lines (not copy), and a note saying where the date came from or that there is none."""
    found: list[tuple[int, str]] = []
    for no, raw in enumerate(text.split("\n"), start=1):
        date = date_line(raw)
        if date is not None:
            found.append((no, date))
    if not found:
        return None, [], Note(1, "no date line on the page: the edition has no date (add "
                              "'date' to edition.toml if you know it)")
    no, date = found[0]
    return date, [n for n, _ in found], Note(no, f"date line → edition date {date}", False)


def _without_lines(text: str, drop: list[int]) -> str:
    return "\n".join("" if no in drop else raw
                     for no, raw in enumerate(text.split("\n"), start=1))


def read_page(text: str, display: str, edition_id: str, fallback_title: str) -> RawPage:
    """Read raw page text (from the file shown as ``display``) into an edition."""
    date, furniture, date_note = find_date(text)
    copy = _without_lines(text, furniture)
    lines, notes = read_lines(copy)
    units = join_units(lines)
    for unit in units:
        for no in unit.joined_across_blank:
            notes.append(Note(no, "joined to the paragraph above (split at a column break or "
                              "around a photo)", False))
    segmenter = Segmenter(units)
    stories = segmenter.run()
    notes += [date_note, *segmenter.notes]
    outs = modules(stories, notes, display)
    title = next((m.headline for m in outs if m.role == "lead" and m.headline), None)
    title = title or next((m.headline or (m.banner.name if m.banner else m.briefs[0].title)
                           for m in outs if m.headline or m.banner or m.briefs), fallback_title)
    banner = segmenter.page_banner
    page = Page(1, "1", tuple(outs), Source(display, banner.line if banner else 1),
                Builder(display).banner(banner))
    edition = Edition(id=edition_id, title=title, language=detect_language(copy), date=date,
                      pages=(page,), source=Source(display, 1))
    return RawPage(edition, sorted(notes, key=lambda n: n.line), furniture)


def slug(name: str) -> str:
    """An edition id from a folder name (``Benxi 2020`` → ``benxi-2020``)."""
    return re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-") or "imported"
