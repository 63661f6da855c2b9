"""Deterministic EPUB containers: ``mimetype`` first and stored, sorted entries, fixed times.

ebooklib stamps zip entries with the current time; :func:`normalise` rewrites its output so the
same input gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _info(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    info.create_system = 3
    return info


def normalise(data: bytes) -> bytes:
    """Rewrite an EPUB zip so that its bytes depend only on its entries' names and contents."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr(_info("mimetype", zipfile.ZIP_STORED), b"application/epub+zip")
        for name in sorted(entries):
            if name != "mimetype":
                target.writestr(_info(name, zipfile.ZIP_DEFLATED), entries[name], compresslevel=9)
    return out.getvalue()
