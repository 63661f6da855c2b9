"""The printer's marks of the press PDF, drawn in the slug around the bleed: crop marks at the
corners, a registration mark at the middle of each side, a CMYK colour bar, and the slug line
(edition, page, date, plates). Each function returns content-stream operators in default user
space; :mod:`.press` wraps them in one ``/Artifact`` marked sequence.

Nothing here enters the bleed: every mark starts ``gap-mm`` outside it (``data/press.toml``
[marks]). Crop and registration marks are in registration colour (100/100/100/100, on every
plate); the slug line is black, drawn as glyph outlines of banmian's sans face, so it needs no
font in the file and adds nothing to the page's text.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from banmian.backends.pdf.intent import settings
from banmian.grid import MM

Rect = tuple[float, float, float, float]
REGISTRATION = "1 1 1 1 K 1 1 1 1 k"
#: Four cubic Béziers approximate a circle with this handle length (per unit radius).
_KAPPA = 0.5523


def _mm(key: str) -> float:
    return float(settings()["marks"][key]) * MM


def crop_marks(trim: Rect) -> list[str]:
    """The eight crop marks of ``trim``, outside the bleed."""
    x0, y0, x1, y1 = trim
    start, end = _mm("bleed-mm") + _mm("gap-mm"), _mm("bleed-mm") + _mm("slug-mm") - _mm("gap-mm")
    ops = [f"{settings()['marks']['line-pt']} w {REGISTRATION}"]
    for x, sign in ((x0, -1), (x1, 1)):
        for y in (y0, y1):
            ops.append(f"{x + sign * start:.3f} {y:.3f} m {x + sign * end:.3f} {y:.3f} l S")
    for y, sign in ((y0, -1), (y1, 1)):
        for x in (x0, x1):
            ops.append(f"{x:.3f} {y + sign * start:.3f} m {x:.3f} {y + sign * end:.3f} l S")
    return ops


def _circle(cx: float, cy: float, r: float) -> str:
    k = r * _KAPPA
    return (f"{cx + r:.3f} {cy:.3f} m "
            f"{cx + r:.3f} {cy + k:.3f} {cx + k:.3f} {cy + r:.3f} {cx:.3f} {cy + r:.3f} c "
            f"{cx - k:.3f} {cy + r:.3f} {cx - r:.3f} {cy + k:.3f} {cx - r:.3f} {cy:.3f} c "
            f"{cx - r:.3f} {cy - k:.3f} {cx - k:.3f} {cy - r:.3f} {cx:.3f} {cy - r:.3f} c "
            f"{cx + k:.3f} {cy - r:.3f} {cx + r:.3f} {cy - k:.3f} {cx + r:.3f} {cy:.3f} c S")


def register_centres(trim: Rect) -> list[tuple[float, float]]:
    """The centres of the four registration marks: the middle of each side, in the slug."""
    x0, y0, x1, y1 = trim
    away = _mm("bleed-mm") + _mm("slug-mm") / 2
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    return [(mx, y0 - away), (mx, y1 + away), (x0 - away, my), (x1 + away, my)]


def registration_marks(trim: Rect) -> list[str]:
    """A circle with a cross through it at the middle of each side."""
    r = _mm("register-radius-mm")
    ops = [f"{settings()['marks']['line-pt']} w {REGISTRATION}"]
    for cx, cy in register_centres(trim):
        ops.append(_circle(cx, cy, r * 0.6))
        ops.append(f"{cx - r:.3f} {cy:.3f} m {cx + r:.3f} {cy:.3f} l "
                   f"{cx:.3f} {cy - r:.3f} m {cx:.3f} {cy + r:.3f} l S")
    return ops


def colour_bar(trim: Rect) -> list[str]:
    """The CMYK patches in the top slug, to the right of the middle registration mark."""
    x0, _, x1, y1 = trim
    size = _mm("patch-mm")
    x = (x0 + x1) / 2 + 4 * _mm("register-radius-mm")
    y = y1 + _mm("bleed-mm") + (_mm("slug-mm") - size) / 2
    ops = []
    for number, (c, m, yellow, k) in enumerate(settings()["marks"]["patches"]):
        ops.append(f"{c:g} {m:g} {yellow:g} {k:g} k {x + number * size:.3f} {y:.3f} "
                   f"{size:.3f} {size:.3f} re f")
    return ops


def slug_line(trim: Rect, text: str, face: Path) -> list[str]:
    """``text`` in the bottom slug, from the left crop mark's end towards the middle, as
    filled glyph outlines in black."""
    x0, y0, _, _ = trim
    size = float(settings()["marks"]["slug-pt"])
    baseline = y0 - _mm("bleed-mm") - _mm("slug-mm") / 2 - size * 0.35
    return ["0 0 0 1 k", *_outlines(text, face, x0 + _mm("gap-mm") * 4, baseline, size)]


def _outlines(text: str, face: Path, x: float, y: float, size: float) -> list[str]:
    """``text`` as path operators, set from (x, y) at ``size`` points, one fill per glyph."""
    from fontTools.pens.basePen import BasePen
    from fontTools.pens.transformPen import TransformPen

    font, glyphs, cmap = _font(face)
    scale = size / font["head"].unitsPerEm
    ops: list[str] = []

    class PdfPen(BasePen):  # type: ignore[misc]
        def _moveTo(self, p: tuple[float, float]) -> None:
            ops.append(f"{p[0]:.2f} {p[1]:.2f} m")

        def _lineTo(self, p: tuple[float, float]) -> None:
            ops.append(f"{p[0]:.2f} {p[1]:.2f} l")

        def _curveToOne(self, a: tuple[float, float], b: tuple[float, float],
                        c: tuple[float, float]) -> None:
            ops.append(f"{a[0]:.2f} {a[1]:.2f} {b[0]:.2f} {b[1]:.2f} {c[0]:.2f} {c[1]:.2f} c")

        def _closePath(self) -> None:
            ops.append("h")

    for char in text:
        name = cmap.get(ord(char))
        if name is None:
            continue
        glyph, before = glyphs[name], len(ops)
        glyph.draw(TransformPen(PdfPen(glyphs), (scale, 0, 0, scale, x, y)))
        if len(ops) > before:
            ops.append("f")
        x += glyph.width * scale
    return ops


@cache
def _font(face: Path) -> tuple[Any, Any, dict[int, str]]:
    from fontTools.ttLib import TTFont

    font = TTFont(face, lazy=True)
    return font, font.getGlyphSet(), font.getBestCmap()
