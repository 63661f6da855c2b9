"""Per-edition font subsets for the EPUB: only the characters each face renders.

Subsets are cached on disk by font bytes and character set (``BANMIAN_CACHE``, default
``.cache/`` in the working directory), so a rebuild is cheap. ``hb-subset`` is used when it is on
the PATH (about 50× faster than fontTools); fontTools is the fallback.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from banmian.fonts import Face

#: Characters every subset keeps, so punctuation added by templates always has a glyph.
BASE_CHARS = frozenset(chr(c) for c in range(0x20, 0x7F)) | frozenset("■　，。、；：？！（）《》“”‘’—…·")


def cache_dir() -> Path:
    return Path(os.environ.get("BANMIAN_CACHE", ".cache")) / "subsets"


@cache
def _font_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def subset(face: Face, chars: frozenset[str]) -> bytes:
    """The face cut down to ``chars`` (plus :data:`BASE_CHARS`), layout features kept."""
    wanted = "".join(sorted((chars | BASE_CHARS) - {"\n", "\t"}))
    key = hashlib.sha256(f"{_font_digest(face.path)}:{wanted}".encode()).hexdigest()[:32]
    cached = cache_dir() / f"{face.key}-{key}{face.path.suffix}"
    if cached.is_file():
        return cached.read_bytes()
    data = _hb_subset(face.path, wanted) if shutil.which("hb-subset") else None
    if data is None:
        data = _fonttools_subset(face.path, wanted)
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cached.parent, delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, cached)
    return data


def _hb_subset(path: Path, text: str) -> bytes | None:
    with tempfile.TemporaryDirectory() as tmp:
        text_file, out = Path(tmp) / "text.txt", Path(tmp) / f"out{path.suffix}"
        text_file.write_text(text, encoding="utf-8")
        result = subprocess.run(
            ["hb-subset", str(path), f"--text-file={text_file}", f"--output-file={out}",
             "--layout-features=*", "--name-IDs=*", "--name-languages=*"],
            capture_output=True, check=False,
        )
        return out.read_bytes() if result.returncode == 0 and out.is_file() else None


def _fonttools_subset(path: Path, text: str) -> bytes:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    font = TTFont(str(path))
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
