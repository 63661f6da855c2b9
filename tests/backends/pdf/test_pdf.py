"""The print PDF of the sample edition: one broadsheet page, every paragraph, the project's fonts
only, a clean file, an outline, three photo placeholders; copyfit failures; automatic flow;
the press variant; and ``banmian check`` on PDFs."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from banmian.build import build_edition
from banmian.content import load_edition
from banmian.model import copy_text
from banmian.verify.check import check_pdf

SAMPLE = Path(__file__).resolve().parents[3] / "content" / "benxi-2020-02"
MM = 72 / 25.4
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    return build_edition(SAMPLE, out, ["pdf"]).outputs[0]


@pytest.fixture(scope="module")
def pressed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("press")
    return build_edition(SAMPLE, out, ["pdf"], press=True).outputs[0]


def run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True,
                          check=True).stdout


def test_the_sample_is_one_broadsheet_page(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        assert len(pdf.pages) == 1
        x0, y0, x1, y1 = (float(v) for v in pdf.pages[0].obj.MediaBox)
    assert round((x1 - x0) / MM) == 390
    assert round((y1 - y0) / MM) == 543


@needs_poppler
def test_pdftotext_gives_back_every_paragraph(built: Path) -> None:
    text = "".join(run("pdftotext", "-raw", built, "-").split())
    items = copy_text(load_edition(SAMPLE))
    missing = [i.text for i in items if "".join(i.text.split()) not in text]
    assert sum(1 for i in items if i.role == "body") > 20
    assert missing == []


@needs_poppler
def test_a_credit_shared_by_a_band_of_photos_prints_once(built: Path) -> None:
    """The lead's two photos share 资料片由本溪市委组织部提供: one line under the band, as on
    the page; the profile's photo keeps its own credit."""
    text = "".join(run("pdftotext", "-raw", built, "-").split())
    assert text.count("资料片由本溪市委组织部提供") == 1
    assert text.count("资料片由沈阳市委组织部提供") == 1


def test_only_the_project_faces_embedded_subset_with_unicode(built: Path) -> None:
    rows = run("pdffonts", built).splitlines()[2:]
    names = sorted(row.split()[0].split("+", 1)[1] for row in rows)
    assert names == ["Banmian-Print-Kai", "Banmian-Print-Sans-Bold", "Banmian-Print-Serif",
                     "Banmian-Print-Serif-Bold"]
    for row in rows:
        assert row.split()[-5:-2] == ["yes", "yes", "yes"], row


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="needs qpdf")
def test_qpdf_check_is_clean(built: Path, pressed: Path) -> None:
    for path in (built, pressed):
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors" in result.stdout


def test_outline_lists_every_article_and_metadata(built: Path) -> None:
    edition = load_edition(SAMPLE)
    wanted = {m.headline for m in edition.modules if m.headline}
    wanted |= {b.title for m in edition.modules for b in m.briefs}
    with pikepdf.open(built) as pdf:
        assert str(pdf.Root.Lang) == "zh-CN"
        assert str(pdf.docinfo.Title) == edition.title
        assert "王云峰" in str(pdf.docinfo.Author)
        assert "/StructTreeRoot" in pdf.Root
        with pdf.open_outline() as outline:
            titles: set[str] = set()
            stack = list(outline.root)
            while stack:
                item = stack.pop()
                titles.add(str(item.title))
                stack.extend(item.children)
    assert wanted <= titles


