"""The content writer: load → write → load gives the same model, source positions aside.

Checked on the sample edition, on every fixture edition and on editions that Hypothesis
generates with hostile copy (markup characters, quotes, backslashes, control characters and
line breaks in TOML strings, emphasis next to punctuation). Writing is deterministic: the same
model gives the same bytes, and a written edition written again gives the same bytes too.
"""

from __future__ import annotations

import dataclasses
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from banmian.content import load_edition, writer
from banmian.content.files import KeyLines, check_controls
from banmian.content.markdown import parse_body
from banmian.content.writer import (
    edition_files,
    markdown_paragraph,
    markdown_subhead,
    toml_multiline,
    toml_string,
    write_edition,
)
from banmian.model import (
    Banner,
    Brief,
    Correction,
    Edition,
    Figure,
    FigureRef,
    Module,
    Page,
    Paragraph,
    Placement,
    Role,
    Section,
    Source,
    Span,
    Style,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "content" / "benxi-2020-02"
EDITIONS = [SAMPLE, *sorted(p.parent for p in (ROOT / "tests" / "fixtures").rglob("edition.toml"))]
NOWHERE = Source("generated", 0)


# --- comparing models without their sources ---------------------------------------------------


def without_sources(value: Any, *, key_names: bool = True) -> Any:
    """``value`` with every :class:`Source` blanked, recursively through dataclasses and tuples.

    A module's ``field_lines`` (front-matter key → line) keeps only the key names, or nothing
    when ``key_names`` is false (a model built in memory has none).
    """
    if isinstance(value, Source):
        return NOWHERE
    if isinstance(value, tuple):
        return tuple(without_sources(item, key_names=key_names) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: without_sources(getattr(value, f.name), key_names=key_names)
                   for f in dataclasses.fields(value)}
        if isinstance(value, Module):
            changes["field_lines"] = tuple((name, 0) for name, _ in value.field_lines
                                           if key_names)
        return dataclasses.replace(value, **changes)
    return value


def first_difference(expected: Any, actual: Any, path: str = "edition") -> str | None:
    """Where two normalised models first differ, e.g. ``edition.pages[0].label: '1' != '2'``."""
    if type(expected) is not type(actual):
        return f"{path}: {expected!r} != {actual!r}"
    if isinstance(expected, tuple):
        if len(expected) != len(actual):
            return f"{path}: {len(expected)} items != {len(actual)}"
        found = (first_difference(a, b, f"{path}[{i}]")
                 for i, (a, b) in enumerate(zip(expected, actual, strict=True)))
        return next((d for d in found if d), None)
    if dataclasses.is_dataclass(expected) and not isinstance(expected, type):
        found = (first_difference(getattr(expected, f.name), getattr(actual, f.name),
                                  f"{path}.{f.name}") for f in dataclasses.fields(expected))
        return next((d for d in found if d), None)
    return None if expected == actual else f"{path}: {expected!r} != {actual!r}"


def assert_same_model(expected: Edition, actual: Edition, *, key_names: bool = True) -> None:
    want, got = (without_sources(e, key_names=key_names) for e in (expected, actual))
    assert got == want, first_difference(want, got)


def read_folder(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def round_trip(edition: Edition, work: Path, images_from: Path | None = None) -> Edition:
    """Write ``edition`` twice (same bytes), load it back, and check the written text: UTF-8,
    LF line ends, what :func:`edition_files` says, and a fixed point when written again."""
    write_edition(edition, work / "a", images_from=images_from)
    write_edition(edition, work / "b", images_from=images_from)
    first = read_folder(work / "a")
    assert first == read_folder(work / "b")
    files = edition_files(edition)
    assert {name: first[name] for name in files} == {
        name: text.encode("utf-8") for name, text in files.items()}
    for text in files.values():
        assert "\r" not in text and text.endswith("\n")
    loaded = load_edition(work / "a")
    assert edition_files(loaded) == files
    return loaded


# --- the sample and the fixtures -----------------------------------------------------------------


@pytest.mark.parametrize("folder", EDITIONS, ids=lambda p: p.name)
def test_editions_round_trip(folder: Path, tmp_path: Path) -> None:
    edition = load_edition(folder)
    assert_same_model(edition, round_trip(edition, tmp_path))


def test_every_fixture_edition_is_checked() -> None:
    names = {p.name for p in EDITIONS}
    assert {"benxi-2020-02", "two-page", "two-page-tc", "coverage-sc", "coverage-tc"} <= names


def test_module_ids_and_files_are_kept(tmp_path: Path) -> None:
    edition = load_edition(SAMPLE)
    write_edition(edition, tmp_path)
    again = load_edition(tmp_path)
    assert [m.id for m in again.modules] == [m.id for m in edition.modules]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["edition.toml", *(f"{m.id}.md" for m in edition.modules)])


def test_the_check_notices_a_dropped_credit(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The round-trip check can fail: a writer that loses figure credits is caught."""
    edition = load_edition(SAMPLE)
    assert any(fig.credit for module in edition.modules for fig in module.figures)
    figure_toml = writer._figure_toml
    monkeypatch.setattr(writer, "_figure_toml",
                        lambda fig: figure_toml(dataclasses.replace(fig, credit=None)))
    write_edition(edition, tmp_path)
    with pytest.raises(AssertionError, match=r"figures\[0\]\.credit: '资料片"):
        assert_same_model(edition, load_edition(tmp_path))


def test_only_sources_are_ignored() -> None:
    edition = load_edition(SAMPLE)
    page = edition.pages[0]
    moved = dataclasses.replace(edition, source=Source("elsewhere.toml", 99),
                                pages=(dataclasses.replace(page, source=Source("x", 3)),))
    assert without_sources(moved) == without_sources(edition)
    relabelled = dataclasses.replace(edition, pages=(dataclasses.replace(page, label="9"),))
    assert without_sources(relabelled) != without_sources(edition)


def test_brief_paragraph_with_trailing_space(make_edition: Any, tmp_path: Path) -> None:
    briefs = '+++\n[[items]]\ntitle = "题"\nbody = "甲\\n乙\u3000\\n\\n丙"\n+++\n'
    toml = 'title = "t"\nlanguage = "zh-CN"\ndate = "2020"\n[[pages]]\n[[pages.modules]]\n' \
           'file = "b.md"\nrole = "briefs"\n'
    edition = load_edition(make_edition(files={"edition.toml": toml, "b.md": briefs}))
    # A brief's paragraphs are stripped at both ends, over one line or several (the loader kept
    # the trailing space of a joined paragraph, which no writing could give back).
    assert edition.pages[0].modules[0].briefs[0].paragraphs[0].text == "甲乙"
    assert_same_model(edition, round_trip(edition, tmp_path / "out"))


# --- escaping ------------------------------------------------------------------------------------

HAN = "把初心和使命写在抗疫一线党员组织社区报讯春耕𬬻𫟼"
MARKUP = ["*", "**", "***", "_", "__", "\\", "\\*", "`", "```", "[", "]", "[a](b)", "![](#x)",
          "<", "<b>", "</p>", "<!--", "&", "&amp;", "&#x41;", "&#0;", "#", "## ", ">", "> ",
          "-", "- ", "+ ", "1. ", "2)", "=", "---", "~~~", "|", "!", '"', "'", "{{ x }}",
          "+++", "[[pages]]", "title = x", "\t", " ", "  ", "\u3000", "\xa0", "\ufeff",
          "\u200b", "。", "，", "“", "”", "《", "》", "（", "）", "、", "…", "——", "■"]
CONTROLS = ["\n", "\n\n", "\r", "\r\n", "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f",
            "\x7f", "\x85", "\x9f", "\u2028", "\u2029", '"', '"""', "'''", "\\n", "\\u0041",
            "\\\\", "\n+++\n", "\n[[items]]\n", "\nkey = 1\n", "\n  [x]"]

_char = st.one_of(st.sampled_from([*HAN, *"aZ09.,;:?!()%/$@^{}"]),
                  st.characters(exclude_categories=("Cc", "Cs", "Cn")))
_piece = st.one_of(_char, _char, st.sampled_from(MARKUP))
#: Copy for Markdown: no line breaks or control characters (the format has no way to write them).
MD_TEXT = st.lists(_piece, min_size=1, max_size=8).map("".join)
#: Copy for TOML strings: anything but lone surrogates.
ANY_TEXT = st.lists(st.one_of(_piece, st.sampled_from(CONTROLS)), min_size=1, max_size=8).map(
    "".join)
#: A TOML field the loader strips: no space at either end, not empty.
FIELD = ANY_TEXT.map(str.strip).filter(bool)
LINE = MD_TEXT.map(str.strip).filter(bool)


def _merge(parts: list[tuple[str, Style]]) -> tuple[Span, ...]:
    spans: list[Span] = []
    for text, style in parts:
        if spans and spans[-1].style == style:
            spans[-1] = Span(spans[-1].text + text, style)
        else:
            spans.append(Span(text, style))
    return tuple(spans)


STYLES: tuple[Style, ...] = ("plain", "em", "strong")
STYLE = st.sampled_from(STYLES)
SPANS = st.lists(st.tuples(MD_TEXT, STYLE), min_size=1, max_size=5).map(_merge)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_toml_string_reads_back(value: str) -> None:
    text = f"x = {toml_string(value)}\n"
    assert tomllib.loads(text) == {"x": value}
    assert "\n" not in text[:-1]
    check_controls(text, "x.toml")


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_toml_multiline_reads_back(value: str) -> None:
    text = f"+++\n[[items]]\nbody = {toml_multiline(value)}\ncontributor = \"x\"\n+++\n"
    front = text.split("\n")[1:-2]
    assert tomllib.loads("\n".join(front)) == {"items": [{"body": value, "contributor": "x"}]}
    check_controls(text, "x.md")
    lines = KeyLines.scan("\n".join(front), "x.md")
    assert set(lines.keys) == {("items", 0, "body"), ("items", 0, "contributor")}
    assert sum(line.strip() == "+++" for line in text.split("\n")) == 2


@pytest.mark.parametrize(("value", "expected"), [
    ('say "hi"\\', '"say \\"hi\\"\\\\"'),
    ("a\nb\tc\r", '"a\\nb\\tc\\r"'),
    ("\x00\x7f\x85\u2028", '"\\u0000\\u007F\\u0085\\u2028"'),
    ("本报讯 ‘引’", '"本报讯 ‘引’"'),
])
def test_toml_string_escapes(value: str, expected: str) -> None:
    assert toml_string(value) == expected


def _parsed_spans(line: str) -> tuple[Span, ...]:
    (section,) = parse_body(f"{line}\n", "x.md", 1)
    (block,) = section.blocks
    assert isinstance(block, Paragraph), line
    return block.spans


@settings(max_examples=400, deadline=None)
@given(SPANS)
def test_markdown_paragraph_reads_back(spans: tuple[Span, ...]) -> None:
    line = markdown_paragraph(spans)
    assert "\n" not in line
    assert _parsed_spans(line) == spans


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.just(""), LINE))
def test_markdown_subhead_reads_back(text: str) -> None:
    (section,) = parse_body(markdown_subhead(text) + "\n", "x.md", 1)
    assert section.subhead == text and section.blocks == ()


