"""Where the project's top-level resources live: ``styles/`` (CSS) and ``fonts/``.

Both are read from the source tree (banmian is installed in editable mode by ``make``);
``BANMIAN_STYLES_DIR`` overrides the styles folder. Stylesheets are read once per process.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def styles_dir() -> Path:
    return Path(os.environ.get("BANMIAN_STYLES_DIR", ROOT / "styles"))


@cache
def stylesheet(name: str) -> str:
    """The text of ``styles/<name>``."""
    return (styles_dir() / name).read_text(encoding="utf-8")
