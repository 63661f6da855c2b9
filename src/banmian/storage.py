"""Where banmian reads and writes files: atomic writes, the on-disk cache, display paths and the
data folders (``styles/``, ``fonts/``) of a checkout or an installed wheel.

Outputs are written to a temporary file beside the target, then renamed, so a failed build
never leaves a half-written file and never removes a good one. The cache (``BANMIAN_CACHE``,
default ``.cache`` in the working directory) holds what is slow to make and keyed by content:
font subsets and cmaps, covers, digests, compiled templates; a cache that cannot be written is
only slower.

``styles/`` and the tracked part of ``fonts/`` stay at the top level of the source tree; a
wheel carries copies under ``banmian/data/`` (``setup.py`` copies them at build time).
:func:`data_dir` finds whichever is there; ``BANMIAN_STYLES_DIR`` overrides the styles.
"""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path

#: The source tree's root, when banmian runs from a checkout (an editable install).
SOURCE_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DATA = Path(__file__).resolve().parent / "data"


def data_dir(name: str) -> Path:
    """The folder ``name`` (``styles`` or ``fonts``): the wheel's copy under
    ``banmian/data/`` if there is one, else the source tree's."""
    packaged = PACKAGE_DATA / name
    return packaged if packaged.is_dir() else SOURCE_ROOT / name


def styles_dir() -> Path:
    """``BANMIAN_STYLES_DIR`` if set, else the ``styles`` data folder."""
    configured = os.environ.get("BANMIAN_STYLES_DIR")
    return Path(configured) if configured else data_dir("styles")


@cache
def stylesheet(name: str) -> str:
    """The text of ``styles/<name>``, read once per process."""
    return (styles_dir() / name).read_text(encoding="utf-8")


def cache_root() -> Path:
    """banmian's on-disk cache folder (``BANMIAN_CACHE``, default ``.cache``)."""
    return Path(os.environ.get("BANMIAN_CACHE", ".cache"))


def store(path: Path, data: bytes) -> None:
    """Write a cache file atomically; a cache that cannot be written is only slower."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the working directory when it is below it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:
        return str(path)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
