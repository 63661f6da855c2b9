"""Cutting a frame's runs of columns again after layout.

WeasyPrint balances a multi-column body by trial: it leaves a column of a short run, or the
last column of a frame, lines shorter than the others where its widow and orphan rules got in
the way, and never looks at the frame's foot. This module sets the lines of a run again, as a
compositor would: all its lines, in order, as one galley on whole lines of the baseline grid,
cut into the run's columns (each from its own top: a column beside a photo band starts at the
band's) so that each column ends as near its foot as the copy allows once it has been
feathered (:mod:`.feather`), the last one allowed a line more. A cut never leaves a single
line of a paragraph alone at a column's foot or top, nor a subhead or a brief's title with
fewer than two lines under it, where another cut can be had (:data:`LEAST`); where none can,
the cut stands and :mod:`.breaks` reports it (BM304). Lines move as whole boxes, to another
column of the same width: the line breaks, and so the copy, stay exactly as laid out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil

from banmian.backends.pdf.layout.boxes import Box, classes, kind, walk

#: The least lines of a paragraph on either side of a cut, and under a heading.
LEAST = 2
#: Headings that keep :data:`LEAST` lines of what follows in their column.
_HEADINGS = frozenset({"subhead", "brief-title"})
#: Boxes that are the galley's units.
_UNITS = frozenset({"LineBox", "BlockReplacedBox"})


@dataclass(frozen=True)
class Run:
    """A run of a frame's columns: the column boxes WeasyPrint made for it, and where each of
    the frame's columns starts (x, px). WeasyPrint may make fewer boxes than the frame has
    columns, where its balancing put the copy in fewer: the lines are set in the frame's
    columns all the same (they move as boxes, whichever column box holds them)."""

    boxes: Sequence[Box]
    xs: Sequence[float]


@dataclass
class Unit:
    """A line (or image) of a run: its box, the element it belongs to, whether it is a
    heading's, and its top and depth in the galley (px)."""

    box: Box
    block: object  # the element the line belongs to
    heading: bool
    top: float  # position in the galley (px)
    height: float


def _galley(columns: Sequence[Box], line: float | None = None) -> list[Unit]:
    """The run's lines in order, at their depth in one continuous galley; with ``line``, each
    on a whole line of it (the nearest that does not overlap the unit before)."""
    units: list[Unit] = []
    base = 0.0
    for column in columns:
        top = column.content_box_y()
        end = base
        for box, parent in walk(column):
            if kind(box) not in _UNITS or parent is None:
                continue
            heading = bool(_HEADINGS & classes(parent))
            element = getattr(parent, "element", None)
            block = parent if element is None else element  # an Element without children is falsy
            height = float(box.margin_height())
            units.append(Unit(box, block, heading, base + box.position_y - top, height))
            end = max(end, units[-1].top + height)
        base = end
    if line:
        free = 0
        for unit in units:
            at = max(round(unit.top / line), free)
            unit.top = at * line
            free = at + max(1, ceil(unit.height / line - 0.05))
    return units


def _may_cut(units: list[Unit], i: int) -> bool:
    """Whether a column may end before ``units[i]``."""
    def same(a: int, b: int) -> bool:
        return 0 <= a < len(units) and 0 <= b < len(units) and units[a].block is units[b].block

    if any(units[j].heading for j in range(max(0, i - LEAST), i)):
        return False  # a heading keeps LEAST lines under it
    orphan = same(i - 1, i) and not same(i - 2, i - 1)
    widow = same(i - 1, i) and not same(i, i + 1)
    return not (orphan or widow)


def least_depth(units: list[Unit], columns: int) -> float:
    """The least depth, in whole units of the galley's measure (a line), of ``columns``
    columns that hold ``units``, each column cut where :func:`_may_cut` allows; where no
    depth allows it, the least that holds them cut anywhere (as :func:`_cuts` would)."""
    if not units:
        return 0.0
    total = units[-1].top + units[-1].height - units[0].top
    allowed = [True] + [_may_cut(units, b) for b in range(1, len(units))] + [True]
    for rules in (allowed, [True] * len(allowed)):
        for depth in range(max(1, ceil(total / columns - 1e-6)), ceil(total - 1e-6) + 1):
            if _fits(units, columns, depth, rules):
                return float(depth)
    return float(ceil(total - 1e-6))


def _fits(units: list[Unit], columns: int, depth: float, allowed: list[bool]) -> bool:
    """Whether ``units`` go into ``columns`` columns ``depth`` deep, each filled as far as
    a cut is ``allowed`` (one flag for each place before a unit, and the end)."""
    start, used, n = 0, 0, len(units)
    while start < n:
        used += 1
        end, cut = start + 1, None
        while end <= n and units[end - 1].top + units[end - 1].height - units[start].top \
                <= depth + 1e-6:
            if allowed[end]:
                cut = end
            end += 1
        if cut is None or used > columns:
            return False
        start = cut
    return True


