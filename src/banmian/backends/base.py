"""What every backend provides (options in, bytes and diagnostics out), and the pieces of a
build they share (image assets)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from banmian.assets.photos import photo_jpeg, placeholder_png
from banmian.diagnostics import Diagnostic
from banmian.model import Edition, Figure, Module


@dataclass(frozen=True)
class BuildOptions:
    """Options that change what a backend produces.

    ``press``: the PDF gets 3 mm bleed, TrimBox/BleedBox and crop marks outside the bleed.
    """

    press: bool = False


@dataclass(frozen=True)
class Output:
    """What a backend made: the file's bytes and the warnings it had about them."""

    data: bytes
    diagnostics: tuple[Diagnostic, ...] = ()


class Backend(Protocol):
    """An output format: ``build`` renders an edition from ``folder``; it raises
    :class:`~banmian.diagnostics.OutputError` when the output would lose or clip copy."""

    name: str
    suffix: str

    def build(self, edition: Edition, folder: Path, options: BuildOptions) -> Output: ...


@dataclass(frozen=True)
class ImageAsset:
    """An image ready to embed: a file name derived from its figure, media type and bytes."""

    key: str
    name: str
    media_type: str
    data: bytes


def figure_assets(edition: Edition, folder: Path, width: int) -> list[ImageAsset]:
    """Every figure's image: the real photo (cleaned) or a placeholder ``width`` pixels wide."""
    assets: list[ImageAsset] = []
    for module in edition.modules:
        for fig in module.figures:
            assets.append(_asset(module, fig, folder, width, edition.language))
    return assets


def _asset(module: Module, fig: Figure, folder: Path, width: int, language: str
           ) -> ImageAsset:
    key = f"{module.id}/{fig.id}"
    if fig.image is None:
        return ImageAsset(key, f"{module.id}-{fig.id}.png", "image/png",
                          placeholder_png(fig, width, language))
    data, _ = photo_jpeg(folder / fig.image, fig.source, max_side=max(width, 1600))
    return ImageAsset(key, f"{module.id}-{fig.id}.jpg", "image/jpeg", data)
