"""Automatic placement: rectangles on the grid that tile the page, copy kept whole and in order,
and an imported page built without ``place`` measured for holes in the written PDF."""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from banmian.backends.pdf.layout import placer
from banmian.backends.pdf.layout.depth import line_key
from banmian.backends.pdf.layout.feather import Fill
from banmian.backends.pdf.layout.geometry import BOXED_ROLES, PHOTO_COLUMNS, sheets
from banmian.backends.pdf.layout.parts import cut
from banmian.backends.pdf.layout.placer import Layout, Sizer, place_edition, place_modules
from banmian.content import load_edition
from banmian.grid import MM, Grid, furniture_mm, make_grid, papers
from banmian.model import (
    Banner,
    Brief,
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
    copy_text,
)

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
SAMPLE = Path(__file__).resolve().parents[4] / "content" / "benxi-2020-02"


def para(n: int, line: int) -> Paragraph:
    return Paragraph((Span("字" * (n - 1) + "。"),), Source("m.md", line))


def module(name: str, role: Role, lengths: list[int], photos: int = 0) -> Module:
    """A module of paragraphs ``lengths`` long (a briefs module: one brief each), with a band
    of ``photos`` after its first paragraph."""
    where = Source(f"{name}.md")
    if role == "briefs":
        briefs = tuple(Brief(f"简讯标题{i}", (para(n, i),), Source(f"{name}.md", i), "本报讯",
                             "记者") for i, n in enumerate(lengths))
        return Module(name, role, where, briefs=briefs)
    figures = tuple(Figure(f"f{i}", "图片说明文字" * 3, where, "资料片") for i in range(photos))
    blocks: list[Paragraph | FigureRef] = [para(n, i + 10) for i, n in enumerate(lengths)]
    blocks[1:1] = [FigureRef(f.id, where) for f in figures]
    return Module(name, role, where, headline="标题" * 5, kicker="引题" * 6, byline="本报记者 某某",
                  figures=figures, sections=(Section(None, tuple(blocks), where),),
                  contributor="某某")


def cells(layout: Layout) -> list[set[tuple[int, int]]]:
    return [{(c, r) for c in range(s.place.col, s.place.col + s.place.span)
             for r in range(s.place.row, s.place.row + s.place.rows)} for s in layout.slots]


def check_tiles(grid: Grid, pages: list[Layout]) -> None:
    """Frames inside the grid, never overlapping, covering a full-width block from the top
    (the whole page but on the last one); every frame holds its estimate, and one that another
    frame stands under is at most one row pitch (two lines) deeper than it."""
    for number, layout in enumerate(pages):
        taken = cells(layout)
        everything = set().union(*taken)
        assert sum(map(len, taken)) == len(everything)  # no cell in two frames
        bottom = max(r for _, r in everything)
        assert bottom == grid.rows or number == len(pages) - 1
        assert everything == {(c, r) for c in range(1, grid.columns + 1)
                              for r in range(1, bottom + 1)}
        pitch = grid.row_pt + grid.row_gap_pt
        for slot in layout.slots:
            room = grid.cell_height_pt(slot.place)
            assert room >= slot.estimate.depth_pt
            if slot.place.row + slot.place.rows - 1 < bottom:
                assert room - slot.estimate.depth_pt < pitch


def test_a_lead_and_three_modules_tile_one_page() -> None:
    grid = make_grid("broadsheet", 8, 55)
    modules = [module("lead", "lead", [200] * 12, photos=2),
               module("profile", "profile", [150] * 8),
               module("comment", "commentary", [180] * 4),
               module("briefs", "briefs", [220] * 4)]
    pages = place_modules(grid, modules)
    assert len(pages) == 1
    check_tiles(grid, pages)
    lead = next(s for s in pages[0].slots if s.module.id == "lead")
    assert (lead.place.col, lead.place.row) == (1, 1) and lead.place.span >= 4
    assert lead.photo_columns * 2 == lead.place.span  # the band fills the lead's columns


def test_copy_that_needs_two_pages_continues_with_its_headline_on_the_first() -> None:
    grid = make_grid("broadsheet", 8, 55)
    pages = place_modules(grid, [module("lead", "lead", [300] * 40, photos=2),
                                 module("briefs", "briefs", [200] * 3)])
    assert len(pages) == 2
    check_tiles(grid, pages)
    ids = [s.module.id for layout in pages for s in layout.slots]
    assert ids[0] == "lead" and "lead~2" in ids and len(set(ids)) == len(ids)
    assert pages[1].slots[0].module.headline is None


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(columns=st.integers(4, 10),
       lead=st.lists(st.integers(20, 400), min_size=1, max_size=30),
       photos=st.integers(0, 2),
       others=st.lists(st.tuples(st.sampled_from(["profile", "commentary", "briefs", "article"]),
                                 st.lists(st.integers(20, 400), min_size=1, max_size=8)),
                       max_size=3))
