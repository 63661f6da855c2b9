"""Renderer comparison: does a PDF look the same in poppler, MuPDF and Ghostscript?

This module owns rendering every page of a PDF with the three renderers, reading their stderr
for glyph and font messages, and measuring how far each page image is from poppler's. Why: a PDF
whose CFF CID fonts have CIDs that are not their glyph ids looks right in poppler but loses
glyphs in MuPDF and draws boxes in Ghostscript, and no structural check sees that.

Method. Each renderer draws every page at ``dpi`` (60 by default) in grey, in a temporary
folder. A renderer's stderr line that mentions a glyph or a font (any case) is a problem: MuPDF
prints ``warning: FT_Load_Glyph(...): invalid argument`` and ``warning: cannot render glyph``
for such fonts, MuPDF and poppler ``non-embedded font using identity encoding: ...`` for a font
left out; any other line, such as MuPDF's ``warning: ICC support is not available``, is
ignored. Ghostscript, run with ``-q``, printed nothing for either broken file tried: for it the
pixels decide. Page images are then compared with poppler's (the reference): sizes may differ
by one pixel (the renderers round the page size differently; the images are cropped to the
common size), more is a problem. Both images are blurred (Gaussian, radius 1) and the share
of pixels whose grey differs by more than 64 is measured at the best of nine alignments, the
other image shifted by at most one pixel in each direction, because the renderers also place
the page origin differently: unshifted, a correct small page differs by 0.8%, shifted by 0.00%.
A share above the renderer's limit is a problem.

:func:`compare_renderers` returns ``(problems, measurements)``. Problems are sentences; those
saying a renderer is not installed (so nothing was compared with it) are told apart from the
others by :func:`is_missing`, so that a caller can report them as warnings.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image, ImageChops, ImageFilter

# Largest share of differing pixels allowed on a page. Measured at 60 dpi with the method above
# (poppler 22.12, MuPDF 1.21.1, Ghostscript 10.00):
#                                            MuPDF   Ghostscript
#   390x543 mm CJK page, correct fonts       0.20%   0.22%
#   the same page, CIDs != glyph ids         7.24%   3.19%
#   100x60 mm WeasyPrint page, Noto CJK      0.00%   0.00%
#   200x150 mm page with a photo             0.09%   0.12%
# Each limit sits near the geometric mean of its correct and broken measurements: at least
# 3 times either side.
MUPDF_LIMIT = 0.015
GHOSTSCRIPT_LIMIT = 0.01

GREY_TOLERANCE = 64  # grey levels (of 255) two blurred pixels may differ by and still agree
BLUR_RADIUS = 1
TIMEOUT_SECONDS = 30  # per renderer, plus TIMEOUT_SECONDS_PER_PAGE for each page
TIMEOUT_SECONDS_PER_PAGE = 10
NOT_INSTALLED = " is not installed: "
_GLYPH_MESSAGE = re.compile(r"glyph|font", re.IGNORECASE)


@dataclass(frozen=True)
class Comparison:
    """How much one page drawn by one renderer differs from poppler's: a share, 0 to 1."""

    renderer: str
    page: int
    differing: float


@dataclass(frozen=True)
class Renderer:
    """A renderer: its name in messages, its program, its arguments and its limit.

    The arguments are formatted with ``dpi``, ``pdf`` and ``out`` (a folder for its images).
    """

    name: str
    program: str
    arguments: tuple[str, ...]
    limit: float


POPPLER = Renderer("poppler", "pdftoppm",
                   ("-gray", "-r", "{dpi}", "-png", "{pdf}", "{out}/page"), 0.0)
MUPDF = Renderer("MuPDF", "mutool",
                 ("draw", "-q", "-r", "{dpi}", "-c", "gray", "-o", "{out}/page%d.png", "{pdf}"),
                 MUPDF_LIMIT)
GHOSTSCRIPT = Renderer("Ghostscript", "gs",
                       ("-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pnggray", "-r{dpi}",
                        "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4",
                        "-sOutputFile={out}/page%d.png", "{pdf}"),
                       GHOSTSCRIPT_LIMIT)
RENDERERS = (POPPLER, MUPDF, GHOSTSCRIPT)