@pytest.mark.parametrize(("spans", "line"), [
    ((Span("重点", "strong"), Span("继续。")), "**重点**继续。"),
    ((Span("a*b_c"),), "a\\*b\\_c"),
    ((Span("# 1. <b>&amp;"),), "\\# 1. \\<b>\\&amp;"),
    ((Span("1. 第一"),), "1\\. 第一"),
    ((Span("- 项"),), "\\- 项"),
    ((Span("重点。", "strong"), Span("继续")), "**重点。**&#x7EE7;续"),
    ((Span("说"), Span("“好”", "em")), "&#x8BF4;*“好”*"),
    ((Span("甲", "em"), Span("乙", "strong"), Span("丙", "em")), "*甲*__乙__*丙*"),
    ((Span(" 空 ", "em"), Span("x")), "*&#x20;空&#x20;*&#x78;"),
    ((Span("\u3000\u3000正文"),), "&#x3000;\u3000正文"),
])
def test_markdown_paragraph_examples(spans: tuple[Span, ...], line: str) -> None:
    assert markdown_paragraph(spans) == line
    assert _parsed_spans(line) == spans


def _module(role: Role, **fields: Any) -> Module:
    return Module(id="m", role=role, source=NOWHERE, **fields)


@pytest.mark.parametrize("module", [
    _module("briefs", briefs=(Brief("题", (Paragraph((Span("重", "em"),), NOWHERE),), NOWHERE),)),
    _module("article", sections=(Section(None, (Paragraph((Span("a\nb"),), NOWHERE),), NOWHERE),)),
    _module("article", sections=(Section(None, (Paragraph((Span("a\x01"),), NOWHERE),), NOWHERE),)),
    _module("commentary", headline="题", byline="记者"),
    _module("lead", headline="题", pen_name="石言"),
    _module("briefs", headline="题"),
    _module("article", headline="题", sections=(Section("小", (), NOWHERE),
                                                Section(None, (), NOWHERE))),
    dataclasses.replace(_module("article", headline="题"), id="Lead"),
])
def test_what_the_format_cannot_say_is_refused(module: Module) -> None:
    edition = Edition("e", "题", "zh-CN", "2020", (Page(1, "1", (module,), NOWHERE),), NOWHERE)
    with pytest.raises(ValueError):
        edition_files(edition)


