"""Modules cut in parts for print: where a module may be cut (between paragraphs, never inside
a band of photos; between briefs) and the two parts a cut makes.

The automatic placement (:mod:`.placer`) continues a module that does not fit where it
stands in another frame, on the same page or the next. The head keeps the module's id, banner,
kicker, headline, deck, byline and lead photos; the tail, ``ID~2`` (``~3`` …), continues with
the rest and the contributor. Every paragraph keeps its source, so a message about a part
still points at its line.
"""

from __future__ import annotations

from dataclasses import replace

from banmian.model import FigureRef, Module, Section


def units(module: Module) -> list[int]:
    """Where ``module`` may be cut: the indexes (into its flattened blocks, or its briefs)
    before which a part may start, never inside a band of photos."""
    if module.briefs:
        return list(range(1, len(module.briefs)))
    flat = [b for s in module.sections for b in s.blocks]
    return [i for i in range(1, len(flat))
            if not (isinstance(flat[i], FigureRef) and isinstance(flat[i - 1], FigureRef))]


def cut(module: Module, at: int) -> tuple[Module, Module]:
    """``module`` cut before block (or brief) ``at``: the head keeps the headline, banner and
    lead photos; the tail, id ``ID~PART``, continues with the rest, the contributor at its end.
    Every paragraph keeps its source."""
    base, _, part = module.id.partition("~")
    tail_id = f"{base}~{int(part or 1) + 1}"
    bare = replace(module, id=tail_id, kicker=None, headline=None, deck=None, byline=None,
                   pen_name=None, banner=None)
    if module.briefs:
        return (replace(module, briefs=module.briefs[:at], contributor=None),
                replace(bare, briefs=module.briefs[at:]))
    head: list[Section] = []
    tail: list[Section] = []
    seen = 0
    for section in module.sections:
        n = len(section.blocks)
        if seen + n <= at:
            head.append(section)
        elif seen >= at:
            tail.append(section)
        else:
            head.append(replace(section, blocks=section.blocks[: at - seen]))
            tail.append(replace(section, subhead=None, blocks=section.blocks[at - seen:]))
        seen += n
    heads = {f.id for f in module.lead_figures}
    return (_with_figures(replace(module, sections=tuple(head), contributor=None), heads),
            _with_figures(replace(bare, sections=tuple(tail)), set()))


def _with_figures(module: Module, heads: set[str]) -> Module:
    """``module`` keeping only the figures its blocks place, and the lead photos ``heads``."""
    placed = {b.figure_id for s in module.sections for b in s.blocks if isinstance(b, FigureRef)}
    return replace(module, figures=tuple(f for f in module.figures
                                         if f.id in placed or f.id in heads))
