"""Per-edition font subsets for the EPUB: only the characters each face renders.

Subsets are cached on disk by font bytes, character set and options (``BANMIAN_CACHE``, default
``.cache/`` in the working directory), so a rebuild is cheap. ``hb-subset`` is used when it is on
the PATH (about 50× faster than fontTools); fontTools is the fallback. Both drop hinting (e-ink
and tablet screens render CJK unhinted anyway) and desubroutinize CFF, which compresses better
in the EPUB's zip. ``locl`` is dropped for Simplified editions: in the SC fonts it only maps
characters to Japanese, Korean and Traditional forms, and keeping it doubles the subset. It is
kept for Traditional editions: the TC fonts keep only its Traditional-Chinese (``ZHT``)
language system, which sets quotes, dashes and ‼ ⁇ in their full-width CJK forms and reaches
no other region's glyphs (``tools/make_fonts.py``). Each edition's faces are its language's
(:func:`banmian.fonts.faces`); the cache key holds the font's digest, so SC and TC never mix.
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

#: Options for ``hb-subset``: layout features at HarfBuzz's defaults, every name kept (the
#: OFL's copyright and licence notices live there).
HB_OPTIONS = ("--no-hinting", "--desubroutinize", "--name-IDs=*", "--name-languages=*")


def cache_dir() -> Path:
    return Path(os.environ.get("BANMIAN_CACHE", ".cache")) / "subsets"


@cache
def font_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wanted_text(chars: frozenset[str]) -> str:
    """The characters a subset keeps: ``chars`` less whitespace and controls, sorted."""
    return "".join(sorted(c for c in chars if not c.isspace() and c.isprintable()))


def subset(face: Face, chars: frozenset[str], *, keep_locl: bool = False) -> bytes:
    """The face cut down to ``chars``; ``keep_locl`` keeps the locl feature (Traditional)."""
    wanted = wanted_text(chars)
    options = (*HB_OPTIONS, *(() if keep_locl else ("--layout-features-=locl",)))
    key = hashlib.sha256(f"{font_digest(face.path)}:{options}:{wanted}".encode()).hexdigest()
    cached = cache_dir() / f"{face.key}-{key[:32]}{face.path.suffix}"
    if cached.is_file():
        return cached.read_bytes()
    data = _hb_subset(face.path, wanted, options) if shutil.which("hb-subset") else None
    if data is None:
        data = _fonttools_subset(face.path, wanted, keep_locl)
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cached.parent, delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, cached)
    return data


def _hb_subset(path: Path, text: str, options: tuple[str, ...]) -> bytes | None:
    with tempfile.TemporaryDirectory() as tmp:
        text_file, out = Path(tmp) / "text.txt", Path(tmp) / f"out{path.suffix}"
        text_file.write_text(text, encoding="utf-8")
        result = subprocess.run(
            ["hb-subset", str(path), f"--text-file={text_file}", f"--output-file={out}",
             *options],
            capture_output=True, check=False,
        )
        return out.read_bytes() if result.returncode == 0 and out.is_file() else None


def _fonttools_subset(path: Path, text: str, keep_locl: bool) -> bytes:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    if not keep_locl:
        options.layout_features = [f for f in options.layout_features if f != "locl"]
    font = TTFont(str(path))
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
