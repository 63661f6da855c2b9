"""Proofreading rules over one paragraph of Chinese copy.

Each rule returns :class:`Hit` values: an offset into the paragraph, a stable code and a message.
Callers (``banmian.proofread.lint``) turn offsets into ``path:line:col``. The codes are
documented, with an example each, in ``docs/lint-rules.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from banmian.chinese.chars import HAN_CLASS, PAIRS, is_han
from banmian.chinese.invisible import invisible
from banmian.chinese.punct import conversions
from banmian.chinese.words import part_of_speech, word_starts
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
    "BM511": ("warning", "invisible format character (zero-width space, joiner, BOM …)"),
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
#: the suffixes of place names. Other doubles (纷纷, 偷偷, 看看, names such as 芳芳) are left alone.
SUSPECT_DOUBLES = frozenset("的了是在和与及或对把被将从向为也都就还又很更最镇乡县省")
#: Place-name suffixes, whose doubling is distributive before these (县县通, 乡乡都有).
PLACE_SUFFIXES = frozenset("镇乡县省")
DISTRIBUTIVE_AFTER = frozenset("通都有")
#: Set phrases in which a suspect character is doubled on purpose.
SET_PHRASES = ("不了了之", "把把关", "把把脉", "最最")
#: Words before a doubled two-character verb that make it a reduplication (再研究研究).
VERB_MARKERS = ("再", "要", "得", "去", "来", "想", "可以", "应该", "好好", "一起", "帮", "给",
                "请", "让", "先", "也", "都", "就", "多", "常", "需要", "值得", "不妨", "能",
                "会", "该", "试着", "认真", "仔细")
#: What may follow a reduplicated verb (研究研究吧, 商量商量再说).
VERB_AFTER = ("吧", "一下", "看", "再")
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


def reduplication(text: str, start: int, word: str) -> bool:
    """Whether the doubled ``word`` at ``start`` is a reduplication form, not a slip: 一X一X
    (一笔一笔, 一步一步), never a pronoun (我们我们的工作); a verb doubled after a modal or
    adverb (再研究研究) or before 吧 or 一下, a doubled word with an object after it
    (党组织组织党员学习), or a verb reduplicated as in :func:`_verb_twice`."""
    if len(word) != 2:
        return False
    if word[0] == "一":
        return True
    if part_of_speech(word) == "r":
        return False
    end = start + 2 * len(word)
    if text[:start].endswith(VERB_MARKERS) or text[end:].startswith(VERB_AFTER):
        return True
    return (end < len(text) and is_han(text[end])) or _verb_twice(text, start, word)


def _verb_twice(text: str, start: int, word: str) -> bool:
    """ABAB, a verb reduplicated (大家讨论讨论, 翻来覆去地研究研究): jieba's dictionary tags
    ``word`` a verb (``v``, ``vn`` …), the first copy is a word of its own, not the tail of a
    longer one doubled (党组织组织，), and something of its clause stands before it (a subject,
    an adverbial with 地), so that it is no stray copy at the clause's start (研究研究，)."""
    return ((part_of_speech(word) or "").startswith("v") and start > 0
            and is_han(text[start - 1]) and start in word_starts(text))


def _suspect_char(text: str, start: int, char: str) -> bool:
    """A doubled function word or place suffix that is not AABB (的的确确), a set phrase or a
    distributive place (县县通)."""
    if char not in SUSPECT_DOUBLES:
        return False
    if text[start + 2 : start + 3] == text[start + 3 : start + 4] != "" \
            or (start >= 2 and text[start - 2] == text[start - 1]):
        return False
    for phrase in SET_PHRASES:
        at = start - phrase.find(char + char)
        if char + char in phrase and at >= 0 and text[at : at + len(phrase)] == phrase:
            return False
    if char in PLACE_SUFFIXES and text[start + 2 : start + 3] in DISTRIBUTIVE_AFTER:
        return False
    return not _across_words(text, start)


def _across_words(text: str, start: int) -> bool:
    """Whether the doubled character at ``start`` ends one word and begins the next (现在|在,
    该县|县域, 乡镇|镇区), not a word standing twice (草|河|镇|镇, 我们|在|在): the first ends a
    longer word, the second begins a word (:mod:`banmian.chinese.words`)."""
    starts = word_starts(text)
    return start not in starts and start + 1 in starts


def doubled(text: str) -> list[Hit]:
    """BM504: a doubled word that is no reduplication form (组织组织，), or a doubled function
    word or place suffix (镇镇, 的的)."""
    hits = [Hit(m.start(), "BM504", f"doubled word '{m.group(1)}{m.group(1)}'")
            for m in _DOUBLED_WORD.finditer(text)
            if not reduplication(text, m.start(), m.group(1))]
    covered = {i for hit in hits for i in range(hit.offset, hit.offset + 8)}
    for match in _DOUBLED_CHAR.finditer(text):
        start, char = match.start(), match.group(1)
        if start not in covered and _suspect_char(text, start, char):
            hits.append(Hit(start, "BM504", f"doubled character '{char}{char}'"))
    return sorted(hits, key=lambda hit: hit.offset)


def invisible_chars(text: str) -> list[Hit]:
    """BM511: each invisible format character (U+200B, U+200D, U+FEFF …), by code point."""
    return [Hit(offset, "BM511", f"invisible {name} in the copy (the build keeps it)")
            for offset, name in invisible(text)]


def check_paragraph(text: str, continued: bool = False) -> list[Hit]:
    """Every per-paragraph rule (BM501–BM504, BM511) on one paragraph."""
    hits = (half_width(text) + unbalanced(text, continued) + stray_latin(text)
            + doubled(text) + invisible_chars(text))
    return sorted(hits, key=lambda hit: (hit.offset, hit.code))
