"""Placeholders for photos not yet supplied: light grey at the figure's aspect, with the first
words of the caption and 图片待补 (圖片待補 in a Traditional edition) drawn in the Kai face's
chain. The same figure gives the same bytes on every build; they are cached on disk by what
the placeholder shows, its size and the faces' digests (:func:`cached_placeholder_png`).

A placeholder's alt text (:func:`placeholder_alt`) is 图片待补： and the caption (the figure's
own alt, when it has one): an empty alt would mark the grey box as decorative, so a screen
reader would skip it and never say that the photo is missing, while the figcaption describes a
photo that is not there; and the alt of an image of text carries the text it draws (WCAG 1.1.1,
which the EPUB Accessibility techniques defer to), here the caption's head and 图片待补.
"""

from __future__ import annotations

import hashlib
import io

from PIL import Image

from banmian.fonts import face_files
from banmian.fonts.subset import font_digest
from banmian.model import Figure
from banmian.render.labels import labels
from banmian.storage import cache_root, store

_BACKGROUND = 226  # greys: the placeholder is a one-channel (L) PNG, small and fast to encode
_INK = 80
_RULE = 180
PLACEHOLDER_VERSION = 1  #: bump when the drawing changes, to invalidate cached placeholders


def _caption_head(caption: str, limit: int = 12) -> str:
    head = caption.split("。")[0].split("，")[0]
    return head if len(head) <= limit else head[:limit] + "…"


def placeholder_alt(figure: Figure, language: str = "zh-CN") -> str:
    """The alt text of ``figure``'s placeholder: 图片待补： (圖片待補：) and its description."""
    return f"{labels(language)['placeholder']}：{figure.alt_text}"


def placeholder_png(figure: Figure, width: int = 1200, language: str = "zh-CN") -> bytes:
    """A grey placeholder for ``figure``, ``width`` pixels wide, as PNG bytes, with its words
    in the ``language``'s script and Kai face."""
    from PIL import ImageDraw

    from banmian.fonts import pillow  # drawing: only when the cache has no such placeholder

    aw, ah = figure.aspect
    height = max(1, round(width * ah / aw))
    image = Image.new("L", (width, height), _BACKGROUND)
    draw = ImageDraw.Draw(image)
    size = max(12, min(width // 16, height // 6))
    lines = [_caption_head(figure.caption), labels(language)["placeholder"]]
    pen = pillow.Pen(draw, language)
    spans = [pen.height(line, "kai", size) for line in lines]
    total = sum(bottom - top for top, bottom in spans) + size // 2
    y = (height - total) // 2
    for line, (top, bottom) in zip(lines, spans, strict=True):
        x = (width - pen.length(line, "kai", size)) // 2
        pen.text_at((x, y - top), line, "kai", size, _INK)
        y += bottom - top + size // 2
    draw.rectangle((0, 0, width - 1, height - 1), outline=_RULE, width=max(1, size // 10))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()


def cached_placeholder_png(figure: Figure, width: int, language: str) -> bytes:
    """:func:`placeholder_png`, cached on disk by what it shows, its size and the faces."""
    shown = (_caption_head(figure.caption), labels(language)["placeholder"])
    fonts = [font_digest(path) for path in face_files()]
    key = repr((PLACEHOLDER_VERSION, shown, figure.aspect, width, language, fonts))
    path = cache_root() / "placeholders" / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.png"
    if path.is_file():
        return path.read_bytes()
    data = placeholder_png(figure, width, language)
    store(path, data)
    return data
