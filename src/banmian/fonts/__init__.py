"""The faces banmian sets copy in: which role uses which face, the chain a role falls back
along, and where each face's file lives.

The facts are data, in ``banmian/data/faces.toml`` (read once per process): the faces of
each edition language, the text roles, and the fallback chains. The files are whole faces
made at set-up by ``make fonts`` (:mod:`banmian.fonts.make`) from Debian's font packages, in
``FONTS_DIR``: ``BANMIAN_FONTS_DIR`` if set, else ``fonts/build/`` of the source tree, else
``$XDG_DATA_HOME/banmian/fonts`` (an installed wheel: ``python -m banmian.fonts.make`` fills
it). ``fonts/manifest.toml`` records the source packages and each file's SHA-256
(:mod:`banmian.fonts.manifest`).

Beside this module: :mod:`~banmian.fonts.coverage` (which face sets each character, BM200
and BM201), :mod:`~banmian.fonts.css` (the one ``@font-face`` generator),
:mod:`~banmian.fonts.subset` (the EPUB's per-edition subsets). Nothing is read at import.
"""

from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

__all__ = [
    "FONTS_DIR",
    "Face",
    "chain",
    "face_files",
    "faces",
    "languages",
    "postscript_name",
    "role_face",
    "roles",
]

MediaType = Literal["font/otf", "font/ttf"]
#: The source tree's fonts folder (licences, manifest), when banmian runs from a checkout.
SOURCE_FONTS: Final[Path] = Path(__file__).absolute().parents[3] / "fonts"


def _fonts_dir() -> Path:
    """Where the made faces are: see the module docstring."""
    configured = os.environ.get("BANMIAN_FONTS_DIR")
    if configured:
        return Path(configured).expanduser().absolute()
    if (SOURCE_FONTS / "README.md").is_file():
        return SOURCE_FONTS / "build"
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "banmian" / "fonts"


FONTS_DIR: Final[Path] = _fonts_dir()


@dataclass(frozen=True)
class Face:
    """One face of one language: its key, CSS family stem and weights, and its file."""

    key: str
    language: str
    family: str
    weights: tuple[int, ...]
    path: Path

    @property
    def media_type(self) -> MediaType:
        return "font/otf" if self.path.suffix == ".otf" else "font/ttf"

    @property
    def weight(self) -> int:
        """The face's own weight (its first)."""
        return self.weights[0]


@functools.cache
def _data() -> dict[str, Any]:
    """``faces.toml``, parsed once."""
    text = resources.files("banmian").joinpath("data", "faces.toml").read_text("utf-8")
    return tomllib.loads(text)


def face_entries() -> list[dict[str, Any]]:
    """The ``[[faces]]`` entries of ``faces.toml``, as written (for ``make fonts``)."""
    return list(_data()["faces"])


def packages() -> dict[str, dict[str, str]]:
    """The ``[packages]`` of ``faces.toml``: each source package's licence file and notice."""
    return dict(_data()["packages"])


@functools.cache
def faces(language: str) -> dict[str, Face]:
    """The faces of an edition language, by key (a KeyError names the known languages)."""
    entries = [e for e in _data()["faces"] if language in e["languages"]]
    if not entries:
        raise KeyError(f"no faces for language {language!r}; known: {', '.join(languages())}")
    return {e["key"]: Face(e["key"], language, e["family"], tuple(e["weights"]),
                           FONTS_DIR / e["file"]) for e in entries}


@functools.cache
def kai_punct() -> tuple[str, str, str]:
    """(characters, face key of the text, face key they are set in) of ``[kai-punct]``: the
    quotes that Kai text takes from the serif."""
    table = _data()["kai-punct"]
    return str(table["chars"]), str(table["in"]), str(table["use"])


@functools.cache
def languages() -> tuple[str, ...]:
    """Every edition language that has faces, in the order ``faces.toml`` names them."""
    return tuple(dict.fromkeys(lang for e in _data()["faces"] for lang in e["languages"]))


def face_files() -> list[Path]:
    """Every distinct font file of every language, in ``faces.toml`` order."""
    found = {face.path: None for lang in languages() for face in faces(lang).values()}
    return list(found)


def roles() -> dict[str, str]:
    """Text role → face key (``[roles]``)."""
    return dict(_data()["roles"])


def role_face(role: str) -> str:
    """The face key a text role is set in; body's for a role ``faces.toml`` does not name."""
    table = _data()["roles"]
    return str(table.get(role, table["body"]))


@functools.cache
def chain(key: str, language: str) -> tuple[Face, ...]:
    """The faces a face key's text falls back along, first to last (``[chains]``)."""
    table = faces(language)
    return tuple(table[k] for k in _data()["chains"].get(key, [key]))


def chain_keys() -> tuple[str, ...]:
    """The face keys that head a chain (the faces text roles name)."""
    return tuple(_data()["chains"])


@functools.cache
def postscript_name(path: Path) -> str:
    """The PostScript name (name ID 6) of a font file, which its embedded subsets keep."""
    from fontTools.ttLib import TTFont

    from banmian.fonts.coverage import require

    require(path)
    with TTFont(path, lazy=True) as font:
        return str(font["name"].getDebugName(6))
