"""Invisible format characters that PDF extraction and web copy leave in text: zero-width space
(U+200B), non-joiner and joiner (U+200C, U+200D), word joiner (U+2060), the byte-order mark used
as a zero-width no-break space (U+FEFF), soft hyphen, bidirectional marks and the like.

They print nothing but break search, line breaking and copy-paste. Every character of Unicode's
general category Cf ("format") counts: Chinese news copy needs none of them. A build keeps them
unchanged; ``banmian lint`` reports each (BM511).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

#: Names for the ones met most often (others are named by unicodedata).
COMMON = {"\u200b": "ZERO WIDTH SPACE", "\u200c": "ZERO WIDTH NON-JOINER",
          "\u200d": "ZERO WIDTH JOINER", "\u2060": "WORD JOINER",
          "\ufeff": "ZERO WIDTH NO-BREAK SPACE (BOM)", "\u00ad": "SOFT HYPHEN"}


def is_invisible(char: str) -> bool:
    """Whether ``char`` is a format character (category Cf)."""
    return unicodedata.category(char) == "Cf"


def invisible(text: str) -> Iterator[tuple[int, str]]:
    """(offset, ``U+XXXX NAME``) for every format character in ``text``."""
    for offset, char in enumerate(text):
        if is_invisible(char):
            name = COMMON.get(char) or unicodedata.name(char, "FORMAT CHARACTER")
            yield offset, f"U+{ord(char):04X} {name}"
