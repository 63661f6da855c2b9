"""Deterministic EPUB containers: ``mimetype`` first and stored, sorted entries, fixed times.

ebooklib stamps zip entries with the current time and writes them in its own order;
:func:`normalise` rewrites its output so that the same entries give the same bytes: ``mimetype``
first, uncompressed and without extra fields (OCF), then every other entry sorted by name,
deflated at level 9 (images, compressed by their own format, stored), dated 1980-01-01 with
fixed permissions. It also gives the OPF's
``package`` element the book's ``xml:lang`` (Ace's epub-lang), which ebooklib has no public
option for, and adds Apple Books' display options.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
MIMETYPE = b"application/epub+zip"
#: Entries stored as they are, not deflated: images whose own format compresses them.
STORED = (".png", ".jpg", ".jpeg", ".gif", ".webp")
OPF = "EPUB/content.opf"
#: Apple Books shows embedded fonts only when this file says so.
APPLE_DISPLAY_OPTIONS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<display_options>\n'
    b'<platform name="*">\n<option name="specified-fonts">true</option>\n</platform>\n'
    b"</display_options>\n"
)
_PACKAGE = re.compile(rb"(<package\b(?![^>]*\bxml:lang=)[^>]*)>")


def _info(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    info.create_system = 3
    return info


def package_language(opf: bytes, language: str) -> bytes:
    """The OPF with ``xml:lang`` on its ``package`` element (if it has none)."""
    lang = b' xml:lang="' + language.encode("ascii") + b'"'
    return _PACKAGE.sub(lambda m: m.group(1) + lang + b">", opf, count=1)


def normalise(data: bytes, language: str, extra: Mapping[str, bytes] | None = None) -> bytes:
    """Rewrite an EPUB zip so its bytes depend only on its entries; give its package element
    ``language``; add Apple Books' display options and the ``extra`` entries."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    entries[OPF] = package_language(entries[OPF], language)
    entries["META-INF/com.apple.ibooks.display-options.xml"] = APPLE_DISPLAY_OPTIONS
    entries.update(extra or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr(_info("mimetype", zipfile.ZIP_STORED), MIMETYPE)
        for name in sorted(entries):
            if name == "mimetype":
                continue
            if name.lower().endswith(STORED):  # compressed already: deflating gains nothing
                target.writestr(_info(name, zipfile.ZIP_STORED), entries[name])
            else:
                target.writestr(_info(name, zipfile.ZIP_DEFLATED), entries[name],
                                compresslevel=9)
    return out.getvalue()
