"""The print PDF backend: the edition as newspaper pages, laid out by WeasyPrint.

WeasyPrint is imported only here and in :mod:`.document`, when a PDF is built. One layout pass
of the document (:mod:`.document`), then the checks on the laid-out boxes before anything is
drawn (:mod:`.checks`: lost copy BM301, overset frames BM300), justification to the column
edge (:mod:`.layout.justify`), drawing, the font check on what was written (BM200), and for
``--press`` bleed and crop marks (:mod:`.press`). WeasyPrint's own warnings (an image it
cannot read, CSS it ignores) become BM302 warnings instead of going to the process's log.

The default PDF is PDF/UA-1 in RGB. ``--press`` gives PDF/X-4, tagged, in CMYK: the press
colours of the stylesheet, photos converted to the output profile (:mod:`.intent`), black
overprinting, bleed, marks and a slug line (:mod:`.press`).
"""

from __future__ import annotations

import gc
import logging
import tempfile
from collections.abc import Iterator, Mapping
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from banmian.assets.figures import figure_assets, photo_aspects
from banmian.backends.base import BuildOptions, Output
from banmian.backends.pdf.checks import (
    document_fonts,
    fit_problems,
    foreign_fonts,
    image_warnings,
)
from banmian.backends.pdf.document import (
    ASSET_SCHEME,
    FONTS_SLOT,
    fetcher,
    font_config,
    prepare,
    render_html,
    with_fonts,
)
from banmian.backends.pdf.layout.breaks import break_warnings
from banmian.backends.pdf.layout.depth import Lines
from banmian.backends.pdf.layout.feather import feather, underset
from banmian.backends.pdf.layout.galley import line_breaks
from banmian.backends.pdf.layout.geometry import Sheet, sheets
from banmian.backends.pdf.layout.justify import justify
from banmian.backends.pdf.layout.placer import automatic, overset, place_edition
from banmian.diagnostics import Diagnostic, OutputError, error, warning
from banmian.fonts import faces, postscript_name
from banmian.model import Edition, Placement, Source

if TYPE_CHECKING:
    from banmian.assets.photos import PressColour

PRINT_DPI = 300
#: A page placed automatically whose copy oversets a frame is placed again, that module
#: never in that place again (an estimate too shallow; WeasyPrint's column balancing failing
#: for a frame at some depths on the page), up to this many layouts in all.
PLACE_ATTEMPTS = 4


class _Records(logging.Handler):
    """Collects WeasyPrint's warnings during one build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render(edition: Edition, html: str, files: Mapping[Path, Path], base_url: str,
           assets: dict[str, tuple[str, bytes]], profile: Path | None) -> tuple[
               list[str], Any, list[str]]:
    """Lay out a print document (``html`` with its @font-face rules in ``FONTS_SLOT``) as
    WeasyPrint does: the URLs it was refused, the document and WeasyPrint's warnings."""
    from weasyprint import CSS, HTML

    html = with_fonts(html, edition.language, files)
    refused: list[str] = []
    extra = []
    if profile:
        from banmian.backends.pdf.press import BLEED_MM

        extra.append(CSS(string=f"@page {{ bleed: {BLEED_MM}mm; }}"))
    allowed = [*files.values(), *([profile] if profile else [])]
    with _logged() as logged:
        document = HTML(string=html, base_url=base_url,
                        url_fetcher=fetcher(assets, refused, allowed)).render(
            font_config=font_config(frozenset(files.values())), stylesheets=extra,
            pdf_variant="pdf/x-4" if profile else None)
    return refused, document, logged


def lay_out(edition: Edition, html: str, files: Mapping[Path, Path], base_url: str,
            assets: dict[str, tuple[str, bytes]], pages: list[Sheet],
            profile: Path | None) -> tuple[list[Diagnostic], Any, list[str], list[Diagnostic]]:
    """Lay out a print document (:func:`render`) and check it: the problems (BM301, BM300),
    the document (its placed frames feathered to their feet), WeasyPrint's warnings, and the
    widows, orphans and stranded subheads (BM304) and underset frames (BM305) the layout
    could not avoid."""
    refused, document, logged = render(edition, html, files, base_url, assets, profile)
    problems = [error("BM301", f"refused to fetch {url}") for url in refused]
    fills = feather(edition, document, pages)  # before copyfit: it may take in what spilled
    problems += fit_problems(edition, document, pages)
    short = [] if problems else underset(edition, fills)
    return problems, document, logged, break_warnings(edition, document) + short


