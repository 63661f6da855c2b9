"""Half-width punctuation in Chinese context, and its full-width replacement.

Text extracted from PDFs often turns ``，：（`` into ``,:(``. A half-width mark is *in Chinese
context* when the nearest non-space character on either side of it is Han or full-width (for
``.``, the character before it must be). Marks inside Latin runs (``i5/16GB``, ``www.a.cn``,
``8:30``, ``1,000``) have Latin or digits on both sides and are left alone. The import applies
:func:`normalize`; ``banmian lint`` reports each :func:`conversions` entry as BM501.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from banmian.chinese.chars import is_cjk, is_han

FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}
_ELLIPSIS = re.compile(r"\.{3,}|。{3,}")
_AFTER_PERIOD = set("”’）》」』")


@dataclass(frozen=True)
class Change:
    """Replace ``old`` (``len(old)`` characters at ``index``) with ``new``."""

    index: int
    old: str
    new: str


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character to ``index`` in direction ``step`` that is not a plain space."""
    index += step
    while 0 <= index < len(text) and text[index] in " \t":
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _in_context(text: str, index: int) -> bool:
    char = text[index]
    left, right = _neighbour(text, index, -1), _neighbour(text, index, 1)
    if char == ".":
        return (is_han(left) or left in _AFTER_PERIOD) and not (right.isascii() and right.isalnum())
    if left.isdigit() and right.isdigit():
        return False
    return is_cjk(left) or is_cjk(right)


def _quotes(text: str) -> list[Change]:
    changes: list[Change] = []
    for index, char in enumerate(text):
        if char == '"' and _in_context(text, index):
            changes.append(Change(index, '"', "”" if len(changes) % 2 else "“"))
    return changes


def _brackets(text: str, wanted: set[int]) -> set[int]:
    """Extend ``wanted`` so that a ``(`` and its matching ``)`` are converted together."""
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        if char == "(":
            stack.append(index)
        elif char == ")" and stack:
            pairs.append((stack.pop(), index))
    for opening, closing in pairs:
        if opening in wanted or closing in wanted:
            wanted |= {opening, closing}
    return wanted


def conversions(text: str) -> list[Change]:
    """Every half-width mark in Chinese context, with its full-width replacement, in order."""
    changes = _quotes(text)
    taken: set[int] = set()
    for match in _ELLIPSIS.finditer(text):
        if match.group().startswith(".") and is_cjk(_neighbour(text, match.start(), -1)):
            changes.append(Change(match.start(), match.group(), "……"))
            taken.update(range(match.start(), match.end()))
    marks = {i for i, c in enumerate(text) if c in FULL and i not in taken
             and _in_context(text, i)}
    for index in sorted(_brackets(text, marks)):
        changes.append(Change(index, text[index], FULL[text[index]]))
    return sorted(changes, key=lambda change: change.index)


def apply(text: str, changes: list[Change]) -> str:
    """``text`` with ``changes`` (sorted, not overlapping) applied."""
    out: list[str] = []
    at = 0
    for change in changes:
        out.append(text[at : change.index])
        out.append(change.new)
        at = change.index + len(change.old)
    out.append(text[at:])
    return "".join(out)


def normalize(text: str) -> str:
    """``text`` with every half-width mark in Chinese context made full-width."""
    return apply(text, conversions(text))
