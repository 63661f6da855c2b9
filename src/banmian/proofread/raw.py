"""Proofreading raw page text (as ``banmian import`` reads it), line by line.

The text is split and joined into paragraphs exactly as the import does, so a quotation that a
column break cut in two is still balanced, and every paragraph the import had to join across a
blank line is reported (BM507). Positions are the raw file's ``line:col``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from banmian.chinese.banner import banner_message
from banmian.chinese.script import mixed_script
from banmian.diagnostics import BanmianError, Diagnostic
from banmian.fonts import face_files
from banmian.fonts.coverage import FontsMissing, cmap
from banmian.importer.lines import Unit, join_units, read_raw
from banmian.importer.structure import Segmenter, Story
from banmian.model import Source
from banmian.proofread.rules import RULES, Hit, check_paragraph, collapse


def _diag(hit: Hit, unit: Unit, display: str) -> Diagnostic:
    line, col = unit.where(hit.offset)
    return Diagnostic(RULES[hit.code][0], hit.code, hit.message, Source(display, line, col))


def _covered() -> frozenset[int]:
    """Every code point some face of some language has (the fallback face included)."""
    points: set[int] = set()
    for path in face_files():
        try:
            points |= cmap(path)
        except FontsMissing:
            continue
    return frozenset(points)


def _unit_hits(unit: Unit, following: Unit | None, covered: frozenset[int]) -> Iterator[Hit]:
    if unit.kind in ("banner", "mark"):
        from banmian.importer.structure import banner_text

        banner = banner_text(unit)
        message = banner_message(banner.name, banner.pinyin) if banner.pinyin else None
        if message and banner.pinyin:
            yield Hit(unit.text.rindex(banner.pinyin), "BM505", message)
        return
    continued = following is not None and following.text.startswith("“")
    yield from check_paragraph(unit.text, continued)
    lacking = {}
    for offset, char in enumerate(unit.text):
        if not char.isspace() and ord(char) not in covered and char not in lacking:
            lacking[char] = offset
    for char, offset in lacking.items():
        yield Hit(offset, "BM508", f"no project font has a glyph for U+{ord(char):04X} {char}")


def _story_units(story: Story) -> list[Unit]:
    furniture = [story.kicker, story.headline, story.deck, story.byline, story.pen_name,
                 story.contributor]
    blocks = [b for _, b in story.blocks if isinstance(b, Unit)]
    return [u for u in furniture if u is not None] + blocks


def _script_hits(stories: list[Story], display: str) -> Iterator[Diagnostic]:
    for story in stories:
        units = _story_units(story)
        for index, odd, message in mixed_script([u.text for u in units]):
            yield _diag(Hit(odd[0], "BM506", message), units[index], display)


def lint_raw(path: Path, display: str) -> list[Diagnostic]:
    """Every finding in a raw text file, in line order."""
    from banmian.importer import read_lines

    try:
        text = read_raw(path, display)
    except BanmianError as exc:
        return list(exc.diagnostics)
    lines, _ = read_lines(text)
    units = join_units(lines)
    covered = _covered()
    found: list[Diagnostic] = []
    for index, unit in enumerate(units):
        following = units[index + 1] if index + 1 < len(units) else None
        found += [_diag(hit, unit, display) for hit in _unit_hits(unit, following, covered)]
        for no in unit.joined_across_blank:
            col = next((c for o, n, c in unit.starts if n == no), 1)
            found.append(Diagnostic("warning", "BM507", "paragraph split at a column break: "
                                    "this line continues the paragraph above",
                                    Source(display, no, col)))
    found += _script_hits(Segmenter(units).run(), display)
    found.sort(key=lambda d: (d.source.line, d.source.col or 0) if d.source else (0, 0))
    return collapse(found)
