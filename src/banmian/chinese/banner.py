"""BM505: does a section banner's pinyin spell its characters?

Banners often romanise only part of their name (信息直通车 ZHITONGCHE, 前沿观察 GUANCHA), so the
pinyin must spell a contiguous run of the name's characters, syllable by syllable (any reading of a
heteronym; ü as V, U or YU), or be the run's initials.
"""

from __future__ import annotations

import difflib
import re
from functools import cache

from pypinyin import Style, pinyin

from banmian.chinese.chars import is_han

BANNER = re.compile(r"^\s*[■□◆▲●]\s*([^A-Za-z]+?)\s*([A-Za-z][A-Za-z ’'·-]*)?\s*$")


@cache
def _readings(char: str) -> frozenset[str]:
    """Toneless readings of one Han character, upper case, with the spellings of ü."""
    found: set[str] = set()
    for reading in pinyin(char, style=Style.NORMAL, heteronym=True)[0]:
        reading = reading.upper()
        found.add(reading)
        if "V" in reading:
            found.update({reading.replace("V", "U"), reading.replace("V", "YU"),
                          reading.replace("V", "Ü")})
    return frozenset(found)


def _spells(letters: str, chars: str) -> bool:
    """Whether ``letters`` is one reading per character of ``chars``, concatenated."""
    if not chars:
        return not letters
    return any(letters.startswith(r) and _spells(letters[len(r):], chars[1:])
               for r in _readings(chars[0]))


def _runs(name: str) -> list[str]:
    han = "".join(c for c in name if is_han(c))
    return [han[i:j] for i in range(len(han)) for j in range(i + 1, len(han) + 1)]


def pinyin_matches(name: str, roman: str) -> bool:
    """Whether ``roman`` spells (or abbreviates) a contiguous run of ``name``'s characters."""
    letters = re.sub(r"[^A-ZÜ]", "", roman.upper())
    if not letters:
        return True
    for run in _runs(name):
        if _spells(letters, run):
            return True
        initials = [{r[0] for r in _readings(c)} for c in run]
        if len(letters) == len(run) and all(letters[i] in s for i, s in enumerate(initials)):
            return True
    return False


def suggestion(name: str, roman: str) -> str:
    """The closest spelling of a run of ``name`` to ``roman`` (for the message)."""
    letters = re.sub(r"[^A-Z]", "", roman.upper())
    spelled = ["".join(p[0] for p in pinyin(run, style=Style.NORMAL)).upper()
               for run in _runs(name)]
    close = difflib.get_close_matches(letters, spelled, n=1, cutoff=0.0)
    return close[0] if close else "".join(spelled[-1:])


def banner_message(name: str, roman: str) -> str | None:
    """A BM505 message when ``roman`` does not match ``name``; None when it does."""
    if pinyin_matches(name, roman):
        return None
    return (f"banner pinyin '{roman}' does not spell {name} "
            f"(did you mean '{suggestion(name, roman)}'?)")