def test_random_pages_tile_the_grid(columns: int, lead: list[int], photos: int,
                                    others: list[tuple[Role, list[int]]]) -> None:
    grid = make_grid("broadsheet", columns, 55)
    modules = [module("lead", "lead", lead, photos)]
    modules += [module(f"m{i}", role, lengths) for i, (role, lengths) in enumerate(others)]
    check_tiles(grid, place_modules(grid, modules))


def test_cut_keeps_the_header_and_photos_ahead_and_the_contributor_at_the_end() -> None:
    whole = module("lead", "lead", [100, 120, 140, 160], photos=2)
    head, tail = cut(whole, 4)  # after the first paragraph and the band
    assert head.headline and head.figures == whole.figures and head.contributor is None
    assert tail.id == "lead~2" and tail.headline is None and tail.figures == ()
    assert tail.contributor == whole.contributor
    assert cut(tail, 1)[1].id == "lead~3"
    items = [(i.role, i.text, i.source) for m in (head, tail) for i in copy_text(_alone(m))]
    assert items == [(i.role, i.text, i.source) for i in copy_text(_alone(whole))]


def _alone(m: Module) -> Edition:
    return Edition("e", "t", "zh-CN", None, (Page(1, "1", (m,), m.source),), m.source)


def test_place_edition_keeps_copy_sources_and_section_and_leaves_placed_pages() -> None:
    lead = module("lead", "lead", [300] * 40, photos=2)
    page = Page(1, "5", (lead, module("b", "briefs", [200] * 3)), Source("edition.toml", 3),
                Banner("要闻", Source("edition.toml", 4), "YAOWEN"))
    edition = replace(_alone(lead), pages=(page,))
    placed, photos = place_edition(edition)
    assert [p.label for p in placed.pages] == ["5", "5-2"]
    assert all(p.placed and p.banner == page.banner for p in placed.pages)
    def module_copy(e: Edition) -> tuple[list[tuple[str, Source]], list[str]]:
        """The copy in reading order, and the captions and credits (copy_text lists a
        module's figures after its header, wherever the band stands; the page banner prints
        on every page)."""
        items = [i for i in copy_text(e) if i.module is not None]
        photo = {"caption", "credit"}
        return ([(i.text, i.source) for i in items if i.role not in photo],
                sorted(i.text for i in items if i.role in photo))

    assert module_copy(placed) == module_copy(edition)
    assert set(photos) == {m.id for m in placed.modules}
    sample = load_edition(SAMPLE)
    assert place_edition(sample) == (sample, {})
    assert all(f.photo_columns == PHOTO_COLUMNS
               for s in sheets(sample) for f in s.frames.values())


def test_a_place_refused_is_not_used_again() -> None:
    grid = make_grid("broadsheet", 8, 55)
    modules = [module("lead", "lead", [200] * 12, photos=2), module("b", "briefs", [220] * 4)]
    first = place_modules(grid, modules)[0].slots[0]
    again = place_modules(grid, modules, frozenset({(first.module.id, first.place)}))
    assert all((s.module.id, s.place) != (first.module.id, first.place)
               for layout in again for s in layout.slots)


# The acceptance test: an imported page, built without `place`, measured in the written PDF
# with poppler: text lines from `pdftotext -bbox-layout`, photos from `pdftohtml -xml`.

Box = tuple[float, float, float, float, str]  # left, top, right, bottom in pt; a line's text

LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"(.*?)</line>", re.S)
WORD = re.compile(r"<word [^>]*>(.*?)</word>")


def inked(pdf: Path) -> list[list[Box]]:
    """Per page, the box and text of every text line, and the box of every photo (no text)."""
    text = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages: list[list[Box]] = [
        [(float(a), float(b), float(c), float(d), "".join(WORD.findall(words)))
         for a, b, c, d, words in LINE.findall(page)] for page in text.split("<page ")[1:]]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftohtml", "-xml", "-zoom", "1", "-q", str(pdf), f"{tmp}/p"], check=True)
        xml = Path(tmp, "p.xml").read_text(encoding="utf-8")
    image = r'<image top="(-?\d+)" left="(-?\d+)" width="(\d+)" height="(\d+)"'
    for number, page in enumerate(xml.split("<page ")[1:]):
        pages[number] += [(float(x), float(y), float(x) + float(w), float(y) + float(h), "")
                          for y, x, w, h in re.findall(image, page)]
    return pages


