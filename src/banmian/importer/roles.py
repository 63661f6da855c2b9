"""Stories → model modules: give each story a role and build its :class:`~banmian.model.Module`.

Roles: a story with a pen name is commentary; consecutive short dateline stories without a byline
form one strip of briefs, and so does a digest (one headline over three or more short items, each
under its own title line, with no byline); the longest bylined story is the lead and the other
bylined ones are profiles; everything else is a generic article (which never loses text).

Every node keeps the raw line (and column) it came from as its :class:`~banmian.model.Source`.
Writing the modules out is :mod:`banmian.content.writer`'s job, not this module's.
"""

from __future__ import annotations

from dataclasses import dataclass

from banmian.chinese.punct import normalize
from banmian.importer.lines import Unit
from banmian.importer.structure import BannerText, Fig, Note, Story
from banmian.model import (
    Banner,
    Block,
    Brief,
    Figure,
    FigureRef,
    Module,
    Paragraph,
    Role,
    Section,
    Source,
    Span,
)

#: A digest item (title and its paragraphs) is at most this long, and a digest has this many.
DIGEST_ITEM_CHARS = 300
DIGEST_MIN_ITEMS = 3


@dataclass
class Item:
    """One brief as found: title, dateline, paragraphs and contributor."""

    title: Unit
    paragraphs: list[Unit]
    dateline: str | None = None
    contributor: Unit | None = None


def _is_brief(story: Story) -> bool:
    paragraphs = story.paragraphs
    return bool(story.headline is not None and story.dateline and story.byline is None
                and story.pen_name is None and story.kicker is None
                and all(kind == "p" for kind, _ in story.blocks)
                and sum(len(p.text) for p in paragraphs) < 1500)


def digest_items(story: Story) -> list[Item] | None:
    """The items of a digest read as one article (its titles taken for deck and subheads), or
    None when ``story`` is not one."""
    if story.byline is not None or story.pen_name is not None or story.kicker is not None \
            or story.headline is None or any(kind == "fig" for kind, _ in story.blocks):
        return None
    items: list[Item] = []
    title = story.deck or story.headline
    for kind, block in story.blocks:
        assert isinstance(block, Unit)
        if kind == "h":
            items.append(Item(block, []))
        elif not items:
            items.append(Item(title, [block]))
        else:
            items[-1].paragraphs.append(block)
    if story.blocks and story.blocks[0][0] == "h":
        return None  # the headline heads no item of its own: a plain article with subheads
    if len(items) < DIGEST_MIN_ITEMS or any(
            not item.paragraphs or len(item.paragraphs) > 3
            or sum(len(p.text) for p in item.paragraphs) > DIGEST_ITEM_CHARS for item in items):
        return None
    items[-1].contributor = story.contributor
    return items


def _single_role(story: Story) -> Role:
    if story.headline is None:
        return "article"
    if story.pen_name is not None and story.byline is None and story.kicker is None:
        return "commentary"
    return "profile" if story.byline is not None else "article"


def group(stories: list[Story], notes: list[Note]) -> list[tuple[Role, list[Story]]]:
    """Roles for the stories, with runs of briefs grouped into one strip."""
    groups: list[tuple[Role, list[Story]]] = []
    for story in stories:
        if _is_brief(story):
            if groups and groups[-1][0] == "briefs" and story.banner is None \
                    and digest_items(groups[-1][1][0]) is None:
                groups[-1][1].append(story)
            else:
                groups.append(("briefs", [story]))
            continue
        items = digest_items(story)
        if items is not None:
            groups.append(("briefs", [story]))
            titles = {item.title.line for item in items}
            read = titles | ({story.headline.line} if story.deck and story.headline else set())
            notes[:] = [n for n in notes if n.line not in read]
            notes += [Note(story.line, "short items, each under its own title and without "
                           "bylines, read as a strip of briefs"),
                      *(Note(line, "title of a brief", False) for line in sorted(titles))]
            continue
        groups.append((_single_role(story), [story]))
    bylined = [i for i, (role, _) in enumerate(groups) if role == "profile"]
    if bylined:
        lead = max(bylined, key=lambda i: sum(len(p.text) for p in groups[i][1][0].paragraphs))
        groups[lead] = ("lead", groups[lead][1])
        for i in bylined:
            if i != lead:
                notes.append(Note(groups[i][1][0].line, "bylined article that is not the "
                                  "longest read as a profile (it may be a plain article)"))
    return groups


