"""The pages of an edition as units of work: each sheet laid out and written on its own, in
parallel (any ``concurrent.futures.Executor``: worker processes, a Dask client) and cached.

A :class:`PageTask` carries everything one sheet needs, by value, so that it can run in another
process or on another machine: the print document of that one sheet (the whole edition's head,
so the title, language and authors are the edition's), the characters of the edition's print
font subsets (the worker cuts or finds them in its own cache: the same files, the same glyph
ids on every page), the sheet's images as bytes and the press profile. :func:`lay_out_page`
lays it out, checks it (BM300/BM301 for its own copy), justifies and writes it, and returns a
:class:`PageResult` (the page's PDF bytes and what it found), never an exception.

The page cache (``BANMIAN_CACHE/pages``) keeps each result under a digest of its task and of
the code that makes it: a sheet whose modules, placement, styles, images and fonts are
unchanged is not laid out again. The key covers the edition's font subsets (the glyph ids of
the page depend on them), so an edit that brings a character new to the edition lays every
page out again; an edit within the edition's characters lays out only its page.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from banmian import __version__
from banmian.backends.pdf.layout.geometry import Sheet
from banmian.diagnostics import Diagnostic
from banmian.fonts.subset import font_digest, print_subset
from banmian.model import Edition
from banmian.storage import cache_root, store

#: Where the @font-face rules of a page go: the worker fills it with its own subsets' URIs.

Mapper = Callable[[Callable[["PageTask"], "PageResult"], Iterable["PageTask"]],
                  Iterator["PageResult"]]


@dataclass(frozen=True)
class PageTask:
    """One sheet to lay out, with everything it needs by value."""

    edition: Edition  # the edition with only this sheet's page: its copy is what is checked
    sheet: Sheet
    html: str  # the sheet's print document, @font-face rules in FONTS_SLOT
    fonts: tuple[tuple[Path, frozenset[str]], ...]  # face file → characters of its subset
    assets: tuple[tuple[str, str, bytes], ...]  # name, media type, bytes
    base_url: str
    profile: Path | None = None

    def key(self) -> str:
        """A digest of what decides this page's PDF, and of the code that makes it."""
        digest = hashlib.sha256(repr((__version__, _code_stamp(), self.base_url,
                                      str(self.profile))).encode())
        digest.update(self.html.encode())
        for path, chars in self.fonts:
            digest.update(f"{font_digest(path)}:{''.join(sorted(chars))}".encode())
        for name, media_type, data in self.assets:
            digest.update(f"{name}:{media_type}:".encode() + hashlib.sha256(data).digest())
        if self.profile is not None:
            digest.update(self.profile.read_bytes())
        return digest.hexdigest()


@dataclass(frozen=True)
class PageResult:
    """One sheet's PDF, the problems that stop the build and WeasyPrint's warnings."""

    pdf: bytes
    problems: tuple[Diagnostic, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[Diagnostic, ...] = ()  # BM304: what the layout could not avoid


@cache
def _code_stamp() -> str:
    """Sizes and times of the PDF backend's code, WeasyPrint's version and the fonts code."""
    import banmian.backends.pdf as package

    root = Path(package.__file__).parent
    files = sorted(p for p in root.rglob("*.py"))
    stamp = [(str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns) for p in files]
    from importlib.metadata import version

    return hashlib.sha256(repr((stamp, version("weasyprint"))).encode()).hexdigest()


def page_edition(edition: Edition, sheet: Sheet) -> Edition:
    """The edition with only ``sheet``'s page."""
    return replace(edition, pages=(sheet.page,))


def lay_out_page(task: PageTask) -> PageResult:
    """Lay out, check, justify and write one sheet (in any process)."""
    from banmian.backends.pdf.backend import lay_out, write

    files = {path: print_subset(path, chars) for path, chars in task.fonts}
    found, document, logged, notes = lay_out(task.edition, task.html, files, task.base_url,
                                             {n: (t, d) for n, t, d in task.assets},
                                             [task.sheet], task.profile)
    if found:
        return PageResult(b"", tuple(found), tuple(logged))
    return PageResult(write(task.edition, document, task.profile), (), tuple(logged),
                      tuple(notes))


def _cached(path: Path) -> PageResult | None:
    try:
        result = pickle.loads(path.read_bytes())
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
        return None
    return result if isinstance(result, PageResult) else None


def part_path(spool: Path, index: int) -> Path:
    """Where :func:`run_pages` writes the PDF of page ``index``."""
    return spool / f"page-{index:04d}.pdf"


def run_pages(tasks: Sequence[PageTask], spool: Path,
              mapper: Mapper | None = None) -> list[PageResult]:
    """Every task's result, in order: from the page cache, or laid out (by ``mapper``, e.g. an
    executor's ``map``; inline without one) and then cached when it has no problems.

    Each page's PDF is written to :func:`part_path` in ``spool`` as it arrives, and left out
    of the result (``pdf`` empty): the parts of a 48-page edition (about 35 MB) are never
    all in memory."""
    keys = [task.key() for task in tasks]
    folder = cache_root() / "pages"
    results: dict[int, PageResult] = {}
    for index, key in enumerate(keys):
        hit = _cached(folder / f"{key}.pickle")
        if hit is not None:
            results[index] = _spooled(hit, spool, index)
    todo = [i for i in range(len(tasks)) if i not in results]
    laid_out = (mapper or map)(lay_out_page, (tasks[i] for i in todo))
    for index, result in zip(todo, laid_out, strict=True):
        if not result.problems:
            store(folder / f"{keys[index]}.pickle", pickle.dumps(result))
        results[index] = _spooled(result, spool, index)
    return [results[i] for i in range(len(tasks))]


def _spooled(result: PageResult, spool: Path, index: int) -> PageResult:
    part_path(spool, index).write_bytes(result.pdf)
    return replace(result, pdf=b"")