def bands(module: Module, boxes: list[Box], line: float) -> list[Box]:
    """Each band of ``module``'s photos as one block: the photos side by side and, under
    them, the lines of their captions and credits. The space beside a caption's short last
    line, or beside a credit set at the band's right, is the band's own, as the space after a
    paragraph's short last line is the paragraph's: not a hole in the page."""
    said = ["".join(t.split()) for f in module.figures for t in (f.caption, f.credit) if t]
    photos = [b for b in boxes if not b[4]]
    found = []
    for first in sorted(photos, key=lambda b: b[1]):
        if any(abs(first[1] - b[1]) < 2 for b in found):
            continue
        row = [b for b in photos if abs(b[1] - first[1]) < 2]
        left, right = min(b[0] for b in row), max(b[2] for b in row)
        bottom = max(b[3] for b in row)
        for b in sorted((b for b in boxes if b[4]), key=lambda b: b[1]):
            text = "".join(b[4].split())
            if (first[1] < b[1] <= bottom + line and b[0] < right and b[2] > left
                    and any(text in t for t in said)):
                bottom = max(bottom, b[3])
        found.append((left, first[1], right, bottom, "band"))
    return found


def _grids(edition: Edition, pdf: Path) -> Iterator[tuple[Page, list[Box], Grid, float, float]]:
    """Each page with its ink, its grid and where the grid starts on the sheet (pt)."""
    paper = papers()[edition.paper]
    for page, boxes in zip(edition.pages, inked(pdf), strict=True):
        grid = make_grid(edition.paper, page.columns, page.rows)
        left0 = paper.margin_mm * MM + ((paper.width_mm - 2 * paper.margin_mm) * MM
                                        - grid.width_pt) / 2
        yield page, boxes, grid, left0, (paper.margin_mm + sum(furniture_mm())) * MM \
            + grid.row_gap_pt


def holes(edition: Edition, pdf: Path) -> list[tuple[str, int, float]]:
    """(module, grid column, lines) of every empty run in a frame's column (no ink in it at
    all), below the frame's header (what stands above its first line of body text), down to
    the frame's foot; a band of photos with its captions counts as one block (:func:`bands`)."""
    found = []
    for page, boxes, grid, left0, top0 in _grids(edition, pdf):
        for m in page.modules:
            assert m.place
            pad = m.place.span * grid.em / 2 if m.role in BOXED_ROLES else 0.0
            top = top0 + (m.place.row - 1) * (grid.row_pt + grid.row_gap_pt)
            foot = top + grid.cell_height_pt(m.place) - pad
            mine = [b for b in boxes if top <= (b[1] + b[3]) / 2 <= foot]
            mine += bands(m, mine, grid.row_gap_pt)
            starts = [left0 + (col - 1) * (grid.column_pt + grid.gap_pt) + pad
                      - (col - m.place.col) * (grid.em if pad else 0.0)
                      for col in range(m.place.col, m.place.col + m.place.span)]
            body = min((b[1] for b in mine if b[4] and b[2] - b[0] <= grid.column_pt + 1
                        and any(-1 <= b[0] - x <= 2 * grid.em + 1 for x in starts)),
                       default=foot)  # the first line set in a column: the header is above
            for col in range(m.place.col, m.place.col + m.place.span):
                x = left0 + (col - 1) * (grid.column_pt + grid.gap_pt)
                ys = sorted((b[1], b[3]) for b in mine if b[3] > body
                            and min(b[2], x + grid.column_pt) - max(b[0], x) > 1.0)
                edge = body
                for y_top, y_bottom in [*ys, (foot, foot)]:
                    if y_top - edge > 0:
                        found.append((m.id, col, (y_top - edge) / grid.row_gap_pt))
                    edge = max(edge, y_bottom)
    return found