def write(edition: Edition, document: Any, profile: Path | None) -> bytes:
    """Justify a laid-out document and write it: PDF/UA-1, or PDF/X-4 with ``profile``."""
    with _logged():
        justify(document)
        if profile:  # PDF/X-4 dates: the edition's, not the build's
            from banmian.backends.pdf.intent import w3c_date

            document.metadata.created = document.metadata.modified = w3c_date(edition.date)
        data: bytes = document.write_pdf(pdf_variant="pdf/x-4" if profile else "pdf/ua-1",
                                         pdf_tags=True, pdf_identifier=False)
    return data


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Laying out and writing make and drop many short-lived objects: while they run, every
    object already alive (the libraries, the edition, a laid-out document) is frozen
    (``gc.freeze``), so the collector's full passes walk only what is new, and unfrozen after
    (``gc.unfreeze``). Not if something is frozen already: that was done on purpose, and
    unfreezing would undo it. The sample's collections: 0.09 s -> 0.05 s. Only for one
    document in a process: pages laid out in turn (:mod:`.pages`) would each freeze the
    garbage the one before left, out of the collector's reach (a 48-page build's worker grew
    to 536 MB with it, 208 MB without)."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def _logged() -> Iterator[list[str]]:
    """WeasyPrint's warnings while laying out or writing, as strings, instead of the log."""
    logger = logging.getLogger("weasyprint")
    handler = _Records()
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    found: list[str] = []
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        found += handler.messages


def measure_copy(edition: Edition, folder: Path) -> Lines:
    """Where the lines of every paragraph of the pages the placer lays out end, at their
    column widths (:mod:`.layout.galley`): those pages laid out once as they are, in the
    grid's columns."""
    unplaced = replace(edition, pages=tuple(p for p in edition.pages if automatic(p)))
    pages = sheets(unplaced, {})
    # the copy is measured, not the photos: one blank pixel stands for every one of them
    images = {f"{m.id}/{f.id}": f"{ASSET_SCHEME}{_BLANK}" for m in unplaced.modules
              for f in m.figures}
    ready = prepare(unplaced, images, pages)
    document = render(unplaced, ready.html, ready.files, str(folder.resolve()) + "/",
                      {_BLANK: ("image/png", blank_png())}, None)[1]
    return line_breaks(document)


#: The name of the image that stands for every photo while the copy is measured.
_BLANK = "blank.png"


