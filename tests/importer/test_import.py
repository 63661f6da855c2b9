"""banmian import: the seed page and fixtures in other shapes import, build and keep their text."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from banmian.content import load_edition
from banmian.content.writer import edition_files
from banmian.importer import import_file, kept_ratio, parse_page
from banmian.model import Paragraph, copy_text

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "000_d65a43b0fd7516ed.txt"
RAW = Path(__file__).resolve().parents[1] / "fixtures" / "raw"
SHAPES = ["hardwrap", "noblank", "subheads", "traditional", "briefs_latin", "noroles",
          "flattened"]


def epub_text(path: Path) -> tuple[str, str]:
    """(all body text, navigation text) of an EPUB."""
    with zipfile.ZipFile(path) as book:
        names = book.namelist()
        pages = [book.read(n).decode() for n in names if n.endswith(".xhtml")]
        nav = [book.read(n).decode() for n in names if n.endswith("nav.xhtml")]
    def strip(s: str) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", s))
    return "\n".join(strip(p) for p in pages), "\n".join(strip(n) for n in nav)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Every raw page imported and built to EPUB once: name → (edition, epub)."""
    from banmian.build import build_edition
    from banmian.diagnostics import BanmianError

    root = tmp_path_factory.mktemp("imported")
    out: dict[str, tuple[Path, Path]] = {}
    for name, raw in [("seed", SEED), *((n, RAW / f"{n}.txt") for n in SHAPES)]:
        folder = root / name.replace("_", "-")
        import_file(raw, folder)
        try:
            result = build_edition(folder, root / "out", ["epub"])
        except BanmianError:
            continue
        out[name] = (folder, result.outputs[0])
    return out


def test_seed_structure_matches_the_curated_edition(built: dict[str, tuple[Path, Path]],
                                                    sample_dir: Path) -> None:
    folder, _ = built["seed"]
    mine = [(i.role, i.text) for i in copy_text(load_edition(folder))]
    curated = [(i.role, i.text) for i in copy_text(load_edition(sample_dir))]
    # Same pieces in the same roles; only the three applied corrections differ.
    assert len(mine) == len(curated)
    differing = [(a, b) for a, b in zip(mine, curated, strict=True) if a != b]
    assert len(differing) == 3
    assert {a[1] for a, _ in differing} >= {"GUANCHUA"}


def test_seed_epub_keeps_text_lists_articles_and_joins_paragraphs(
        built: dict[str, tuple[Path, Path]]) -> None:
    folder, epub = built["seed"]
    text, nav = epub_text(epub)
    assert kept_ratio(SEED.read_text(encoding="utf-8"), text) >= 0.99
    for module in load_edition(folder).modules:
        assert module.title in nav
    assert len(load_edition(folder).modules and list(load_edition(folder).modules)) == 4
    # Paragraphs the PDF split at column breaks come back whole.
    for joined in ("让他接诊时留着备用", "投入到疫情防控一线", "她还发出《第六社区党支部",
                   "拦截进出市车辆", "基层党员，舍小家为大家"):
        assert joined in text


@pytest.mark.slow
def test_epubcheck_passes_with_no_messages(built: dict[str, tuple[Path, Path]]) -> None:
    from banmian.verify.check import check_epubs

    assert "seed" in built
    found = check_epubs([epub for _, epub in built.values()])  # one Java process for all
    assert found == {epub: [] for _, epub in built.values()}


@pytest.mark.parametrize("name", SHAPES)
def test_shapes_import_and_keep_text(name: str, tmp_path: Path) -> None:
    raw = RAW / f"{name}.txt"
    result = import_file(raw, tmp_path / "ed")
    assert result.kept == 1.0
    copy = "\n".join(i.text for i in copy_text(load_edition(tmp_path / "ed")))
    assert kept_ratio(raw.read_text(encoding="utf-8"), copy) == 1.0


