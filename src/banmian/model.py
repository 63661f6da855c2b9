"""The edition model: frozen dataclasses that every backend renders from.

The model does no I/O. Loaders (``banmian.content``) build it from files; renderers and backends
read it. Every node keeps the :class:`Source` it came from, so any message about it can point at
a line of the content.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["lead", "profile", "commentary", "briefs", "article"]
ROLES: tuple[Role, ...] = ("lead", "profile", "commentary", "briefs", "article")
Style = Literal["plain", "em", "strong"]
Paper = Literal["broadsheet", "tabloid"]
#: How the EPUB sets its text (edition.toml ``writing-mode``); the PDF is always horizontal.
WritingMode = Literal["horizontal-tb", "vertical-rl"]


@dataclass(frozen=True, order=True)
class Source:
    """A position in the content: a file path (as given to the loader), a 1-based line and,
    when known, a 1-based column."""

    path: str
    line: int = 1
    col: int | None = None

    def __str__(self) -> str:
        """``path:line[:col]``, or just ``path`` for a file or folder as a whole (line 0)."""
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}" + (f":{self.col}" if self.col is not None else "")


@dataclass(frozen=True)
class Span:
    """A run of inline text with one style."""

    text: str
    style: Style = "plain"


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: inline spans, in order. Print may cut one where a line ends and set
    its parts in two frames: the first ``runs_on`` (its last line is not the paragraph's),
    the second ``continues`` (its first line is not, so it takes no indent)."""

    spans: tuple[Span, ...]
    source: Source
    runs_on: bool = False
    continues: bool = False

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class FigureRef:
    """The place in the body where a figure stands."""

    figure_id: str
    source: Source


@dataclass(frozen=True)
class Figure:
    """A photo with its caption and credit; ``image`` is None for a placeholder."""

    id: str
    caption: str
    source: Source
    credit: str | None = None
    alt: str | None = None
    image: str | None = None
    aspect: tuple[int, int] = (3, 2)

    @property
    def alt_text(self) -> str:
        return self.alt if self.alt is not None else self.caption


Block = Paragraph | FigureRef


@dataclass(frozen=True)
class Section:
    """A run of blocks, opened by a subhead (or by the article's start when ``subhead`` is None)."""

    subhead: str | None
    blocks: tuple[Block, ...]
    source: Source


@dataclass(frozen=True)
class Brief:
    """One news brief: title, dateline (本报讯 …), body paragraphs and contributor."""

    title: str
    paragraphs: tuple[Paragraph, ...]
    source: Source
    dateline: str | None = None
    contributor: str | None = None


@dataclass(frozen=True)
class Banner:
    """A section banner such as ■ 前沿观察 GUANCHA."""

    name: str
    source: Source
    pinyin: str | None = None


#: A page's grid when edition.toml names none: eight columns, twenty rows (a broadsheet's).
DEFAULT_COLUMNS = 8
DEFAULT_ROWS = 20


@dataclass(frozen=True)
class Placement:
    """Where a module stands on the page's column grid (1-based, inclusive spans)."""

    col: int
    span: int
    row: int
    rows: int


@dataclass(frozen=True)
class Module:
    """One content module: a lead feature, profile, commentary, strip of briefs or article."""

    id: str
    role: Role
    source: Source
    headline: str | None = None
    kicker: str | None = None
    deck: str | None = None
    byline: str | None = None
    pen_name: str | None = None
    contributor: str | None = None
    figures: tuple[Figure, ...] = ()
    sections: tuple[Section, ...] = ()
    briefs: tuple[Brief, ...] = ()
    banner: Banner | None = None
    place: Placement | None = None
    field_lines: tuple[tuple[str, int], ...] = ()

    def source_of(self, key: str) -> Source:
        """Where front-matter ``key`` stands (the module's first line if unknown)."""
        for name, line in self.field_lines:
            if name == key:
                return Source(self.source.path, line)
        return self.source

    @property
    def title(self) -> str:
        """The module's name in tables of contents."""
        if self.headline:
            return self.headline
        if self.banner:
            return self.banner.name
        return "、".join(brief.title for brief in self.briefs) or self.id

    def figure(self, figure_id: str) -> Figure:
        for fig in self.figures:
            if fig.id == figure_id:
                return fig
        raise KeyError(figure_id)

    @property
    def lead_figures(self) -> tuple[Figure, ...]:
        """Figures that the body does not place: they stand at the head of the article."""
        placed = {
            block.figure_id
            for section in self.sections
            for block in section.blocks
            if isinstance(block, FigureRef)
        }
        return tuple(fig for fig in self.figures if fig.id not in placed)


