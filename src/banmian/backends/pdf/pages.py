"""The pages of an edition as units of work: each sheet laid out and written on its own, in
parallel (any ``concurrent.futures.Executor``: worker processes, a Dask client) and cached.

A :class:`PageTask` carries everything one sheet needs, by value, so that it can run in another
process or on another machine (a Dask worker reads nothing of the client's disk): the print
document of that one sheet (the whole edition's head, so the title, language and authors are
the edition's), the characters of the edition's print font subsets (the worker cuts or finds
them in its own cache: the same files, the same glyph ids on every page), the sheet's images as
bytes. The faces and the press profile are named, not shipped (25 MB a face): the worker takes
them from its own installation (``FONTS_DIR``, the system's profile) and checks their SHA-256
against the client's (BM203, BM303 if one is missing or differs). :func:`lay_out_page`
lays it out, checks it (BM300/BM301 for its own copy), justifies and writes it, and returns a
:class:`PageResult` (the page's PDF bytes and what it found), never an exception.

The page cache (``BANMIAN_CACHE/pages``) keeps each result under a digest of its task and of
the code that makes it: a sheet whose modules, placement, styles, images and fonts are
unchanged is not laid out again. Of the edition's font subsets the key covers the faces (by
digest) and the characters *this page* sets in each: the print subsets keep every glyph id
(:func:`banmian.fonts.subset.print_subset`), so a character's glyph does not depend on the
rest of the subset, and an edit that brings a character new to the edition lays out only its
own page (the join cuts each embedded program again from the current subsets).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from banmian import __version__
from banmian.backends.pdf.document import edition_chars
from banmian.backends.pdf.intent import output_profile
from banmian.backends.pdf.layout.geometry import Sheet
from banmian.diagnostics import Diagnostic, OutputError, error
from banmian.fonts import FONTS_DIR
from banmian.fonts.subset import font_digest, print_subset
from banmian.model import Edition, Source
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
    fonts: tuple[tuple[str, str, frozenset[str]], ...]  # face file, SHA-256, its characters
    assets: tuple[tuple[str, str, bytes], ...]  # name, media type, bytes
    base_url: str
    profile: tuple[str, str] | None = None  # the output profile: its URI in html, SHA-256

    def key(self) -> str:
        """A digest of what decides this page's PDF, and of the code that makes it."""
        digest = hashlib.sha256(repr((__version__, _code_stamp(), self.base_url,
                                      self.profile)).encode())
        digest.update(self.html.encode())
        used = edition_chars(self.edition, self.html)
        for name, sha, chars in self.fonts:  # this page's characters: glyph ids are retained
            mine = chars & used.get(FONTS_DIR / name, frozenset())
            digest.update(f"{name}:{sha}:{''.join(sorted(mine))}".encode())
        for name, media_type, data in self.assets:
            digest.update(f"{name}:{media_type}:".encode() + hashlib.sha256(data).digest())
        return digest.hexdigest()


def task_fonts(chars: Mapping[Path, frozenset[str]]) -> tuple[tuple[str, str, frozenset[str]],
                                                              ...]:
    """The faces of a task, by name under ``FONTS_DIR`` and digest (a worker on another
    machine finds them in its own ``FONTS_DIR``), with the characters of their subsets."""
    return tuple((str(path.relative_to(FONTS_DIR)) if path.is_relative_to(FONTS_DIR)
                  else str(path), font_digest(path), found)
                 for path, found in sorted(chars.items()))


def task_profile(profile: Path | None) -> tuple[str, str] | None:
    """The output profile of a task: the URI the page's HTML names it by, and its digest."""
    if profile is None:
        return None
    return profile.as_uri(), hashlib.sha256(profile.read_bytes()).hexdigest()


@dataclass(frozen=True)
class PageResult:
    """One sheet's PDF, the problems that stop the build and WeasyPrint's warnings."""

    pdf: bytes
    problems: tuple[Diagnostic, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[Diagnostic, ...] = ()  # BM304: what the layout could not avoid


@cache
def _code_stamp() -> str:
    """Sizes and times of the PDF backend's code and of the fonts code (the print subsets
    decide the glyph ids), and WeasyPrint's version."""
    import banmian.backends.pdf as package
    import banmian.fonts as fonts

    stamp = []
    for root in (Path(package.__file__).parent, Path(fonts.__file__).parent):
        stamp += [(str(p.relative_to(root.parent)), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in sorted(root.rglob("*.py"))]
    from importlib.metadata import version

    return hashlib.sha256(repr((stamp, version("weasyprint"))).encode()).hexdigest()


def page_edition(edition: Edition, sheet: Sheet) -> Edition:
    """The edition with only ``sheet``'s page."""
    return replace(edition, pages=(sheet.page,))


def lay_out_page(task: PageTask) -> PageResult:
    """Lay out, check, justify and write one sheet (in any process)."""
    from banmian.backends.pdf.backend import lay_out, write

    files, problems = _local_fonts(task)
    html, profile, missing = _local_profile(task)
    if problems or missing:
        return PageResult(b"", (*problems, *missing))
    found, document, logged, notes = lay_out(task.edition, html, files, task.base_url,
                                             {n: (t, d) for n, t, d in task.assets},
                                             [task.sheet], profile)
    if found:
        return PageResult(b"", tuple(found), tuple(logged))
    return PageResult(write(task.edition, document, profile), (), tuple(logged),
                      tuple(notes))


def _local_fonts(task: PageTask) -> tuple[dict[Path, Path], list[Diagnostic]]:
    """This machine's faces of ``task`` (BM203 for one missing or not the same file) and
    their print subsets."""
    files, problems = {}, []
    for name, digest, chars in task.fonts:
        path = FONTS_DIR / name
        if not path.is_file() or font_digest(path) != digest:
            problems.append(error("BM203", f"the face {path} is missing or differs from the "
                                           "one the pages were prepared with: run make fonts "
                                           "on this machine", Source(task.edition.source.path, 0)))
            continue
        files[path] = print_subset(path, chars)
    return files, problems


def _local_profile(task: PageTask) -> tuple[str, Path | None, list[Diagnostic]]:
    """The page's HTML naming this machine's output profile, and that profile (BM303 if it
    is missing or not the same file)."""
    if task.profile is None:
        return task.html, None, []
    uri, digest = task.profile
    where = Source(task.edition.source.path, 0)
    try:
        path = output_profile(where)
    except OutputError as exc:
        return task.html, None, list(exc.diagnostics)
    if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
        return task.html, None, [error("BM303", f"the output profile {path} differs from the "
                                                "one the pages were prepared with", where)]
    return task.html.replace(uri, path.as_uri()), path, []


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
    laid_out = (mapper or map)(lay_out_page, [tasks[i] for i in todo])
    for index, result in zip(todo, laid_out, strict=True):
        if not result.problems:
            store(folder / f"{keys[index]}.pickle", pickle.dumps(result))
        results[index] = _spooled(result, spool, index)
    return [results[i] for i in range(len(tasks))]


def _spooled(result: PageResult, spool: Path, index: int) -> PageResult:
    part_path(spool, index).write_bytes(result.pdf)
    return replace(result, pdf=b"")