@cache
def blank_png() -> bytes:
    """A PNG of one white pixel."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("L", (1, 1), 255).save(out, "PNG")
    return out.getvalue()


def measured(edition: Edition, folder: Path) -> tuple[Edition, Lines | None]:
    """``edition`` with its real photos' own aspects, and its copy's lines measured, where it
    has pages without ``place`` (as it is, and None, where it has none)."""
    if not any(map(automatic, edition.pages)):
        return edition, None
    sized = photo_aspects(edition, folder)
    return sized, measure_copy(sized, folder)


def placed_layout(edition: Edition, folder: Path) -> Edition:
    """``edition`` with its pages without ``place`` placed as a build places them first (a
    build that finds a module overset there places it again: ``Output.layout`` is what it
    printed)."""
    sized, lines = measured(edition, folder)
    return place_edition(sized, frozenset(), lines)[0]


def empty_feet(placed: Edition, paths: set[str]) -> list[Diagnostic]:
    """BM306 for every page the placer laid out (its modules from ``paths``) that ends more
    than a grid row above its foot."""
    found = []
    for page in placed.pages:
        if not page.modules or page.modules[0].source.path not in paths:
            continue
        end = max(m.place.row + m.place.rows - 1 for m in page.modules if m.place)
        if page.rows - end > 1:
            found.append(warning("BM306", (
                f"page {page.label} ends {page.rows - end} of its {page.rows} rows above its "
                "foot: its copy, with its lead's placeholder photos as deep as 4:5, does not "
                "fill it; add copy or a photo"), page.source))
    return found


def _press(where: Source) -> tuple[Path, PressColour]:
    """A ``--press`` build's output profile (BM303 at ``where`` if there is none) and its
    photos' press colours (:mod:`.intent`, :mod:`banmian.assets.photos`: imported only
    for the press)."""
    from banmian.assets.photos import PressColour
    from banmian.backends.pdf.intent import output_profile, total_ink

    profile = output_profile(where)
    return profile, PressColour(profile, total_ink())


def _whole_page(placed: Edition, found: frozenset[tuple[str, Placement]]) -> bool:
    """Whether a module overset a place that is its whole page: no place can hold it."""
    return any((m.id, m.place) in found and m.place.span == p.columns and m.place.rows == p.rows
               for p in placed.pages for m in p.modules if m.place)


def slug(edition: Edition, sheet: Sheet) -> str:
    """The slug line of a sheet, without its plates: edition id, page label, date."""
    return f"{edition.id}  ·  page {sheet.page.label}  ·  {edition.date}  ·  plates"


class PdfBackend:
    """A print PDF with embedded CJK fonts, tagged, one PDF page per newspaper page.

    An edition of one page is laid out as one document. An edition of several pages is laid
    out page by page (:mod:`.pages`), each page from the page cache or laid out on
    ``executor`` (inline without one), and the pages joined into one PDF (:mod:`.assemble`);
    ``whole`` lays out every edition as one document instead.
    """

    name = "pdf"
    suffix = ".pdf"

    def __init__(self, executor: Executor | None = None, *, whole: bool = False) -> None:
        self.executor = executor
        self.whole = whole

    def build(self, edition: Edition, folder: Path, options: BuildOptions) -> Output:
        """The PDF of ``edition``; pages without ``place`` are placed first (:mod:`.placer`),
        and placed again if a module oversets there (BM300), never in that place again; where
        no place holds it (a paragraph deeper than a page), those pages flow in the page's
        columns onto as many pages as they need, as a page without placement always did.
        Underset (BM305) is reported for the editor's own places only: "give it fewer rows"
        means nothing for a page the placer laid out."""
        refused: frozenset[tuple[str, Placement]] = frozenset()
        sized, lines = measured(edition, folder)
        placer = {m.source.path for p in edition.pages if automatic(p) for m in p.modules}
        for attempt in range(PLACE_ATTEMPTS):
            placed, photos = place_edition(sized, refused, lines)
            try:
                output = self._build(placed, photos, folder, options)
                return replace(output, diagnostics=(*(
                    d for d in output.diagnostics if d.code != "BM305" or d.source is None
                    or d.source.path not in placer), *empty_feet(placed, placer)),
                    layout=placed if placer else None)
            except OutputError as failed:
                found = overset(edition, placed, failed.diagnostics)
                if not found:
                    raise
                if attempt + 1 == PLACE_ATTEMPTS or _whole_page(placed, found):
                    return self._build(edition, {}, folder, options)  # flow, unplaced
                refused |= found
        raise AssertionError("unreachable")

    def _build(self, edition: Edition, photos: dict[str, int], folder: Path,
               options: BuildOptions) -> Output:
        pages = sheets(edition, photos)
        widest = max((s.frames[m.id].figure_pt(m, f) for s in pages for m in s.page.modules
                      for f in m.figures), default=0.0)
        where = Source(edition.source.path, 0)
        profile, press = _press(where) if options.press else (None, None)
        prepared = figure_assets(edition, folder, max(1, round(widest / 72 * PRINT_DPI)), press)
        assets = {a.name: (a.media_type, a.data) for a in prepared}
        images = {a.key: f"{ASSET_SCHEME}{a.name}" for a in prepared}
        ready = prepare(edition, images, pages, profile)
        html, chars, files = ready.html, ready.chars, ready.files
        base_url = str(folder.resolve()) + "/"
        if self.whole or len(pages) == 1:
            with _frozen_heap():
                problems, document, logged, strands = lay_out(edition, html, files, base_url,
                                                              assets, pages, profile)
                if problems:
                    raise OutputError(problems)
                data = write(edition, document, profile)
            problems = document_fonts(document, edition.language, where)  # what it wrote
        else:
            executor = options.pages or self.executor
            data, logged, strands = self._by_page(edition, pages, images, chars, files,
                                                  base_url, assets, profile, executor)
            problems = foreign_fonts(data, edition.language, where)  # the joined file's
        if problems:
            raise OutputError(problems)
        if profile:
            from banmian.backends.pdf.press import press_pdf

            data = press_pdf(data, [slug(edition, s) for s in pages],
                             faces(edition.language)["sans-bold"].path)
        found = [warning("BM302", f"WeasyPrint: {m}", where) for m in dict.fromkeys(logged)]
        return Output(data, (*image_warnings(edition, prepared, pages), *strands, *found))

    def _by_page(self, edition: Edition, pages: list[Sheet], images: dict[str, str],
                 chars: dict[Path, frozenset[str]], files: dict[Path, Path], base_url: str,
                 assets: dict[str, tuple[str, bytes]], profile: Path | None,
                 executor: Executor | None) -> tuple[bytes, list[str], list[Diagnostic]]:
        """Every sheet laid out on its own (cached, on ``executor``), joined into one PDF."""
        from banmian.backends.pdf.assemble import assemble
        from banmian.backends.pdf.pages import (
            PageTask,
            page_edition,
            part_path,
            run_pages,
            task_fonts,
            task_profile,
        )

        tasks, fonts = [], task_fonts(chars)
        for sheet in pages:
            keys = {f"{m.id}/{f.id}" for m in sheet.page.modules for f in m.figures}
            mine = {k: v for k, v in images.items() if k in keys}
            tasks.append(PageTask(
                page_edition(edition, sheet), sheet,
                render_html(edition, mine, [sheet], files={}, profile=profile,
                            font_slot=FONTS_SLOT),
                fonts,
                tuple((n, *assets[n]) for n in sorted(assets) if f"{ASSET_SCHEME}{n}"
                      in mine.values()),
                base_url, task_profile(profile)))
        with tempfile.TemporaryDirectory(prefix="banmian-pages-") as spool:
            results = run_pages(tasks, Path(spool), executor.map if executor else None)
            problems = [p for r in results for p in r.problems]
            if problems:
                raise OutputError(problems)
            data = assemble([part_path(Path(spool), i) for i in range(len(results))],
                            {postscript_name(p): p for p in files.values()})
        return (data, [m for r in results for m in r.warnings],
                [n for r in results for n in r.notes])