@dataclass(frozen=True)
class Page:
    """A newspaper page (版): label, banner, grid and its modules in reading order."""

    number: int
    label: str
    modules: tuple[Module, ...]
    source: Source
    banner: Banner | None = None
    columns: int = DEFAULT_COLUMNS
    rows: int = DEFAULT_ROWS

    @property
    def placed(self) -> bool:
        """True when every module has a print placement (a fixed layout)."""
        return bool(self.modules) and all(m.place is not None for m in self.modules)


@dataclass(frozen=True)
class Correction:
    """An editorial correction recorded in the edition: original, fix and reason."""

    file: str
    original: str
    reason: str
    applied: bool
    source: Source
    fix: str | None = None


@dataclass(frozen=True)
class Edition:
    """A day's edition: metadata, its pages and the corrections its editors recorded."""

    id: str
    title: str
    language: str
    date: str | None  # YYYY, YYYY-MM or YYYY-MM-DD; None when the page prints no date
    pages: tuple[Page, ...]
    source: Source
    date_inferred: bool = False
    date_note: str | None = None
    publication: str | None = None
    publisher: str | None = None
    editor: str | None = None
    paper: Paper = "broadsheet"
    corrections: tuple[Correction, ...] = field(default=())
    writing_mode: WritingMode = "horizontal-tb"

    @property
    def modules(self) -> Iterator[Module]:
        for page in self.pages:
            yield from page.modules

    @property
    def traditional(self) -> bool:
        return self.language == "zh-TW"


TextRole = Literal[
    "banner", "kicker", "headline", "deck", "byline", "pen-name", "subhead", "body",
    "caption", "credit", "contributor", "brief-title", "dateline",
]


@dataclass(frozen=True)
class TextItem:
    """One piece of copy with the role it is set in and where it came from."""

    text: str
    role: TextRole
    source: Source
    module: Module | None = None


def _module_text(module: Module) -> Iterator[TextItem]:
    def item(text: str | None, role: TextRole, source: Source) -> Iterator[TextItem]:
        if text:
            yield TextItem(text, role, source, module)

    at = module.source_of
    if module.banner:
        yield from item(module.banner.name, "banner", module.banner.source)
        yield from item(module.banner.pinyin, "banner", module.banner.source)
    yield from item(module.kicker, "kicker", at("kicker"))
    yield from item(module.headline, "headline", at("headline"))
    yield from item(module.deck, "deck", at("deck"))
    yield from item(module.byline, "byline", at("byline"))
    yield from item(module.pen_name, "pen-name", at("pen-name"))
    for fig in module.figures:
        yield from item(fig.caption, "caption", fig.source)
        yield from item(fig.credit, "credit", fig.source)
    for section in module.sections:
        yield from item(section.subhead, "subhead", section.source)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                yield from item(block.text, "body", block.source)
    for brief in module.briefs:
        yield from item(brief.title, "brief-title", brief.source)
        yield from item(brief.dateline, "dateline", brief.source)
        for para in brief.paragraphs:
            yield from item(para.text, "body", para.source)
        yield from item(brief.contributor, "contributor", brief.source)
    yield from item(module.contributor, "contributor", at("contributor"))


def copy_text(edition: Edition) -> list[TextItem]:
    """Every piece of copy in the edition, in reading order: what both outputs must contain."""
    items: list[TextItem] = []
    for page in edition.pages:
        if page.banner:
            items.append(TextItem(page.banner.name, "banner", page.banner.source))
            if page.banner.pinyin:
                items.append(TextItem(page.banner.pinyin, "banner", page.banner.source))
        for module in page.modules:
            items.extend(_module_text(module))
    return items
