"""banmian import: the seed page and fixtures in other shapes import, build and keep their text."""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from banmian.content import load_edition
from banmian.content.writer import edition_files
from banmian.importer import import_file, kept_ratio, parse_page
from banmian.model import Paragraph, copy_text
from banmian.storage import display_path

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
    for name, raw in [("seed", SEED), *((n, RAW / f"{n}.txt") for n in [*SHAPES, *MISREADS])]:
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


#: Raw pages that were misread before (issue 15), each with its expected edition in
#: tests/golden/import/<name>/ (edition.toml, the module files and the import report).
MISREADS = ["photo_credit", "mark_subhead", "dated", "undated", "short_kicker", "digest"]


@pytest.mark.parametrize("name", MISREADS)
def test_misread_shapes_match_their_golden_edition(
        name: str, tmp_path: Path, golden: Callable[[str, str], None]) -> None:
    raw = RAW / f"{name}.txt"
    result = import_file(raw, tmp_path / name.replace("_", "-"))
    assert result.kept == 1.0
    files = sorted(p.name for p in result.folder.iterdir())
    golden(f"import/{name}/files.txt", "\n".join(files) + "\n")
    for file in files:
        text = (result.folder / file).read_text(encoding="utf-8")
        golden(f"import/{name}/{file}", text.replace(display_path(raw), f"{name}.txt"))


def test_photo_credits_belong_to_the_figure() -> None:
    edition = parse_page((RAW / "photo_credit.txt").read_text(encoding="utf-8")).edition
    (lead,) = edition.modules
    assert lead.contributor is None
    assert [(f.caption, f.credit) for f in lead.figures] == [
        ("种植户在智能育秧大棚里查看秧苗长势。", "本报记者 张玥 摄"),
        ("无人机在稻田上空进行植保作业演示。", "沈北新区农业农村局供图")]
    body = [b.text for s in lead.sections for b in s.blocks if isinstance(b, Paragraph)]
    assert not any(text in body for text in ("种植户在智能育秧大棚里查看秧苗长势。",
                                             "本报记者 张玥 摄"))


def test_square_subhead_after_a_photo_stays_in_the_story() -> None:
    page = parse_page((RAW / "mark_subhead.txt").read_text(encoding="utf-8"))
    assert [m.role for m in page.modules] == ["lead"]
    assert [s.subhead for s in page.modules[0].sections] == [
        None, "从“看天吃饭”到“看数种田”", "新农人接过“接力棒”"]
    assert page.edition.pages[0].banner is None


def test_dates_come_only_from_a_date_line() -> None:
    dated = parse_page((RAW / "dated.txt").read_text(encoding="utf-8"))
    assert dated.edition.date == "2020-02-12"
    assert "辽宁日报" not in "".join(i.text for i in copy_text(dated.edition))
    undated = parse_page((RAW / "undated.txt").read_text(encoding="utf-8"))
    assert undated.edition.date is None  # not 2026-11 from 2026年6月完工 and 11月3日
    assert any("no date" in n.text and n.uncertain for n in undated.notes)


def test_kicker_ending_in_a_dash_on_a_short_page_without_blank_lines() -> None:
    page = parse_page((RAW / "short_kicker.txt").read_text(encoding="utf-8"))
    (lead,) = page.modules
    assert (lead.kicker, lead.headline) == ("江城新农人", "90后李玥返乡种出“网红草莓”")
    assert [f.caption for f in lead.figures] == ["李玥在草莓大棚里直播带货。"]
    assert not any("hard-wrapped" in n.text for n in page.notes)


def test_digest_of_headlined_items_is_a_strip_of_briefs() -> None:
    page = parse_page((RAW / "digest.txt").read_text(encoding="utf-8"))
    (strip,) = page.modules
    assert strip.role == "briefs" and strip.banner is not None
    assert strip.banner.name == "江城新闻速览"
    assert len(strip.briefs) == 6 and strip.briefs[0].title == "全市春耕备耕有序推进"


@pytest.mark.parametrize("name", ["hardwrap", "subheads", "noblank"])
def test_hard_wrap_needs_evidence(name: str) -> None:
    page = parse_page((RAW / f"{name}.txt").read_text(encoding="utf-8"))
    wrapped = any("hard-wrapped" in n.text for n in page.notes)
    assert wrapped == (name == "hardwrap")


def test_failed_import_leaves_no_folder(tmp_path: Path) -> None:
    from banmian.diagnostics import InputError

    empty = tmp_path / "empty.txt"
    empty.write_text("\n \n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_file(empty, tmp_path / "ed")
    assert [d.code for d in caught.value.diagnostics] == ["BM602"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt"]


def test_force_replaces_the_folder_whole(tmp_path: Path) -> None:
    folder = tmp_path / "ed"
    import_file(RAW / "digest.txt", folder)
    (folder / "stale.md").write_text("x", encoding="utf-8")
    import_file(RAW / "dated.txt", folder, force=True)
    assert sorted(p.name for p in folder.iterdir()) == [
        "edition.toml", "import-report.txt", "lead.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ed"]


def test_undated_edition_builds_without_a_date(built: dict[str, tuple[Path, Path]]) -> None:
    """No dc:date in the EPUB; the other misread shapes build too."""
    assert set(MISREADS) <= set(built)
    folder, epub = built["undated"]
    assert load_edition(folder).date is None
    with zipfile.ZipFile(epub) as book:
        opf = book.read("EPUB/content.opf").decode()
    assert "<dc:date" not in opf and "dcterms:modified" in opf
    with zipfile.ZipFile(built["dated"][1]) as book:
        assert "<dc:date>2020-02-12</dc:date>" in book.read("EPUB/content.opf").decode()


@pytest.mark.slow
def test_undated_edition_prints_no_date(built: dict[str, tuple[Path, Path]],
                                         tmp_path: Path) -> None:
    import subprocess

    from banmian.build import build_edition

    folder, _ = built["undated"]
    pdf = build_edition(folder, tmp_path, ["pdf"]).outputs[0]
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "浑河南岸生态廊道开工建设" in text and "年" not in text.split("浑河")[0]
