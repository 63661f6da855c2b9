"""How deep a module prints at a given span, from its copy, in points.

The automatic placement (:mod:`.placer`) sizes frames with these depths before anything is
laid out, so they follow ``styles/print.css`` measure for measure. A paragraph takes the lines
the copy was measured to take (:mod:`.galley`, :data:`Lines`); one not measured is estimated: a
body line holds the column's width in body ems of Han characters (each 1 em; Latin runs and
squeezed punctuation are narrower, so counting every character as 1 em errs on the deep side),
and the paragraph adds its 2 em indent. Headlines break as :func:`.headlines.balance` breaks
them at their size (``data/papers.toml``); kickers, decks, subheads, brief titles and
captions take their own sizes and line heights; a photo is as deep as its width and aspect
give. A run of text between two photo bands is cut into the frame's columns as
:mod:`.columns` cuts it, keeping its rules (no orphan, no widow, two lines under a heading):
where every line of the run is known, the run is exactly as deep as that allows
(:func:`.columns.least_depth`); where some are estimated, it is given ``SLACK_LINES`` more than
its even share, and ``SLACK_PER_COLUMN`` for each column past two, since an estimate a little
shallow oversets the frame (BM300). The short foot of a run's columns (:func:`ragged_pt`) is
the hole the placer weighs besides a frame's foot.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from math import ceil

from banmian.backends.pdf.layout.columns import Unit, least_depth
from banmian.backends.pdf.layout.geometry import BOX_RULE_PT, BOXED_ROLES, banded, photo_widths
from banmian.backends.pdf.layout.headlines import balance
from banmian.grid import MM, Grid, headline_pt
from banmian.model import Figure, Module, Paragraph

#: Lines added to every balanced run of text in two columns, and for each further column
#: (see the docstring): measured, the estimates of the imported seed's modules at spans 2 to 8
#: came out 0.8 lines too shallow to 2 lines too deep with one line for any span, and a short
#: run in 8 columns under a subhead overset by half a line.
SLACK_LINES = 1.0
SLACK_PER_COLUMN = 0.25
#: A run balanced over more than two columns less deep than this (lines) comes out uneven:
#: paragraphs keep two lines on either side of a column break (print.css orphans, widows);
#: measured, a lead's two opening paragraphs in six columns left one column 9.8 lines short.
SHORT_RUN = 6
#: Sizes (pt) and line heights (em) of print.css.
KICKER = (16.0, 1.4)
DECK = (14.0, 1.4)
PEN_NAME = (12.0, 1.4)
BRIEF_TITLE_PT = 11.0
CAPTION = (8.5, 1.4)
BANNER = (14.0, 1.3)


#: Where each line of a paragraph ends as laid out (:mod:`.galley`: characters from its start,
#: whitespace not counted), by column width and text (:func:`line_key`): where a paragraph is
#: found here, its depth is measured, not estimated.
Lines = Mapping[tuple[float, str], tuple[int, ...]]


def line_key(width_pt: float, text: str) -> tuple[float, str]:
    """The key of a paragraph's measured lines: its column's width (pt, to a tenth) and its
    text without whitespace (what a laid-out paragraph's text boxes hold)."""
    return round(width_pt, 1), "".join(text.split())


@dataclass(frozen=True)
class Measure:
    """The measures a module is set in at one span: body columns, their width and the line,
    and the lines its paragraphs were measured to take, where they were."""

    grid: Grid
    columns: int
    column_pt: float
    photo_columns: int
    lines: Lines | None = None

    @property
    def line_pt(self) -> float:
        return self.grid.em * self.grid.paper.leading

    @property
    def inner_pt(self) -> float:
        return self.columns * self.column_pt + (self.columns - 1) * self.grid.gap_pt

    @property
    def chars(self) -> int:
        """Body characters in a line of one column."""
        return max(1, int(self.column_pt // self.grid.em))


def measure_at(grid: Grid, module: Module, span: int, photo_columns: int,
               lines: Lines | None = None) -> Measure:
    """The measures of ``module`` in a frame ``span`` grid columns wide (a boxed frame's
    columns are one em narrower, as :func:`.geometry.frame_of` makes them)."""
    boxed = module.role in BOXED_ROLES
    return Measure(grid, span, grid.column_pt - (grid.em if boxed else 0.0), photo_columns,
                   lines)


def _lines(text: str, per_line: float) -> int:
    return max(1, ceil(len(text) / max(1.0, per_line)))


def _wrapped(text: str | None, size: tuple[float, float], width: float) -> float:
    """Depth of a centred line or lines of ``text`` that break only between words (one line
    more than the characters need once it wraps)."""
    if not text:
        return 0.0
    count = _lines(text, width // size[0])
    return (count + (1 if count > 1 else 0)) * size[0] * size[1]


def header_pt(module: Module, m: Measure) -> float:
    """Banner, kicker, headline, deck, byline and pen name, with their margins."""
    depth = 0.0
    if module.banner:
        depth += BANNER[0] * BANNER[1] + 4 * MM + 2.5 + 2 * MM
    if module.headline:
        size, tracking = headline_pt(module.role)
        per_line = int(m.inner_pt // (size * (1 + tracking)))
        depth += len(balance(module.headline, per_line)) * size * 1.2
        depth += (5 if module.role == "lead" else 3) * MM
    depth += _wrapped(module.kicker, KICKER, m.inner_pt)
    depth += _wrapped(module.deck, DECK, m.inner_pt)
    depth += m.line_pt if module.byline else 0.0
    depth += PEN_NAME[0] * PEN_NAME[1] if module.pen_name else 0.0
    if any((module.kicker, module.headline, module.deck, module.byline, module.pen_name)):
        depth += m.line_pt  # the header's margin
    return depth


def figure_pts(m: Measure, count: int) -> list[float]:
    """The width of each photo of a band of ``count`` (as ``Frame.figure_pt`` gives them)."""
    return photo_widths(m.columns, m.column_pt, m.grid.gap_pt, count, m.photo_columns)


def band_pt(m: Measure, figures: tuple[Figure, ...]) -> float:
    """A band of photos: each photo, its caption (and credit), the band's margins, and the
    credit line it shares when every photo has the same credit."""
    widths = figure_pts(m, len(figures))
    credits = {f.credit for f in figures}
    shared = len(figures) > 1 and len(credits) == 1 and None not in credits
    tallest = 0.0
    for fig, width in zip(figures, widths, strict=True):
        caption = _lines(fig.caption, width // CAPTION[0])
        credit = 0 if shared or not fig.credit else _lines(fig.credit, width // CAPTION[0])
        photo = width * fig.aspect[1] / fig.aspect[0]
        tallest = max(tallest, photo + 1 * MM + (caption + credit) * CAPTION[0] * CAPTION[1])
    depth = 0.5 * m.grid.em + tallest + m.line_pt
    if shared:  # its line, pulled up three quarters of a line, half a line under it
        depth += CAPTION[0] * CAPTION[1] + m.line_pt * (0.5 - 0.75)
    return depth


@dataclass(frozen=True)
class Piece:
    """A piece of a run of text as print sets it: the depth of each of its lines in grid
    lines (a subhead's are two deep), whether it heads what follows, the blank lines above
    it (none at a column's top), and whether its lines are known (measured, or a heading's
    own) rather than estimated from its characters."""

    lines: tuple[float, ...]
    heading: bool = False
    space: float = 0.0
    known: bool = True

    @property
    def depth(self) -> float:
        return self.space + sum(self.lines)


def _paragraph(m: Measure, paragraph: Paragraph, lead: str = "") -> Piece:
    """A paragraph's lines: as measured, else from its characters."""
    measured = m.lines.get(line_key(m.column_pt, lead + paragraph.text)) if m.lines else None
    count = len(measured) if measured else _lines(" " * 2 + lead + paragraph.text, m.chars)
    return Piece((1.0,) * count, known=bool(measured))


def runs(module: Module, m: Measure) -> Iterator[Piece | tuple[Figure, ...]]:
    """The body as print sets it: each piece of text, and each photo band, in order."""
    if module.lead_figures:
        yield module.lead_figures
    for section in module.sections:
        if section.subhead:
            size = headline_pt("subhead")[0]
            yield Piece((2.0,) * _lines(section.subhead, m.column_pt // size), heading=True)
        for item in banded(module, section.blocks):
            yield item if isinstance(item, tuple) else _paragraph(m, item)
    for index, brief in enumerate(module.briefs):  # a grid line a title line, one above
        yield Piece((1.0,) * _lines(brief.title, m.column_pt // BRIEF_TITLE_PT), heading=True,
                    space=0.0 if index == 0 else 1.0)
        for number, para in enumerate(brief.paragraphs):
            yield _paragraph(m, para, (brief.dateline or "") + " " if number == 0 else "")
        if brief.contributor:
            yield Piece((1.0,))
    if module.contributor and not module.briefs:
        yield Piece((1.0,))


def galley(pieces: Sequence[Piece]) -> list[Unit]:
    """The lines of ``pieces`` as the galley :mod:`.columns` cuts (in grid lines)."""
    units, top = [], 0.0
    for piece in pieces:
        top += piece.space
        for depth in piece.lines:
            units.append(Unit(None, piece, piece.heading, top, depth))
            top += depth
    return units


def balanced_pt(m: Measure, pieces: Sequence[Piece]) -> float:
    """A run of text balanced over the measure's columns: where every line of it is known,
    as deep as :mod:`.columns` can cut it keeping its rules; else its even share and
    :func:`slack_lines`."""
    total = sum(p.depth for p in pieces)
    if total <= 0:
        return 0.0
    if m.columns == 1:
        return total * m.line_pt
    if all(p.known for p in pieces):
        return _least_lines(tuple(pieces), m.columns) * m.line_pt
    return (ceil(total / m.columns - 1e-9) + slack_lines(m)) * m.line_pt


@lru_cache(maxsize=8192)
def _least_lines(pieces: tuple[Piece, ...], columns: int) -> float:
    """:func:`.columns.least_depth` of ``pieces`` (a placer weighs the same runs often)."""
    return least_depth(galley(pieces), columns)


def slack_lines(m: Measure, pieces: Sequence[Piece] = ()) -> float:
    """What a balanced run is given beyond its even share, in lines (none where every line
    of ``pieces`` is known)."""
    if pieces and all(p.known for p in pieces):
        return 0.0
    return SLACK_LINES + SLACK_PER_COLUMN * max(0, m.columns - 2)


def ragged_pt(m: Measure, pieces: Sequence[Piece]) -> float:
    """How much shorter the shortest column of a balanced run is than the run: where every
    line is known, the room its columns leave spread over them as :mod:`.columns` cuts them
    (as evenly as it can); else its lines fill ``columns - 1`` columns to the run's depth and
    leave the last one the remainder, and a run under ``SHORT_RUN`` lines deep in more than
    two columns may leave a column empty."""
    lines = ceil(sum(p.depth for p in pieces) - 1e-9)
    if m.columns == 1 or lines <= 0:
        return 0.0
    if all(p.known for p in pieces):
        room = balanced_pt(m, pieces) / m.line_pt * m.columns - lines
        return ceil(room / m.columns - 1e-9) * m.line_pt
    depth = ceil(lines / m.columns)
    if m.columns > 2 and depth < SHORT_RUN:  # balanced unevenly: a column may stay empty
        return depth * m.line_pt
    return (-lines % m.columns) * m.line_pt


def _short(m: Measure, figures: tuple[Figure, ...]) -> bool:
    """Whether a band leaves a column's width or more empty beside its photos."""
    width = sum(figure_pts(m, len(figures))) + (len(figures) - 1) * m.grid.gap_pt
    return m.inner_pt - width >= m.column_pt / 2


@dataclass(frozen=True)
class Body:
    """The estimate of a body: its depth, and the empty foot of the last column of its last
    run of text (the slack given to it included: the likely hole at the frame's foot) and of
    the runs above its photo bands, or the empty space beside a band of photos narrower than
    the frame (the worst of them)."""

    depth_pt: float
    last_gap_pt: float
    inner_gap_pt: float


def body_of(module: Module, m: Measure) -> Body:
    """The body: runs of text balanced over the columns, photo bands across them."""
    depth, inner = 0.0, 0.0
    pending: list[Piece] = []
    for piece in runs(module, m):
        if isinstance(piece, tuple):
            band = band_pt(m, piece)
            depth += balanced_pt(m, pending) + band
            inner = max(inner, ragged_pt(m, pending), band if _short(m, piece) else 0.0)
            pending = []
        else:
            pending.append(piece)
    slack = slack_lines(m, pending) * m.line_pt if pending and m.columns > 1 else 0.0
    return Body(depth + balanced_pt(m, pending), ragged_pt(m, pending) + slack, inner)


def frame_extra_pt(module: Module, m: Measure) -> float:
    """What the frame adds above and below its content: a box's rule and padding, a
    commentary's rule."""
    if module.role in BOXED_ROLES:
        return m.columns * m.grid.em - 2 * BOX_RULE_PT + 2 * BOX_RULE_PT
    if module.role == "commentary":
        return 2.0 + 1 * MM
    return 0.0


@dataclass(frozen=True)
class Estimate:
    """A module's estimated depth in a frame (pt), and the empty feet of its columns."""

    depth_pt: float
    last_gap_pt: float = 0.0
    inner_gap_pt: float = 0.0


def estimate(grid: Grid, module: Module, span: int, photo_columns: int,
             lines: Lines | None = None) -> Estimate:
    """How deep ``module`` prints in a frame ``span`` grid columns wide, in points (its
    paragraphs as deep as ``lines`` measured them, where it did)."""
    m = measure_at(grid, module, span, photo_columns, lines)
    body = body_of(module, m)
    return Estimate(frame_extra_pt(module, m) + header_pt(module, m) + body.depth_pt,
                    body.last_gap_pt, body.inner_gap_pt)
