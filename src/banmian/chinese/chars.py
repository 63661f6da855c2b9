"""Character classes for Chinese copy: Han, full-width punctuation, Latin, sentence ends.

The script a character belongs to (Simplified or Traditional) is :mod:`banmian.chinese.script`.
"""

from __future__ import annotations

import re

#: Han ideographs (URO, Ext A, compatibility, and the supplementary planes).
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN = re.compile(f"[{HAN_CLASS}]")
#: Full-width punctuation and symbols used in Chinese copy.
CJK_PUNCT = "，。、；：？！（）《》〈〉【】「」『』“”‘’—…·〔〕［］｛｝～"
#: Punctuation that may end a paragraph.
CLOSING = "。！？…”’）》」』】〕.!?\"'）"
#: Marks whose blank half is on the right (closing and pause marks) and on the left (opening
#: marks): what punctuation compression squeezes, and how a heading's words take their marks.
BLANK_RIGHT = "，。、；：？！）》〉】」』”’〕"
BLANK_LEFT = "（《〈【「『“‘〔"
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
