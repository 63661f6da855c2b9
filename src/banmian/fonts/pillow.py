"""Text drawn with Pillow (the cover, photo placeholders) in banmian's faces, with the same
fallback chains as the stylesheets: each run of characters in the face of its chain that has
them (:func:`banmian.fonts.coverage.runs`), so a rare character in a headline or a caption is
drawn, not left as a box. Each face is opened once per size and process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ImageDraw, ImageFont

from banmian.fonts.coverage import runs

Ink = int | tuple[int, int, int]


@cache
def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """The font file at ``path`` at ``size`` pixels, for Pillow."""
    return ImageFont.truetype(str(path), size)


@dataclass(frozen=True)
class Pen:
    """Draws text of one language in face chains on an image."""

    draw: ImageDraw.ImageDraw
    language: str

    def _runs(self, value: str, key: str, size: int) -> list[tuple[ImageFont.FreeTypeFont, str]]:
        return [(font(face.path, size), part) for face, part in runs(value, key, self.language)]

    def length(self, value: str, key: str, size: int) -> float:
        """The advance width of ``value`` set in face ``key``'s chain at ``size`` pixels."""
        return sum(self.draw.textlength(part, font=f) for f, part in self._runs(value, key, size))

    def height(self, value: str, key: str, size: int) -> tuple[int, int]:
        """(top, bottom) of ``value``'s ink, as ``textbbox`` from (0, 0) gives them."""
        boxes = [self.draw.textbbox((0, 0), part, font=f)
                 for f, part in self._runs(value, key, size)] or [(0, 0, 0, 0)]
        return min(b[1] for b in boxes), max(b[3] for b in boxes)

    def text_at(self, xy: tuple[float, float], value: str, key: str, size: int, fill: Ink,
                *, right: bool = False) -> None:
        """Draw ``value`` from ``xy`` (its top left; with ``right``, ``xy`` is its right end on
        the baseline), run by run."""
        x, y = xy
        anchor = "la"
        if right:
            x -= self.length(value, key, size)
            anchor = "ls"
        for f, part in self._runs(value, key, size):
            self.draw.text((x, y), part, font=f, fill=fill, anchor=anchor)
            x += self.draw.textlength(part, font=f)
