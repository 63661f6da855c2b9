"""The one ``@font-face`` generator, and the font-family chains the stylesheets refer to.

Stylesheets name no font: they say ``font-family: var(--font-serif)`` (``--font-sans``,
``--font-kai``), and :func:`expand` writes in the chain of banmian families that the
``[chains]`` of ``faces.toml`` give, e.g. ``"Banmian Kai", "Banmian Serif", "Banmian
Fallback"``. The families are banmian's own names, with a prefix per backend
("Banmian" in the EPUB, "Banmian Print" in the PDF, names no system font has), mapped to the
edition language's files by :func:`font_face_css`. So both backends and both languages share
one stylesheet text per backend, and a glyph that fell back to a system font shows as a
foreign font in the PDF.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from banmian.fonts import Face, chain, chain_keys, faces

#: Generic families the EPUB adds at the end of a chain (reading systems without the faces).
GENERIC = {"serif": "serif", "sans": "sans-serif", "kai": "serif"}
_VAR = re.compile(r"var\(--font-([a-z]+)\)")


def family(face: Face, prefix: str) -> str:
    """The CSS family name of a face under a backend's prefix: "Banmian Print Kai"."""
    return f"{prefix} {face.family}"


def _stems(language: str) -> dict[str, tuple[Face, ...]]:
    """Each chain's first family stem ("serif", "sans", "kai") → the faces of its chain."""
    table = faces(language)
    found: dict[str, tuple[Face, ...]] = {}
    for key in chain_keys():
        found.setdefault(table[key].family.lower(), chain(key, language))
    return found


def family_list(stem: str, language: str, prefix: str, generic: bool = False) -> str:
    """The ``font-family`` value for a stem: its chain's families, each once, quoted."""
    members = _stems(language)[stem]
    names = list(dict.fromkeys(f'"{family(face, prefix)}"' for face in members))
    if generic:
        names.append(GENERIC[stem])
    return ", ".join(names)


def expand(css: str, language: str, prefix: str, generic: bool = False) -> str:
    """``css`` with every ``var(--font-STEM)`` replaced by the stem's family list."""
    stems = _stems(language)

    def replace(match: re.Match[str]) -> str:
        if match.group(1) not in stems:
            raise ValueError(f"unknown font family variable --font-{match.group(1)}; "
                             f"known: {', '.join(f'--font-{s}' for s in stems)}")
        return family_list(match.group(1), language, prefix, generic)

    return _VAR.sub(replace, css)


def font_face_css(language: str, prefix: str, url: Callable[[Face], str | None]) -> str:
    """``@font-face`` rules mapping the language's families to files: one per face and
    weight; a face whose ``url`` is None is left out."""
    rules = []
    for face in faces(language).values():
        src = url(face)
        if src is not None:
            rules += [f'@font-face {{ font-family: "{family(face, prefix)}"; '
                      f'font-weight: {weight}; font-style: normal; src: url("{src}"); }}\n'
                      for weight in face.weights]
    return "".join(rules)
