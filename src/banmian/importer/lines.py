"""Raw page text → classified lines → units (paragraphs joined across column breaks and wraps).

A raw line is classified on its own (banner, byline, credit, headline-like short line, body …);
captions are found by looking back from each credit; then body lines are joined into paragraphs:
a body line that ends without closing punctuation continues into the next body line that does not
open a new paragraph (indented, a list marker, a dateline), across blank lines and figures.
Every unit remembers which raw line and column each of its characters came from.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from banmian.chinese.banner import BANNER
from banmian.chinese.bylines import BYLINE
from banmian.chinese.chars import ends_sentence
from banmian.content.markdown import join_lines
from banmian.diagnostics import InputError, error
from banmian.model import Source

Kind = Literal["banner", "mark", "byline", "credit", "caption", "kicker", "kicker-headline",
               "deck", "short", "body"]

DATELINE = re.compile(
    r"^(?:本报讯|本報訊|(?:新华社|新華社|中新社|本报|本報)[^\s，。,:：]{0,16}?(?:电|電|讯|訊))"
    r"(?:[\s\u3000]*[（(](?:记者|記者|通讯员|通訊員)[^）)]{1,30}[）)])?[\s\u3000]*")
#: A photo credit: 本报记者 张玥 摄, 某某供图, 资料片由…提供, 新华社发 (a credit, not a byline).
CREDIT = re.compile(r"^[（(]?(?:资料片|資料片|资料图片|資料圖片|图片|圖片)?[^。，,]{0,30}?"
                    r"(?:提供|供图|供圖|摄|攝|新华社发|新華社發)[）)]?$")
LIST_MARK = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]"
                       r"|\d+[.、．]\s*"
                       r"[\u4e00-\u9fff]|[0-2]?\d[:：][0-5]\d)")
NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}(?:[\s\u3000、]+[\u4e00-\u9fff]{2,4}){0,3}$")
_SPLIT_MARKERS = re.compile(r"(?<=[。！？”])[ \t\u3000]*(?=■|本报讯|本報訊|本报记者|本報記者)")


@dataclass
class Line:
    """One non-blank raw line: its number, stripped text, first column and context."""

    no: int
    text: str
    col: int
    blank_before: int
    indented: bool
    kind: Kind = "body"


@dataclass
class Unit:
    """A classified piece of copy: one or more raw lines, with positions for every character."""

    kind: Kind
    text: str
    line: int
    starts: list[tuple[int, int, int]] = field(default_factory=list)  # (offset, line, col)
    joined_across_blank: list[int] = field(default_factory=list)  # raw lines split by a break

    def where_from(self, offset: int) -> list[tuple[int, int, int]]:
        """Positions for the text from ``offset`` on, as a unit's ``starts``."""
        kept = [(start - offset, line, col) for start, line, col in self.starts if start > offset]
        return [(0, *self.where(offset)), *kept]

    def where(self, offset: int) -> tuple[int, int]:
        """Raw (line, column) of the character at ``offset``."""
        line, col, base = self.line, 1, 0
        for start, start_line, start_col in self.starts:
            if start > offset:
                break
            base, line, col = start, start_line, start_col
        return line, col + offset - base


def read_raw(path: Path, display: str) -> str:
    """Read a raw text file; a missing file or bad UTF-8 is an :class:`InputError`."""
    if not path.is_file():
        raise InputError([error("BM600", f"no such file '{display}'", Source(display, 1))])
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError([error("BM108", f"invalid UTF-8 (byte 0x{data[exc.start]:02x})",
                                Source(display, line))]) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c if c in "\n\t" or unicodedata.category(c) != "Cc" else " " for c in text)


def split_lines(text: str) -> list[Line]:
    """Non-blank lines, stripped, with blank-line counts; flattened lines split at markers."""
    lines: list[Line] = []
    blanks = 0
    for no, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            blanks += 1
            continue
        indented = raw[:1] in (" ", "\t", "\u3000")
        start = 0
        for piece in [*(m.start() for m in _SPLIT_MARKERS.finditer(raw)), len(raw)]:
            chunk = raw[start:piece]
            if chunk.strip():
                lead = len(chunk) - len(chunk.lstrip())
                lines.append(Line(no, chunk.strip(), start + lead + 1, blanks, indented))
                blanks = 0
            start = piece
    return lines


#: Evidence a hard wrap needs: this many lines at the common length, of at least this length.
WRAP_MIN_LINES = 8
WRAP_MIN_WIDTH = 12


