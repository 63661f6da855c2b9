"""Read WeasyPrint's laid-out box tree without importing WeasyPrint.

Boxes are recognised by their class name (``LineBox``, ``TextBox``, ``InlineBox`` …), so this
module stays a plain reader of the tree that ``HTML(...).render()`` left on each page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Box = Any


def kind(box: Box) -> str:
    """The box's class name: ``LineBox``, ``TextBox``, ``BlockBox`` …"""
    return type(box).__name__


def walk(box: Box, parent: Box = None) -> Iterator[tuple[Box, Box]]:
    """Every box under ``box`` (itself included) with its parent, in document order."""
    yield box, parent
    for child in getattr(box, "children", ()):
        yield from walk(child, box)


def page_boxes(document: Any) -> list[Box]:
    """The root box of every laid-out page."""
    return [page._page_box for page in document.pages]


def text_boxes(box: Box) -> Iterator[Box]:
    """The text boxes under ``box``, in order."""
    for child, _ in walk(box):
        if kind(child) == "TextBox":
            yield child


def bottom_edge(box: Box) -> float:
    return float(box.position_y + box.margin_height())


def cell_foot(frame: Box, height_px: float) -> float:
    """Where the content of a placed frame must end: the foot of its grid cell (``height_px``
    deep, border and padding included), however deep WeasyPrint let the frame grow."""
    return float(frame.position_y + height_px - frame.border_bottom_width
                 - frame.padding_bottom)


def element_attr(box: Box, name: str) -> str | None:
    """An attribute of the HTML element the box was made for, if any."""
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) is None:
        return None
    value = element.get(name)
    return None if value is None else str(value)


def classes(box: Box) -> set[str]:
    return set((element_attr(box, "class") or "").split())
