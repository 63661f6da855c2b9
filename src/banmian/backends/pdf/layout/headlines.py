"""Headlines that break sensibly: balanced lines, breaks after punctuation where there is one,
never inside a Latin or digit run, never a single character alone on a line.

WeasyPrint fills a headline's first line greedily, which in a narrow frame splits a word
(用爱心和责任守住一 / 道门…). The print template instead sets each line of ``balance()`` as a
block of its own; the text, read line after line, is exactly the headline. Lines break only
between words (``chinese.words.word_starts``), inside one only where no word boundary fits.
"""

from __future__ import annotations

import re
from math import ceil

from banmian.chinese.words import word_starts

#: Breaking after these keeps a phrase whole.
BREAK_AFTER = set("，、；：。！？ ")
#: Function characters a phrase often starts with (在…, 和…, 为…): a likely place to break.
BREAK_BEFORE = set("在和与及为把将对向从让")
NO_START = set("，。、；：？！）》〉】」』”’")
NO_END = set("（《〈【「『“‘")
_UNBREAKABLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:/%+\-']*|——|……")


def _allowed(text: str) -> list[int]:
    """Offsets where a break may go: not inside a Latin run, not before closing punctuation."""
    inside = {i for m in _UNBREAKABLE.finditer(text) for i in range(m.start() + 1, m.end())}
    return [i for i in range(2, len(text) - 1)
            if i not in inside and text[i] not in NO_START and text[i - 1] not in NO_END]


def _bonus(text: str, index: int) -> float:
    if text[index - 1] in BREAK_AFTER:
        return 1.5
    return 1.0 if text[index] in BREAK_BEFORE else 0.0


def balance(text: str, per_line: int) -> list[str]:
    """``text`` in as few lines of at most ``per_line`` characters as it needs, evened out."""
    if per_line < 2 or len(text) <= per_line:
        return [text]
    count = ceil(len(text) / per_line)
    lines: list[str] = []
    rest, done, starts = text, 0, word_starts(text)
    for left in range(count, 1, -1):
        target = len(rest) / left
        fits = [i for i in _allowed(rest) if i <= per_line and len(rest) - i >= 2]
        # between words; inside one only where no word boundary fits at all
        choices = [i for i in fits if done + i in starts] or fits
        if not choices:
            break
        best = min(choices, key=lambda i: abs(i - target) - _bonus(rest, i))
        lines.append(rest[:best])
        rest, done = rest[best:], done + best
    return [*lines, rest]
