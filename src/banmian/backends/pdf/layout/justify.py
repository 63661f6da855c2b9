"""Inter-character justification of CJK lines after layout.

WeasyPrint justifies only at spaces, so a line of Han characters that is shorter than its
column (a line with Latin or digits, or one whose last character was pushed down by the line
start rules) stays ragged. After the first layout this module finds every line of a justified
paragraph that does not end the paragraph and spreads its slack evenly over the gaps between its
characters: each text box gets a letter-spacing (Pango draws it between the box's characters)
and the boxes after it move right. Line breaks are not changed, so the copy is exactly the same.
"""

from __future__ import annotations

from banmian.backends.pdf.layout.boxes import Box, kind, page_boxes, walk

#: Lines shorter than this fraction of the column are left alone (they are not text lines).
MIN_FILL = 0.5
#: Slack below this (CSS px) is noise, not a ragged line.
EPSILON = 0.01


def justified_lines(document: Box) -> list[tuple[Box, Box, bool]]:
    """(line, block, ends_paragraph) for every line of a justified block, in order."""
    found: list[tuple[Box, Box, bool]] = []
    last: dict[int, int] = {}
    for root in page_boxes(document):
        for box, parent in walk(root):
            if kind(box) != "LineBox" or parent is None:
                continue
            if parent.style["text_align_all"] != "justify":
                continue
            key = id(getattr(parent, "element", None) or parent)
            last[key] = len(found)
            found.append((box, parent, False))
    for index in last.values():
        line, block, _ = found[index]
        found[index] = (line, block, True)
    return found


def _gaps(line: Box) -> list[Box]:
    """The text boxes of the line that carry characters, in visual order."""
    return [box for box, _ in walk(line) if kind(box) == "TextBox" and box.text]


def _shift(box: Box, spacing: float, advance: float) -> float:
    """Move ``box`` right by ``advance`` and spread its characters; the new advance."""
    if kind(box) == "TextBox":
        box.position_x += advance
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
        advance = _shift(child, spacing, advance)
    if kind(box) == "InlineBox":
        box.width += advance - start
    return advance


def spread_line(line: Box, block: Box) -> float:
    """Spread ``line`` to the right edge of ``block``'s content box; the spacing given."""
    texts = _gaps(line)
    if not texts:
        return 0.0
    last = texts[-1]
    edge = block.content_box_x() + block.width
    slack = edge - (last.position_x + last.width)
    gaps = sum(len(t.text) for t in texts) - 1
    if slack <= EPSILON or gaps < 1 or slack > block.width * (1 - MIN_FILL):
        return 0.0
    spacing = float(slack / gaps)
    advance = 0.0
    for child in line.children:
        advance = _shift(child, spacing, advance)
    last.width -= spacing  # no spacing after the line's last character
    return spacing


def justify(document: Box) -> None:
    """Spread every justified line that does not end its paragraph to its column edge."""
    for line, block, ends in justified_lines(document):
        if not ends:
            spread_line(line, block)
