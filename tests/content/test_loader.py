"""The loader: edition.toml and module files → model, and every content-format error with its
code and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from banmian.content import load_edition
from banmian.diagnostics import InputError
from banmian.model import FigureRef, Paragraph, Source

Factory = Callable[..., Path]


def errors_of(folder: Path) -> list[tuple[str, int, str]]:
    with pytest.raises(InputError) as exc:
        load_edition(folder)
    return [(d.code, d.source.line if d.source else -1, d.message) for d in exc.value.diagnostics]


def test_minimal_edition_loads(make_edition: Factory) -> None:
    edition = load_edition(make_edition())
    assert edition.id == "test-edition"
    assert edition.language == "zh-CN" and edition.date == "2020-02-12"
    (page,) = edition.pages
    assert page.label == "1" and page.banner is not None and page.banner.pinyin == "YAOWEN"
    (module,) = page.modules
    assert module.role == "article" and module.headline == "春风送暖"
    (section,) = module.sections
    (para,) = section.blocks
    assert isinstance(para, Paragraph) and para.text == "这是一段正文，用来测试。"
    assert para.source == Source(str(Path(module.source.path)), 5)


def test_paragraph_lines_join_without_spaces_between_han(make_edition: Factory) -> None:
    story = "+++\nheadline = \"标题\"\n+++\n\n第一行没有标点\n第二行接上。\nIntel\nCore 处理器\n"
    module = next(load_edition(make_edition(files={"story.md": story})).modules)
    (para,) = module.sections[0].blocks
    assert isinstance(para, Paragraph)
    assert para.text == "第一行没有标点第二行接上。Intel Core 处理器"


def test_subheads_open_sections_and_figures_are_placed(make_edition: Factory) -> None:
    story = """\
        +++
        headline = "标题"

        [[figures]]
        id = "one"
        caption = "图一说明。"
        aspect = "4:3"

        [[figures]]
        id = "two"
        caption = "图二说明。"
        +++

        导语。

        ![](#two)

        ## 小标题

        正文**加粗**和*强调*。
        """
    module = next(load_edition(make_edition(files={"story.md": story})).modules)
    assert [s.subhead for s in module.sections] == [None, "小标题"]
    assert isinstance(module.sections[0].blocks[1], FigureRef)
    assert [f.id for f in module.lead_figures] == ["one"]
    assert module.figure("one").aspect == (4, 3)
    para = module.sections[1].blocks[0]
    assert isinstance(para, Paragraph)
    assert [(s.text, s.style) for s in para.spans] == [
        ("正文", "plain"), ("加粗", "strong"), ("和", "plain"), ("强调", "em"), ("。", "plain")]


def test_two_pages_keep_their_modules_in_order(make_edition: Factory) -> None:
    toml = """\
        title = "两版"
        language = "zh-TW"
        date = "2020"

        [[pages]]
        label = "A1"
        [[pages.modules]]
        file = "story.md"
        role = "article"

        [[pages]]
        label = "A2"
        [[pages.modules]]
        file = "other.md"
        role = "commentary"
        """
    other = '+++\nheadline = "評論"\npen-name = "筆名"\n+++\n\n正文。\n'
    edition = load_edition(make_edition(files={"edition.toml": toml, "other.md": other}))
    assert [p.label for p in edition.pages] == ["A1", "A2"]
    assert [m.id for m in edition.modules] == ["story", "other"]
    assert edition.traditional


@pytest.mark.parametrize(("files", "expected"), [
    ({"story.md": "+++\nheadline = \"x\"\n+++\n\n- a list\n"},
     [("BM110", 5, "unsupported Markdown: bullet list")]),
    ({"story.md": "+++\nheadline = \"x\"\n+++\n\n<script>alert(1)</script>\n"},
     [("BM110", 5, "unsupported Markdown: html block")]),
    ({"story.md": "+++\nheadline = \"x\"\n+++\n\n### 三级\n"},
     [("BM110", 5, "unsupported Markdown: heading level 3 (use ## for subheads)")]),
    ({"story.md": "+++\nheadline = \"x\"\n\n正文\n"},
     [("BM109", 1, "front matter opened with +++ is never closed")]),
    ({"story.md": "+++\nheadline = \"x\"\n+++\n\n![](#nope)\n"},
     [("BM111", 5, "no figure with id 'nope'")]),
    ({"story.md": "+++\nheadline = \"x\"\n+++\n\n![](http://example.com/a.jpg)\n"},
     [("BM111", 5, "an image in the body must reference a figure as ![](#id), not "
                   "'http://example.com/a.jpg'")]),
    ({"story.md": "+++\nheadline = 3\n+++\n\n正文。\n"},
     [("BM105", 2, "'headline' must be a string")]),
    ({"story.md": "+++\n[[figures]]\nid = \"a\"\ncaption = \"c\"\nimage = \"../x.jpg\"\n+++\n"},
     [("BM113", 5, "image '../x.jpg' must be a path inside the edition folder")]),
    ({"story.md": "+++\n[[figures]]\nid = \"a\"\ncaption = \"c\"\nimage = \"file:///etc/passwd\"\n"
                  "+++\n"},
     [("BM113", 5, "image 'file:///etc/passwd' must be a path inside the edition folder")]),
    ({"story.md": "+++\n[[figures]]\nid = \"a\"\ncaption = \"c\"\nimage = \"a.jpg\"\n+++\n"},
     [("BM113", 5, "image file 'a.jpg' not found")]),
    ({"story.md": "+++\n[[figures]]\nid = \"a\"\ncaption = \"c\"\n[[figures]]\nid = \"a\"\n"
                  "caption = \"d\"\n+++\n"},
     [("BM112", 5, "duplicate figure id 'a'")]),
    ({"story.md": "+++\nheadline = \"x\"\n+++\n\n正文\u0007。\n"},
     [("BM114", 5, "control character U+0007")]),
])
def test_module_errors(make_edition: Factory, files: dict[str, str],
                       expected: list[tuple[str, int, str]]) -> None:
    assert errors_of(make_edition(files=files)) == expected


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('language = "zh-CN"', 'language = "en"',
     [("BM105", 2, "language must be one of zh-CN, zh-TW")]),
    ('date = "2020-02-12"', 'date = "2020-02-30"',
     [("BM105", 3, "date must be YYYY, YYYY-MM or YYYY-MM-DD")]),
    ('title = "测试版"\n', "",
     [("BM104", 1, "missing required key 'title'")]),
    ('role = "article"', 'role = "article"\nplace = { col = 7, span = 3, row = 1, rows = 2 }',
     [("BM105", 12, "place runs off the page's 8×20 grid")]),
    ('role = "article"', 'role = "article"\nplace = { col = 0, span = 3, row = 1, rows = 2 }',
     [("BM105", 12, "place must be { col, span, row, rows } with positive integers")]),
    ('pinyin = "YAOWEN"', 'pinyin = "YAOWEN"\ncolour = "red"',
     [("BM103", 8, "unknown key 'colour' in a page (known: columns, label, modules, pinyin, "
                   "rows, section)")]),
])
def test_edition_errors(make_edition: Factory, old: str, new: str,
                        expected: list[tuple[str, int, str]]) -> None:
    folder = make_edition()
    toml = (folder / "edition.toml").read_text(encoding="utf-8")
    assert old in toml
    (folder / "edition.toml").write_text(toml.replace(old, new), encoding="utf-8")
    assert errors_of(folder) == expected


def test_several_errors_are_reported_together(make_edition: Factory) -> None:
    toml = 'title = "x"\nlanguage = "xx"\ndate = "bad"\nextra = 1\n[[pages]]\n' \
           '[[pages.modules]]\nfile = "story.md"\nrole = "news"\n'
    codes = [code for code, _, _ in errors_of(make_edition(files={"edition.toml": toml}))]
    assert sorted(codes) == ["BM103", "BM105", "BM105", "BM106"]


@pytest.mark.parametrize(("files", "expected"), [
    ({"edition.toml": 'title = "x"\nlanguage = "zh-CN"\ndate = "2020"\npages = []\n'},
     [("BM104", 1, "an edition needs at least one page")]),
    ({"edition.toml": 'title = "x"\nlanguage = "zh-CN"\ndate = "2020"\n[[pages]]\n'
                      'modules = []\n'},
     [("BM104", 4, "a page needs at least one module")]),
])
def test_empty_editions_are_errors(make_edition: Factory, files: dict[str, str],
                                   expected: list[tuple[str, int, str]]) -> None:
    assert errors_of(make_edition(files=files)) == expected


def test_module_files_must_stay_inside_the_edition(make_edition: Factory, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text('+++\nheadline = "x"\n+++\n', encoding="utf-8")
    folder = make_edition()
    (folder / "link.md").symlink_to(outside)
    toml = (folder / "edition.toml").read_text(encoding="utf-8")
    for target in ("../outside.md", "link.md", str(outside)):
        (folder / "edition.toml").write_text(toml.replace("story.md", target), encoding="utf-8")
        assert errors_of(folder) == [
            ("BM107", 10, f"module file '{target}' must be inside the edition folder")]


def test_a_module_listed_twice_is_an_error(make_edition: Factory) -> None:
    folder = make_edition()
    toml = (folder / "edition.toml").read_text(encoding="utf-8")
    toml += '\n[[pages.modules]]\nfile = "story.md"\nrole = "article"\n'
    (folder / "edition.toml").write_text(toml, encoding="utf-8")
    assert errors_of(folder) == [
        ("BM112", 14, "module file 'story.md' is listed twice (first at line 10)")]


def test_a_module_without_copy_is_an_error(make_edition: Factory) -> None:
    assert errors_of(make_edition(files={"story.md": "+++\n+++\n\n"})) == [
        ("BM104", 1, "the module has no copy")]


def test_a_very_long_paragraph_is_a_warning(make_edition: Factory) -> None:
    from banmian.content.modules import LONG_PARAGRAPH
    from banmian.diagnostics import Reporter

    story = f'+++\nheadline = "x"\n+++\n\n{"字" * (LONG_PARAGRAPH + 1)}\n'
    warnings = Reporter()
    load_edition(make_edition(files={"story.md": story}), warnings)
    assert [(d.severity, d.code, d.source.line if d.source else 0)
            for d in warnings.diagnostics] == [("warning", "BM115", 5)]


def test_writing_mode(make_edition: Callable[..., Path], minimal_toml: str) -> None:
    """writing-mode defaults to horizontal-tb, takes vertical-rl, and rejects anything else."""
    assert load_edition(make_edition("h")).writing_mode == "horizontal-tb"
    vertical = minimal_toml.replace('date = ', 'writing-mode = "vertical-rl"\ndate = ', 1)
    assert load_edition(make_edition("v", {"edition.toml": vertical})).writing_mode == (
        "vertical-rl")
    bad = minimal_toml.replace('date = ', 'writing-mode = "vertical-lr"\ndate = ', 1)
    with pytest.raises(InputError) as exc:
        load_edition(make_edition("bad", {"edition.toml": bad}))
    assert [d.code for d in exc.value.diagnostics] == ["BM105"]
    assert exc.value.diagnostics[0].source is not None
    assert exc.value.diagnostics[0].source.line == 3  # title, language, writing-mode
