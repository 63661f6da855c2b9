"""Units → stories: banners, headlines, bylines, datelines, subheads, figures, contributors.

A short line (no closing punctuation) is the hardest call: a headline when a byline, deck, pen
name or dateline follows it or when no story is open; a contributor or pen name when it is a bare
name; otherwise a subhead. Every call that could go either way is noted with its raw line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from banmian.chinese.banner import BANNER
from banmian.chinese.chars import CJK_PUNCT, ends_sentence
from banmian.importer.lines import DATELINE, NAME, Unit


@dataclass
class Note:
    """A decision the import made, with the raw line it is about."""

    line: int
    text: str
    uncertain: bool = True


@dataclass
class Fig:
    """A photo caption (and credit) found in the text; the photo itself is not there."""

    caption: Unit
    credit: Unit | None = None


@dataclass
class BannerText:
    name: str
    pinyin: str | None
    line: int


@dataclass
class Story:
    """One article as found on the page, before it is given a role."""

    line: int
    banner: BannerText | None = None
    kicker: Unit | None = None
    headline: Unit | None = None
    deck: Unit | None = None
    byline: Unit | None = None
    pen_name: Unit | None = None
    contributor: Unit | None = None
    blocks: list[tuple[str, Unit | Fig]] = field(default_factory=list)  # "p" | "h" | "fig"
    closed: bool = False

    @property
    def has_body(self) -> bool:
        return any(kind == "p" for kind, _ in self.blocks)

    @property
    def paragraphs(self) -> list[Unit]:
        return [u for kind, u in self.blocks if kind == "p" and isinstance(u, Unit)]

    @property
    def dateline(self) -> str | None:
        paras = self.paragraphs
        match = DATELINE.match(paras[0].text) if paras else None
        return match.group().strip() if match else None

    @property
    def bare(self) -> bool:
        """Nothing but a headline (and its furniture) so far."""
        return not self.blocks and self.byline is None and self.pen_name is None


def banner_like(name: str) -> bool:
    """A name short enough for a banner, with no punctuation (前沿观察, 新闻速览)."""
    return len(name) <= 8 and not any(c in CJK_PUNCT or c in ",.;:!?\"" for c in name)


def banner_text(unit: Unit) -> BannerText:
    match = BANNER.match(unit.text)
    name = match.group(1).strip() if match else unit.text.lstrip("■□◆▲● \u3000")
    pinyin = match.group(2).strip() if match and match.group(2) else None
    return BannerText(name, pinyin, unit.line)


@dataclass
class Segmenter:
    """Walks the units once, opening and closing stories."""

    units: list[Unit]
    stories: list[Story] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    page_banner: BannerText | None = None
    pending_banner: BannerText | None = None
    captions: list[Fig] = field(default_factory=list)

    @property
    def cur(self) -> Story | None:
        return self.stories[-1] if self.stories and not self.stories[-1].closed else None

    def kind_at(self, index: int) -> str:
        if index >= len(self.units):
            return "end"
        unit = self.units[index]
        if unit.kind == "body" and DATELINE.match(unit.text):
            return "dateline"
        if unit.kind == "short" and NAME.match(unit.text):
            return "name"
        return unit.kind

    def open_story(self, unit: Unit) -> Story:
        if self.cur is not None:
            self.cur.closed = True
        story = Story(unit.line, banner=self.pending_banner)
        self.pending_banner = None
        self.stories.append(story)
        return story

    def note(self, unit: Unit, text: str, uncertain: bool = True) -> None:
        self.notes.append(Note(unit.line, text, uncertain))

    def run(self) -> list[Story]:
        handlers = {"banner": self.on_banner, "mark": self.on_mark, "byline": self.on_byline,
                    "kicker-headline": self.on_kicker_headline, "deck": self.on_deck,
                    "kicker": self.on_kicker,
                    "caption": self.on_caption, "credit": self.on_credit,
                    "short": self.on_short, "body": self.on_body}
        for index, unit in enumerate(self.units):
            handlers[unit.kind](index, unit)
        if not self.stories and self.page_banner is not None:
            pending, self.pending_banner = self.pending_banner, self.page_banner
            self.page_banner = None
            self.flush_banner()
            self.pending_banner = pending
        self.flush_banner()
        return self.stories

    def flush_banner(self) -> None:
        """A banner with no article after it: keep it as an article with the banner as headline."""
        if self.pending_banner is None:
            return
        banner = self.pending_banner
        self.pending_banner = None
        text = f"{banner.name} {banner.pinyin}" if banner.pinyin else banner.name
        story = self.open_story(Unit("short", text, banner.line))
        story.headline = Unit("short", text, banner.line)
        self.notes.append(Note(banner.line, "banner with no article after it; kept as an "
                               "article with the banner as its headline"))

    # -- handlers ---------------------------------------------------------------------------

    def on_banner(self, index: int, unit: Unit) -> None:
        banner = banner_text(unit)
        if self.cur is not None:
            self.cur.closed = True
        if not self.stories and self.page_banner is None:
            self.page_banner = banner
            self.note(unit, f"section banner '{banner.name}' → the page's banner", False)
        else:
            self.flush_banner()  # two banners in a row: the first heads nothing
            self.pending_banner = banner
            self.note(unit, f"section banner '{banner.name}' → banner of the next module", False)

    def on_mark(self, index: int, unit: Unit) -> None:
        """A ■ line without pinyin: a banner at the top of the page or over a story (a headline
        and its byline, deck or dateline next, or a banner-like name over a headline), else a
        subhead of the article it stands in."""
        name = unit.text.lstrip("■□◆▲● \u3000")
        after = self.kind_at(index + 1)
        starts_story = after in ("kicker-headline", "kicker", "short") and (
            after == "kicker" or self.kind_at(index + 2) in ("byline", "deck", "dateline", "name"))
        over_headline = banner_like(name) and after in ("short", "kicker", "kicker-headline")
        if not self.stories or starts_story or over_headline:
            self.on_banner(index, unit)
            self.note(unit, "■ line without pinyin read as a section banner")
            return
        story = self.stories[-1]
        if story.closed:
            story.closed = False
            self.note(unit, "■ line after the end of an article read as a subhead of it")
        story.blocks.append(("h", Unit("short", name, unit.line, unit.where_from(
            unit.text.index(name)))))
        self.note(unit, "■ line inside an article read as a subhead")

    def on_kicker(self, index: int, unit: Unit) -> None:
        """A line ending in ——: the kicker of the story whose headline follows."""
        story = self.open_story(unit)
        story.kicker = Unit("short", unit.text.rstrip("—").rstrip(), unit.line, unit.starts)
        self.note(unit, "line ending in —— read as the kicker of the next headline", False)

    def on_byline(self, index: int, unit: Unit) -> None:
        cur = self.cur
        if cur is not None and cur.byline is None and not cur.has_body:
            cur.byline = unit
        elif cur is not None and cur.has_body:
            cur.contributor, cur.closed = unit, True
            self.note(unit, "byline-like line after the body read as the contributor")
        else:
            story = self.open_story(unit)
            story.byline = unit
            self.note(unit, "byline with no headline before it: article without a headline")

    def on_kicker_headline(self, index: int, unit: Unit) -> None:
        story = self.open_story(unit)
        cut = unit.text.index("——", 1) if "——" in unit.text[1:] else len(unit.text)
        kicker, headline = unit.text[:cut].rstrip(), unit.text[cut:].strip("— \u3000")
        story.kicker = Unit("short", kicker, unit.line, unit.starts)
        story.headline = Unit("short", headline, unit.line,
                              [(0, *unit.where(unit.text.index(headline, cut)))])
        self.note(unit, "headline split at —— into kicker and main headline", False)

    def on_deck(self, index: int, unit: Unit) -> None:
        cur = self.cur
        if cur is not None and cur.headline is not None and cur.bare and cur.deck is None:
            cur.deck = unit
        else:
            self.on_body(index, unit)

    def on_caption(self, index: int, unit: Unit) -> None:
        fig = Fig(unit)
        self.captions.append(fig)
        cur = self.cur or self.open_story(unit)
        cur.blocks.append(("fig", fig))
        self.note(unit, "photo caption → figure without an image", False)

    def on_credit(self, index: int, unit: Unit) -> None:
        if not self.captions:
            self.on_body(index, unit)
            self.note(unit, "photo credit with no caption before it: kept as a paragraph")
            return
        for fig in self.captions:
            fig.credit = unit
        self.captions = []

    def on_body(self, index: int, unit: Unit) -> None:
        cur = self.cur
        if cur is not None and cur.kicker is not None and cur.headline is None and cur.bare \
                and len(unit.text) <= 60 and not ends_sentence(unit.text):
            cur.headline = unit
            self.note(unit, "long line under a kicker read as the headline")
            return
        if cur is None:
            cur = self.open_story(unit)
            self.note(unit, "text with no headline before it: article without a headline")
        cur.blocks.append(("p", unit))

    def on_short(self, index: int, unit: Unit) -> None:
        cur, after = self.cur, self.kind_at(index + 1)
        is_name = self.kind_at(index) == "name"
        if cur is not None and cur.kicker is not None and cur.headline is None and cur.bare:
            cur.headline = unit
            self.note(unit, f"'{unit.text}' under the kicker read as the headline", False)
        elif cur is not None and is_name and cur.has_body and after != "dateline":
            cur.contributor, cur.closed = unit, True
            self.note(unit, f"'{unit.text}' read as the contributor of the article above")
        elif (cur is not None and is_name and cur.headline is not None and cur.bare
              and after in ("body", "dateline")):
            cur.pen_name = unit
            self.note(unit, f"'{unit.text}' under the headline read as a pen name")
        elif cur is not None and cur.headline is not None and cur.bare and cur.deck is None:
            self.second_headline(cur, unit)
        elif cur is None or after in ("byline", "deck", "dateline", "kicker-headline") or (
                after == "name" and self.kind_at(index + 2) in ("body", "dateline")):
            self.open_story(unit).headline = unit
            self.note(unit, f"'{unit.text}' read as a headline", cur is not None
                      and after not in ("byline", "dateline"))
        elif cur.has_body:
            cur.blocks.append(("h", unit))
            self.note(unit, f"'{unit.text}' read as a subhead")
        else:
            cur.blocks.append(("p", unit))
            self.note(unit, "short line before the body kept as a paragraph")

    def second_headline(self, cur: Story, unit: Unit) -> None:
        """Two headline lines in a row: the longer first one is the kicker, else a deck."""
        assert cur.headline is not None
        first = cur.headline
        if first.text.endswith("——"):
            cur.kicker, cur.headline = Unit("short", first.text.rstrip("—"), first.line,
                                            first.starts), unit
            self.note(unit, "headline after a line ending in ——: that line is the kicker", False)
        elif cur.kicker is None and len(first.text) > len(unit.text):
            cur.kicker, cur.headline = first, unit
            self.note(unit, "two headline lines: the first read as the kicker")
        else:
            cur.deck = unit
            self.note(unit, "second headline line read as a deck")
