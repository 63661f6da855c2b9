"""Script: whether a Han character is Simplified-only, Traditional-only or either, from OpenCC's
character tables.

The tables are OpenCC's ``STCharacters.txt`` (each Simplified character and its Traditional
forms) and ``TSCharacters.txt`` (each Traditional character and its Simplified forms), as the
PyPI package ``opencc-python-reimplemented`` ships them: plain text, read offline, no compiled
code. A character is *Simplified-only* when OpenCC converts it to something else going to
Traditional and no Traditional character maps to itself; *Traditional-only* the other way
round. Everything else says nothing about the script: characters the two share (人, 中), forms
both use (后 and 後 are both Traditional characters; 着 is standard in Taiwan too and is in
neither table), the forms Taiwan writes where OpenCC's Traditional table has another
(``TWVariants.txt``: 群 for 羣, 峰 for 峯, 床 for 牀, 粽 for 糉), and characters outside the
tables, such as the rare given-name characters 玥 and 珺, which a test of "which national
character set holds it" took for Traditional.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from importlib import resources
from typing import Literal

Script = Literal["simplified", "traditional"]


def _table(name: str) -> dict[str, set[str]]:
    """One OpenCC character table: each key character and the characters it converts to."""
    text = resources.files("opencc").joinpath("dictionary", name).read_text("utf-8")
    table: dict[str, set[str]] = {}
    for line in text.splitlines():
        key, _, values = line.partition("\t")
        if len(key) == 1 and values:
            table[key] = set(values.split())
    return table


@functools.cache
def _scripts() -> dict[str, Script]:
    """Every character OpenCC's tables mark as belonging to one script only."""
    to_traditional, to_simplified = _table("STCharacters.txt"), _table("TSCharacters.txt")
    taiwan = {form for forms in _table("TWVariants.txt").values() for form in forms}
    also_traditional = {c for c, forms in to_simplified.items() if c in forms} | {
        form for forms in to_traditional.values() for form in forms} | taiwan
    also_simplified = {c for c, forms in to_traditional.items() if c in forms} | {
        form for forms in to_simplified.values() for form in forms}
    scripts: dict[str, Script] = {}
    for char, forms in to_traditional.items():
        if char not in forms and char not in also_traditional:
            scripts[char] = "simplified"
    for char, forms in to_simplified.items():
        if char not in forms and char not in also_simplified:
            scripts[char] = "traditional"
    return scripts


def script_of(char: str) -> Script | None:
    """``simplified`` or ``traditional`` for a character only that script writes this way."""
    return _scripts().get(char)


def script_counts(text: str) -> dict[Script, int]:
    """How many Simplified-only and Traditional-only characters ``text`` has."""
    counts: dict[Script, int] = {"simplified": 0, "traditional": 0}
    table = _scripts()
    for char in text:
        script = table.get(char)
        if script:
            counts[script] += 1
    return counts


@functools.cache
def _to_simplified() -> dict[int, str]:
    """Each Traditional character of OpenCC's ``TSCharacters.txt`` and its first Simplified
    form (the common one: 乾 → 干)."""
    text = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt").read_text("utf-8")
    found: dict[int, str] = {}
    for line in text.splitlines():
        key, _, values = line.partition("\t")
        if len(key) == 1 and values and len(values.split()[0]) == 1:
            found[ord(key)] = values.split()[0]
    return found


def simplified(text: str) -> str:
    """``text`` with each Traditional character in its Simplified form, character for
    character (the same length, so offsets carry over): what a Simplified dictionary reads."""
    return text.translate(_to_simplified())


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