# --- generated editions --------------------------------------------------------------------------

TEXT_KEYS: dict[Role, tuple[str, ...]] = {
    "lead": ("kicker", "deck", "byline", "contributor"),
    "profile": ("kicker", "deck", "byline", "contributor"),
    "commentary": ("deck", "pen_name", "contributor"),
    "article": ("kicker", "headline", "deck", "byline", "contributor"),
    "briefs": (),
}
ID = st.from_regex(r"[a-z0-9]{1,3}(-{1,2}[a-z0-9]{1,3})?", fullmatch=True)


def _optional(draw: st.DrawFn, strategy: st.SearchStrategy[str]) -> str | None:
    return draw(strategy) if draw(st.booleans()) else None


def _paragraph(draw: st.DrawFn) -> Paragraph:
    return Paragraph(draw(SPANS), NOWHERE)


def _figure(draw: st.DrawFn, module_id: str, number: int, images: set[str]) -> Figure:
    image = None
    if draw(st.booleans()):
        image = f"img/{module_id}-{number}.jpg"
        images.add(image)
    aspect = draw(st.one_of(st.just((3, 2)), st.tuples(st.integers(1, 999),
                                                          st.integers(1, 999))))
    return Figure(f"f{number}", draw(FIELD), NOWHERE, _optional(draw, FIELD),
                  _optional(draw, FIELD), image, aspect)


