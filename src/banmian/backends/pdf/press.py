"""Press output: bleed, trim and crop marks, added to a finished PDF with pikepdf.

WeasyPrint with ``@page { bleed: 3mm }`` makes the MediaBox the bleed box and would draw crop
marks inside the bleed, where the press trims them away or prints them. This module sets the
boxes a printer expects — TrimBox the finished page, BleedBox 3 mm outside it, MediaBox a slug
around that — and draws crop marks in the slug, outside the bleed, as marked artifacts (the
tagged structure stays valid).
"""

from __future__ import annotations

import io

from banmian.grid import MM

BLEED_MM = 3.0
SLUG_MM = 12.0
#: Crop marks start this far outside the bleed and stop this far before the sheet's edge.
MARK_GAP_MM = 1.5
MARK_WIDTH_PT = 0.25

Rect = tuple[float, float, float, float]


def _grow(rect: Rect, by: float) -> Rect:
    return rect[0] - by, rect[1] - by, rect[2] + by, rect[3] + by


def crop_marks(trim: Rect, bleed_mm: float, slug_mm: float) -> bytes:
    """A content stream drawing the eight crop marks of ``trim`` outside the bleed."""
    x0, y0, x1, y1 = trim
    start = (bleed_mm + MARK_GAP_MM) * MM
    end = (slug_mm + bleed_mm - MARK_GAP_MM) * MM
    ops = [f"/Artifact BMC q {MARK_WIDTH_PT} w 1 1 1 1 K"]
    for x, sign in ((x0, -1), (x1, 1)):
        for y in (y0, y1):
            ops.append(f"{x + sign * start:.3f} {y:.3f} m {x + sign * end:.3f} {y:.3f} l S")
    for y, sign in ((y0, -1), (y1, 1)):
        for x in (x0, x1):
            ops.append(f"{x:.3f} {y + sign * start:.3f} m {x:.3f} {y + sign * end:.3f} l S")
    ops.append("Q EMC")
    return "\n".join(ops).encode()


def add_press_marks(pdf: bytes, trim_mm: tuple[float, float], bleed_mm: float = BLEED_MM,
                    slug_mm: float = SLUG_MM) -> bytes:
    """Set TrimBox, BleedBox and a larger MediaBox on every page and draw crop marks."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            box = page.obj.get("/TrimBox", page.obj.MediaBox)
            trim: Rect = tuple(float(v) for v in box)  # type: ignore[assignment]
            bleed = _grow(trim, bleed_mm * MM)
            media = _grow(bleed, slug_mm * MM)
            page.obj.TrimBox = pikepdf.Array(trim)
            page.obj.BleedBox = pikepdf.Array(bleed)
            page.obj.MediaBox = pikepdf.Array(media)
            page.obj.CropBox = pikepdf.Array(media)
            page.contents_add(pikepdf.Stream(doc, b"q\n"), prepend=True)
            page.contents_add(pikepdf.Stream(doc, b"\nQ\n" + crop_marks(trim, bleed_mm,
                                                                      slug_mm)))
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    return out.getvalue()