def compare_renderers(pdf: Path, dpi: int = 60) -> tuple[list[str], list[Comparison]]:
    """(problems, measurements) for every page of ``pdf``, MuPDF's then Ghostscript's.

    Problems are sentences such as 'page 1: MuPDF differs from poppler in 7.24% of pixels
    (limit 1.5%)', 'MuPDF: 10814 glyph or font warnings, e.g. "warning: ..."' or 'mutool is not
    installed: MuPDF not compared'; :func:`is_missing` tells the last kind apart.
    """
    programs = {renderer: shutil.which(renderer.program) for renderer in RENDERERS}
    problems = [_not_installed(r) for r, program in programs.items() if program is None]
    if programs[POPPLER] is None:
        return problems, []
    try:
        with pikepdf.open(pdf) as document:
            pages = len(document.pages)
    except pikepdf.PdfError as exc:
        return [*problems, f"cannot read the PDF to render it: {exc}"], []
    comparisons: list[Comparison] = []
    with tempfile.TemporaryDirectory(prefix="banmian-render-") as folder:
        source = Path(folder) / "in.pdf"  # a plain name: no path of the user's in messages
        shutil.copyfile(pdf, source)
        images: dict[Renderer, list[Path]] = {}
        for renderer, program in programs.items():
            if program is not None:
                images[renderer], found = _render(renderer, program, source, dpi, pages)
                problems += found
        for renderer in (MUPDF, GHOSTSCRIPT):
            if renderer in images:
                found, measured = _compare_pages(renderer, images[POPPLER], images[renderer])
                problems += found
                comparisons += measured
    return problems, comparisons


def is_missing(problem: str) -> bool:
    """Whether a problem of :func:`compare_renderers` says a renderer is not installed."""
    return problem.startswith(tuple(r.program + NOT_INSTALLED for r in RENDERERS))


def _not_installed(renderer: Renderer) -> str:
    if renderer is POPPLER:
        return f"{renderer.program}{NOT_INSTALLED}poppler is the reference, nothing compared"
    return f"{renderer.program}{NOT_INSTALLED}{renderer.name} not compared"


def _render(renderer: Renderer, program: str, pdf: Path, dpi: int,
            pages: int) -> tuple[list[Path], list[str]]:
    """(page images in page order, problems) of one renderer drawing ``pdf``."""
    out = pdf.parent / renderer.program
    out.mkdir()
    command = [program, *(a.format(dpi=dpi, pdf=pdf, out=out) for a in renderer.arguments)]
    timeout = TIMEOUT_SECONDS + TIMEOUT_SECONDS_PER_PAGE * pages
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              errors="replace", timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return [], [f"{renderer.name} did not finish in {timeout} s: not compared"]
    problems = _glyph_problems(renderer, done.stderr)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return [], [*problems, f"{renderer.name} failed (exit {done.returncode}): {last}"]
    images = sorted(out.glob("page*.png"), key=lambda p: int(re.sub(r"\D", "", p.stem)))
    if len(images) != pages:
        problems.append(f"{renderer.name} rendered {len(images)} of {pages} pages")
    return images, problems


def _glyph_problems(renderer: Renderer, stderr: str) -> list[str]:
    lines = [line.strip() for line in stderr.splitlines() if _GLYPH_MESSAGE.search(line)]
    if not lines:
        return []
    plural = "s" if len(lines) > 1 else ""
    return [f'{renderer.name}: {len(lines)} glyph or font warning{plural}, e.g. "{lines[0]}"']


def _compare_pages(renderer: Renderer, reference: list[Path],
                   images: list[Path]) -> tuple[list[str], list[Comparison]]:
    """(problems, measurements) of one renderer's page images against poppler's."""
    problems: list[str] = []
    comparisons: list[Comparison] = []
    for page, (expected, actual) in enumerate(zip(reference, images, strict=False), start=1):
        with Image.open(expected) as want, Image.open(actual) as got:
            if abs(want.width - got.width) > 1 or abs(want.height - got.height) > 1:
                problems.append(f"page {page}: {renderer.name} draws it {got.width}x{got.height}"
                                f" pixels, poppler {want.width}x{want.height}")
                continue
            share = differing(want, got)
        comparisons.append(Comparison(renderer.name, page, share))
        if share > renderer.limit:
            problems.append(f"page {page}: {renderer.name} differs from poppler in {share:.2%}"
                            f" of pixels (limit {renderer.limit:.1%})")
    return problems, comparisons


def differing(reference: Image.Image, image: Image.Image) -> float:
    """Share of pixels whose blurred grey differs by more than GREY_TOLERANCE, at the best of
    nine alignments (``image`` shifted by at most one pixel each way); 0 if under 3x3 pixels."""
    blur = ImageFilter.GaussianBlur(BLUR_RADIUS)
    want = reference.convert("L").filter(blur)
    got = image.convert("L").filter(blur)
    right = min(want.width, got.width) - 1
    bottom = min(want.height, got.height) - 1
    if right < 2 or bottom < 2:
        return 0.0
    inner = want.crop((1, 1, right, bottom))
    area = inner.width * inner.height
    shares = []
    for dx, dy in itertools.product((-1, 0, 1), repeat=2):
        shifted = got.crop((1 + dx, 1 + dy, right + dx, bottom + dy))
        counts = ImageChops.difference(inner, shifted).histogram()
        shares.append(sum(counts[GREY_TOLERANCE + 1:]) / area)
    return min(shares)
