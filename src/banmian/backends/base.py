"""What every backend provides: options in, bytes and diagnostics out."""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from banmian.diagnostics import Diagnostic
from banmian.model import Edition


@dataclass(frozen=True)
class BuildOptions:
    """Options that change what a backend produces, or how it works.

    ``press``: the PDF gets 3 mm bleed, TrimBox/BleedBox and crop marks outside the bleed.
    ``pages``: an executor the PDF's pages are laid out on, in parallel (None: in turn).
    """

    press: bool = False
    pages: Executor | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Output:
    """What a backend made: the file's bytes and the warnings it had about them; ``layout``,
    where it differs from the edition it was given, the edition as the file lays it out
    (print: the placer's places for pages without ``place``)."""

    data: bytes
    diagnostics: tuple[Diagnostic, ...] = ()
    layout: Edition | None = None


class Backend(Protocol):
    """An output format: ``build`` renders an edition from ``folder``; it raises
    :class:`~banmian.diagnostics.OutputError` when the output would lose or clip copy."""

    name: str
    suffix: str

    def build(self, edition: Edition, folder: Path, options: BuildOptions) -> Output: ...
