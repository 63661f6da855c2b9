"""Pictures of a built PDF's pages for the editor (``banmian build --preview``): each page as
a PNG at :data:`PREVIEW_DPI`, rendered from the PDF with pypdfium2 and cut to its TrimBox, with
every placed frame outlined by how it fills (:mod:`banmian.verify.fill`): red when copy sticks
out (overset), amber when it ends short (underset, labelled with the lines short), green
otherwise; grid area no frame covers (a hole) is outlined in blue. Labels are drawn in the
edition's script (``data/labels.toml``) with banmian's faces.

This module owns the drawing; what counts as overset, underset or a hole is the measure's.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from banmian.fonts.pillow import Pen
from banmian.model import Edition
from banmian.render.labels import labels
from banmian.verify.fill import FrameFill, Hole, PageFill, Rect, measure_document

#: Pixels per inch of a preview: a broadsheet page is 1106 × 1539 pixels.
PREVIEW_DPI = 72
Status = Literal["overset", "underset", "fits", "hole"]
COLOURS: dict[Status, tuple[int, int, int]] = {
    "overset": (220, 30, 30),
    "underset": (245, 160, 0),
    "fits": (30, 160, 60),
    "hole": (40, 110, 220),
}
WHITE = (255, 255, 255)
OUTLINE_PX = 3
LABEL_PX = 16


def status(frame: FrameFill) -> Status:
    """How a frame is outlined: overset, underset (lines short ≥ 1) or fits."""
    if frame.overset:
        return "overset"
    return "underset" if frame.underset else "fits"


@dataclass(frozen=True)
class _Canvas:
    """A rendered page, and how PDF points map onto its pixels."""

    image: Image.Image
    trim: Rect
    scale: float

    def box(self, rect: Rect) -> tuple[float, float, float, float]:
        s, t = self.scale, self.trim
        return ((rect.x0 - t.x0) * s, (t.y1 - rect.y1) * s,
                (rect.x1 - t.x0) * s, (t.y1 - rect.y0) * s)


def _render(page: pdfium.PdfPage, dpi: int) -> _Canvas:
    """The page within its TrimBox (a press PDF's bleed and slug cut off)."""
    crop = Rect(*page.get_cropbox())
    trim = Rect(*page.get_trimbox())
    cut = (trim.x0 - crop.x0, trim.y0 - crop.y0, crop.x1 - trim.x1, crop.y1 - trim.y1)
    scale = dpi / 72
    image = page.render(scale=scale, crop=tuple(max(0.0, c) for c in cut)).to_pil()
    return _Canvas(image.convert("RGB"), trim, scale)


def _label(frame: FrameFill, words: dict[str, str]) -> str:
    if frame.overset:
        return words["overset"].format(chars=frame.overset_chars)
    return words["underset"].format(lines=frame.lines_short) if frame.underset else ""


def _outline(canvas: _Canvas, pen: Pen, rect: Rect, colour: tuple[int, int, int],
             label: str) -> None:
    """A rectangle's outline inside it, and ``label`` on the colour at its bottom left."""
    x0, y0, x1, y1 = canvas.box(rect)
    pen.draw.rectangle((x0, y0, x1 - 1, y1 - 1), outline=colour, width=OUTLINE_PX)
    if not label:
        return
    top, bottom = pen.height(label, "sans-bold", LABEL_PX)
    pad = 4
    width = pen.length(label, "sans-bold", LABEL_PX) + 2 * pad
    height = bottom - top + 2 * pad
    left, base = x0 + OUTLINE_PX, y1 - OUTLINE_PX - height
    pen.draw.rectangle((left, base, left + width, base + height), fill=colour)
    pen.text_at((left + pad, base + pad - top), label, "sans-bold", LABEL_PX, WHITE)


def _draw(canvas: _Canvas, fill: PageFill | None, language: str) -> None:
    if fill is None:
        return
    pen = Pen(ImageDraw.Draw(canvas.image), language)
    words = labels(language)
    for hole in fill.holes:
        _outline(canvas, pen, hole.rect, COLOURS["hole"], _hole_label(hole, words))
    for frame in fill.frames:
        _outline(canvas, pen, frame.rect, COLOURS[status(frame)], _label(frame, words))


def _hole_label(hole: Hole, words: dict[str, str]) -> str:
    return words["hole"].format(lines=int(hole.lines))


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def preview_pages(pdf: bytes, edition: Edition, dpi: int = PREVIEW_DPI) -> list[bytes]:
    """Every page of ``pdf`` (built from ``edition``) as PNG bytes, first page first, its
    placed frames outlined by how they fill."""
    document = pdfium.PdfDocument(pdf)
    try:
        return list(_pages(document, edition, dpi))
    finally:
        document.close()


def _pages(document: pdfium.PdfDocument, edition: Edition, dpi: int) -> Iterator[bytes]:
    fills = {fill.pdf_page: fill for fill in measure_document(document, edition)}
    for index in range(len(document)):
        canvas = _render(document[index], dpi)
        _draw(canvas, fills.get(index), edition.language)
        yield _png(canvas.image)