def page_feet(edition: Edition, pdf: Path) -> list[tuple[int, float]]:
    """(grid column, lines) of the space under the lowest ink of each grid column of each
    page, down to the grid's foot: what no frame fills at the page's foot."""
    found = []
    for _, boxes, grid, left0, top0 in _grids(edition, pdf):
        foot = top0 + grid.rows * (grid.row_pt + grid.row_gap_pt) - grid.row_gap_pt
        for col in range(1, grid.columns + 1):
            x = left0 + (col - 1) * (grid.column_pt + grid.gap_pt)
            lowest = max((b[3] for b in boxes if top0 <= b[1] < foot
                          and min(b[2], x + grid.column_pt) - max(b[0], x) > 1.0), default=top0)
            found.append((col, (foot - lowest) / grid.row_gap_pt))
    return found


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Edition, Path]:
    """The raw page (a lead with two photos, four briefs) imported and built to PDF, with the
    placement the build used in the end."""
    from banmian.backends.pdf import backend
    from banmian.build import build_edition
    from banmian.importer import import_file

    root = tmp_path_factory.mktemp("autoplace")
    import_file(FIXTURES / "raw" / "lead_briefs.txt", root / "ed")
    used: list[Edition] = []
    spy: Callable[..., Any] = backend.place_edition

    def recording(edition: Edition, *args: Any) -> tuple[Edition, dict[str, int]]:
        result = spy(edition, *args)
        used.append(result[0])
        return result  # type: ignore[no-any-return]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(backend, "place_edition", recording)
        result = build_edition(root / "ed", root / "out", ["pdf"])
    assert all(m.place is None for m in load_edition(root / "ed").modules)
    return used[-1], result.outputs[0]


@pytest.mark.slow
def test_an_imported_page_builds_on_its_grid(imported: tuple[Edition, Path]) -> None:
    edition, pdf = imported
    assert len(edition.pages) == 1 and edition.pages[0].placed
    lead = edition.pages[0].modules[0]
    assert lead.role == "lead" and lead.place and lead.place.row == 1 and lead.place.span >= 4
    assert holes(edition, pdf)  # the measure sees the frames' feet


@pytest.mark.slow
def test_an_imported_page_has_no_hole_taller_than_two_lines(
        imported: tuple[Edition, Path]) -> None:
    """Inside its frames and under them: the copy fills the page (measured: 1.9 lines at
    most, under a photo band's credit)."""
    edition, pdf = imported
    assert len(edition.pages) == 1
    assert max(lines for _, _, lines in holes(edition, pdf)) <= 2
    assert max(lines for _, lines in page_feet(edition, pdf)) <= 2


def test_the_sizer_estimates_a_deeper_frame_for_fewer_columns() -> None:
    sizer = Sizer(make_grid("broadsheet", 8, 55))
    lead = module("lead", "lead", [200] * 12, photos=2)
    assert sizer.depth(lead, 2) > sizer.depth(lead, 4) > sizer.depth(lead, 6)
    assert placer.rows_for(sizer.grid, sizer.depth(lead, 4)) == sizer.rows(lead, 4)


@pytest.mark.slow
def test_frames_sized_from_the_measured_copy_hold_it_with_little_to_spare(
        tmp_path: Path) -> None:
    """Each module of the imported seed alone in a frame as deep as the sizer makes it from
    the copy's measured lines, at spans 2 to 6: no frame oversets (BM300), and before filling
    its fullest column ends less than a grid row (two lines) and half a line above the
    frame's foot, and none more than four and a half (measured: 0.2 to 2.2 lines, and up to
    3.9 in a last column)."""
    from banmian.backends.base import BuildOptions
    from banmian.backends.pdf import backend
    from banmian.importer import import_file

    import_file(FIXTURES / "seed" / "000_d65a43b0fd7516ed.txt", tmp_path / "ed")
    edition = load_edition(tmp_path / "ed")
    grid = make_grid(edition.paper, 8, 55)
    sizer = Sizer(grid, lines=backend.measure_copy(edition, tmp_path / "ed"))
    pages, photos = [], {}
    for m in edition.modules:
        for span in (2, 3, 4, 6):
            if sizer.rows(m, span) > grid.rows:
                continue
            alone = replace(m, id=f"{m.id}-{span}",
                            place=Placement(1, span, 1, sizer.rows(m, span)))
            photos[alone.id] = sizer.photo_columns(m, span)
            pages.append(replace(edition.pages[0], number=len(pages) + 1, modules=(alone,),
                                 rows=grid.rows))
    fills: list[Fill] = []
    feather = backend.feather
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(backend, "place_edition", lambda e, *args: (e, photos))
        patch.setattr(backend, "feather", lambda *args: fills.extend(feather(*args)) or fills)
        backend.PdfBackend().build(replace(edition, pages=tuple(pages)), tmp_path / "ed",
                                   BuildOptions())
    assert len(fills) == len(pages)
    for fill in fills:
        assert min(fill.gaps) < 2.5 and max(fill.gaps) < 4.5, fill


