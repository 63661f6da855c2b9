"""Which face sets each character of the copy, and what to say when it is not the role's own.

A piece of copy is set in its role's face (:func:`banmian.fonts.role_face`); a character
that face lacks goes down the face's chain (:func:`banmian.fonts.chain`), as CSS font
fallback does in both outputs. :func:`resolve` is that rule, used by the coverage check, the
EPUB's subsets and the drawn images alike:

* a character set in a later face of its chain is a warning (BM201) naming the characters,
  the face used and the line, so that the editor can decide;
* a character no face of the chain has is an error (BM200) that lists the faces tried.

Each font file's cmap is read once per process and kept on disk (``BANMIAN_CACHE``) by file
name, size and time: parsing a whole CJK face's cmap takes a tenth of a second or more.
"""

from __future__ import annotations

import functools
import unicodedata
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from banmian.diagnostics import BanmianError, Diagnostic, error, warning
from banmian.fonts import Face, chain, faces, kai_punct, languages, role_face
from banmian.model import Edition, Paragraph, Source, TextItem, copy_text
from banmian.storage import cache_root, store


class FontsMissing(BanmianError):
    """A face's file is not there: the faces have not been made on this machine."""


def require(path: Path) -> None:
    """Raise :class:`FontsMissing` if the font file at ``path`` does not exist."""
    if not path.is_file():
        raise FontsMissing([error(
            "BM203", f"font file {path} is missing: run `make fonts` (python -m "
                     "banmian.fonts.make) or point BANMIAN_FONTS_DIR at a folder that holds it")])


@functools.cache
def code_points(path: Path) -> array[int]:
    """The code points the font file at ``path`` maps to glyphs, sorted (as cached)."""
    require(path)
    stat = path.stat()
    cached = cache_root() / "cmaps" / f"{path.name}-{stat.st_size}-{stat.st_mtime_ns}.u32"
    try:
        points = array("I")
        points.frombytes(cached.read_bytes())
        if points:
            return points
    except (OSError, ValueError):
        pass
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        points = array("I", sorted(font.getBestCmap()))
    store(cached, points.tobytes())
    return points


@functools.cache
def cmap(path: Path) -> frozenset[int]:
    """The code points the font file at ``path`` maps to glyphs, as a set."""
    return frozenset(code_points(path))


def maps(path: Path, point: int) -> bool:
    """Whether the font file at ``path`` maps ``point`` to a glyph: a binary search of its
    sorted code points (a build asks a few thousand times; making a face's set of some 45,000
    takes about 3 ms)."""
    points = code_points(path)
    i = bisect_left(points, point)
    return i < len(points) and points[i] == point


def has(face: Face, char: str) -> bool:
    """Whether ``face`` has a glyph for ``char``."""
    return maps(face.path, ord(char))


def needs_glyph(char: str) -> bool:
    """Whether ``char`` is drawn: not whitespace, not a control or format character."""
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")


def resolve(char: str, key: str, language: str) -> Face | None:
    """The face that sets ``char`` in text of face ``key``: the first of its chain that has
    it (Kai quotes: the serif, ``[kai-punct]``); None if none has."""
    chars, in_key, use_key = kai_punct()
    if key == in_key and char in chars:
        key = use_key
    return next((face for face in chain(key, language) if has(face, char)), None)


def runs(text: str, key: str, language: str) -> list[tuple[Face, str]]:
    """``text`` cut into runs set in one face each (characters no face has stay in the
    run before them), for drawing with Pillow."""
    found: list[tuple[Face, str]] = []
    for char in text:
        face = resolve(char, key, language) if needs_glyph(char) else None
        face = face or (found[-1][0] if found else faces(language)[key])
        if found and found[-1][0] == face:
            found[-1] = (face, found[-1][1] + char)
        else:
            found.append((face, char))
    return found


def missing(text: str, face: Face) -> list[str]:
    """Characters of ``text`` that ``face`` lacks, once each, in order of first appearance
    (each character looked up once a process: a 48-page edition's copy repeats them)."""
    present, absent = _verdicts(face.path)
    new = set(text) - present - absent
    for char in new:
        (present if maps(face.path, ord(char)) else absent).add(char)
    if not absent.intersection(text):
        return []
    return [ch for ch in dict.fromkeys(text) if ch in absent and needs_glyph(ch)]


@functools.cache
def _verdicts(path: Path) -> tuple[set[str], set[str]]:
    """The characters found so far that the font file at ``path`` has, and lacks."""
    return set(), set()


def face_key(item: TextItem) -> str:
    """The face an item of copy is set in (commentary bodies in Kai, the rest by role)."""
    if item.role == "body" and item.module is not None and item.module.role == "commentary":
        return role_face("commentary")
    return role_face(item.role)


class Piece(NamedTuple):
    """A piece of copy as fonts see it: the face key it is set in, its role, text and line."""

    key: str
    role: str
    text: str
    source: Source


def keyed_text(edition: Edition) -> list[Piece]:
    """Every piece of copy with the face key it is set in, strong spans as their own pieces."""
    found = [Piece(face_key(item), item.role, item.text, item.source)
             for item in copy_text(edition)]
    for module in edition.modules:
        for section in module.sections:
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    found += [Piece(role_face("strong"), "strong", span.text, block.source)
                              for span in block.spans if span.style == "strong"]
    return found


def chars_by_file(edition: Edition, extra: Mapping[str, Iterable[str]] | None = None
                  ) -> dict[Path, frozenset[str]]:
    """The characters each font file must render for the edition: the copy, and ``extra``
    (text the templates add, by the face key it is set in), each character in the face of
    its chain that sets it. Every file used gets U+0020."""
    chars: dict[Path, set[str]] = defaultdict(set)
    language = edition.language
    wanted: dict[str, set[str]] = defaultdict(set)
    for piece in keyed_text(edition):
        wanted[piece.key].update(piece.text)
    for key, text in (extra or {}).items():
        wanted[key].update(text)
    for key, found in wanted.items():
        for char in found:
            face = resolve(char, key, language) if needs_glyph(char) else None
            if face is not None:
                chars[face.path].add(char)
    return {path: frozenset(found | {" "}) for path, found in chars.items()}


def check_coverage(edition: Edition) -> list[Diagnostic]:
    """BM200 (error) for copy with characters no face of its chain has; BM201 (warning) for
    copy with characters set in a later face of its chain."""
    if edition.language not in languages():
        return []  # an unknown language is already BM105
    found: list[Diagnostic] = []
    for piece in keyed_text(edition):
        found += _piece_coverage(piece, edition.language)
    return found


def _piece_coverage(piece: Piece, language: str) -> list[Diagnostic]:
    key = piece.key
    lacking = missing(piece.text, faces(language)[key])
    if not lacking:
        return []
    by_face: dict[str, list[str]] = defaultdict(list)
    for char in lacking:
        face = resolve(char, key, language)
        by_face[face.key if face else ""].append(char)
    found = []
    for name, chars in by_face.items():
        points = ", ".join(f"U+{ord(c):04X} {c}" for c in chars)
        if not name:
            tried = ", ".join(f.key for f in chain(key, language))
            found.append(error("BM200", f"no font has a glyph for {points} ({piece.role}; "
                                        f"faces tried: {tried})", piece.source))
        elif name != key:
            found.append(warning("BM201", f"{points} not in the {key} face: set in the "
                                          f"{name} face ({piece.role})", piece.source))
    return found
