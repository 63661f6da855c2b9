"""``banmian import``: raw page text (as extracted from a PDF) → an edition in the content format.

The pipeline: :mod:`~banmian.importer.lines` reads and classifies raw lines and joins paragraphs
split at column breaks and hard wraps; :mod:`~banmian.importer.structure` finds the stories;
:mod:`~banmian.importer.roles` gives them roles and renders the module files. Half-width
punctuation in Chinese context is made full-width; nothing else in the copy is changed, and text
that fits no role becomes a generic ``article``. ``import-report.txt`` lists every uncertain
decision with its raw line number.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from banmian.chinese.chars import detect_language
from banmian.content import load_edition
from banmian.diagnostics import InputError, error
from banmian.importer.lines import (
    Line,
    Unit,
    classify,
    join_units,
    mark_captions,
    read_raw,
    split_lines,
    wrap_width,
)
from banmian.importer.roles import ModuleOut, modules, toml_string
from banmian.importer.structure import BannerText, Note, Segmenter
from banmian.model import Source, copy_text
from banmian.storage import display_path

REPORT = "import-report.txt"


@dataclass(frozen=True)
class RawPage:
    """The result of reading one raw page: its units, stories' modules and notes."""

    units: list[Unit]
    modules: list[ModuleOut]
    banner: BannerText | None
    notes: list[Note]
    language: str


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


def parse_page(text: str) -> RawPage:
    """Read raw page text into modules (nothing is written)."""
    lines, notes = read_lines(text)
    units = join_units(lines)
    for unit in units:
        for no in unit.joined_across_blank:
            notes.append(Note(no, "joined to the paragraph above (split at a column break or "
                              "around a photo)", False))
    segmenter = Segmenter(units)
    stories = segmenter.run()
    notes += segmenter.notes
    outs = modules(stories, notes)
    language = detect_language(text)
    return RawPage(units, outs, segmenter.page_banner, sorted(notes, key=lambda n: n.line),
                language)


def infer_date(text: str) -> tuple[str, str]:
    """The latest year the copy mentions (and the latest month of that year), with a note."""
    years = [int(y) for y in re.findall(r"((?:19|20)\d\d)年", text)]
    year = max(years) if years else dt.date.today().year
    months = [int(m) for m in re.findall(r"(?<!\d)(1[0-2]|0?[1-9])月\d{1,2}日", text)]
    if not years:
        return f"{year}", "No year appears in the text; the import used the current year: fix it."
    month = max(months) if months else None
    note = (f"Inferred by banmian import: the latest year the copy mentions is {year}"
            + (f", the latest month-and-day date is in month {month}." if month else "."))
    return (f"{year}-{month:02d}" if month else f"{year}"), note


def edition_toml(page: RawPage, text: str, fallback_title: str) -> str:
    """The edition.toml for an imported page."""
    title = next((m.stories[0].headline.text for m in page.modules
                  if m.role == "lead" and m.stories[0].headline), None)
    title = title or next((s.headline.text for m in page.modules for s in m.stories
                           if s.headline), fallback_title)
    date, note = infer_date(text)
    lines = [f"title = {toml_string(title)}", f'language = "{page.language}"',
             f'date = "{date}"', "date-inferred = true", f"date-note = {toml_string(note)}",
             "", "[[pages]]"]
    if page.banner:
        lines.append(f"section = {toml_string(page.banner.name)}")
        if page.banner.pinyin:
            lines.append(f"pinyin = {toml_string(page.banner.pinyin)}")
    for out in page.modules:
        lines += ["", "[[pages.modules]]", f"file = {toml_string(out.file)}",
                  f'role = "{out.role}"']
        if out.banner:
            lines.append(f"banner = {toml_string(out.banner.name)}")
            if out.banner.pinyin:
                lines.append(f"banner-pinyin = {toml_string(out.banner.pinyin)}")
    return "\n".join(lines) + "\n"


def check_output(folder: Path, force: bool) -> None:
    """An existing non-empty output folder is refused unless ``force``."""
    display = display_path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError([error("BM601", f"'{display}' exists and is not a folder",
                                Source(display, 0))])
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise InputError([error("BM601", f"output folder '{display}' is not empty "
                                "(use --force to overwrite)", Source(display, 0))])


_SAME = str.maketrans({".": "。", '"': "“", "”": "“", "‘": "'", "’": "'"})


def comparable(text: str) -> Counter[str]:
    """Characters of copy, for measuring what was kept: NFKC, half- and full-width marks the
    same, no spaces, no banner marks, no —— (a separator the import drops between kicker and
    headline)."""
    return Counter(c for c in unicodedata.normalize("NFKC", text).translate(_SAME)
                   if not c.isspace() and c not in "■□◆▲●—\\")


def kept_ratio(raw: str, written: str) -> float:
    """The share of ``raw``'s characters (as a multiset) found again in ``written``."""
    want, have = comparable(raw), comparable(written)
    total = sum(want.values())
    return sum(min(n, have[c]) for c, n in want.items()) / total if total else 1.0


def write_report(folder: Path, raw_display: str, page: RawPage, kept: float) -> Path:
    uncertain = [n for n in page.notes if n.uncertain]
    lines = [f"# banmian import report for {raw_display}",
             f"language: {page.language}", "modules: "
             + ", ".join(f"{m.file} ({m.role})" for m in page.modules),
             f"text kept: {kept:.2%}", "", f"## uncertain decisions ({len(uncertain)})"]
    lines += [f"{raw_display}:{n.line}: {n.text}" for n in uncertain]
    lines += ["", "## other decisions"]
    lines += [f"{raw_display}:{n.line}: {n.text}" for n in page.notes if not n.uncertain]
    path = folder / REPORT
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class ImportResult:
    folder: Path
    report: Path
    page: RawPage
    kept: float


def import_file(raw: Path, folder: Path, *, force: bool = False) -> ImportResult:
    """Import the raw page ``raw`` into the edition folder ``folder``."""
    raw_display = display_path(raw)
    text = read_raw(raw, raw_display)
    check_output(folder, force)
    page = parse_page(text)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.md"):
        stale.unlink()
    toml = edition_toml(page, text, raw.stem)
    if not re.match(r"^[a-z0-9][a-z0-9-]*$", folder.resolve().name):
        slug = re.sub(r"[^a-z0-9-]+", "-", folder.resolve().name.lower()).strip("-")
        toml = f"id = {toml_string(slug or 'imported')}\n" + toml
    (folder / "edition.toml").write_text(toml, encoding="utf-8")
    for out in page.modules:
        (folder / out.file).write_text(out.text(), encoding="utf-8")
    copy = "\n".join(item.text for item in copy_text(load_edition(folder)))
    kept = kept_ratio(text, copy)
    return ImportResult(folder, write_report(folder, raw_display, page, kept), page, kept)