#: What a cut that breaks a rule of :func:`_may_cut` costs, in squared lines.
_BAD_CUT = 400.0


def _cuts(units: list[Unit], rooms: Sequence[float], line: float,
          spare: int = 0) -> list[int]:
    """Where the columns start: the cuts that leave the columns' feet nearest the frame's
    foot once each column has taken up to ``spare`` whole lines in its gaps between
    paragraphs (least sum of squared lines short; the last column may end a line short; the
    raw gaps break ties), none deeper than its room (``rooms``, px, one a column), breaking a
    rule only where no other cut fits; none if the galley does not fit at all.

    A column of units ``a`` to ``b`` costs ``short ** 2 + 0.01 * gap ** 2``, plus
    :data:`_BAD_CUT` where a column may not end before ``b``; of equal totals the column
    starting earliest wins. The search runs over plain lists (about 27,000 columns tried on
    the sample page)."""
    n = len(units)
    starts = [0] * (n + 1)  # starts[i]: paragraph starts among units[1:i]
    for i in range(1, n):
        starts[i + 1] = starts[i] + (units[i].block is not units[i - 1].block)
    penalty = [0.0] + [0.0 if _may_cut(units, b) else _BAD_CUT for b in range(1, n)] + [0.0]
    tops = [u.top for u in units]
    ends = [0.0] + [u.top + u.height for u in units]  # ends[b]: the foot of units[b - 1]
    best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, -1)}
    before: list[float | None] = [0.0] + [None] * n  # the best totals of the column before
    for c, room in enumerate(rooms, 1):
        here: list[float | None] = [None] * (n + 1)
        for b in range(1, n + 1):
            found: tuple[float, int] | None = None
            end, last, bad = ends[b], 1.0 if b == n else 0.0, penalty[b]
            for a in range(b - 1, -1, -1):
                total = before[a]
                if total is None:
                    continue
                length = end - tops[a]
                if length > room + 0.01:
                    break
                gap = (room - length) / line - last
                short = int(gap + 0.05) - min(spare, starts[b] - starts[a + 1])
                total += (short ** 2 if short > 0 else 0.0) + 0.01 * (
                    gap ** 2 if gap > 0.0 else 0.0) + bad
                if found is None or total <= found[0]:  # a falls: ties go to the earliest
                    found = (total, a)
            if found is not None:
                best[(c, b)], here[b] = found, found[0]
        before = here
    return _backtrack(best, len(rooms), n)


def _backtrack(best: dict[tuple[int, int], tuple[float, int]], columns: int,
               n: int) -> list[int]:
    """The cuts of the best way found to set all ``n`` units in at most ``columns`` columns
    (every column used where there are lines enough); none if there is no way."""
    ends = [c for c in range(1, columns + 1) if (c, n) in best]
    if not ends:
        return []
    c, b = max(ends), n
    cuts = []
    while c > 0:
        a = best[(c, b)][1]
        cuts.append(a)
        b, c = a, c - 1
    return cuts[::-1]


def rebalance(run: Run, tops: Sequence[float], foot: float, line: float,
              spare: int = 0) -> bool:
    """Set the lines of a frame's last ``run`` of columns again (see the module's
    docstring), each column from its top (``tops``: a column beside a photo band starts
    where the band does), each line on a whole line below it, no deeper than ``foot``,
    knowing that each column may take ``spare`` lines in its paragraph gaps afterwards;
    False where the run is left as laid out."""
    units = _galley(run.boxes, line)
    if not units:
        return False
    cuts = _cuts(units, [foot - top for top in tops], line, spare)
    if not cuts:
        return False
    owner = {id(b): c.content_box_x() for c in run.boxes for b, _ in walk(c)}
    for n, start in enumerate(cuts):
        end = cuts[n + 1] if n + 1 < len(cuts) else len(units)
        origin = units[start].top
        for unit in units[start:end]:
            dx = run.xs[n] - owner[id(unit.box)]
            dy = tops[n] + unit.top - origin - unit.box.position_y
            unit.box.translate(dx, dy)
    return True


def by_column(run: Run) -> list[list[Unit]]:
    """The units of ``run`` where they stand now (after :func:`rebalance`), column by
    column, top to bottom (the columns that hold any)."""
    found: list[list[Unit]] = [[] for _ in run.xs]
    for unit in _galley(run.boxes):
        x = unit.box.position_x
        found[min(range(len(run.xs)), key=lambda j: abs(run.xs[j] - x))].append(unit)
    for units in found:
        units.sort(key=lambda u: float(u.box.position_y))
    return [units for units in found if units]