def _sections(draw: st.DrawFn, figures: tuple[Figure, ...]) -> tuple[Section, ...]:
    blocks: list[Paragraph | FigureRef] = [_paragraph(draw)
                                           for _ in range(draw(st.integers(1, 3)))]
    for fig in figures:
        if draw(st.booleans()):
            blocks.insert(draw(st.integers(0, len(blocks))), FigureRef(fig.id, NOWHERE))
    sections = [Section(None, tuple(blocks), NOWHERE)] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(0 if sections else 1, 2))):
        subhead = draw(st.one_of(st.just(""), LINE))
        sections.append(Section(subhead, tuple(_paragraph(draw)
                                               for _ in range(draw(st.integers(0, 2)))),
                                NOWHERE))
    if sections[0].subhead is not None:  # figures referenced above need a place to stand
        sections[0] = dataclasses.replace(sections[0], blocks=(*blocks, *sections[0].blocks))
    return tuple(sections)


def _brief(draw: st.DrawFn) -> Brief:
    paragraphs = tuple(Paragraph((Span(text),), NOWHERE)
                       for text in draw(st.lists(FIELD.filter(lambda t: "\n" not in t),
                                                 min_size=1, max_size=3)))
    return Brief(draw(FIELD), paragraphs, NOWHERE, _optional(draw, FIELD),
                 _optional(draw, FIELD))


def _placement(draw: st.DrawFn, columns: int, rows: int) -> Placement | None:
    if not draw(st.booleans()):
        return None
    col, row = draw(st.integers(1, columns)), draw(st.integers(1, rows))
    return Placement(col, draw(st.integers(1, columns - col + 1)), row,
                     draw(st.integers(1, rows - row + 1)))


