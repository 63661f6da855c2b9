"""Which face sets each piece of copy, and whether that face has a glyph for every character.

A character with no glyph in its face would print as tofu or, worse, silently fall back to a
system font: it is an error (BM200) with the copy's ``path:line`` and the code point. The faces
are the edition language's (:func:`banmian.fonts.faces`): a ``zh-TW`` edition is checked
against the Traditional faces, so a character the Kai TC face lacks is an error there too.
"""

from __future__ import annotations

from collections import defaultdict

from banmian.diagnostics import Diagnostic, error
from banmian.fonts import LANGUAGES, ROLE_FACES, faces, missing
from banmian.model import Edition, Paragraph, TextItem, copy_text


def face_key(item: TextItem) -> str:
    """The face an item of copy is set in (commentary bodies in Kai, the rest by role)."""
    if item.role == "body" and item.module is not None and item.module.role == "commentary":
        return ROLE_FACES["commentary"]
    return ROLE_FACES.get(item.role, ROLE_FACES["body"])


def chars_by_face(edition: Edition) -> dict[str, frozenset[str]]:
    """The characters each face key must render for this edition's copy (in its language's
    faces: the keys are the same for every language)."""
    chars: dict[str, set[str]] = defaultdict(set)
    for item in copy_text(edition):
        chars[face_key(item)].update(item.text)
    strong = ROLE_FACES["strong"]
    for module in edition.modules:
        for section in module.sections:
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    for span in block.spans:
                        if span.style == "strong":
                            chars[strong].update(span.text)
    return {key: frozenset(value) for key, value in chars.items()}


def check_coverage(edition: Edition) -> list[Diagnostic]:
    """One BM200 error per piece of copy that has characters its face lacks."""
    found: list[Diagnostic] = []
    if edition.language not in LANGUAGES:
        return found  # an unknown language is already BM105
    table = faces(edition.language)
    for item in copy_text(edition):
        face = table[face_key(item)]
        lacking = missing(item.text, face)
        if lacking:
            points = ", ".join(f"U+{ord(c):04X} {c}" for c in lacking)
            found.append(error("BM200", f"no glyph in the {face.key} face for {points}",
                               item.source))
    return found
