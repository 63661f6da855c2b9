"""The press PDF's output condition: the settings in ``data/press.toml``, the CMYK output
profile its output intent embeds, and what makes a PDF/X-4 file of WeasyPrint's the same on
every build (its dates and its XMP document id).

WeasyPrint's PDF/X-4 writer stamps the build's local time as the creation date and a random
``xmpMM:DocumentID``; banmian gives it the edition's date instead, and replaces the id with
one derived from the file's content, so that two builds of one edition are byte-identical.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import uuid
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from banmian.diagnostics import OutputError, error
from banmian.model import Source

_DID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


@cache
def settings() -> dict[str, Any]:
    """``data/press.toml``: the output intent, the ink limit and the marks."""
    text = resources.files("banmian").joinpath("data", "press.toml").read_text("utf-8")
    return tomllib.loads(text)


def total_ink() -> float:
    """The total area coverage allowed inside the trim, in percent."""
    return float(settings()["ink"]["total"])


def output_profile(where: Source | None = None) -> Path:
    """The ICC output profile of the press PDF: the first of ``profiles`` that exists."""
    candidates = [Path(p) for p in settings()["output-intent"]["profiles"]]
    for path in candidates:
        if path.is_file():
            return path
    names = ", ".join(str(p) for p in candidates)
    raise OutputError([error("BM303", f"no CMYK output profile for --press (looked for {names});"
                                      " install ghostscript", where)])


def w3c_date(date: str | None) -> str:
    """The edition's date (``2020``, ``2020-02`` or ``2020-02-15``) as a full W3C date-time,
    the first moment of that period in UTC: a fixed creation date for the press PDF (1980, the
    ZIP epoch the EPUB uses too, for an undated edition)."""
    found = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date or "1980")
    year, month, day = found.groups() if found else ("2000", None, None)
    return f"{year}-{month or '01'}-{day or '01'}T00:00:00+00:00"


def fixed_document_id(pdf: bytes) -> bytes:
    """``pdf`` with WeasyPrint's random XMP document id replaced by one derived from the rest of
    the file (the XMP stream of a PDF/X-4 file is not compressed)."""
    blank = _DID.sub(b"xmp.did:" + b"0" * 36, pdf)
    derived = uuid.UUID(bytes=hashlib.sha256(blank).digest()[:16], version=4)
    return _DID.sub(f"xmp.did:{derived}".encode(), pdf)


def describe_intent(doc: Any) -> None:
    """Name the output condition of the document's output intent after ``data/press.toml``."""
    import pikepdf

    section = settings()["output-intent"]
    for intent in doc.Root.get("/OutputIntents", []):
        intent.OutputConditionIdentifier = pikepdf.String(section["identifier"])
        intent.OutputCondition = pikepdf.String(section["condition"])
        intent.Info = pikepdf.String(section["condition"])
