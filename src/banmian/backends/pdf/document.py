"""The print document WeasyPrint lays out: the edition's pages as HTML on their grids, the
fonts it uses (per-edition print subsets of the faces) and the one URL fetcher that serves
them with the images.

The print CSS names font chains (``var(--font-serif)``), which :func:`banmian.fonts.css.expand`
turns into print-only families ("Banmian Print Serif", …) that no system font has, the same
for every language; ``@font-face`` maps them to the edition language's files. The fetcher
serves in-memory images and those font files (and, for ``--press``, the output profile) and
refuses every other URL, so a build reads nothing outside the edition, the faces, ``styles/``
and the profile, and never touches the network.

The press PDF's colours come from the same stylesheet: :func:`press_css` sets each colour
variable ``--NAME`` that has a ``--press-NAME`` to that CMYK value, and names the output
profile for WeasyPrint's ``@color-profile device-cmyk``.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import sys
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from pathlib import Path
from typing import Any

from markupsafe import Markup

from banmian.backends.pdf.layout.geometry import Sheet, banded, page_css
from banmian.backends.pdf.layout.headlines import balance
from banmian.fonts import Face, chain_keys
from banmian.fonts import css as font_css
from banmian.fonts.coverage import chars_by_file
from banmian.fonts.subset import print_subset
from banmian.model import Edition
from banmian.render.env import environment
from banmian.render.labels import date_label, labels
from banmian.storage import stylesheet

ASSET_SCHEME = "banmian-asset:"
#: The prefix of the print-only CSS family names: "Banmian Print Serif".
PRINT_PREFIX = "Banmian Print"
_PRESS_VALUE = re.compile(r"--press-([a-z0-9-]+)\s*:")


def font_face_css(language: str = "zh-CN", files: Mapping[Path, Path] | None = None) -> str:
    """@font-face rules mapping the print-only families to the language's font files, or to
    ``files[face.path]`` (the edition's print subsets), leaving out faces not in ``files``."""
    def url(face: Face) -> str | None:
        if files is None:
            return face.path.as_uri()
        return files[face.path].as_uri() if face.path in files else None

    return font_css.font_face_css(language, PRINT_PREFIX, url)


def edition_chars(edition: Edition, html: str) -> dict[Path, frozenset[str]]:
    """The characters of each face's print subset for the print document ``html``: the copy
    by its chain, and every character of the document's text in each chain's face (for what
    the templates draw)."""
    text = "".join(unescape(t) for t in re.findall(r">([^<]+)<", html))
    return {path: frozenset(found) for path, found in
            chars_by_file(edition, dict.fromkeys(chain_keys(), text)).items()}


def press_css(css: str, profile: Path) -> str:
    """The press layer after the print stylesheet ``css``: ``profile`` as the CMYK profile, and
    every colour variable that has a press value (``--press-NAME``) set to it."""
    names = dict.fromkeys(_PRESS_VALUE.findall(css))
    values = " ".join(f"--{name}: var(--press-{name});" for name in names)
    return (f"\n@color-profile device-cmyk {{ src: url({profile.as_uri()}); "
            f"components: c, m, y, k }}\n:root {{ {values} }}\n")


def render_html(edition: Edition, images: dict[str, str], pages: list[Sheet],
                files: Mapping[Path, Path] | None = None, profile: Path | None = None,
                font_slot: str = "") -> str:
    """The print document: the edition's pages on their grids, its fonts the whole faces or
    ``files`` (see :func:`font_face_css`); with a CMYK ``profile``, in the press colours."""
    authors = sorted({name for m in edition.modules for name in (m.byline, m.pen_name) if name})
    css = page_css(edition) + font_css.expand(stylesheet("print.css"), edition.language,
                                              PRINT_PREFIX)
    if profile is not None:
        css += press_css(css, profile)
    fonts = font_slot or font_face_css(edition.language, files)
    for text in (css, fonts):
        if "</" in text:
            raise ValueError("a stylesheet must not contain '</'")
    return environment().get_template("print.html.j2").render(
        lang=edition.language, edition=edition, images=images, sheets=pages, balance=balance,
        banded=banded,
        font_css=Markup(fonts), page_css=Markup(css),
        date_label=date_label(edition), authors="；".join(authors),
        labels=labels(edition.language),
    )


#: Where the @font-face rules go in a document rendered before its fonts are known.
FONTS_SLOT = "/* banmian: @font-face */"


@dataclass(frozen=True)
class Prepared:
    """The print document rendered once, its @font-face rules left in ``FONTS_SLOT``; the
    characters each face sets in it; and the print subsets cut for them."""

    html: str
    chars: dict[Path, frozenset[str]]
    files: dict[Path, Path]


def prepare(edition: Edition, images: dict[str, str], pages: list[Sheet],
            profile: Path | None = None) -> Prepared:
    """Render the print document and cut its print subsets from its own text."""
    html = render_html(edition, images, pages, files={}, profile=profile, font_slot=FONTS_SLOT)
    chars = edition_chars(edition, html)
    return Prepared(html, chars, {path: print_subset(path, found)
                                  for path, found in chars.items()})


def with_fonts(html: str, language: str, files: Mapping[Path, Path]) -> str:
    """A prepared document (or page) with its @font-face rules for ``files`` in their slot."""
    return html.replace(FONTS_SLOT, font_face_css(language, files), 1)


def _media_type(path: Path) -> str:
    return "application/vnd.iccprofile" if path.suffix in (".icc", ".icm") else \
        f"font/{path.suffix[1:]}"


def fetcher(assets: dict[str, tuple[str, bytes]], refused: list[str],
            fonts: Iterable[Path]) -> Any:
    """A WeasyPrint URL fetcher for in-memory images (``banmian-asset:NAME``) and the font
    files (and ICC profile) ``fonts``; every other URL is refused, and appended to
    ``refused``."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = {path.as_uri(): path for path in fonts}

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        """Serve in-memory images and the edition's font files; refuse every other URL."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(ASSET_SCHEME) and url[len(ASSET_SCHEME):] in assets:
                media_type, data = assets[url[len(ASSET_SCHEME):]]
                return URLFetcherResponse(url, data, {"Content-Type": media_type})
            if url in allowed:
                path = allowed[url]
                return URLFetcherResponse(url, path.read_bytes(),
                                          {"Content-Type": _media_type(path)})
            refused.append(url)
            raise ValueError(f"banmian refuses to fetch {url}")

    return ConfinedFetcher()


@lru_cache(maxsize=4)
def font_config(fonts: frozenset[Path]) -> Any:
    """One WeasyPrint font configuration per set of font files (an edition's print subsets)
    and process: a rebuild registers its files with fontconfig once. Its folder of font
    copies is removed when the process ends (:func:`remove_font_folders`)."""
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    if not any(pid == os.getpid() for pid, _ in _CONFIGS):  # this process's first
        atexit.register(remove_font_folders)
        processes = sys.modules.get("multiprocessing.util")  # a worker (a page pool's, Dask's)
        if processes is not None:  # ends without atexit: multiprocessing's finalizers run
            processes.Finalize(None, remove_font_folders, exitpriority=0)
    _CONFIGS.append((os.getpid(), weakref.ref(config)))
    return config


#: The font configurations made, with the process that made each (a forked worker inherits
#: its parent's, whose folders are the parent's to remove); weakly: one the cache drops is
#: deleted, and removes its own folder then.
_CONFIGS: list[tuple[int, weakref.ref[Any]]] = []


def remove_font_folders() -> None:
    """Remove the temporary folders this process's font configurations copied the faces into
    (up to 138 MB each). WeasyPrint removes one when its configuration is deleted, but the
    cached ones are deleted at the interpreter's shutdown, when the module that removes it may
    be gone already: the folder stayed in the temporary directory, one for every build."""
    for pid, ref in _CONFIGS:
        config = ref() if pid == os.getpid() else None
        folder = getattr(config, "_folder", None)  # WeasyPrint's, None until it copies one
        if folder and config is not None:
            shutil.rmtree(folder, ignore_errors=True)
            config._folder = None
