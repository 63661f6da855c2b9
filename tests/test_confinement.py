"""Confinement: a build reads nothing outside the edition folder, fonts/, styles/ and banmian's
own package (its templates), writes only to the output folder and its cache, and never touches
the network. Python-level file and socket access is watched with an audit hook; the PDF
backend's URL fetcher is checked directly.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import banmian
from banmian.build import build_edition
from banmian.fonts import FONTS_DIR
from banmian.fonts.manifest import MANIFEST
from banmian.storage import styles_dir

_EVENTS: list[tuple[str, str]] | None = None
_NETWORK = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request",
            "http.client.connect", "ftplib.connect", "smtplib.connect")


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _EVENTS is None:
        return
    if event == "open" and args and isinstance(args[0], (str, bytes, Path)):
        path = args[0].decode() if isinstance(args[0], bytes) else str(args[0])
        _EVENTS.append(("open", path))
    elif event in _NETWORK or event.startswith("socket."):
        _EVENTS.append((event, repr(args)[:200]))


sys.addaudithook(_hook)


@contextmanager
def watching() -> Iterator[list[tuple[str, str]]]:
    global _EVENTS
    _EVENTS = []
    try:
        yield _EVENTS
    finally:
        _EVENTS = None


def _python_roots() -> list[Path]:
    return [Path(p).resolve() for p in {sys.prefix, sys.base_prefix, sys.exec_prefix}]


SYSTEM_TMP = Path(tempfile.gettempdir()).resolve()


def _weasyprint_font_copy(path: Path) -> bool:
    """WeasyPrint copies each @font-face file (ours, from fonts/) into a private temporary
    folder named weasyprint-*, and removes it when its font configuration goes away."""
    return any(part.startswith("weasyprint-") for part in path.parts) and \
        path.is_relative_to(SYSTEM_TMP)


SYSTEM_FILES = {"/etc/mime.types", "/dev/null", "/dev/urandom", "/etc/localtime"}


def test_a_build_reads_only_its_edition_fonts_styles_and_package(
        sample_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, scratch, cache = tmp_path / "out", tmp_path / "scratch", tmp_path / "cache"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # hb-subset's scratch files
    monkeypatch.setenv("BANMIAN_CACHE", str(cache))
    allowed = [sample_copy.resolve(), FONTS_DIR.resolve(), MANIFEST.resolve(),
               styles_dir().resolve(),
               Path(banmian.__file__).resolve().parent, out.resolve(), scratch.resolve(),
               cache.resolve(), *_python_roots()]
    import weasyprint  # noqa: F401  (its import-time reads are not the build's)

    with watching() as events:
        build_edition(sample_copy, out, ["epub", "pdf"])
    assert [e for e in events if e[0] != "open"] == []  # fonts are read, not fetched
    opened = {Path(path).resolve() for kind, path in events if kind == "open"}
    outside = sorted(str(p) for p in opened
                     if str(p) not in SYSTEM_FILES and not _weasyprint_font_copy(p)
                     and not any(p.is_relative_to(root) for root in allowed))
    assert outside == []
    assert any(p.is_relative_to(sample_copy.resolve()) for p in opened)


@pytest.mark.parametrize("url", [
    "http://example.com/a.png", "https://example.com/font.otf", "file:///etc/passwd",
    "ftp://example.com/x", "data:text/plain,hello",
])
def test_the_pdf_url_fetcher_refuses_everything_but_fonts_and_assets(url: str) -> None:
    from banmian.backends.pdf.document import fetcher as _fetcher

    refused: list[str] = []
    fetcher = _fetcher({"a.png": ("image/png", b"\x89PNG")}, refused, [])
    with pytest.raises(ValueError, match="refuses"):
        fetcher.fetch(url)
    assert refused == [url]
    assert fetcher.fetch("banmian-asset:a.png").read() == b"\x89PNG"
