"""Real photos for both backends: read strictly, oriented by their EXIF data, stripped of
metadata and scaled to at most ``max_side`` pixels, as JPEG. A truncated, unreadable or
oversized image is BM113.

Colour (littleCMS, through Pillow's ImageCms): an RGB photo's embedded ICC profile is honoured,
not dropped. For the screen PDF and the EPUB a photo becomes sRGB (an untagged one is taken to
be sRGB already); for the press PDF, given the output ``profile``, it is converted to that
CMYK condition (relative colorimetric, black-point compensation) with its total ink held to
the press limit, and a CMYK JPEG keeps its own separation.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageCms, ImageFile, ImageMath, ImageOps

from banmian.diagnostics import InputError, error
from banmian.model import Source


@dataclass(frozen=True)
class PressColour:
    """The press PDF's colour: its CMYK output profile and total ink limit (percent)."""

    profile: Path
    total_ink: float


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


def _source_profile(image: Image.Image) -> ImageCms.ImageCmsProfile | None:
    """The photo's embedded ICC profile, if it has one that littleCMS reads."""
    data = image.info.get("icc_profile")
    if not data:
        return None
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (OSError, ImageCms.PyCMSError):
        return None


def _convert(image: Image.Image, source: ImageCms.ImageCmsProfile | None, mode: str,
             target: ImageCms.ImageCmsProfile) -> Image.Image:
    """``image`` from its profile (sRGB if it has none) into ``target``, in ``mode``."""
    if image.mode not in ("RGB", "CMYK"):
        image = image.convert("RGB")
        space = source.profile.xcolor_space if source else ""  # type: ignore[attr-defined]
        source = source if space.strip() == "RGB" else None
    if source is None:
        if image.mode == "CMYK":
            return image.convert(mode)
        source = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION  # type: ignore[attr-defined]
    return ImageCms.profileToProfile(
        image, source, target, renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        outputMode=mode, flags=flags) or image


def limit_ink(image: Image.Image, total: float) -> Image.Image:
    """A CMYK image with C, M and Y scaled down wherever C+M+Y+K exceeds ``total`` percent
    (black is kept: it carries the detail)."""
    limit = total * 255 / 100
    c, m, y, k = (band.convert("F") for band in image.split())

    def factor(a: dict[str, Any]) -> Any:
        ratio = (limit - a["k"]) / a["max"](a["c"] + a["m"] + a["y"], 1.0)
        return a["min"](a["max"](ratio, 0.0), 1.0)

    evaluate = ImageMath.lambda_eval  # type: ignore[attr-defined]
    scale = evaluate(factor, c=c, m=m, y=y, k=k)
    bands = [evaluate(lambda a: a["int"](a["band"] * a["scale"]), band=b, scale=scale
                      ).convert("L") for b in (c, m, y)]
    return Image.merge("CMYK", (*bands, image.getchannel("K")))


def _clean(image: Image.Image, mode: str) -> bytes:
    clean = Image.new(mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def photo_jpeg(path: Path, source: Source, max_side: int = 1600,
               press: PressColour | None = None) -> tuple[bytes, tuple[int, int]]:
    """A real photo, EXIF-oriented, metadata stripped, scaled down, in sRGB or (for the
    ``press``) in CMYK within its ink limit: (JPEG bytes, size)."""
    try:
        with warnings.catch_warnings(), _strict_decoding():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as raw:
                raw.load()
                embedded = _source_profile(raw)
                image = ImageOps.exif_transpose(raw)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InputError([error("BM113", f"image '{path.name}' refused: {exc}", source)]
                         ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError([error("BM113", f"cannot read image '{path.name}': {exc}", source)]
                         ) from None
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    if press is None:
        srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
        image = _convert(image, embedded, "RGB", srgb) if embedded else image.convert("RGB")
        return _clean(image, "RGB"), image.size
    if image.mode != "CMYK":
        target = ImageCms.ImageCmsProfile(str(press.profile))
        image = limit_ink(_convert(image, embedded, "CMYK", target), press.total_ink)
    return _clean(image, "CMYK"), image.size
