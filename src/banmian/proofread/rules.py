"""Proofreading rules over one paragraph of Chinese copy.

Each rule returns :class:`Hit` values: an offset into the paragraph, a stable code and a message.
Callers (``banmian.proofread.lint``) turn offsets into ``path:line:col``. The codes are
documented, with an example each, in ``docs/lint-rules.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from banmian.chinese.chars import HAN_CLASS, PAIRS
from banmian.chinese.punct import conversions
from banmian.diagnostics import Diagnostic, Severity

#: Every proofreading code, with its severity and one-line meaning.
RULES: dict[str, tuple[Severity, str]] = {
    "BM501": ("error", "half-width punctuation in Chinese context"),
    "BM502": ("error", "unbalanced quotes or brackets"),
    "BM503": ("error", "stray Latin word inside a Chinese sentence"),
    "BM504": ("warning", "doubled character or word"),
    "BM505": ("error", "section banner pinyin does not match its characters"),
    "BM506": ("warning", "Simplified and Traditional characters mixed in one article"),
    "BM507": ("warning", "paragraph looks split"),
    "BM508": ("error", "character no project font covers"),
}

#: English function words that never belong between two Han characters.
FUNCTION_WORDS = frozenset([
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "was",
    "were", "which", "with"])
_STRAY = re.compile(f"(?<=[{HAN_CLASS}])[ \\t]*([A-Za-z]+)[ \\t]*(?=[{HAN_CLASS}])")
_DOUBLED_WORD = re.compile(f"([{HAN_CLASS}]{{2,4}})\\1")
_DOUBLED_CHAR = re.compile(f"([{HAN_CLASS}])\\1")
#: Characters whose doubling is almost always a slip (的的, 了了, 镇镇): function words and
#: the suffixes of place names. Other doubles (纷纷, 偷偷, names such as 芳芳) are left alone.
SUSPECT_DOUBLES = frozenset("的了是在和与及或对把被将从向为也都就还又很更最镇乡县省")
_CLOSERS = {closer: opener for opener, closer in PAIRS.items()}


@dataclass(frozen=True)
class Hit:
    """One finding at ``offset`` in the checked text."""

    offset: int
    code: str
    message: str

    @property
    def severity(self) -> Severity:
        return RULES[self.code][0]


def half_width(text: str) -> list[Hit]:
    """BM501: a half-width mark in Chinese context (each one; see :func:`collapse`)."""
    return [Hit(c.index, "BM501", f"half-width '{c.old}' in Chinese text; use '{c.new}'")
            for c in conversions(text)]


def collapse(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One BM501 per line (the first, with a count of the others), so a page of ASCII commas
    does not bury the other findings."""
    out: list[Diagnostic] = []
    first: dict[tuple[str, int], int] = {}
    extra: dict[tuple[str, int], int] = {}
    for diagnostic in diagnostics:
        key = (diagnostic.source.path, diagnostic.source.line) if diagnostic.source else ("", 0)
        if diagnostic.code != "BM501":
            out.append(diagnostic)
        elif key in first:
            extra[key] = extra.get(key, 0) + 1
        else:
            first[key] = len(out)
            out.append(diagnostic)
    for key, index in first.items():
        if key in extra:
            d = out[index]
            out[index] = Diagnostic(d.severity, d.code, f"{d.message} (and {extra[key]} more "
                                    "on this line)", d.source)
    return out


def unbalanced(text: str, continued: bool = False) -> list[Hit]:
    """BM502: a closer without its opener, or an opener never closed in the paragraph.

    ``continued``: the next paragraph opens with “, the convention for a quotation that runs
    over several paragraphs, so an unclosed “ here is fine.
    """
    hits: list[Hit] = []
    stack: list[tuple[int, str]] = []
    for index, char in enumerate(text):
        if char in PAIRS:
            stack.append((index, char))
        elif char in _CLOSERS:
            if stack and stack[-1][1] == _CLOSERS[char]:
                stack.pop()
            elif any(opener == _CLOSERS[char] for _, opener in stack):
                while stack and stack[-1][1] != _CLOSERS[char]:
                    index_open, opener = stack.pop()
                    hits.append(Hit(index_open, "BM502", f"'{opener}' is never closed"))
                stack.pop()
            else:
                hits.append(Hit(index, "BM502", f"'{char}' closes nothing"))
    for index, opener in stack:
        if not (continued and opener == "“"):
            hits.append(Hit(index, "BM502", f"'{opener}' is never closed"))
    if text.count('"') % 2:
        hits.append(Hit(text.rindex('"'), "BM502", "odd number of '\"' quotes"))
    return sorted(hits, key=lambda hit: hit.offset)


def stray_latin(text: str) -> list[Hit]:
    """BM503: an English function word standing between Han characters (精神 and 党中央)."""
    return [Hit(m.start(1), "BM503", f"stray English word '{m.group(1)}' inside Chinese text")
            for m in _STRAY.finditer(text) if m.group(1).lower() in FUNCTION_WORDS
            and (m.group(1).islower() or m.group(1).istitle())]


def doubled(text: str) -> list[Hit]:
    """BM504: a doubled word (组织组织) or a doubled function word or place suffix (镇镇)."""
    hits = [Hit(m.start(), "BM504", f"doubled word '{m.group(1)}{m.group(1)}'")
            for m in _DOUBLED_WORD.finditer(text)]
    covered = {i for hit in hits for i in range(hit.offset, hit.offset + 8)}
    for match in _DOUBLED_CHAR.finditer(text):
        start, char = match.start(), match.group(1)
        aabb = (text[start + 2 : start + 3] == text[start + 3 : start + 4] != ""
                or (start >= 2 and text[start - 2] == text[start - 1]))
        if char not in SUSPECT_DOUBLES or aabb or start in covered:
            continue
        hits.append(Hit(start, "BM504", f"doubled character '{char}{char}'"))
    return sorted(hits, key=lambda hit: hit.offset)


def check_paragraph(text: str, continued: bool = False) -> list[Hit]:
    """Every per-paragraph rule (BM501–BM504) on one paragraph."""
    hits = (half_width(text) + unbalanced(text, continued) + stray_latin(text)
            + doubled(text))
    return sorted(hits, key=lambda hit: (hit.offset, hit.code))
