"""``banmian import``: raw page text (as extracted from a PDF) → an edition folder and a report.

:mod:`~banmian.importer.reader` reads the page into the model (every node's source a raw line);
:func:`banmian.content.writer.write_edition` writes the folder. Half-width punctuation in Chinese
context is made full-width; nothing else in the copy is changed, and text that fits no role
becomes a generic ``article``. ``import-report.txt`` lists every uncertain decision with its raw
line number.

The import is all or nothing: the edition is written into a temporary folder beside the target,
loaded back and measured there, and only then renamed into place (``--force`` swaps it for the
old folder), so a failed import leaves no edition folder behind and never a half-written one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from banmian.content import load_edition
from banmian.content.writer import write_edition
from banmian.diagnostics import InputError, error
from banmian.importer.lines import read_raw
from banmian.importer.reader import RawPage, read_lines, read_page, slug
from banmian.model import Source, copy_text
from banmian.storage import display_path

__all__ = ["REPORT", "ImportResult", "RawPage", "import_file", "kept_ratio", "parse_page",
           "read_lines"]

REPORT = "import-report.txt"


def parse_page(text: str, display: str = "page.txt") -> RawPage:
    """Read raw page text into the model (nothing is written)."""
    return read_page(text, display, "imported", Path(display).stem)


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


def report_text(raw_display: str, page: RawPage, kept: float) -> str:
    """``import-report.txt``: the modules, the share of text kept, then every decision."""
    uncertain = [n for n in page.notes if n.uncertain]
    lines = [f"# banmian import report for {raw_display}",
             f"language: {page.language}", f"date: {page.edition.date or 'none'}",
             "modules: " + ", ".join(f"{m.id}.md ({m.role})" for m in page.modules),
             f"text kept: {kept:.2%}", "", f"## uncertain decisions ({len(uncertain)})"]
    lines += [f"{raw_display}:{n.line}: {n.text}" for n in uncertain]
    lines += ["", "## other decisions"]
    lines += [f"{raw_display}:{n.line}: {n.text}" for n in page.notes if not n.uncertain]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ImportResult:
    folder: Path
    report: Path
    page: RawPage
    kept: float


def _copy_of(raw: str, page: RawPage) -> str:
    """The raw text less its furniture lines (the date line), for measuring what was kept."""
    return "\n".join("" if no in page.furniture else line
                     for no, line in enumerate(raw.split("\n"), start=1))


def _build(text: str, raw_display: str, stem: str, folder: Path, work: Path
           ) -> tuple[RawPage, float]:
    """Read the page, write it into ``work`` and load it back; the page and the share kept."""
    page = read_page(text, raw_display, slug(folder.resolve().name), stem)
    if not page.modules:
        raise InputError([error("BM602", "no copy to import: the raw text is empty",
                                Source(raw_display, 1))])
    write_edition(page.edition, work, images_from=work)
    copy = "\n".join(item.text for item in copy_text(load_edition(work)))
    kept = kept_ratio(_copy_of(text, page), copy)
    (work / REPORT).write_text(report_text(raw_display, page, kept), encoding="utf-8")
    return page, kept


def _swap(work: Path, folder: Path) -> None:
    """Move the finished ``work`` folder to ``folder``; an old ``folder`` is replaced only once
    the new one is complete, and restored if the move fails."""
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    if not folder.exists():
        os.rename(work, folder)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old-", dir=folder.parent))
    os.rename(folder, old / folder.name)
    try:
        os.rename(work, folder)
    except OSError:
        os.rename(old / folder.name, folder)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def import_file(raw: Path, folder: Path, *, force: bool = False) -> ImportResult:
    """Import the raw page ``raw`` into the edition folder ``folder``, all or nothing."""
    raw_display = display_path(raw)
    text = read_raw(raw, raw_display)
    check_output(folder, force)
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.import-", dir=folder.parent))
    try:
        page, kept = _build(text, raw_display, raw.stem, folder, work)
        _swap(work, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ImportResult(folder, folder / REPORT, page, kept)
