"""Photos for both backends: Pillow placeholders for missing photos, cleaned real photos.

A placeholder is light grey at the figure's aspect, with the first words of the caption and
图片待补 (圖片待補 in a Traditional edition) drawn in the edition language's Kai face; the same
figure gives the same bytes on every build. A real photo
is oriented by its EXIF data, stripped of metadata and scaled to at most ``max_side`` pixels.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageDraw, ImageFile, ImageOps

from banmian.diagnostics import InputError, error
from banmian.fonts import pillow
from banmian.model import Figure, Source
from banmian.render.labels import LABELS, labels

PLACEHOLDER_NOTE = LABELS["zh-CN"]["placeholder"]
_BACKGROUND = 226  # greys: the placeholder is a one-channel (L) PNG, small and fast to encode
_INK = 80
_RULE = 180


def _caption_head(caption: str, limit: int = 12) -> str:
    head = caption.split("。")[0].split("，")[0]
    return head if len(head) <= limit else head[:limit] + "…"


def placeholder_png(figure: Figure, width: int = 1200, language: str = "zh-CN") -> bytes:
    """A grey placeholder for ``figure``, ``width`` pixels wide, as PNG bytes, with its words
    in the ``language``'s script and Kai face."""
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


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Refuse truncated images even where WeasyPrint (which sets Pillow's process-wide
    ``LOAD_TRUNCATED_IMAGES``) has been imported: a cut-off photo is an error, not half a photo."""
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def photo_jpeg(path: Path, source: Source, max_side: int = 1600) -> tuple[bytes, tuple[int, int]]:
    """A real photo, EXIF-oriented, metadata stripped, scaled down: (JPEG bytes, size)."""
    try:
        with warnings.catch_warnings(), _strict_decoding():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as raw:
                raw.load()
                image = ImageOps.exif_transpose(raw).convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InputError([error("BM113", f"image '{path.name}' refused: {exc}", source)]
                         ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError([error("BM113", f"cannot read image '{path.name}': {exc}", source)]
                         ) from None
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), clean.size

