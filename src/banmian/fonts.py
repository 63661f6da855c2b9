"""The fonts banmian embeds, and which text role uses which.

The font files live in ``FONTS_DIR``: the environment variable
``BANMIAN_FONTS_DIR`` if set, else the repository's ``fonts/`` folder. They
are standalone Simplified- and Traditional-Chinese subsets made by
``tools/make_fonts.py`` (``make fonts``) from Debian's Noto CJK and LXGW
WenKai; see ``fonts/README.md``. The SC faces cover GB2312 and every
character under ``content/``, the TC faces Big5 and the Traditional text under
``content/`` and ``tests/fixtures/``, when they were made; ``missing()`` tells
what a face lacks.

An edition's ``language`` picks the set: ``faces("zh-CN")`` (also ``FACES``,
kept for compatibility) or ``faces("zh-TW")``. Both sets have the same keys,
so text roles map to keys, not files. Glyph forms follow the set: a
Traditional edition is drawn with Taiwanese forms, not mainland ones.

Simplified faces (``FACES``), by key:

=============  ===================  ======  ==============================
key            CSS family           weight  file
=============  ===================  ======  ==============================
``serif``      Noto Serif CJK SC    400     NotoSerifCJKsc-Regular.otf
``serif-bold`` Noto Serif CJK SC    700     NotoSerifCJKsc-Bold.otf
``sans-bold``  Noto Sans CJK SC     700     NotoSansCJKsc-Bold.otf
``kai``        Banmian WenKai       400     BanmianWenKai-Regular.ttf
=============  ===================  ======  ==============================

Traditional faces (``faces("zh-TW")``):

=============  ===================  ======  ==============================
key            font family          weight  file
=============  ===================  ======  ==============================
``serif``      Noto Serif CJK TC    400     NotoSerifCJKtc-Regular.otf
``serif-bold`` Noto Serif CJK TC    700     NotoSerifCJKtc-Bold.otf
``sans-bold``  Noto Sans CJK TC     700     NotoSansCJKtc-Bold.otf
``kai``        Banmian WenKai TC    400     BanmianWenKaiTC-Regular.ttf
=============  ===================  ======  ==============================

"Banmian WenKai" and "Banmian WenKai TC" are LXGW WenKai (霞鹜文楷) renamed:
LXGW reserves its names, which the OFL forbids a subset to use. ``family`` is
the font's own name; the backends give CSS their own family names and map them
to the language's files with ``@font-face``.

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
    "FACES_TC",
    "FONTS_DIR",
    "LANGUAGES",
    "ROLE_FACES",
    "Face",
    "all_faces",
    "coverage",
    "face_for_role",
    "faces",
    "missing",
    "postscript_name",
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

FACES_TC: Final[dict[str, Face]] = {
    face.key: face
    for face in (
        _face("serif", "Noto Serif CJK TC", 400, "NotoSerifCJKtc-Regular.otf"),
        _face("serif-bold", "Noto Serif CJK TC", 700, "NotoSerifCJKtc-Bold.otf"),
        _face("sans-bold", "Noto Sans CJK TC", 700, "NotoSansCJKtc-Bold.otf"),
        _face("kai", "Banmian WenKai TC", 400, "BanmianWenKaiTC-Regular.ttf"),
    )
}

#: The face set of each edition language (``edition.toml``'s ``language``).
LANGUAGES: Final[dict[str, dict[str, Face]]] = {"zh-CN": FACES, "zh-TW": FACES_TC}


def faces(language: str) -> dict[str, Face]:
    """The faces for an edition language: SC for ``zh-CN``, TC for ``zh-TW``."""
    try:
        return LANGUAGES[language]
    except KeyError:
        raise KeyError(f"no faces for language {language!r}; known: {', '.join(LANGUAGES)}"
                       ) from None


def all_faces() -> list[Face]:
    """Every face of every language, each once."""
    return [face for table in LANGUAGES.values() for face in table.values()]

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


def _lookup(face: str | Face, language: str) -> Face:
    """``face`` itself, or the language's face keyed ``face``; a KeyError if none."""
    if isinstance(face, Face):
        return face
    table = faces(language)
    try:
        return table[face]
    except KeyError:
        raise KeyError(f"no font face {face!r}; known: {', '.join(table)}") from None


def face_for_role(role: str, language: str = "zh-CN") -> Face:
    """The language's face for a text role (a key of ``ROLE_FACES``)."""
    try:
        key = ROLE_FACES[role]
    except KeyError:
        raise KeyError(f"no text role {role!r}; known: {', '.join(ROLE_FACES)}") from None
    return faces(language)[key]


@functools.cache
def _cmap(path: Path) -> frozenset[int]:
    """The code points mapped by the font file at ``path``: read once per process, and kept
    on disk (``BANMIAN_CACHE``) by file name, size and time, since parsing a CJK font's cmap
    with fontTools takes a tenth of a second or more."""
    if not path.is_file():
        raise FileNotFoundError(
            f"font file {path} is missing: run `make fonts` (tools/make_fonts.py) "
            "or point BANMIAN_FONTS_DIR at a folder that holds it"
        )
    stat = path.stat()
    cached = (Path(os.environ.get("BANMIAN_CACHE", ".cache")) / "cmaps"
              / f"{path.name}-{stat.st_size}-{stat.st_mtime_ns}.txt")
    try:
        return frozenset(int(c, 16) for c in cached.read_text(encoding="ascii").split())
    except (OSError, ValueError):
        pass
    font = TTFont(path, lazy=True)
    try:
        points = frozenset(font.getBestCmap())
    finally:
        font.close()
    _store(cached, " ".join(f"{c:x}" for c in sorted(points)))
    return points


def _store(path: Path, text: str) -> None:
    """Write a cache file atomically; a cache that cannot be written is only slower."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="ascii")
        os.replace(tmp, path)
    except OSError:
        pass


@functools.cache
def postscript_name(face: Face) -> str:
    """The face's PostScript name (name ID 6), which its embedded subsets keep; read once."""
    _cmap(face.path)  # the same helpful error if the file is missing
    font = TTFont(face.path, lazy=True)
    try:
        return str(font["name"].getDebugName(6))
    finally:
        font.close()


def coverage(face: str | Face, language: str = "zh-CN") -> frozenset[int]:
    """The code points a face's cmap maps to glyphs (cached per process).

    ``face`` is a :class:`Face` or a key of the ``language``'s faces.
    """
    return _cmap(_lookup(face, language).path)


def _needs_glyph(char: str) -> bool:
    """Whether ``char`` is drawn: not whitespace, not a control or format character."""
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")


def missing(text: str, face: str | Face, language: str = "zh-CN") -> list[str]:
    """Characters of ``text`` a face lacks, once each, in order of first appearance.

    ``face`` is a :class:`Face` or a key of the ``language``'s faces.

    Whitespace, control characters (such as ``\\n``) and format characters
    (such as U+200B ZERO WIDTH SPACE) are ignored: they need no glyph.
    """
    have = coverage(face, language)
    wanted = dict.fromkeys(ch for ch in text if _needs_glyph(ch))
    return [ch for ch in wanted if ord(ch) not in have]
