"""Building one edition: load, check, render every requested backend, write atomically.

All outputs of an edition are rendered before any is written, so a failing backend leaves every
earlier output of that edition untouched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from banmian.backends import BuildOptions, get_backend
from banmian.content import load_edition
from banmian.diagnostics import Diagnostic, InputError, Reporter, error, os_error
from banmian.fonts.coverage import check_coverage
from banmian.fonts.manifest import manifest_warnings
from banmian.model import Edition, Source
from banmian.storage import display_path, write_atomic

#: The folder beside a PDF that holds its preview pictures (``--preview``).
PREVIEW_SUFFIX = ".preview"


@dataclass(frozen=True)
class BuildResult:
    """What one edition's build wrote and what it had to say."""

    edition: Edition
    outputs: tuple[Path, ...]
    diagnostics: tuple[Diagnostic, ...]


def load_checked(folder: Path, reporter: Reporter) -> Edition:
    """Load an edition and check that every character of its copy has a glyph."""
    edition = load_edition(folder, reporter)
    for diagnostic in check_coverage(edition) + manifest_warnings(edition.language):
        reporter.add(diagnostic)
    reporter.raise_errors(InputError)
    return edition


def previews(layouts: Mapping[Path, Edition],
             rendered: Sequence[tuple[Path, bytes]]) -> list[tuple[Path, bytes]]:
    """The preview pictures of the PDF among ``rendered`` (none without a PDF), each page's
    path beside the PDF: ``<edition-id>.preview/page-N.png``; its frames where ``layouts``
    has the PDF's edition laid them out (pages without ``place`` where the placer put them)."""
    from banmian.verify.preview import preview_pages  # pypdfium2: only when asked for

    found: list[tuple[Path, bytes]] = []
    for path, data in rendered:
        if path.suffix == ".pdf":
            folder = path.with_suffix(PREVIEW_SUFFIX)
            found += [(folder / f"page-{n}.png", png)
                      for n, png in enumerate(preview_pages(data, layouts[path]), 1)]
    return found


def _prune(folder: Path, written: set[Path]) -> None:
    """Remove pictures of pages an earlier build had and this one has not."""
    for old in folder.glob("page-*.png"):
        if old not in written:
            old.unlink(missing_ok=True)


def check_output_folder(folder: Path, out_dir: Path) -> None:
    """Refuse an output folder inside the edition folder (BM701): the outputs would become
    part of the edition, and every later build would see a changed edition. The command line
    checks it (``batch.run_job``); :func:`build_edition` itself writes where it is told."""
    if folder.is_dir() and out_dir.resolve().is_relative_to(folder.resolve()):
        raise InputError([error("BM701", f"output folder '{display_path(out_dir)}' is inside "
                                "the edition folder: choose another -o (default: out)",
                                Source(display_path(folder), 0))])


def build_edition(folder: Path, out_dir: Path, formats: Sequence[str],
                  *, strict: bool = False, press: bool = False,
                  pages: Executor | None = None, preview: bool = False) -> BuildResult:
    """Build ``folder`` into ``out_dir/<edition-id>.<suffix>`` for each format.

    ``press``: the PDF gets 3 mm bleed, TrimBox/BleedBox and crop marks outside the bleed.
    ``pages``: the PDF's pages are laid out on this executor (in parallel).
    ``preview``: with the PDF, a picture of each page with its frames outlined by how they
    fill, ``out_dir/<edition-id>.preview/page-N.png`` (:mod:`banmian.verify.preview`).
    """
    reporter = Reporter(strict=strict)
    edition = load_checked(folder, reporter)
    rendered: list[tuple[Path, bytes]] = []
    layouts: dict[Path, Edition] = {}
    options = BuildOptions(press=press, pages=pages)
    for name in formats:
        backend = get_backend(name)
        output = backend.build(edition, folder, options)
        for diagnostic in output.diagnostics:
            reporter.add(diagnostic)
        path = out_dir / f"{edition.id}{backend.suffix}"
        rendered.append((path, output.data))
        layouts[path] = output.layout or edition
    reporter.raise_errors(InputError)
    if preview:
        rendered += previews(layouts, rendered)
    for path, data in rendered:
        try:
            write_atomic(path, data)
        except OSError as exc:  # read-only, full, a file where the folder should be …
            raise os_error(exc, path) from None
    if preview:
        _prune(out_dir / f"{edition.id}{PREVIEW_SUFFIX}", {p for p, _ in rendered})
    return BuildResult(edition, tuple(p for p, _ in rendered), tuple(reporter.diagnostics))
