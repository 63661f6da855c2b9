"""Automatic placement: the modules of a page without ``place`` as frames on its grid.

Print only (the EPUB never sees it). A page where no module has a ``place`` is laid out here
before the print document is made, and then goes down the placed-page path like any other:
copyfit (BM300), the checks, the page cache. The placer works on the finest grid the paper
allows (:func:`banmian.grid.grid_limits`: a row is about one line deep, a row and its gap two),
so a frame can be sized to within two lines of its copy, whose depth at each span it knows
from the copy's measured lines (:mod:`.galley`, :mod:`.depth`).

What it tries, for the page's first module (the lead, "the top") and the rest in reading order:

- the top across ``L`` columns (all of them down to half), its photo bands as wide as the
  frame (each photo a whole number of columns, so no band has empty columns beside it);
- the rest split between a side strip (the ``C − L`` columns beside the top, from the first
  row) and strips side by side under the top; in each strip the modules stack, each frame as
  deep as its copy and the strip's last frame down to the page's bottom;
- the top cut in two, its tail leading the side strip or the strips under it; where the tail
  and the rest go beside it, also at the line that sets the two strips level;
- a module that does not fit where its strip ends is cut where the strip is full (at a line
  of a measured paragraph, between briefs for a strip of briefs, :mod:`.parts`): what fits
  stays, the rest continues on a further page of the same section, laid out the same way;
- or the copy after the top flows through the side strip and the strips under it in turn, a
  module cut where a strip is full and continued in the next.

Of all the arrangements it keeps the one whose largest hole (a frame deeper than its copy,
the short foot of a balanced run's columns, the space beside a narrow band of photos) is
smallest, one page rather than two when the copy fits on one, then the one that leaves the
fewest rows empty at the page's foot. On a section's last page, where rows stay empty, the
lead's placeholder photos are made deeper (cropped taller, up to 4:5) as far as fills the
page (:func:`filled`); what is still empty, the build reports (BM306).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import combinations, pairwise
from math import ceil

from banmian.backends.pdf.layout.depth import Estimate, Lines, estimate, figure_pts, measure_at
from banmian.backends.pdf.layout.geometry import photo_groups
from banmian.backends.pdf.layout.parts import Cut, cut, part_lines, units
from banmian.diagnostics import Diagnostic
from banmian.grid import Grid, grid_limits, make_grid
from banmian.model import Edition, Figure, Module, Page, Paragraph, Placement

#: The narrowest strip beside or under the top, in grid columns (on a grid this wide or more).
MIN_SPAN = 2
#: On a section's last page, flowing copy is also tried ending up to this many rows higher.
BOTTOMS = 8
#: Up to this many modules beside the top are tried in every split between side and below;
#: more in contiguous runs only.
MAX_SUBSETS = 4
#: At most this many places to cut the top module in two are tried.
MAX_CUTS = 16
#: The most places to cut at (paragraphs, briefs) a page may have for the placer to lay it
#: out; a broadsheet page holds some 150 paragraphs.
MAX_UNITS = 600
#: The cuts on either side of the one that sets a cut top level with the strip beside it that
#: are tried (:func:`_balanced`).
BALANCE = 2
#: The tallest a placeholder photo is made to fill a page (height over width: 4:5 portrait),
#: in this many steps from its own aspect (:func:`filled`).
TALLEST = 5 / 4
GROWTH_STEPS = 8
#: No photo of a layout is deeper than this share of the grid's depth where another layout
#: can do without (a photo across eight columns of a broadsheet at 3:2 takes half the page).
PHOTO_SHARE = 0.45
#: The top is cut in the arrangements of stacked strips only when this many modules or fewer
#: follow it (the flowing arrangements always cut), which keeps a page of ten modules to
#: seconds.
MAX_CUT_WITH = 3


@dataclass(frozen=True)
class Slot:
    """One module (or part of one) on the page: its place, photo width and estimated depth."""

    module: Module
    place: Placement
    photo_columns: int
    estimate: Estimate

    def hole_pt(self, grid: Grid) -> float:
        """The deepest hole the frame is likely to have: its foot below the estimated copy
        (the last column's short foot included), or the short foot of a column above a band."""
        foot = grid.cell_height_pt(self.place) - self.estimate.depth_pt
        return max(foot + self.estimate.last_gap_pt, self.estimate.inner_gap_pt)


@dataclass(frozen=True)
class Layout:
    """One page's frames and what continues on the next page."""

    slots: tuple[Slot, ...]
    rest: tuple[Module, ...]

    def holes_pt(self, grid: Grid) -> list[float]:
        """The deepest hole of each frame (:meth:`Slot.hole_pt`)."""
        return [s.hole_pt(grid) for s in self.slots]


#: A module (by id) in a place where a layout found it overset.
Refused = frozenset[tuple[str, Placement]]


class Sizer:
    """Estimated depths and rows of modules at each span, on one grid (memoised), from the
    paragraphs' measured ``lines`` where given, and the places that a layout refused to
    modules."""

    def __init__(self, grid: Grid, refused: Refused = frozenset(),
                 lines: Lines | None = None) -> None:
        self.grid = grid
        self.refused = refused
        self.lines: dict[tuple[float, str], tuple[int, ...]] = dict(lines or {})
        self._memo: dict[tuple[int, int], tuple[Estimate, int]] = {}
        self._keep: list[Module] = []
        self._cuts: dict[tuple[int, Cut], tuple[Module, Module]] = {}
        self._places: dict[int, list[Cut]] = {}
        self._widest: dict[int, int] = {}
        self._memo_tallest: dict[tuple[int, int], float] = {}

    def photo_columns(self, module: Module, span: int) -> int:
        """Photos as wide as fills the frame: ``span`` shared by the widest band's photos."""
        if id(module) not in self._widest:
            self._keep.append(module)
            self._widest[id(module)] = max((len(g) for g in photo_groups(module)), default=1)
        return max(1, span // self._widest[id(module)])

    def cut(self, module: Module, at: Cut) -> tuple[Module, Module]:
        """:func:`cut`, the same parts for the same cut (so their estimates are kept); a
        paragraph cut in two leaves the lines of its parts measured."""
        key = (id(module), at)
        if key not in self._cuts:
            self._keep.append(module)
            self._cuts[key] = cut(module, at)
            if at.chars:
                flat = [b for s in module.sections for b in s.blocks]
                paragraph = flat[at.block]
                assert isinstance(paragraph, Paragraph)
                self.lines.update(part_lines(paragraph, at.chars, self.width(module),
                                             self.lines))
        return self._cuts[key]

    def tallest(self, module: Module, span: int) -> float:
        """The depth of ``module``'s tallest photo at ``span`` (pt)."""
        key = (id(module), span)
        if key not in self._memo_tallest:
            self._keep.append(module)
            m = measure_at(self.grid, module, span, self.photo_columns(module, span))
            self._memo_tallest[key] = max(
                (w * f.aspect[1] / f.aspect[0] for band in photo_groups(module)
                 for f, w in zip(band, figure_pts(m, len(band)), strict=True)), default=0.0)
        return self._memo_tallest[key]

    def width(self, module: Module) -> float:
        """The width of ``module``'s body columns (pt)."""
        return measure_at(self.grid, module, 1, 1).column_pt

    def places(self, module: Module) -> list[Cut]:
        """Every place to cut ``module`` at, inside its measured paragraphs too."""
        key = id(module)
        if key not in self._places:
            self._keep.append(module)
            self._places[key] = units(module, self.lines, self.width(module))
        return self._places[key]

    def cuts(self, module: Module) -> list[tuple[Module, Module]]:
        """Every way to cut ``module`` in two between blocks (at most ``MAX_CUTS``, evenly
        chosen)."""
        places = units(module)
        step = max(1, ceil(len(places) / MAX_CUTS))
        return [self.cut(module, at) for at in places[::step]]

    def estimate(self, module: Module, span: int) -> Estimate:
        return self._sized(module, span)[0]

    def depth(self, module: Module, span: int) -> float:
        return self._sized(module, span)[0].depth_pt

    def rows(self, module: Module, span: int) -> int:
        return self._sized(module, span)[1]

    def _sized(self, module: Module, span: int) -> tuple[Estimate, int]:
        key = (id(module), span)
        if key not in self._memo:
            self._keep.append(module)  # ids stay unique while the memo holds them
            found = estimate(self.grid, module, span, self.photo_columns(module, span),
                             self.lines)
            self._memo[key] = found, rows_for(self.grid, found.depth_pt)
        return self._memo[key]


def rows_for(grid: Grid, depth: float) -> int:
    """The fewest grid rows whose frame is at least ``depth`` deep."""
    return max(1, ceil((depth + grid.row_gap_pt) / (grid.row_pt + grid.row_gap_pt) - 1e-9))


def fit(sizer: Sizer, module: Module, span: int, room: int) -> tuple[Module | None, Module]:
    """The longest head of ``module`` that fits ``room`` rows at ``span`` (None if not even
    its first paragraph does), and the tail that continues elsewhere."""
    places = sizer.places(module)
    best: tuple[Module, Module] | None = None
    low, high = 0, len(places) - 1
    while low <= high:  # a longer head is never shallower: bisect the cuts
        middle = (low + high) // 2
        head, tail = sizer.cut(module, places[middle])
        if sizer.rows(head, span) <= room:
            best, low = (head, tail), middle + 1
        else:
            high = middle - 1
    return best if best else (None, module)


@dataclass(frozen=True)
class Strip:
    """Modules stacked one under another in columns ``col`` … ``col + span - 1`` from ``top``."""

    modules: tuple[Module, ...]
    col: int
    span: int
    top: int


def stack(sizer: Sizer, strip: Strip, bottom: int) -> tuple[list[Slot], list[Module], int]:
    """The strip's frames down to row ``bottom`` (each as deep as its estimate), what does
    not fit (a module cut, the modules after it), and the last row its frames take."""
    slots: list[Slot] = []
    row = strip.top
    for index, module in enumerate(strip.modules):
        rows = sizer.rows(module, strip.span)
        if row + rows - 1 > bottom:
            head, tail = fit(sizer, module, strip.span, bottom - row + 1)
            if head is not None:
                slots.append(_slot(sizer, head, strip, row, bottom - row + 1))
                row = bottom + 1
            return slots, [tail, *strip.modules[index + 1:]], row - 1
        slots.append(_slot(sizer, module, strip, row, rows))
        row += rows
    return slots, [], row - 1


def _slot(sizer: Sizer, module: Module, strip: Strip, row: int, rows: int) -> Slot:
    return Slot(module, Placement(strip.col, strip.span, row, rows),
                sizer.photo_columns(module, strip.span), sizer.estimate(module, strip.span))


def _down_to(slots: list[Slot], bottom: int) -> list[Slot]:
    """``slots`` with the last frame reaching row ``bottom``."""
    if not slots:
        return slots
    last = slots[-1]
    rows = max(last.place.rows, bottom - last.place.row + 1)
    return [*slots[:-1], replace(last, place=replace(last.place, rows=rows))]


@dataclass(frozen=True)
class Plan:
    """One arrangement: the top's span, the modules in the side strip beside it and the
    strips under it (their modules and spans, left to right)."""

    top: Module
    span: int
    side: tuple[Module, ...]
    below: tuple[tuple[tuple[Module, ...], int], ...]


def _sides(rest: Sequence[Module], width: int) -> Iterator[tuple[Module, ...]]:
    """The choices of modules for a side strip ``width`` columns wide (none when 0)."""
    if not width:
        yield ()
        return
    if len(rest) <= MAX_SUBSETS:
        for mask in range(1, 2 ** len(rest)):
            yield tuple(m for i, m in enumerate(rest) if mask >> i & 1)
        return
    for start in range(len(rest)):
        for end in range(start + 1, len(rest) + 1):
            yield tuple(rest[start:end])


def _compositions(total: int, parts: int, least: int) -> Iterator[tuple[int, ...]]:
    """``total`` as ``parts`` whole numbers of at least ``least``, in order."""
    if parts == 1:
        if total >= least:
            yield (total,)
        return
    for first in range(least, total - least * (parts - 1) + 1):
        for others in _compositions(total - first, parts - 1, least):
            yield (first, *others)


def _strips(below: Sequence[Module], span: int,
            least: int) -> Iterator[tuple[tuple[tuple[Module, ...], int], ...]]:
    """The ways to set ``below`` in strips side by side across ``span`` columns."""
    if not below:
        yield ()
        return
    for count in range(1, min(len(below), span // least) + 1):
        for cuts in combinations(range(1, len(below)), count - 1):
            edges = (0, *cuts, len(below))
            groups = [tuple(below[a:b]) for a, b in pairwise(edges)]
            for spans in _compositions(span, count, least):
                yield tuple(zip(groups, spans, strict=True))


def plans(sizer: Sizer, modules: Sequence[Module]) -> Iterator[Plan]:
    """Every arrangement tried: the first module on top across all the columns down to half
    of them, the others beside it and under it; and the top
    cut between two paragraphs, its tail leading the strips under it or the side strip."""
    columns = sizer.grid.columns
    least = MIN_SPAN if columns >= 2 * MIN_SPAN else 1
    top, rest = modules[0], modules[1:]
    cuts = sizer.cuts(top) if len(rest) <= MAX_CUT_WITH else []
    heads = [(top, ()), *((h, (t,)) for h, t in cuts)]
    for span in range(columns, (columns + 1) // 2 - 1, -1):
        width = columns - span
        if (width and width < least) or (span < columns and span < least):
            continue
        for side in _sides(rest, width):
            below = [m for m in rest if all(m is not s for s in side)]
            for head, tail in heads:
                if width and not (side or tail):
                    continue
                for strips in _strips([*tail, *below], span, least):
                    if side or not width:
                        yield Plan(head, span, side, strips)
                if tail and width:
                    for strips in _strips(below, span, least):
                        yield Plan(head, span, (*tail, *side), strips)
            if width and not below and len(rest) <= MAX_CUT_WITH:
                for first, rest_of in _balanced(sizer, top, span, width, side):
                    yield Plan(first, span, (rest_of, *side), ())


def _balanced(sizer: Sizer, top: Module, span: int, width: int,
              side: Sequence[Module]) -> list[tuple[Module, Module]]:
    """The cuts of ``top`` (at a line inside a paragraph too) around the one where its head,
    ``span`` columns wide, is as deep as its tail and ``side`` stacked beside it in ``width``
    columns: the two strips end level, to the line, where cuts between paragraphs would leave
    one of them a paragraph's depth short."""
    places = sizer.places(top)

    def deeper(index: int) -> bool:
        head, tail = sizer.cut(top, places[index])
        return sizer.rows(head, span) >= sum(sizer.rows(m, width) for m in (tail, *side))

    low, high = 0, len(places) - 1
    while low < high:  # the head deepens as the cut moves on: bisect for the crossing
        middle = (low + high) // 2
        low, high = (low, middle) if deeper(middle) else (middle + 1, high)
    return [sizer.cut(top, places[i]) for i in range(max(0, low - BALANCE), low + BALANCE)
            if i < len(places)]


def lay(sizer: Sizer, plan: Plan) -> Layout | None:
    """The frames of ``plan`` on a page, each strip's last frame down to the page's bottom
    (when everything fits, the section's last page: down to the deepest strip's end); None
    if the top leaves no room under it for the strips it should have there."""
    bottom, columns = sizer.grid.rows, sizer.grid.columns
    fixed: list[Slot] = []
    found: list[list[Slot]] = []
    rest: list[Module] = []
    ends: list[int] = []
    top = Strip((plan.top,), 1, plan.span, 1)
    under = 1
    if plan.below:
        under = sizer.rows(plan.top, plan.span) + 1
        if under > bottom:
            return None
        fixed.append(_slot(sizer, plan.top, top, 1, under - 1))
    strips = [Strip(m, col, span, under) for m, col, span in _columns(plan.below)]
    if not plan.below:
        strips.append(top)
    if plan.side:
        strips.append(Strip(plan.side, plan.span + 1, columns - plan.span, 1))
    for strip in strips:
        slots, left, end = stack(sizer, strip, bottom)
        found.append(slots)
        rest += left
        ends.append(end)
    if not rest:
        bottom = max(ends)
    slots = [*fixed, *(s for strip in found for s in _down_to(strip, bottom))]
    if any((s.module.id, s.place) in sizer.refused for s in slots):
        return None
    return Layout(tuple(slots), tuple(rest))


def _columns(below: Sequence[tuple[tuple[Module, ...], int]]) -> Iterator[tuple[
        tuple[Module, ...], int, int]]:
    col = 1
    for modules, span in below:
        yield modules, col, span
        col += span


def score(sizer: Sizer, span: int, layout: Layout, fill: bool = False) -> tuple[float, ...]:
    """Smaller is better: everything on this page; no photo deeper than :data:`PHOTO_SHARE` of
    the grid; the largest hole (in lines, any up to two lines alike); with ``fill``, the
    fewest rows left empty at the page's foot; the least left for the next page; the least
    hole in all; the fewest frames; the widest top."""
    line = sizer.grid.row_gap_pt
    holes = layout.holes_pt(sizer.grid) or [0.0]
    worst = max(holes)
    left = sum(sizer.depth(m, sizer.grid.columns) for m in layout.rest)
    huge = _tallest_pt(sizer, layout) > PHOTO_SHARE * sizer.grid.height_pt
    return (float(bool(layout.rest)), float(huge),
            0.0 if worst <= 2 * line else float(ceil(worst / line)),
            *((float(foot_rows(sizer.grid, layout)),) if fill else ()), left, sum(holes),
            float(len(layout.slots)), -float(span))


def arrange(sizer: Sizer, modules: Sequence[Module], fill: bool = False) -> Layout:
    """The best layout of ``modules`` on one page (see :func:`score`, ``fill``); what does not
    fit is its ``rest``. A first module that fits nowhere is set on the page alone, whole."""
    best: tuple[tuple[float, ...], Layout] | None = None
    tried = [(p.span, lay(sizer, p)) for p in plans(sizer, modules)]
    for span, layout in [*tried, *flows(sizer, modules)]:
        if layout is None or not layout.slots:
            continue
        rank = score(sizer, span, layout, fill)
        if best is None or rank < best[0]:
            best = rank, layout
    if best is None:
        grid = sizer.grid
        rows = min(grid.rows, sizer.rows(modules[0], grid.columns))
        while (modules[0].id, Placement(1, grid.columns, 1, rows)) in sizer.refused:
            rows = min(grid.rows, rows + 1)  # a refused place: a row deeper, to the foot
            if rows == grid.rows:
                break
        whole = Slot(modules[0], Placement(1, grid.columns, 1, rows),
                     sizer.photo_columns(modules[0], grid.columns),
                     sizer.estimate(modules[0], grid.columns))
        return Layout((whole,), tuple(modules[1:]))
    return best[1]


def flow(sizer: Sizer, top: Slot, strips: Sequence[tuple[int, int, int]],
         queue: Sequence[Module], bottom: int) -> Layout | None:
    """``top``, then ``queue`` flowing through ``strips`` (column, span, first row) in turn
    down to row ``bottom``, a module cut where a strip ends and continued in the next; the
    last frames down to ``bottom``, or, when everything fits, to the deepest strip's end.
    None if a strip would stay empty."""
    found: list[list[Slot]] = []
    rest, ends = list(queue), []
    for col, span, row in strips:
        slots, rest, end = stack(sizer, Strip(tuple(rest), col, span, row), bottom)
        if not slots:
            return None
        found.append(slots)
        ends.append(end)
    floor = max(ends) if not rest else bottom
    slots = [top, *(s for strip in found for s in _down_to(strip, floor))]
    if any((s.module.id, s.place) in sizer.refused for s in slots):
        return None
    return Layout(tuple(slots), tuple(rest))


def flows(sizer: Sizer, modules: Sequence[Module]) -> Iterator[tuple[int, Layout | None]]:
    """Layouts where the copy after the top flows: through the side strip, then the strips
    under the top, each module cut where a strip is full (see :func:`flow`); on a section's
    last page also ended a few rows higher, so that the strips come out even."""
    grid = sizer.grid
    least = MIN_SPAN if grid.columns >= 2 * MIN_SPAN else 1
    top, rest = modules[0], modules[1:]
    for span in range(grid.columns, (grid.columns + 1) // 2 - 1, -1):
        width = grid.columns - span
        if (width and width < least) or span < least:
            continue
        for head, tail in [(top, ()), *((h, (t,)) for h, t in sizer.cuts(top))]:
            rows = sizer.rows(head, span)
            if not (tail or rest) or rows + 2 > grid.rows:
                continue
            slot = _slot(sizer, head, Strip((head,), 1, span, 1), 1, rows)
            for count in range(1, span // least + 1):
                for spans in _compositions(span, count, least):
                    under = [(col, wide, rows + 1) for col, wide in _lefts(spans)]
                    strips = [(span + 1, width, 1), *under] if width else under
                    yield from _bottoms(sizer, slot, strips, [*tail, *rest])


def _lefts(spans: Sequence[int]) -> Iterator[tuple[int, int]]:
    col = 1
    for span in spans:
        yield col, span
        col += span


def _bottoms(sizer: Sizer, top: Slot, strips: Sequence[tuple[int, int, int]],
             queue: Sequence[Module]) -> Iterator[tuple[int, Layout | None]]:
    """:func:`flow` down to the page's bottom; when that holds everything, also down to
    each of the ``BOTTOMS`` rows above the end it reaches."""
    full = flow(sizer, top, strips, queue, sizer.grid.rows)
    yield top.place.span, full
    if full is None or full.rest:
        return
    end = max(s.place.row + s.place.rows - 1 for s in full.slots)
    for bottom in range(end - 1, max(top.place.rows + 1, end - BOTTOMS), -1):
        layout = flow(sizer, top, strips, queue, bottom)
        if layout is None or layout.rest:
            return
        yield top.place.span, layout


def _in_order(rest: Sequence[Module], modules: Sequence[Module]) -> tuple[Module, ...]:
    """``rest`` in the reading order of ``modules`` (a module's tail where the module was)."""
    order = {m.id.split("~")[0]: i for i, m in enumerate(modules)}
    return tuple(sorted(rest, key=lambda m: order[m.id.split("~")[0]]))


def place_modules(grid: Grid, modules: Sequence[Module], refused: Refused = frozenset(),
                  lines: Lines | None = None) -> list[Layout]:
    """``modules`` laid out on as many pages of ``grid`` as they need, in reading order,
    never a module in a place ``refused`` to it (paragraphs as deep as ``lines`` measured
    them, where it did)."""
    sizer = Sizer(grid, refused, lines)
    pages: list[Layout] = []
    todo = tuple(modules)
    while todo:
        layout = arrange(sizer, todo)
        if not layout.rest:  # the section's last page: its photos may fill what is left
            layout = filled(sizer, todo, layout)
        pages.append(layout)
        todo = _in_order(layout.rest, todo)
    return pages


def foot_rows(grid: Grid, layout: Layout) -> int:
    """The rows left empty under a layout's frames."""
    return grid.rows - max(s.place.row + s.place.rows - 1 for s in layout.slots)


def filled(sizer: Sizer, modules: Sequence[Module], layout: Layout) -> Layout:
    """``layout`` of the section's last page, or, where it leaves rows empty at the foot and
    no hole over two lines, the arrangement that fills the page best: chosen for the fewest
    empty rows (:func:`score` with ``fill``) with the first module's placeholder photos as
    they are, then deeper (cropped taller, in :data:`GROWTH_STEPS` steps up to
    :data:`TALLEST`), none deeper than :data:`PHOTO_SHARE` of the grid, no hole over two
    lines, the page still holding everything; the least growth of the fullest. A page with
    larger holes is not one that more photo mends."""
    top, rest = modules[0], modules[1:]
    best = (*score(sizer, 0, layout, True)[2:4], -1), layout
    if best[0][0] or not best[0][1]:
        return layout  # holes larger than two lines already, or nothing empty
    steps = GROWTH_STEPS if any(f.image is None for f in top.figures) else 0
    for step in range(steps + 1):
        found = arrange(sizer, [taller(top, step / GROWTH_STEPS), *rest], fill=True)
        if found.rest or _tallest_pt(sizer, found) > PHOTO_SHARE * sizer.grid.height_pt:
            if step:
                break  # more growth only makes the photos larger still
            continue
        rank = (*score(sizer, 0, found, True)[2:4], step)
        if rank < best[0]:
            best = rank, found
    return best[1]


def _tallest_pt(sizer: Sizer, layout: Layout) -> float:
    """The depth of the tallest photo of a layout (pt)."""
    return max((sizer.tallest(s.module, s.place.span) for s in layout.slots), default=0.0)


def taller(module: Module, share: float) -> Module:
    """``module`` with each placeholder photo's height ``share`` of the way from its own
    aspect to :data:`TALLEST`."""
    def grown(figure: Figure) -> Figure:
        width, height = figure.aspect
        if figure.image is not None or height / width >= TALLEST:
            return figure
        ratio = height / width + share * (TALLEST - height / width)
        return replace(figure, aspect=(1000, round(1000 * ratio)))

    return replace(module, figures=tuple(grown(f) for f in module.figures))


def auto_grid(edition: Edition, page: Page) -> Grid:
    """The grid the placer lays ``page`` out on: its columns, the paper's finest rows."""
    return make_grid(edition.paper, page.columns, grid_limits(edition.paper)[1])


def automatic(page: Page) -> bool:
    """Whether the placer lays ``page`` out: it has modules, none has a ``place``, and they
    have no more than :data:`MAX_UNITS` places to be cut at (far more than a day's pages
    hold: the search grows with them, so such copy flows in the grid's columns instead)."""
    return (bool(page.modules) and all(m.place is None for m in page.modules)
            and sum(len(units(m)) for m in page.modules) <= MAX_UNITS)


def place_edition(edition: Edition, refused: Refused = frozenset(),
                  lines: Lines | None = None) -> tuple[Edition, dict[str, int]]:
    """``edition`` with every page that has no ``place`` laid out automatically (onto further
    pages of its section where the copy needs them, labelled ``LABEL-2`` …), and the photo
    width (grid columns) of each placed module; pages keep their order and are numbered
    again from 1. An edition with nothing to place comes back as it is. No module is put in
    a place ``refused`` to it (where a layout found it overset); the paragraphs ``lines``
    measured (:mod:`.galley`) are as deep as measured."""
    if not any(automatic(p) for p in edition.pages):
        return edition, {}
    pages: list[Page] = []
    photos: dict[str, int] = {}
    for page in edition.pages:
        if not automatic(page):
            pages.append(replace(page, number=len(pages) + 1))
            continue
        grid = auto_grid(edition, page)
        for index, layout in enumerate(place_modules(grid, page.modules, refused, lines)):
            label = page.label if index == 0 else f"{page.label}-{index + 1}"
            modules = tuple(replace(s.module, place=s.place) for s in
                            sorted(layout.slots, key=lambda s: _reading(s, page.modules)))
            photos.update({s.module.id: s.photo_columns for s in layout.slots})
            pages.append(replace(page, number=len(pages) + 1, label=label, modules=modules,
                                 rows=grid.rows))
    return replace(edition, pages=tuple(pages)), photos


def _reading(slot: Slot, modules: Sequence[Module]) -> tuple[int, int]:
    """A slot's place in reading order: its module's, then its part's."""
    base, _, part = slot.module.id.partition("~")
    return next(i for i, m in enumerate(modules) if m.id == base), int(part or 1)


def overset(source: Edition, placed: Edition, problems: Sequence[Diagnostic]) -> Refused:
    """The automatically placed modules of ``placed`` (from the pages of ``source`` without
    ``place``) that ``problems`` found overset (BM300), each with its place."""
    paths = {d.source.path for d in problems if d.code == "BM300" and d.source}
    ours = {m.id for p in source.pages if automatic(p) for m in p.modules}
    return frozenset((m.id, m.place) for m in placed.modules
                     if m.place and m.id.split("~")[0] in ours and m.source.path in paths)
