"""Character classes for Chinese copy: Han, full-width punctuation, Latin, and the script
(Simplified or Traditional) a Han character belongs to.

The script test needs no dictionary: a Han character that GB2312 (the Simplified national set)
can encode but Big5 (the Traditional set) cannot is Simplified-only, and the other way round
Traditional-only; characters both sets hold (人, 中, 大 …) say nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Literal

Script = Literal["simplified", "traditional"]

#: Han ideographs (URO, Ext A, compatibility, and the supplementary planes).
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN = re.compile(f"[{HAN_CLASS}]")
#: Full-width punctuation and symbols used in Chinese copy.
CJK_PUNCT = "，。、；：？！（）《》〈〉【】「」『』“”‘’—…·〔〕［］｛｝～"
#: Punctuation that may end a paragraph.
CLOSING = "。！？…”’）》」』】〕.!?\"'）"
#: Marks that end a sentence, and the closing quotes and brackets that may follow them.
SENTENCE_END = "。！？…"
CLOSE_AFTER = "”’」』）》】)"
#: Opening brackets and quotes, with their closers.
PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "〈": "〉", "【": "】", "「": "」",
         "『": "』", "〔": "〕", "(": ")", "[": "]"}


def is_han(char: str) -> bool:
    """Whether ``char`` is a Han ideograph."""
    return bool(HAN.match(char))


def is_cjk(char: str) -> bool:
    """Han, full-width punctuation, or any other full-width form (Ｕ+FF00 block, 〇, 　)."""
    if len(char) != 1:
        return False
    return (is_han(char) or char in CJK_PUNCT or "\uff00" <= char <= "\uffef"
            or "\u3000" <= char <= "\u303f")


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence: 。！？… possibly followed by closing quotes or
    brackets, or a closing title mark or corner quote (》」』)."""
    stripped = text.rstrip(CLOSE_AFTER)
    return (bool(stripped) and stripped[-1] in SENTENCE_END) or text[-1:] in "》」』"


@functools.cache
def script_of(char: str) -> Script | None:
    """``simplified`` or ``traditional`` for a Han character only one of the two sets holds."""
    if not is_han(char):
        return None
    gb, big5 = _encodes(char, "gb2312"), _encodes(char, "big5")
    if gb and not big5:
        return "simplified"
    if big5 and not gb:
        return "traditional"
    return None


def _encodes(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def script_counts(text: str) -> dict[Script, int]:
    """How many Simplified-only and Traditional-only characters ``text`` has."""
    counts: dict[Script, int] = {"simplified": 0, "traditional": 0}
    for char in text:
        script = script_of(char)
        if script:
            counts[script] += 1
    return counts


def detect_language(text: str) -> Literal["zh-CN", "zh-TW"]:
    """``zh-TW`` when Traditional-only characters outnumber Simplified-only ones."""
    counts = script_counts(text)
    return "zh-TW" if counts["traditional"] > counts["simplified"] else "zh-CN"


def mixed_script(texts: list[str]) -> Iterator[tuple[int, list[int], str]]:
    """For an article (its ``texts``) mixing Simplified and Traditional: for each text with
    characters of the minority script, (text index, their positions, a BM506 message)."""
    counts = script_counts("".join(texts))
    if not (counts["simplified"] and counts["traditional"]):
        return
    minority: Script = "traditional" if counts["traditional"] <= counts["simplified"] \
        else "simplified"
    other = "Traditional" if minority == "simplified" else "Simplified"
    for index, text in enumerate(texts):
        odd = [i for i, c in enumerate(text) if script_of(c) == minority]
        if odd:
            chars = "".join(dict.fromkeys(text[i] for i in odd))
            yield index, odd, (f"{minority.capitalize()} characters {chars} in an article "
                               f"otherwise in {other}")