@pytest.mark.slow
def test_a_paragraph_deeper_than_a_page_continues_on_more_pages(
        make_edition: Callable[..., Path], tmp_path: Path) -> None:
    """Cut where its lines end (:mod:`.parts`), it continues on further pages of its
    section, none of it lost (read without the pages' mastheads, which fall inside it)."""
    from banmian.build import build_edition

    text = "我们的工作在这个时期取得了重大成就，" * 1600 + "完。"
    folder = make_edition("huge", {
        "edition.toml": 'title = "长文"\nlanguage = "zh-CN"\ndate = "2020-02-12"\n\n'
                        '[[pages]]\n\n[[pages.modules]]\nfile = "story.md"\nrole = "article"\n',
        "story.md": f'+++\nheadline = "长文"\n+++\n\n{text}\n'})
    pdf = build_edition(folder, tmp_path / "out", ["pdf"]).outputs[0]
    extracted = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout
    copy = re.sub(r"2020年2月12日|第[\d-]+版", "", "".join(extracted.split()))
    assert copy.count("取得了重大成就") == 1600 and copy.endswith("完。")
    assert extracted.count("\f") >= 2


def measured(grid: Grid, modules: list[Module]) -> dict[tuple[float, str], tuple[int, ...]]:
    """The lines of the modules' paragraphs as a column of ``grid`` sets them (a line of
    Han characters a column's width in ems, the first line 2 em indented)."""
    found = {}
    for m in modules:
        for p in (b for s in m.sections for b in s.blocks if isinstance(b, Paragraph)):
            ends = [min(len(p.text), grid.column_ems - 2)]
            while ends[-1] < len(p.text):
                ends.append(min(len(p.text), ends[-1] + grid.column_ems))
            found[line_key(grid.column_pt, p.text)] = tuple(ends)
    return found


def test_a_short_section_s_last_page_is_filled_by_deeper_placeholder_photos() -> None:
    grid = make_grid("broadsheet", 8, 55)
    modules = [module("lead", "lead", [300] * 10, photos=2), module("b", "briefs", [200] * 3)]
    lines = measured(grid, modules)
    own = placer.arrange(Sizer(grid, lines=lines), modules)
    assert placer.score(Sizer(grid, lines=lines), 0, own)[2] == 0  # no hole over two lines
    [page] = place_modules(grid, modules, lines=lines)
    assert placer.foot_rows(grid, page) < placer.foot_rows(grid, own) - 8
    assert placer.score(Sizer(grid, lines=lines), 0, page)[2] == 0
    photos = [f for s in page.slots for f in s.module.figures]
    assert photos and all(1 / 1.5 < f.aspect[1] / f.aspect[0] <= placer.TALLEST for f in photos)


def test_only_placeholders_grow_and_never_past_four_by_five() -> None:
    where = Source("m.md")
    real = Figure("r", "说明", where, image="photo.jpg", aspect=(3, 2))
    tall = Figure("t", "说明", where, aspect=(4, 5))
    grown = placer.taller(replace(module("m", "lead", [100], photos=1),
                                  figures=(real, tall, Figure("p", "说明", where))), 0.5)
    assert [f.aspect for f in grown.figures[:2]] == [(3, 2), (4, 5)]
    assert grown.figures[2].aspect == (1000, round(1000 * (2 / 3 + 0.5 * (1.25 - 2 / 3))))


@pytest.mark.slow
def test_a_page_its_copy_cannot_fill_is_reported(make_edition: Callable[..., Path],
                                                  tmp_path: Path) -> None:
    from banmian.build import build_edition

    folder = make_edition("short", {
        "edition.toml": 'title = "短"\nlanguage = "zh-CN"\ndate = "2020-02-12"\n\n'
                        '[[pages]]\n\n[[pages.modules]]\nfile = "story.md"\nrole = "article"\n',
        "story.md": '+++\nheadline = "短文"\n+++\n\n' + "短短的一段话。" * 30 + "\n"})
    found = [d for d in build_edition(folder, tmp_path / "out", ["pdf"]).diagnostics
             if d.code == "BM306"]
    assert len(found) == 1 and "page 1 ends" in found[0].message
    assert found[0].source is not None and found[0].source.path.endswith("edition.toml")


@pytest.mark.slow
def test_banmian_fill_measures_a_page_where_the_placer_put_its_frames(
        imported: tuple[Edition, Path], run_cli: Callable[..., Any]) -> None:
    edition, pdf = imported
    result = run_cli("fill", pdf, pdf.parent.parent / "ed")
    frames = [line.split()[1] for line in result.out.splitlines()[1:]]
    assert frames == [m.id for m in edition.pages[0].modules], result.out