def wrap_width(lines: list[Line]) -> int | None:
    """The width lines are hard-wrapped at, on evidence from many lines: at least
    :data:`WRAP_MIN_LINES` lines (half of all) within 2 of one length of 12 to 60 characters,
    most of which stop mid-sentence, as a wrap cuts sentences wherever the width falls."""
    lengths = [len(line.text) for line in lines]
    if len(lengths) < WRAP_MIN_LINES:
        return None
    mode = Counter(min(n, 200) for n in lengths).most_common(1)[0][0]
    near = [line for line in lines if abs(len(line.text) - mode) <= 2]
    cut = sum(1 for line in near if not ends_sentence(line.text))
    if not WRAP_MIN_WIDTH <= mode <= 60 or len(near) < max(WRAP_MIN_LINES, len(lengths) / 2):
        return None
    return mode if cut >= 0.6 * len(near) else None


def classify(line: Line, width: int | None) -> Kind:
    """The kind of one raw line, from its own text."""
    text = line.text
    banner = BANNER.match(text)
    if banner:
        return "banner" if banner.group(2) else "mark"
    if len(text) <= 40 and CREDIT.match(text):
        return "credit"  # before bylines: 本报记者 张玥 摄 credits a photo
    if BYLINE.match(text):
        return "byline"
    if text.startswith("——") and len(text) <= 60:
        return "deck"
    if "——" in text.strip("—") and len(text) <= 80 and "。" not in text:
        return "kicker-headline"
    if text.endswith("——") and len(text) <= 40 and not ends_sentence(text.rstrip("—")):
        return "kicker"  # 江城新农人—— over the headline
    limit = min(40, width - 3) if width else 40
    if DATELINE.match(text) or LIST_MARK.match(text):
        return "body"
    if len(text) <= limit and not ends_sentence(text) and text[-1] not in "，、；：,;:":
        return "short"
    if len(text) <= 20 and text[-1] in "！？" and not re.search(r"[，。,]", text):
        return "short"
    return "body"


#: The longest caption right above its credit, and the longest of the further lines sharing it.
CAPTION_FIRST, CAPTION_MORE = 120, 60


def mark_captions(lines: list[Line], blank_mode: bool) -> list[int]:
    """Mark the lines just before each credit as captions; return uncertain line numbers.

    The line right before a credit is its caption (up to :data:`CAPTION_FIRST` characters).
    Further lines back are captions sharing the credit only in text with blank lines, when they
    are short and set off by two or more blank lines, as a photo in the page's flow is: without
    blank lines nothing tells a caption from the body paragraph above it.
    """
    uncertain: list[int] = []
    for index, line in enumerate(lines):
        if line.kind != "credit":
            continue
        back = index - 1
        while back >= 0 and lines[back].kind in ("body", "short"):
            first = back == index - 1
            if len(lines[back].text) > (CAPTION_FIRST if first else CAPTION_MORE):
                break
            if not first and (not blank_mode or lines[back + 1].blank_before < 2):
                break
            if not first and back > 0 and lines[back - 1].kind == "body" \
                    and not ends_sentence(lines[back - 1].text):
                break  # it continues the open paragraph above it
            lines[back].kind = "caption"
            back -= 1
        if back == index - 1:
            uncertain.append(line.no)
    return uncertain


def opens_paragraph(line: Line, indent_mode: bool) -> bool:
    """Whether a body line must start a new paragraph rather than continue the previous one."""
    return bool((indent_mode and line.indented) or DATELINE.match(line.text)
                or LIST_MARK.match(line.text))


def _unit(line: Line) -> Unit:
    return Unit(line.kind, line.text, line.no, [(0, line.no, line.col)])


def _extend(unit: Unit, line: Line) -> None:
    joined = join_lines(unit.text, line.text)
    offset = len(joined) - len(line.text)
    unit.starts.append((offset, line.no, line.col))
    unit.text = joined


def join_units(lines: list[Line]) -> list[Unit]:
    """Join body lines split by wraps and column breaks; figures found inside a split paragraph
    follow it."""
    indent_mode = 0.1 < sum(line.indented for line in lines) / max(len(lines), 1) < 0.9
    units: list[Unit] = []
    open_para: Unit | None = None
    held: list[Unit] = []
    for line in lines:
        if line.kind in ("caption", "credit") and open_para is not None:
            held.append(_unit(line))
            continue
        continues = (open_para is not None and line.kind == "body"
                     and not opens_paragraph(line, indent_mode))
        if continues and open_para is not None:
            if line.blank_before or held:
                open_para.joined_across_blank.append(line.no)
            _extend(open_para, line)
        else:
            units.extend(held)
            held = []
            units.append(_unit(line))
        if line.kind == "body" or continues:
            last = units[-1] if not continues else open_para
            still_open = last is not None and (indent_mode or not ends_sentence(last.text))
            open_para = last if still_open else None
        else:
            open_para = None
        if open_para is None:
            units.extend(held)
            held = []
    units.extend(held)
    return units
