"""Real photos for both backends: read strictly, oriented by their EXIF data, stripped of
metadata and scaled to at most ``max_side`` pixels, as JPEG. A truncated, unreadable or
oversized image is BM113.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageFile, ImageOps

from banmian.diagnostics import InputError, error
from banmian.model import Source


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