@pytest.mark.parametrize("name", [n for n in SHAPES if n != "traditional"])
def test_shapes_build(name: str, built: dict[str, tuple[Path, Path]]) -> None:
    _, epub = built[name]
    text, _ = epub_text(epub)
    assert kept_ratio((RAW / f"{name}.txt").read_text(encoding="utf-8"), text) >= 0.99


def test_traditional_builds(built: dict[str, tuple[Path, Path]]) -> None:
    """The Traditional page imports as zh-TW and builds with the TC faces, keeping its text."""
    folder, epub = built["traditional"]
    assert load_edition(folder).language == "zh-TW"
    text, _ = epub_text(epub)
    assert kept_ratio((RAW / "traditional.txt").read_text(encoding="utf-8"), text) >= 0.99
    from fontTools.ttLib import TTFont

    with zipfile.ZipFile(epub) as book:
        serif = TTFont(io.BytesIO(book.read("EPUB/fonts/NotoSerifCJKtc-Regular.otf")), lazy=True)
    assert serif["name"].getDebugName(1) == "Noto Serif CJK TC"


def _roles(name: str) -> list[str]:
    page = parse_page((RAW / f"{name}.txt").read_text(encoding="utf-8"))
    return [m.role for m in page.modules]


def test_hard_wraps_and_column_breaks_are_joined() -> None:
    page = parse_page((RAW / "hardwrap.txt").read_text(encoding="utf-8"))
    paragraphs = [p.text for s in page.modules[0].sections for p in s.blocks
                  if isinstance(p, Paragraph)]
    assert len(paragraphs) == 3
    assert paragraphs[0].endswith("渔民增收。")


def test_square_marks_inside_an_article_are_subheads() -> None:
    page = parse_page((RAW / "subheads.txt").read_text(encoding="utf-8"))
    assert page.edition.pages[0].banner is None
    heads = [s.subhead for s in page.modules[0].sections if s.subhead]
    assert heads == ["数字化改造降本增效", "人才培养跟上步伐", "订单增长信心更足"]


def test_language_and_roles_by_shape() -> None:
    assert parse_page((RAW / "traditional.txt").read_text(encoding="utf-8")).language == "zh-TW"
    assert parse_page(SEED.read_text(encoding="utf-8")).language == "zh-CN"
    assert _roles("briefs_latin") == ["briefs"]
    assert set(_roles("noroles")) == {"article"}
    assert _roles("noblank") == ["lead"]


def test_latin_runs_survive_import() -> None:
    page = parse_page((RAW / "briefs_latin.txt").read_text(encoding="utf-8"))
    text = "".join(edition_files(page.edition).values())
    for run in ("i5/16GB/512GB", "https://www.example.com/laptop?id=2024", "www.ln5g.cn",
                "100MW/200MWh", "1.2Gbps"):
        assert run in text


def test_report_lists_uncertain_decisions_with_raw_lines(tmp_path: Path) -> None:
    result = import_file(SEED, tmp_path / "ed")
    report = result.report.read_text(encoding="utf-8")
    assert re.search(r"000_d65a43b0fd7516ed\.txt:25: .*subhead", report)
    assert re.search(r"000_d65a43b0fd7516ed\.txt:111: .*pen name", report)


_HAN = st.sampled_from("党员组织社区疫情防控工作记者本报讯新华社王李")
_TOKEN = st.one_of(_HAN, st.sampled_from([
    *',.:;!?()"“”。，■ \n\n——', "i5", "16GB", "and", "本报记者 王云峰\n", "\n■ 要闻 YAOWEN\n",
    "资料片由某部提供\n"]))


@settings(max_examples=40, deadline=None)
@given(st.lists(_TOKEN, min_size=1, max_size=120))
@example(tokens=["\n■ 要闻 YAOWEN\n", "\n■ 要闻 YAOWEN\n"])  # two banners and nothing else
def test_import_never_loses_a_character(tokens: list[str]) -> None:
    import tempfile

    text = "".join(tokens)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "page.txt"
        raw.write_text(text, encoding="utf-8")
        if not any(c.isalnum() for c in text):
            return
        result = import_file(raw, Path(tmp) / "ed")
        assert result.kept == 1.0, text
