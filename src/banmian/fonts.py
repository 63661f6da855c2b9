"""The fonts banmian embeds, and which text role uses which.

The font files live in ``FONTS_DIR``: the environment variable
``BANMIAN_FONTS_DIR`` if set, else the repository's ``fonts/`` folder. They
are standalone Simplified-Chinese subsets made by ``tools/make_fonts.py``
(``make fonts``) from Debian's Noto CJK and LXGW WenKai; see
``fonts/README.md``. Each covers GB2312 and every character under ``content/``
when it was made; ``missing()`` tells what a face lacks.

Faces (``FACES``), by key:

=============  ===================  ======  ==============================
key            CSS family           weight  file
=============  ===================  ======  ==============================
``serif``      Noto Serif CJK SC    400     NotoSerifCJKsc-Regular.otf
``serif-bold`` Noto Serif CJK SC    700     NotoSerifCJKsc-Bold.otf
``sans-bold``  Noto Sans CJK SC     700     NotoSansCJKsc-Bold.otf
``kai``        Banmian WenKai       400     BanmianWenKai-Regular.ttf
=============  ===================  ======  ==============================

"Banmian WenKai" is LXGW WenKai (霞鹜文楷) renamed: LXGW reserves its names,
which the OFL forbids a subset to use.

Text roles (``ROLE_FACES``), after a Chinese newspaper's habits: 宋体 for
reading, 黑体 for display, 楷体 for the personal voice.

* body, byline, contributor → ``serif``: running text, the 记者/通讯员 line
  and the contributor's name at the end.
* strong, subhead, deck → ``serif-bold``: emphasis, 小标题 and the
  引题/副题 lines around a headline (bold 宋 sits under a 黑体 headline).
* headline, kicker, banner, brief-title, dateline → ``sans-bold``: 主标题, the
  kicker above it, section banners such as 前沿观察, a brief's title and its
  本报讯 dateline.
* commentary, caption, credit, pen-name → ``kai``: 评论 text, photo captions,
  photo credits and a columnist's pen name.

Nothing is read at import; each face's cmap is read once per process, on
first use.
"""

from __future__ import annotations

import functools
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from fontTools.ttLib import TTFont

__all__ = [
    "FACES",
    "FONTS_DIR",
    "ROLE_FACES",
    "Face",
    "coverage",
    "face_for_role",
    "missing",
]


def _fonts_dir() -> Path:
    """``BANMIAN_FONTS_DIR`` if set, else the repository's ``fonts/``."""
    configured = os.environ.get("BANMIAN_FONTS_DIR")
    if configured:
        return Path(configured).expanduser().absolute()
    return Path(__file__).absolute().parents[2] / "fonts"


FONTS_DIR: Final[Path] = _fonts_dir()


@dataclass(frozen=True)
class Face:
    """One font file and how CSS names it."""

    key: str
    family: str
    weight: int
    path: Path
    media_type: Literal["font/otf", "font/ttf"]


def _face(key: str, family: str, weight: int, file_name: str) -> Face:
    """A face whose file is ``file_name`` in ``FONTS_DIR``."""
    media_type: Literal["font/otf", "font/ttf"] = (
        "font/otf" if file_name.endswith(".otf") else "font/ttf"
    )
    return Face(key, family, weight, FONTS_DIR / file_name, media_type)


FACES: Final[dict[str, Face]] = {
    face.key: face
    for face in (
        _face("serif", "Noto Serif CJK SC", 400, "NotoSerifCJKsc-Regular.otf"),
        _face("serif-bold", "Noto Serif CJK SC", 700, "NotoSerifCJKsc-Bold.otf"),
        _face("sans-bold", "Noto Sans CJK SC", 700, "NotoSansCJKsc-Bold.otf"),
        _face("kai", "Banmian WenKai", 400, "BanmianWenKai-Regular.ttf"),
    )
}

ROLE_FACES: Final[dict[str, str]] = {
    "body": "serif",
    "byline": "serif",
    "strong": "serif-bold",
    "subhead": "serif-bold",
    "deck": "serif-bold",
    "headline": "sans-bold",
    "kicker": "sans-bold",
    "banner": "sans-bold",
    "brief-title": "sans-bold",
    "dateline": "sans-bold",
    "contributor": "serif",
    "commentary": "kai",
    "caption": "kai",
    "credit": "kai",
    "pen-name": "kai",
}


def _lookup(face_key: str) -> Face:
    """The face called ``face_key``; a KeyError naming the known keys if none."""
    try:
        return FACES[face_key]
    except KeyError:
        raise KeyError(f"no font face {face_key!r}; known: {', '.join(FACES)}") from None


def face_for_role(role: str) -> Face:
    """The face for a text role (a key of ``ROLE_FACES``)."""
    try:
        return FACES[ROLE_FACES[role]]
    except KeyError:
        raise KeyError(f"no text role {role!r}; known: {', '.join(ROLE_FACES)}") from None


@functools.cache
def _cmap(path: Path) -> frozenset[int]:
    """The code points mapped by the font file at ``path``, read once."""
    if not path.is_file():
        raise FileNotFoundError(
            f"font file {path} is missing: run `make fonts` (tools/make_fonts.py) "
            "or point BANMIAN_FONTS_DIR at a folder that holds it"
        )
    font = TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def coverage(face_key: str) -> frozenset[int]:
    """The code points the face's cmap maps to glyphs (cached per process)."""
    return _cmap(_lookup(face_key).path)


def _needs_glyph(char: str) -> bool:
    """Whether ``char`` is drawn: not whitespace, not a control or format character."""
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")


def missing(text: str, face_key: str) -> list[str]:
    """Characters of ``text`` the face lacks, once each, in order of first appearance.

    Whitespace, control characters (such as ``\\n``) and format characters
    (such as U+200B ZERO WIDTH SPACE) are ignored: they need no glyph.
    """
    have = coverage(face_key)
    wanted = dict.fromkeys(ch for ch in text if _needs_glyph(ch))
    return [ch for ch in wanted if ord(ch) not in have]
