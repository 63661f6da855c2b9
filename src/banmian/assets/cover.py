"""The EPUB cover image, drawn with Pillow: section banner, main headline and date.

The cover is a 2:3 PNG in the newspaper's colours (a dark red banner over white), drawn with the
project's own fonts (the edition language's faces: SC for ``zh-CN``, TC for ``zh-TW``), so the
same edition gives the same bytes on every build. Headlines wrap by
character, as Chinese headlines do, and shrink until they fit in at most four lines.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageDraw

from banmian.fonts import face_files, pillow
from banmian.fonts.subset import font_digest
from banmian.model import Edition
from banmian.render.labels import date_label
from banmian.storage import cache_root, store

WIDTH, HEIGHT = 1200, 1800
MARGIN = 100
COVER_VERSION = 2  #: bump when the drawing changes, to invalidate cached covers
RED, INK, GREY, PAPER = (139, 26, 26), (20, 20, 20), (90, 90, 90), (255, 255, 255)


@dataclass(frozen=True)
class CoverText:
    """What the cover shows."""

    banner: str
    pinyin: str
    headline: str
    date: str
    publication: str


def cover_text(edition: Edition) -> CoverText:
    """The first page's banner, the main headline (the first module's) and the date."""
    first = edition.pages[0] if edition.pages else None
    banner = first.banner if first else None
    headline = next((m.headline for m in edition.modules if m.headline), None)
    return CoverText(banner.name if banner else "", (banner.pinyin or "") if banner else "",
                     headline or edition.title, date_label(edition), edition.publication or "")


def alt_text(text: CoverText) -> str:
    """The cover image's alternative text: everything it shows, in reading order."""
    parts = [text.publication, text.banner, text.headline, text.date]
    return "封面：" + "，".join(p for p in parts if p)


def _wrap(pen: pillow.Pen, text: str, size: int, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for char in text:
        if line and pen.length(line + char, "sans-bold", size) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def _headline(pen: pillow.Pen, text: str, top: int) -> None:
    size = 150
    while True:
        lines = _wrap(pen, text, size, WIDTH - 2 * MARGIN)
        if len(lines) <= 4 or size <= 60:
            break
        size -= 10
    y = top
    for line in lines[:6]:
        pen.text_at((MARGIN, y), line, "sans-bold", size, INK)
        y += round(size * 1.3)


def cover_png(edition: Edition) -> bytes:
    """The cover as PNG bytes."""
    return _draw(cover_text(edition), edition.language)


def _draw(text: CoverText, language: str = "zh-CN") -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    pen = pillow.Pen(draw, language)
    draw.rectangle((0, 0, WIDTH, 330), fill=RED)
    if text.publication:
        pen.text_at((MARGIN, 70), text.publication, "sans-bold", 56, PAPER)
    if text.banner:
        pen.text_at((MARGIN, 170), f"■ {text.banner}", "sans-bold", 96, PAPER)
    if text.pinyin:
        pen.text_at((WIDTH - MARGIN, 290), text.pinyin, "sans-bold", 40, PAPER, right=True)
    _headline(pen, text.headline, 520)
    draw.line((MARGIN, HEIGHT - 260, WIDTH - MARGIN, HEIGHT - 260), fill=RED, width=8)
    pen.text_at((MARGIN, HEIGHT - 200), text.date, "serif", 72, GREY)
    out = io.BytesIO()
    image.quantize(colors=32, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        out, "PNG", compress_level=9)
    return out.getvalue()


def cached_cover_png(edition: Edition) -> bytes:
    """:func:`cover_png`, cached on disk by what the cover shows and the fonts it uses."""
    text = cover_text(edition)
    fonts = [font_digest(path) for path in face_files()]
    key = hashlib.sha256(repr((COVER_VERSION, text, fonts)).encode()).hexdigest()[:32]
    path = cache_root() / "covers" / f"{key}.png"
    if path.is_file():
        return path.read_bytes()
    data = cover_png(edition)
    store(path, data)
    return data
