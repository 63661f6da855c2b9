"""Deterministic EPUB containers: ``mimetype`` first and stored, sorted entries, fixed times.

ebooklib stamps zip entries with the current time and writes them in its own order;
:func:`normalise` rewrites its output so that the same entries give the same bytes: ``mimetype``
first, uncompressed and without extra fields (OCF), then every other entry sorted by name,
deflated at level 9, dated 1980-01-01 with fixed permissions.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
MIMETYPE = b"application/epub+zip"


def _info(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    info.create_system = 3
    return info


def normalise(data: bytes, extra: Mapping[str, bytes] | None = None) -> bytes:
    """Rewrite an EPUB zip so its bytes depend only on its entries; add ``extra`` entries."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    entries.update(extra or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr(_info("mimetype", zipfile.ZIP_STORED), MIMETYPE)
        for name in sorted(entries):
            if name != "mimetype":
                target.writestr(_info(name, zipfile.ZIP_DEFLATED), entries[name], compresslevel=9)
    return out.getvalue()