def test_three_photo_placeholders_at_print_resolution(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        images = [obj for obj in pdf.objects
                  if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
                  and "/SMask" not in str(obj.get("/Type", ""))]
        widths = sorted(int(img.Width) for img in images if int(img.Width) > 64)
    assert len(widths) == 3
    assert min(widths) >= 900  # a 2-column photo (about 86 mm) at 300 dpi is ~1000 px


def test_press_variant_has_bleed_trim_and_marks_outside_the_bleed(pressed: Path) -> None:
    with pikepdf.open(pressed) as pdf:
        page = pdf.pages[0]
        trim = [float(v) for v in page.obj.TrimBox]
        bleed = [float(v) for v in page.obj.BleedBox]
        media = [float(v) for v in page.obj.MediaBox]
        segments = _segments(page)
    assert round((trim[2] - trim[0]) / MM) == 390
    for t, b, sign in zip(trim, bleed, (-1, -1, 1, 1), strict=True):
        assert (b - t) * sign == pytest.approx(3 * MM, abs=0.01)
    assert media[0] < bleed[0] and media[2] > bleed[2]
    assert len(segments) >= 8
    for (xa, ya), (xb, yb) in segments:
        for x, y in ((xa, ya), (xb, yb)):
            assert not (bleed[0] <= x <= bleed[2] and bleed[1] <= y <= bleed[3])
            assert media[0] <= x <= media[2] and media[1] <= y <= media[3]


def _segments(page: pikepdf.Page) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Line segments (m … l) drawn in default page space (no ``cm`` in force) inside marked
    artifacts: the crop marks. The page's own content runs under a transformation."""
    found = []
    start: tuple[float, float] | None = None
    artifact, transformed, saved = False, False, []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            saved.append(transformed)
        elif op == "Q":
            transformed = saved.pop() if saved else False
        elif op == "cm":
            transformed = True
        elif op == "BMC" and str(operands[0]) == "/Artifact":
            artifact = True
        elif op == "EMC":
            artifact = False
        elif artifact and not transformed and op == "m":
            start = (float(operands[0]), float(operands[1]))
        elif artifact and not transformed and op == "l" and start is not None:
            found.append((start, (float(operands[0]), float(operands[1]))))
    return found


def test_banmian_check_passes_the_built_pdfs(built: Path, pressed: Path) -> None:
    assert check_pdf(built) == []
    assert check_pdf(pressed) == []


def test_banmian_check_finds_a_pdf_without_outline_or_fonts(tmp_path: Path) -> None:
    path = tmp_path / "bare.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.TrimBox = pikepdf.Array([-5, -5, 700, 900])
    pdf.save(path)
    messages = [d.message for d in check_pdf(path)]
    assert any("outline" in m for m in messages)
    assert any("not nested" in m for m in messages)


def placed(toml: str, row: int, rows: int) -> str:
    """The minimal edition with its one article placed on columns 1–2 of the grid."""
    return toml + f"place = {{ col = 1, span = 2, row = {row}, rows = {rows} }}\n"


def long_story(paragraphs: int) -> str:
    body = "\n\n".join("新冠肺炎疫情发生以来，各级党组织和广大党员挺身而出、冲锋在前，"
                       "筑起了联防联控的坚固防线，守护着群众的生命安全和身体健康。" * 3
                       for _ in range(paragraphs))
    return f'+++\nheadline = "春风送暖"\n+++\n\n{body}\n'


def test_a_frame_too_small_fails_with_a_copyfit_report(
        make_edition: Callable[..., Path], run_cli: Callable[..., object],
        tmp_path: Path, minimal_toml: str) -> None:
    folder = make_edition(files={"edition.toml": placed(minimal_toml, 1, 2),
                                 "story.md": long_story(6)})
    result = run_cli("build", folder, "-o", tmp_path / "out", "--format", "pdf")
    assert result.status != 0  # type: ignore[attr-defined]
    err: str = result.err  # type: ignore[attr-defined]
    assert "BM300" in err and "story" in err and "lines" in err and "characters" in err
    assert not (tmp_path / "out" / "test-edition.pdf").exists()


def test_a_frame_that_runs_off_the_page_is_a_copyfit_error_too(
        make_edition: Callable[..., Path], run_cli: Callable[..., object],
        tmp_path: Path, minimal_toml: str) -> None:
    folder = make_edition(files={"edition.toml": placed(minimal_toml, 19, 2),
                                 "story.md": long_story(12)})
    result = run_cli("build", folder, "-o", tmp_path / "out", "--format", "pdf")
    err: str = result.err  # type: ignore[attr-defined]
    assert "BM300" in err and "'story'" in err
    assert "BM301" not in err


def test_a_frame_that_holds_its_copy_builds(make_edition: Callable[..., Path],
                                            tmp_path: Path, minimal_toml: str) -> None:
    folder = make_edition(files={"edition.toml": placed(minimal_toml, 1, 20),
                                 "story.md": long_story(2)})
    assert build_edition(folder, tmp_path / "out", ["pdf"]).outputs


def test_an_unplaced_edition_flows_onto_as_many_pages_as_it_needs(
        make_edition: Callable[..., Path], tmp_path: Path) -> None:
    folder = make_edition(files={"story.md": long_story(120)})
    path = build_edition(folder, tmp_path / "out", ["pdf"]).outputs[0]
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) >= 2


def test_layout_freezes_the_heap_only_while_it_runs() -> None:
    """The objects alive before a layout are frozen while it runs (its collections skip them)
    and unfrozen after; a heap someone froze on purpose stays frozen."""
    import gc

    from banmian.backends.pdf.backend import _frozen_heap

    assert gc.get_freeze_count() == 0
    with _frozen_heap():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with _frozen_heap():
            pass
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()


@pytest.mark.slow
def test_a_build_leaves_no_copy_of_the_faces_behind(tmp_path: Path,
                                                    multiply: Callable[..., Path]) -> None:
    """WeasyPrint copies the faces into a temporary folder for each font configuration; the
    process removes them as it ends, and so do its page workers and its batch workers (they
    were left, up to 138 MB a build): one page, two pages at -j2, two editions at -j2."""
    import os
    import sys

    temp = tmp_path / "tmp"
    temp.mkdir()
    sample = Path(__file__).resolve().parents[3] / "content" / "benxi-2020-02"
    two = multiply(sample, tmp_path / "two", 2)
    for folders, out in (([sample], "one"), ([two], "pages"), ([sample, two], "batch")):
        subprocess.run([sys.executable, "-m", "banmian", "build", *map(str, folders), "-o",
                        str(tmp_path / out), "--format", "pdf", "-j", "2"], check=True,
                       env={**os.environ, "TMPDIR": str(temp)}, capture_output=True)
    assert len(list(tmp_path.glob("*/*.pdf"))) == 4
    assert not list(temp.glob("weasyprint-*"))
