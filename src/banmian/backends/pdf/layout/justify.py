"""Inter-character justification of CJK lines after layout.

WeasyPrint justifies only at spaces, so a line of Han characters that is shorter than its
column (a line with Latin or digits, or one whose last character was pushed down by the line
start rules) stays ragged. After the first layout this module finds every line of a justified
paragraph that does not end the paragraph and spreads its slack evenly over the gaps between its
characters: each CJK text box gets a letter-spacing (Pango draws it between the box's
characters) and the boxes after it move right. Latin words and digit runs are never spread: a
Latin run takes one gap after it (a Han–Latin boundary), and WeasyPrint's own stretching of the
copy's spaces is taken back, so extracted text shows no space the copy does not have. Line
breaks are not changed, so the copy is exactly the same.
"""

from __future__ import annotations

import re

from banmian.backends.pdf.layout.boxes import Box, classes, kind, page_boxes, walk

#: Lines shorter than this fraction of the column are left alone (they are not text lines).
MIN_FILL = 0.5
#: Slack below this (CSS px) is noise, not a ragged line.
EPSILON = 0.01
#: Text that is a Latin or digit run as a whole (typeset wraps most of them in ``span.latn``).
_LATIN = re.compile(r"[\x21-\x7e\u00a0-\u024f ]+")


def justified_lines(document: Box) -> list[tuple[Box, Box, bool]]:
    """(line, block, ends_paragraph) for every line of a justified block, in order (the
    last line of a paragraph cut between frames does not end it)."""
    found: list[tuple[Box, Box, bool]] = []
    last: dict[int, int] = {}
    for root in page_boxes(document):
        for box, parent in walk(root):
            if kind(box) != "LineBox" or parent is None:
                continue
            if parent.style["text_align_all"] != "justify":
                continue
            element = getattr(parent, "element", None)  # an Element without children is falsy
            key = id(parent if element is None else element)
            last[key] = len(found)
            found.append((box, parent, False))
    for index in last.values():
        line, block, _ = found[index]
        found[index] = (line, block, "runs-on" not in classes(block))  # cut: it goes on
    return found


def _is_latin(box: Box, parent: Box) -> bool:
    """A Latin or digit run (``span.latn``, or text with no character outside ASCII/Latin)."""
    return "latn" in classes(parent) or bool(_LATIN.fullmatch(box.text))


def _texts(line: Box) -> list[tuple[Box, bool]]:
    """(text box, is a Latin run) for the line's boxes that carry characters, in order."""
    return [(box, _is_latin(box, parent)) for box, parent in walk(line)
            if kind(box) == "TextBox" and box.text]


def _unjustify(box: Box, shift: float = 0.0) -> float:
    """Take back WeasyPrint's word spacing (it justifies at spaces only): the new shift left.

    The copy's own spaces keep their natural width; the slack goes to the CJK gaps instead.
    """
    box.position_x -= shift
    if kind(box) == "TextBox":
        extra = float(getattr(box, "justification_spacing", 0) or 0)
        if extra and box.pango_layout is not None:
            spaces = box.text.count(" ") + box.text.count("\u00a0")
            box.justification_spacing = 0
            box.pango_layout.justification_spacing = 0
            box.width -= extra * spaces
            shift += extra * spaces
        return shift
    start = shift
    for child in getattr(box, "children", ()):
        if kind(child) in ("TextBox", "InlineBox"):
            shift = _unjustify(child, shift)
        else:
            child.position_x -= shift
    if kind(box) in ("InlineBox", "LineBox"):
        box.width -= shift - start
    return shift


def _shift(box: Box, latin: set[int], spacing: float, advance: float) -> float:
    """Move ``box`` right by ``advance`` and spread its CJK characters; the new advance.

    A Latin run is moved but never letter-spaced: its one gap is the boundary after it.
    """
    if kind(box) == "TextBox":
        box.position_x += advance
        if id(box) in latin:
            return advance + spacing
        count = len(box.text)
        if count > 1:
            style = box.style.copy()
            style["letter_spacing"] = spacing
            box.style = style
            box.width += spacing * (count - 1)
        return advance + spacing * count
    start = advance
    box.position_x += advance
    for child in box.children:
        advance = _shift(child, latin, spacing, advance)
    if kind(box) == "InlineBox":
        box.width += advance - start
    return advance


def spread_line(line: Box, block: Box) -> float:
    """Spread ``line`` to the right edge of ``block``'s content box; the spacing given.

    The slack goes into the gaps after CJK characters and at the boundaries of Latin runs,
    never inside a Latin word or a digit run (and not into the copy's spaces); a line with no
    such gap keeps WeasyPrint's word spacing.
    """
    texts = _texts(line)
    gaps = sum(1 if latin else len(box.text) for box, latin in texts) - 1
    if not texts or gaps < 1 or all(latin for _, latin in texts):
        return 0.0
    _unjustify(line)
    last = texts[-1][0]
    edge = line.position_x + block.width  # the line's own column: layout.columns moves lines
    slack = edge - (last.position_x + last.width)
    if slack <= EPSILON or slack > block.width * (1 - MIN_FILL):
        return 0.0
    spacing = float(slack / gaps)
    latin = {id(box) for box, is_latin in texts if is_latin}
    advance = 0.0
    for child in line.children:
        advance = _shift(child, latin, spacing, advance)
    if id(last) not in latin:
        last.width -= spacing  # no spacing after the line's last character
    return spacing


def justify(document: Box) -> None:
    """Spread every justified line that does not end its paragraph to its column edge."""
    for line, block, ends in justified_lines(document):
        if not ends:
            spread_line(line, block)