def _banner(draw: st.DrawFn) -> Banner | None:
    return Banner(draw(FIELD), NOWHERE, _optional(draw, FIELD)) if draw(st.booleans()) else None


@st.composite
def modules(draw: st.DrawFn, module_id: str, columns: int, rows: int,
            images: set[str]) -> Module:
    role: Role = draw(st.sampled_from(["lead", "profile", "commentary", "briefs", "article"]))
    text = {key: _optional(draw, FIELD) for key in TEXT_KEYS[role]}
    if role in ("lead", "profile", "commentary"):
        text["headline"] = draw(FIELD)
    place, banner = _placement(draw, columns, rows), _banner(draw)
    if role == "briefs":
        briefs = tuple(_brief(draw) for _ in range(draw(st.integers(1, 2))))
        return Module(module_id, role, NOWHERE, briefs=briefs, place=place, banner=banner)
    figures = tuple(_figure(draw, module_id, n, images) for n in range(draw(st.integers(0, 2))))
    return Module(module_id, role, NOWHERE, headline=text.get("headline"),
                  kicker=text.get("kicker"), deck=text.get("deck"), byline=text.get("byline"),
                  pen_name=text.get("pen_name"), contributor=text.get("contributor"),
                  figures=figures, sections=_sections(draw, figures), place=place,
                  banner=banner)


@st.composite
def pages(draw: st.DrawFn, number: int, ids: list[str], images: set[str]) -> Page:
    columns, rows = draw(st.integers(1, 15)), draw(st.integers(1, 38))
    drawn = [draw(modules(module_id, columns, rows, images)) for module_id in ids]
    return Page(number, draw(FIELD), _apart(drawn), NOWHERE, _banner(draw), columns, rows)


def _apart(drawn: list[Module]) -> tuple[Module, ...]:
    """The modules, unplaced where a place would overlap an earlier one's (an error, BM105)."""
    kept: list[Module] = []
    for module in drawn:
        place = module.place
        if place is not None and any(
                other.place is not None
                and place.col < other.place.col + other.place.span
                and other.place.col < place.col + place.span
                and place.row < other.place.row + other.place.rows
                and other.place.row < place.row + place.rows for other in kept):
            module = dataclasses.replace(module, place=None)
        kept.append(module)
    return tuple(kept)


@st.composite
def corrections(draw: st.DrawFn) -> Correction:
    applied = draw(st.booleans())
    original = ANY_TEXT.filter(lambda t: bool(t.strip()))
    fix = draw(original) if applied or draw(st.booleans()) else None
    return Correction(draw(FIELD), draw(original), draw(FIELD), applied, NOWHERE, fix)


@st.composite
def editions(draw: st.DrawFn) -> tuple[Edition, set[str]]:
    ids = draw(st.lists(ID, min_size=1, max_size=4, unique=True))
    cut = draw(st.integers(1, len(ids)))
    images: set[str] = set()
    page_ids = [ids[:cut], ids[cut:]] if ids[cut:] else [ids]
    edition = Edition(
        id=draw(ID), title=draw(FIELD), language=draw(st.sampled_from(["zh-CN", "zh-TW"])),
        date=draw(st.sampled_from(["2020", "2020-02", "2021-03-15"])),
        pages=tuple(draw(pages(n, group, images)) for n, group in enumerate(page_ids, start=1)),
        source=NOWHERE, date_inferred=draw(st.booleans()), date_note=_optional(draw, FIELD),
        publication=_optional(draw, FIELD), publisher=_optional(draw, FIELD),
        editor=_optional(draw, FIELD), paper=draw(st.sampled_from(["broadsheet", "tabloid"])),
        corrections=tuple(draw(st.lists(corrections(), max_size=2))))
    return edition, images


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(editions())
def test_generated_editions_round_trip(generated: tuple[Edition, set[str]]) -> None:
    edition, images = generated
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        for image in images:
            (work / "src" / image).parent.mkdir(parents=True, exist_ok=True)
            (work / "src" / image).write_bytes(image.encode())
        loaded = round_trip(edition, work, images_from=work / "src")
        assert_same_model(edition, loaded, key_names=False)
        for image in images:
            assert (work / "a" / image).read_bytes() == image.encode()
