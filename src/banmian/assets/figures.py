"""Every figure's image, ready for a backend to embed: the real photo, cleaned
(:mod:`.photos`), or a placeholder (:mod:`.placeholders`), with a file name derived from the
module and figure ids."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from banmian.assets.placeholders import cached_placeholder_png
from banmian.model import Edition, Figure, Module

if TYPE_CHECKING:  # photos are read (and .photos imported) only for figures that have one
    from banmian.assets.photos import PressColour

#: The EXIF tag of a photo's orientation (5-8: turned a quarter).
ORIENTATION = 0x0112


@dataclass(frozen=True)
class ImageAsset:
    """An image ready to embed: a file name derived from its figure, media type and bytes."""

    key: str
    name: str
    media_type: str
    data: bytes


def figure_assets(edition: Edition, folder: Path, width: int,
                  press: PressColour | None = None) -> list[ImageAsset]:
    """Every figure's image: the real photo (cleaned; in CMYK for the ``press`` PDF) or a
    placeholder ``width`` pixels wide (grey: on the black plate only)."""
    return [_asset(module, fig, folder, width, edition.language, press)
            for module in edition.modules for fig in module.figures]


def _asset(module: Module, fig: Figure, folder: Path, width: int, language: str,
           press: PressColour | None) -> ImageAsset:
    key = f"{module.id}/{fig.id}"
    if fig.image is None:
        return ImageAsset(key, f"{module.id}-{fig.id}.png", "image/png",
                          cached_placeholder_png(fig, width, language))
    from banmian.assets.photos import photo_jpeg

    data, _ = photo_jpeg(folder / fig.image, fig.source, max_side=max(width, 1600),
                         press=press)
    return ImageAsset(key, f"{module.id}-{fig.id}.jpg", "image/jpeg", data)


def photo_aspects(edition: Edition, folder: Path) -> Edition:
    """``edition`` with each real photo's ``aspect`` its own, as it will print (EXIF
    orientation applied), for layout estimates; a photo that cannot be read keeps its aspect
    (making its asset reports the error)."""
    def own(fig: Figure) -> Figure:
        if fig.image is None:
            return fig
        try:
            with Image.open(folder / fig.image) as image:
                width, height = image.size
                turned = image.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            return fig
        return replace(fig, aspect=(height, width) if turned else (width, height))

    pages = tuple(replace(page, modules=tuple(
        replace(m, figures=tuple(own(f) for f in m.figures)) if m.figures else m
        for m in page.modules)) for page in edition.pages)
    return replace(edition, pages=pages)
