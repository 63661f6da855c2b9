"""The copy measured before it is placed: where each paragraph's lines end at each column
width, read from a layout of the pages in plain columns.

The automatic placement (:mod:`.placer`) sizes frames before anything is laid out. A
paragraph's lines can be estimated from its characters (:mod:`.depth`), but not exactly:
Latin runs and squeezed punctuation are narrower than an em, and the line-start and line-end
rules push characters onto a further line. Every frame of a page's grid sets its body in
columns of the same width (a boxed frame's one em narrower), so the pages laid out once
without placement, in the grid's columns, give each paragraph's lines as every frame will
set them; the placer then sizes frames from those lines, and may cut a paragraph where one of
its lines ends (:mod:`.parts`).
"""

from __future__ import annotations

from typing import Any

from banmian.backends.pdf.layout.boxes import kind, page_boxes, walk
from banmian.backends.pdf.layout.depth import line_key

#: CSS px to pt.
PT = 72 / 96


def line_breaks(document: Any) -> dict[tuple[float, str], tuple[int, ...]]:
    """Where the lines of every paragraph (``<p>``) of a laid-out ``document`` end, in
    characters (whitespace not counted) from its start, by :func:`.depth.line_key`: its
    column's width and its text. A paragraph split between columns or pages is read whole;
    paragraphs of the same text at the same width break alike."""
    ends: dict[int, list[int]] = {}
    keys: dict[int, tuple[float, str]] = {}
    for root in page_boxes(document):
        for box, parent in walk(root):
            if kind(box) != "LineBox" or getattr(parent, "element_tag", None) != "p":
                continue
            element = parent.element
            chars = sum(len("".join(b.text.split())) for b, _ in walk(box) if kind(b) == "TextBox")
            found = ends.setdefault(id(element), [])
            found.append((found[-1] if found else 0) + chars)
            keys.setdefault(id(element), line_key(float(parent.width) * PT,
                                                  "".join(element.itertext())))
    return {key: tuple(ends[element]) for element, key in keys.items()}
