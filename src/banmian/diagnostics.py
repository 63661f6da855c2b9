"""Diagnostics and fatal errors: the one place that says how problems are reported.

Recoverable problems are :class:`Diagnostic` values with a stable code and a ``path:line``;
fatal ones are :class:`BanmianError` exceptions (caught in ``banmian.cli``, and turned into
per-edition results by ``batch`` and ``proofread``), which carry the
diagnostics that explain them.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from banmian.model import Source

Severity = Literal["error", "warning"]

#: Every diagnostic code banmian emits, with its one-line meaning (documented in the README).
CODES: dict[str, str] = {
    "BM100": "edition folder not found",
    "BM101": "edition.toml missing",
    "BM102": "malformed TOML",
    "BM103": "unknown key",
    "BM104": "missing required key",
    "BM105": "invalid value",
    "BM106": "unknown role",
    "BM107": "module file not found",
    "BM108": "invalid UTF-8",
    "BM109": "malformed front matter",
    "BM110": "unsupported Markdown",
    "BM111": "figure reference",
    "BM112": "duplicate id",
    "BM113": "image problem",
    "BM114": "control character",
    "BM115": "very long paragraph (warning)",
    "BM116": "paragraph over the length limit",
    "BM117": "headline, kicker, deck, subhead or title over the length limit",
    "BM200": "character no face has",
    "BM201": "character set in a fallback face (warning)",
    "BM202": "a face differs from fonts/manifest.toml (warning)",
    "BM203": "a face's file is missing (run make fonts)",
    "BM300": "copy does not fit its frame",
    "BM301": "copy missing from output",
    "BM302": "WeasyPrint warned while laying out the PDF (warning)",
    "BM303": "the press PDF's output profile is missing (install ghostscript)",
    "BM304": "a widow, orphan or stranded subhead the layout could not avoid (warning)",
    "BM305": "copy falls short of its frame's foot (underset, warning)",
    "BM306": "a page the placer laid out ends rows above its foot (warning)",
    "BM400": "output check failed",
    "BM501": "half-width punctuation in Chinese context (lint)",
    "BM502": "unbalanced quotes or brackets (lint)",
    "BM503": "stray Latin word inside a Chinese sentence (lint)",
    "BM504": "doubled character or word (lint, warning)",
    "BM505": "section banner pinyin does not match its characters (lint)",
    "BM506": "Simplified and Traditional mixed in one article (lint, warning)",
    "BM507": "paragraph looks split (lint, warning)",
    "BM508": "character no project font covers (lint)",
    "BM509": "malformed lint.toml (lint)",
    "BM510": "a suppression that matches nothing (lint, warning)",
    "BM511": "zero-width or other invisible format character in the copy (lint, warning)",
    "BM600": "import: no such raw file",
    "BM601": "import: output folder exists and is not empty",
    "BM602": "import: the raw text holds no copy (empty)",
    "BM700": "cannot read or write a file (read-only, full disk, not a folder …)",
    "BM701": "output folder inside the edition folder",
}


def is_input_error(diagnostic: Diagnostic) -> bool:
    """Whether ``diagnostic`` is an error in the input itself (BM1xx content, BM2xx fonts,
    BM6xx import, BM7xx the file system), which makes a command exit 2, as opposed to a
    proofreading or check finding (exit 1)."""
    return diagnostic.severity == "error" and diagnostic.code[:3] in ("BM1", "BM2", "BM6", "BM7")


@dataclass(frozen=True)
class Diagnostic:
    """One message about the input or the output, pointing at a line of the content."""

    severity: Severity
    code: str
    message: str
    source: Source | None = None

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"undocumented diagnostic code {self.code} (add it to CODES)")

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.severity} {self.code}: {self.message}"


def error(code: str, message: str, source: Source | None = None) -> Diagnostic:
    return Diagnostic("error", code, message, source)


def warning(code: str, message: str, source: Source | None = None) -> Diagnostic:
    return Diagnostic("warning", code, message, source)


class BanmianError(Exception):
    """Base class of every fatal error; it carries the diagnostics that explain it."""

    exit_status = 2

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class InputError(BanmianError):
    """The edition cannot be read or does not follow the content format."""


class OutputError(BanmianError):
    """A backend produced output that fails a check (lost copy, copy that does not fit)."""


class FileSystemError(BanmianError):
    """The environment refused a read or a write: a read-only or full disk, a file where a
    folder should be, no permission. Exit 2, like bad input: it is not a bug."""


#: What each errno a read or write can fail with means here, and what to do about it.
_OS_ADVICE: dict[int, str] = {
    errno.ENOSPC: "no space left on the device: free some space or choose another output "
                  "folder with -o",
    errno.EDQUOT: "disk quota exceeded: free some space or choose another output folder",
    errno.EROFS: "read-only file system: choose a writable output folder with -o",
    errno.EACCES: "permission denied: choose a folder you can write to, or fix its permissions",
    errno.EPERM: "operation not permitted: choose a folder you can write to",
    errno.EEXIST: "is a file, not a folder: remove it or choose another path",
    errno.ENOTDIR: "a file stands where a folder is needed: remove it or choose another path",
    errno.EISDIR: "is a folder, not a file: remove it or choose another path",
    errno.ENAMETOOLONG: "file name too long: choose a shorter path",
}


def os_error(exc: OSError, path: object = None) -> FileSystemError:
    """A :class:`FileSystemError` (BM700) for ``exc``, naming the path and what to do."""
    where = str(exc.filename if exc.filename is not None else (path or "banmian"))
    reason = (exc.strerror or type(exc).__name__).lower()
    advice = _OS_ADVICE.get(exc.errno or 0, f"{reason}: check the path and try again")
    return FileSystemError([error("BM700", advice, Source(where, 0))])


@dataclass
class Reporter:
    """Collects diagnostics during one build; ``strict`` turns warnings into errors."""

    strict: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        if self.strict and diagnostic.severity == "warning":
            diagnostic = Diagnostic("error", diagnostic.code, diagnostic.message, diagnostic.source)
        self.diagnostics.append(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def raise_errors(self, kind: type[BanmianError] = InputError) -> None:
        """Raise ``kind`` with every error collected so far, if there is any."""
        if self.errors:
            raise kind(self.errors)
