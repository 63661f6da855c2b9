"""``banmian lint``: check editions without building them.

This first cut loads each edition (every content-format error, with its line) and checks font
coverage. Proofreading rules for Chinese copy come with the import work.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from banmian.build import load_checked
from banmian.diagnostics import BanmianError, Diagnostic, Reporter, error


def _editions(paths: Iterable[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_dir() and not (path / "edition.toml").exists():
            children = sorted(p for p in path.iterdir() if (p / "edition.toml").is_file())
            yield from children or [path]
        else:
            yield path


def lint_paths(paths: Iterable[Path], *, strict: bool = False) -> list[Diagnostic]:
    """Every problem found in the editions under ``paths``."""
    found: list[Diagnostic] = []
    for folder in _editions(paths):
        if not folder.exists():
            found.append(error("BM100", f"no such path '{folder}'"))
            continue
        reporter = Reporter(strict=strict)
        try:
            load_checked(folder, reporter)
        except BanmianError as exc:
            found.extend(exc.diagnostics)
            continue
        found.extend(reporter.diagnostics)
    return found