@dataclass(frozen=True)
class Builder:
    """Builds model nodes whose sources point at lines of the raw file ``display``."""

    display: str

    def source(self, unit: Unit) -> Source:
        _, line, col = unit.starts[0] if unit.starts else (0, unit.line, 1)
        return Source(self.display, line, col)

    def paragraph(self, unit: Unit) -> Paragraph:
        return Paragraph((Span(normalize(unit.text)),), self.source(unit))

    def banner(self, banner: BannerText | None) -> Banner | None:
        if banner is None:
            return None
        return Banner(banner.name, Source(self.display, banner.line), banner.pinyin)

    def figures(self, story: Story) -> tuple[tuple[Figure, ...], dict[int, str]]:
        figures: list[Figure] = []
        ids: dict[int, str] = {}
        for _, block in story.blocks:
            if isinstance(block, Fig):
                ids[id(block)] = f"fig-{len(ids) + 1}"
                credit = normalize(block.credit.text) if block.credit is not None else None
                figures.append(Figure(ids[id(block)], normalize(block.caption.text),
                                      self.source(block.caption), credit))
        return tuple(figures), ids

    def sections(self, story: Story, ids: dict[int, str]) -> tuple[Section, ...]:
        sections: list[Section] = []
        subhead: Unit | None = None
        blocks: list[Block] = []

        def close() -> None:
            if subhead is not None or blocks:
                where = self.source(subhead) if subhead is not None else (
                    blocks[0].source if blocks else Source(self.display, story.line))
                sections.append(Section(normalize(subhead.text) if subhead else None,
                                        tuple(blocks), where))

        for kind, block in story.blocks:
            if isinstance(block, Fig):
                blocks.append(FigureRef(ids[id(block)], self.source(block.caption)))
            elif kind == "h":
                close()
                subhead, blocks = block, []
            else:
                blocks.append(self.paragraph(block))
        close()
        return tuple(sections)

    def text(self, unit: Unit | None) -> str | None:
        return normalize(unit.text) if unit is not None else None

    def story_module(self, name: str, role: Role, story: Story, notes: list[Note]) -> Module:
        """A lead, profile, commentary or article module."""
        byline, pen_name = story.byline, story.pen_name
        if role != "commentary" and pen_name is not None:
            byline, pen_name = byline or pen_name, None
            notes.append(Note(pen_name_line(story), "pen name kept as the byline"))
        figures, ids = self.figures(story)
        return Module(
            id=name, role=role, source=Source(self.display, story.line),
            headline=self.text(story.headline), kicker=self.text(story.kicker),
            deck=self.text(story.deck), byline=self.text(byline),
            pen_name=self.text(pen_name), contributor=self.text(story.contributor),
            figures=figures, sections=self.sections(story, ids),
            banner=self.banner(story.banner))

    def brief(self, item: Item) -> Brief:
        paragraphs = [self.paragraph(p) for p in item.paragraphs]
        dateline = item.dateline
        if dateline and paragraphs:
            first = paragraphs[0]
            rest = first.text[len(normalize(dateline)):].strip(" \u3000")
            paragraphs[0] = Paragraph((Span(rest),), first.source)
        kept = tuple(p for p in paragraphs if p.text)
        return Brief(normalize(item.title.text), kept, self.source(item.title),
                     normalize(dateline) if dateline else None, self.text(item.contributor))

    def briefs_module(self, name: str, stories: list[Story], notes: list[Note]) -> Module:
        """A strip of briefs: dateline stories, or the items of one digest."""
        items = digest_items(stories[0]) if len(stories) == 1 else None
        banner = stories[0].banner
        if items is not None:
            story = stories[0]
            if story.deck is not None and story.headline is not None:
                banner = banner or BannerText(story.headline.text, None, story.headline.line)
                notes.append(Note(story.headline.line, f"'{story.headline.text}' over the "
                                  "items read as the strip's banner"))
        else:
            items = [Item(s.headline, s.paragraphs, s.dateline, s.contributor)
                     for s in stories if s.headline is not None]
        return Module(id=name, role="briefs", source=Source(self.display, stories[0].line),
                      briefs=tuple(self.brief(item) for item in items),
                      banner=self.banner(banner))


def pen_name_line(story: Story) -> int:
    return story.pen_name.line if story.pen_name is not None else story.line


def modules(stories: list[Story], notes: list[Note], display: str) -> list[Module]:
    """Every module of the page, in reading order, with unique ids (lead, profile-2 …)."""
    used: dict[str, int] = {}
    outs: list[Module] = []
    build = Builder(display)
    for role, members in group(stories, notes):
        used[role] = used.get(role, 0) + 1
        name = role if used[role] == 1 else f"{role}-{used[role]}"
        if role == "briefs":
            outs.append(build.briefs_module(name, members, notes))
        else:
            outs.append(build.story_module(name, role, members[0], notes))
    return outs
