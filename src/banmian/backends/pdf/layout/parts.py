"""Modules cut in parts for print: where a module may be cut (between paragraphs, never inside
a band of photos; between briefs; inside a paragraph where one of its lines ends) and the two
parts a cut makes.

The automatic placement (:mod:`.placer`) continues a module that does not fit where it
stands in another frame, on the same page or the next. The head keeps the module's id, banner,
kicker, headline, deck, byline and lead photos; the tail, ``ID~2`` (``~3`` …), continues with
the rest and the contributor. Every paragraph keeps its source, so a message about a part
still points at its line.

A compositor continues a story at any line, not only between paragraphs: where the copy was
measured (:mod:`.galley`), a paragraph of four lines or more may be cut after any of its lines
that leaves two or more on either side. Its first part ``runs_on`` (its last line is
justified like any line inside a paragraph) and its second ``continues`` (no indent): set in
columns of the width it was measured at, both break exactly where the whole paragraph did.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from banmian.backends.pdf.layout.depth import Lines, line_key
from banmian.model import FigureRef, Module, Paragraph, Section, Span

#: The fewest lines of a paragraph on either side of a cut inside it.
LEAST = 2


@dataclass(frozen=True, order=True)
class Cut:
    """Where a part may start: before block (or brief) ``block``, or, with ``chars``, inside
    that paragraph after its first ``chars`` characters (whitespace not counted)."""

    block: int
    chars: int = 0


def units(module: Module, lines: Lines | None = None, width_pt: float = 0.0) -> list[Cut]:
    """Where ``module`` may be cut, in order: before each block (or brief) but the first,
    never inside a band of photos; with ``lines`` (measured at ``width_pt``), also where a
    paragraph's line ends, :data:`LEAST` lines or more from either end."""
    if module.briefs:
        return [Cut(i) for i in range(1, len(module.briefs))]
    flat = [b for s in module.sections for b in s.blocks]
    found = []
    for i, block in enumerate(flat):
        if i and not (isinstance(block, FigureRef) and isinstance(flat[i - 1], FigureRef)):
            found.append(Cut(i))
        if lines and isinstance(block, Paragraph):
            ends = lines.get(line_key(width_pt, block.text), ())
            found += [Cut(i, end) for end in ends[LEAST - 1:len(ends) - LEAST]]
    return found


def cut(module: Module, at: Cut | int) -> tuple[Module, Module]:
    """``module`` cut at ``at`` (a block index: before it): the head keeps the headline,
    banner and lead photos; the tail, id ``ID~PART``, continues with the rest, the
    contributor at its end. Every paragraph keeps its source."""
    at = at if isinstance(at, Cut) else Cut(at)
    base, _, part = module.id.partition("~")
    tail_id = f"{base}~{int(part or 1) + 1}"
    bare = replace(module, id=tail_id, kicker=None, headline=None, deck=None, byline=None,
                   pen_name=None, banner=None)
    if module.briefs:
        return (replace(module, briefs=module.briefs[:at.block], contributor=None),
                replace(bare, briefs=module.briefs[at.block:]))
    head, tail = _sections(module.sections, at)
    heads = {f.id for f in module.lead_figures}
    return (_with_figures(replace(module, sections=tuple(head), contributor=None), heads),
            _with_figures(replace(bare, sections=tuple(tail)), set()))


def _sections(sections: tuple[Section, ...], at: Cut) -> tuple[list[Section], list[Section]]:
    """The sections before and after ``at``; the section it falls in cut in two (the tail's
    part without the subhead)."""
    head: list[Section] = []
    tail: list[Section] = []
    seen = 0
    for section in sections:
        n = len(section.blocks)
        if seen + n <= at.block:
            head.append(section)
        elif seen > at.block or (seen == at.block and not at.chars):
            tail.append(section)
        else:
            before, after = list(section.blocks[:at.block - seen]), \
                list(section.blocks[at.block - seen:])
            if at.chars:
                first, rest = split_paragraph(after[0], at.chars)  # type: ignore[arg-type]
                before, after = [*before, first], [rest, *after[1:]]
            head.append(replace(section, blocks=tuple(before)))
            tail.append(replace(section, subhead=None, blocks=tuple(after)))
        seen += n
    return head, tail


def split_paragraph(paragraph: Paragraph, chars: int) -> tuple[Paragraph, Paragraph]:
    """``paragraph`` cut after its first ``chars`` characters (whitespace not counted): the
    first part runs on, the second continues it."""
    head: list[Span] = []
    tail: list[Span] = []
    count = 0
    for span in paragraph.spans:
        if count >= chars:
            tail.append(span)
            continue
        for index, char in enumerate(span.text):
            count += not char.isspace()
            if count == chars:
                head.append(replace(span, text=span.text[:index + 1]))
                rest = span.text[index + 1:].lstrip()
                tail += [replace(span, text=rest)] if rest else []
                break
        else:
            head.append(span)
    return (replace(paragraph, spans=tuple(head), runs_on=True),
            replace(paragraph, spans=tuple(tail), continues=True))


def part_lines(paragraph: Paragraph, chars: int, width_pt: float,
               lines: Lines) -> dict[tuple[float, str], tuple[int, ...]]:
    """Where the lines of the two parts of ``paragraph`` cut after ``chars`` characters end
    (as it broke whole, measured in ``lines`` at ``width_pt``), by their keys."""
    ends = lines.get(line_key(width_pt, paragraph.text), ())
    first, rest = split_paragraph(paragraph, chars)
    return {line_key(width_pt, first.text): tuple(e for e in ends if e <= chars),
            line_key(width_pt, rest.text): tuple(e - chars for e in ends if e > chars)}


def _with_figures(module: Module, heads: set[str]) -> Module:
    """``module`` keeping only the figures its blocks place, and the lead photos ``heads``."""
    placed = {b.figure_id for s in module.sections for b in s.blocks if isinstance(b, FigureRef)}
    return replace(module, figures=tuple(f for f in module.figures
                                         if f.id in placed or f.id in heads))
