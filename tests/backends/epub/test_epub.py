"""The EPUB backend against issue #3: structure, navigation, semantics, text, fonts, metadata,
determinism, and EPUBCheck on the sample, the two-page fixture and generated editions.

EPUBCheck compiles its schemas for 10-15 s per JVM, so every EPUB of this module, the generated
ones included, is checked in ONE batch run (``banmian.verify.check.check_epubs``) at the end.
"""

from __future__ import annotations

import json
import shutil
import uuid
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from banmian.backends.epub.backend import TEMPLATE_CHARS
from banmian.backends.epub.metadata import identifier
from banmian.build import build_edition
from banmian.chinese.bylines import byline_names
from banmian.fonts import chain_keys, faces, languages
from banmian.fonts.coverage import chars_by_file, cmap
from banmian.fonts.subset import wanted_text
from banmian.model import Edition, copy_text
from banmian.verify.check import check_epubs
from banmian.verify.epubcheck import available as epubcheck_available

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "content" / "benxi-2020-02"
TWO_PAGE = ROOT / "tests" / "fixtures" / "two-page"
EDITIONS = sorted(p.parent for p in (ROOT / "content").glob("*/edition.toml"))
MAX_EPUB_BYTES = 1_500_000
NS = {
    "h": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Class → text role of model.copy_text for the elements that hold one piece of copy.
CLASS_ROLES = {
    "banner-name": "banner", "banner-pinyin": "banner", "kicker": "kicker",
    "headline": "headline", "deck": "deck", "byline": "byline", "pen-name": "pen-name",
    "subhead": "subhead", "caption": "caption", "credit": "credit",
    "contributor": "contributor", "brief-title": "brief-title", "dateline": "dateline",
}


@dataclass
class Book:
    """A built EPUB, opened: its entries, OPF and documents in spine order."""

    path: Path
    entries: dict[str, bytes]
    names: list[str]

    @classmethod
    def open(cls, path: Path) -> Book:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            return cls(path, {n: zf.read(n) for n in names}, names)

    def xml(self, name: str) -> ET.Element:
        return ET.fromstring(self.entries[name])

    @property
    def opf(self) -> ET.Element:
        return self.xml("EPUB/content.opf")

    def manifest(self) -> dict[str, ET.Element]:
        return {i.get("id", ""): i for i in self.opf.iterfind("opf:manifest/opf:item", NS)}

    def spine(self) -> list[str]:
        items = self.manifest()
        return ["EPUB/" + items[ref.get("idref", "")].get("href", "")
                for ref in self.opf.iterfind("opf:spine/opf:itemref", NS)]

    def metas(self, prop: str) -> list[str]:
        return [m.text or "" for m in self.opf.iterfind("opf:metadata/opf:meta", NS)
                if m.get("property") == prop]

    def articles(self) -> list[str]:
        return [n for n in self.spine() if n.startswith("EPUB/text/")]


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def _body_paragraph(p: ET.Element) -> str:
    text = "".join(p.itertext())
    first = next(iter(p), None)
    if first is not None and "dateline" in classes(first):
        dateline = "".join(first.itertext())
        assert text.startswith(dateline + " ")
        text = text[len(dateline) + 1 :]
    return text


def copy_items(element: ET.Element, in_article: bool = False) -> Iterator[tuple[str, str]]:
    """(role, text) for each piece of copy under ``element``, in document order."""
    tag = element.tag.split("}")[-1]
    roles = [CLASS_ROLES[c] for c in classes(element) if c in CLASS_ROLES]
    if roles:
        yield roles[0], "".join(element.itertext())
        return
    if tag == "p" and in_article and not classes(element):
        for child in element:
            if "dateline" in classes(child):
                yield "dateline", "".join(child.itertext())
        yield "body", _body_paragraph(element)
        return
    for child in element:
        yield from copy_items(child, in_article or tag == "article")


def visible_text(element: ET.Element) -> str:
    """Every character of text under ``element`` except aria-hidden parts, whitespace removed."""
    if element.get("aria-hidden") == "true":
        return "".join((element.tail or "").split())
    inner = "".join(element.text or "") + "".join(visible_text(c) for c in element)
    return "".join((inner + (element.tail or "")).split())


def book_copy(book: Book) -> list[tuple[str, str]]:
    """The copy of every article document, in spine order."""
    items: list[tuple[str, str]] = []
    for name in book.articles():
        body = book.xml(name).find("h:body", NS)
        assert body is not None
        items.extend(copy_items(body))
    return items


def model_copy(edition: Edition) -> list[tuple[str, str]]:
    return [(item.role, item.text) for item in copy_text(edition)]


# --- builds shared by the module -------------------------------------------------------------


@dataclass
class Built:
    """An edition and the EPUB built from it."""

    edition: Edition
    book: Book


@pytest.fixture(scope="module")
def cache_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The same private subset cache as conftest's autouse fixture, for module-scoped builds."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BANMIAN_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        yield


def _build(folder: Path, out: Path) -> Built:
    result = build_edition(folder, out, ["epub"])
    return Built(result.edition, Book.open(result.outputs[0]))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, cache_env: None) -> dict[str, Built]:
    """Every edition under content/ and the two-page fixture, built once."""
    out = tmp_path_factory.mktemp("epub")
    vertical = out / "benxi-vertical"
    shutil.copytree(SAMPLE, vertical)
    toml = vertical / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'language = "zh-CN"\n', 'language = "zh-CN"\nwriting-mode = "vertical-rl"\n', 1),
        encoding="utf-8")
    return {folder.name: _build(folder, out) for folder in [*EDITIONS, TWO_PAGE, vertical]}


def test_vertical_edition(built: dict[str, Built]) -> None:
    """writing-mode = "vertical-rl": pages turn right to left, every document is vertical,
    one- and two-digit numbers are set across the column, the subsets keep vert; a horizontal
    edition has none of it."""
    for name, item in built.items():
        is_vertical = name == "benxi-vertical"
        assert item.edition.writing_mode == ("vertical-rl" if is_vertical else "horizontal-tb")
        spine = item.book.opf.find("opf:spine", NS)
        assert spine is not None
        assert spine.get("page-progression-direction") == ("rtl" if is_vertical else None)
        assert item.book.opf.get("dir") is None
        for root in _docs(item.book).values():
            assert ("vertical-rl" in classes(root)) == is_vertical
        tcy = ["".join(e.itertext()) for doc in item.book.articles()
               for e in item.book.xml(doc).iter() if "tcy" in classes(e)]
        assert bool(tcy) == is_vertical and all(t.isdigit() and len(t) <= 2 for t in tcy)
    css = built["benxi-vertical"].book.entries["EPUB/styles/epub.css"].decode()
    assert "writing-mode: vertical-rl" in css and "text-combine-upright: all" in css
    for name, data in built["benxi-vertical"].book.entries.items():
        if name.startswith("EPUB/fonts/") and name.endswith(".otf"):
            import io

            with TTFont(io.BytesIO(data), lazy=True) as font:
                features = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
                assert "vert" in features and "vmtx" in font, name


@pytest.fixture(scope="module")
def sample(built: dict[str, Built]) -> Built:
    return built[SAMPLE.name]


def _docs(book: Book) -> dict[str, ET.Element]:
    return {name: book.xml(name) for name in book.names if name.endswith(".xhtml")}


# --- container and package -------------------------------------------------------------------


def test_container_is_deterministic_zip(built: dict[str, Built]) -> None:
    for item in built.values():
        with zipfile.ZipFile(item.book.path) as zf:
            infos = zf.infolist()
        assert infos[0].filename == "mimetype"
        assert infos[0].compress_type == zipfile.ZIP_STORED and not infos[0].extra
        assert item.book.entries["mimetype"] == b"application/epub+zip"
        names = [i.filename for i in infos[1:]]
        assert names == sorted(names)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        apple = item.book.entries["META-INF/com.apple.ibooks.display-options.xml"]
        assert b'<option name="specified-fonts">true</option>' in apple


def test_spine_is_cover_nav_then_one_document_per_module(built: dict[str, Built]) -> None:
    for item in built.values():
        opf = item.book.opf
        assert opf.get("version") == "3.0"
        assert opf.get(XML_LANG) == item.edition.language
        modules = list(item.edition.modules)
        assert item.book.spine() == ["EPUB/cover.xhtml", "EPUB/nav.xhtml",
                                     *(f"EPUB/text/{m.id}.xhtml" for m in modules)]
        refs = list(opf.iterfind("opf:spine/opf:itemref", NS))
        assert all(ref.get("linear") in (None, "yes") for ref in refs)


def test_cover_image_and_page(sample: Built) -> None:
    covers = [i for i in sample.book.manifest().values() if i.get("properties") == "cover-image"]
    assert len(covers) == 1 and covers[0].get("media-type") == "image/png"
    href = covers[0].get("href", "")
    assert sample.book.entries[f"EPUB/{href}"].startswith(b"\x89PNG")
    page = sample.book.xml("EPUB/cover.xhtml")
    img = page.find(".//h:img", NS)
    assert img is not None and img.get("src") == href and img.get("role") == "doc-cover"
    headline = next(m.headline for m in sample.edition.modules if m.headline)
    assert headline and headline in img.get("alt", "")


def test_ncx_lists_every_article(built: dict[str, Built]) -> None:
    for item in built.values():
        ncx = item.book.xml("EPUB/toc.ncx")
        points = {(p.findtext("ncx:navLabel/ncx:text", "", NS),
                   p.find("ncx:content", NS).get("src"))  # type: ignore[union-attr]
                  for p in ncx.iterfind(".//ncx:navPoint", NS)}
        for module in item.edition.modules:
            assert (module.title, f"text/{module.id}.xhtml") in points


# --- navigation ------------------------------------------------------------------------------


def _nav(book: Book, kind: str) -> ET.Element:
    navs = [n for n in book.xml("EPUB/nav.xhtml").iterfind(".//h:nav", NS)
            if n.get(EPUB_TYPE) == kind]
    assert len(navs) == 1, kind
    return navs[0]


def test_toc_is_page_then_articles(built: dict[str, Built]) -> None:
    for item in built.values():
        pages = _nav(item.book, "toc").findall("h:ol/h:li", NS)
        assert len(pages) == len(item.edition.pages)
        for li, page in zip(pages, item.edition.pages, strict=True):
            assert "".join(li.find("h:a", NS).itertext()).startswith(  # type: ignore[union-attr]
                f"第{page.label}版")
            links = [(a.get("href"), "".join(a.itertext()))
                     for a in li.iterfind("h:ol/h:li/h:a", NS)]
            assert links == [(f"text/{m.id}.xhtml", m.title) for m in page.modules]


def test_toc_lists_each_articles_subheads(built: dict[str, Built]) -> None:
    """Under an article, the nav and the NCX list its subheads, each pointing at its section."""
    lead = built[SAMPLE.name]
    assert any(s.subhead for m in lead.edition.modules for s in m.sections)
    for item in built.values():
        nav = _nav(item.book, "toc")
        ncx = item.book.xml("EPUB/toc.ncx")
        for module in item.edition.modules:
            href = f"text/{module.id}.xhtml"
            subheads = [s.subhead for s in module.sections if s.subhead]
            entry = next(li for li in nav.iter(f"{{{NS['h']}}}li")
                         if (a := li.find("h:a", NS)) is not None and a.get("href") == href
                         and "".join(a.itertext()) == module.title)
            children = [(a.get("href", ""), "".join(a.itertext()))
                        for a in entry.iterfind("h:ol/h:li/h:a", NS)]
            point = next(p for p in ncx.iterfind(".//ncx:navPoint", NS)
                         if p.find("ncx:content", NS).get("src") == href  # type: ignore[union-attr]
                         and p.findtext("ncx:navLabel/ncx:text", "", NS) == module.title)
            ncx_children = [(c.find("ncx:content", NS).get("src", ""),  # type: ignore[union-attr]
                             c.findtext("ncx:navLabel/ncx:text", "", NS))
                            for c in point.iterfind("ncx:navPoint", NS)]
            assert ncx_children == children
            if module.briefs:
                continue
            assert [text for _, text in children] == subheads
            doc = item.book.xml(f"EPUB/{href}")
            for target, text in children:
                fragment = target.partition("#")[2]
                section = next(e for e in doc.iter() if e.get("id") == fragment)
                assert "".join(section.find("h:h2", NS).itertext()) == text  # type: ignore[union-attr]


def test_landmarks(sample: Built) -> None:
    marks = {a.get(EPUB_TYPE): a.get("href") for a in _nav(sample.book, "landmarks").iter()
             if a.tag.endswith("}a")}
    first = next(iter(sample.edition.modules))
    assert marks == {"cover": "cover.xhtml", "toc": "#toc",
                     "bodymatter": f"text/{first.id}.xhtml"}


def test_page_list_points_at_pagebreak_markers(built: dict[str, Built]) -> None:
    for item in built.values():
        entries = list(_nav(item.book, "page-list").iter(f"{{{NS['h']}}}a"))
        assert ["".join(a.itertext()) for a in entries] == [p.label for p in item.edition.pages]
        for a, page in zip(entries, item.edition.pages, strict=True):
            doc, _, fragment = (a.get("href") or "").partition("#")
            assert doc == f"text/{page.modules[0].id}.xhtml"
            body = item.book.xml(f"EPUB/{doc}").find("h:body", NS)
            assert body is not None
            marker = body[0]  # the start of what stands on the print page
            assert marker.get("id") == fragment
            assert marker.get(EPUB_TYPE) == "pagebreak"
            assert marker.get("role") == "doc-pagebreak"
            assert marker.get("aria-label") == page.label
        markers = [e for doc in item.book.articles() for e in item.book.xml(doc).iter()
                   if e.get(EPUB_TYPE) == "pagebreak"]
        assert len(markers) == len(item.edition.pages)
        assert item.book.metas("pageBreakSource") != []


# --- semantics -------------------------------------------------------------------------------


def test_every_document_declares_its_language(built: dict[str, Built]) -> None:
    for item in built.values():
        for name, root in _docs(item.book).items():
            assert root.get("lang") == item.edition.language, name
            assert root.get(XML_LANG) == item.edition.language, name


def test_article_semantics(sample: Built) -> None:
    for module in sample.edition.modules:
        root = sample.book.xml(f"EPUB/text/{module.id}.xhtml")
        article = root.find(".//h:article", NS)
        assert article is not None
        header = article.find("h:header", NS)
        if module.headline:
            assert header is not None
            assert "".join(header.find("h:h1", NS).itertext()) == module.headline  # type: ignore[union-attr]
        if module.kicker:
            assert header is not None and header.find("h:p[@class='kicker']", NS) is not None
        subheads = [s.subhead for s in module.sections if s.subhead]
        sections = article.findall("h:section", NS)
        assert [("".join(s[0].itertext())) for s in sections] == (
            subheads or [b.title for b in module.briefs])
        figures = list(article.iter(f"{{{NS['h']}}}figure"))
        assert len(figures) == len(module.figures)
        for element, fig in zip(figures, module.figures, strict=False):
            img, caption = element.find("h:img", NS), element.find("h:figcaption", NS)
            assert img is not None and caption is not None
            assert img.get("alt") == (fig.alt_text if fig.image else f"图片待补：{fig.alt_text}")
            spans = {s.get("class"): "".join(s.itertext()) for s in caption}
            assert spans == {"caption": fig.caption, **({"credit": fig.credit} if fig.credit
                                                       else {})}


def test_pen_name_and_contributors_are_marked_up(sample: Built) -> None:
    types = Counter(e.get(EPUB_TYPE) for name in sample.book.articles()
                    for e in sample.book.xml(name).iter() if e.get(EPUB_TYPE))
    pen_names = sum(1 for m in sample.edition.modules if m.pen_name)
    contributors = sum(1 for m in sample.edition.modules if m.contributor) + sum(
        1 for m in sample.edition.modules for b in m.briefs if b.contributor)
    assert pen_names and contributors
    assert types["z3998:pseudonym"] == pen_names
    assert types["z3998:author"] == contributors


def test_text_of_the_documents_is_the_model_text(built: dict[str, Built]) -> None:
    for item in built.values():
        assert_same_copy(item)


def assert_same_copy(item: Built) -> None:
    """The article documents hold exactly the model's copy: each piece once, and nothing else."""
    found, wanted = book_copy(item.book), model_copy(item.edition)
    assert Counter(found) == Counter(wanted)
    no_figures = {"caption", "credit"}
    assert [i for i in found if i[0] not in no_figures] == [
        i for i in wanted if i[0] not in no_figures]
    seen = "".join(visible_text(item.book.xml(n).find("h:body", NS))  # type: ignore[arg-type]
                   for n in item.book.articles())
    assert seen == "".join("".join(text.split()) for _, text in found)


# --- metadata --------------------------------------------------------------------------------


def test_metadata(sample: Built) -> None:
    opf, book = sample.book.opf, sample.book
    metadata = opf.find("opf:metadata", NS)
    assert metadata is not None
    assert metadata.findtext("dc:title", None, NS) == sample.edition.title
    assert metadata.findtext("dc:language", None, NS) == "zh-CN"
    ident = metadata.findtext("dc:identifier", "", NS)
    assert ident == identifier(sample.edition) and uuid.UUID(ident[9:]).version == 5
    assert metadata.findtext("dc:date", None, NS) == sample.edition.date
    creators = [c.text for c in metadata.iterfind("dc:creator", NS)]
    assert "王云峰" in creators and "忠言" in creators
    assert book.metas("dcterms:modified") == ["2020-02-01T00:00:00Z"]


def test_accessibility_metadata(sample: Built) -> None:
    book = sample.book
    assert set(book.metas("schema:accessMode")) == {"textual", "visual"}
    assert book.metas("schema:accessModeSufficient") == ["textual"]
    assert set(book.metas("schema:accessibilityFeature")) == {
        "structuralNavigation", "tableOfContents", "readingOrder", "alternativeText",
        "printPageNumbers", "displayTransformability"}
    assert book.metas("schema:accessibilityHazard") == ["none"]
    summary = book.metas("schema:accessibilitySummary")
    assert len(summary) == 1 and "目录" in summary[0]
    assert book.metas("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]


def test_identifier_differs_between_editions(built: dict[str, Built]) -> None:
    idents = {identifier(item.edition) for item in built.values()}
    assert len(idents) == len(built)


def test_byline_names() -> None:
    assert byline_names("本报记者 王云峰") == ["王云峰"]
    assert byline_names("本报记者王云峰 通讯员 李四、张三") == ["王云峰", "李四", "张三"]


def test_traditional_edition_and_source_date_epoch(make_edition, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_edition(files={"edition.toml": TRADITIONAL_TOML, "story.md": TRADITIONAL_STORY})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    book = _build(folder, tmp_path / "out").book
    assert book.opf.find("opf:metadata/dc:language", NS).text == "zh-TW"  # type: ignore[union-attr]
    assert book.metas("dcterms:modified") == ["2020-09-13T12:26:40Z"]
    assert all(r.get(XML_LANG) == "zh-TW" for r in _docs(book).values())


TRADITIONAL_TOML = """\
title = "測試版"
language = "zh-TW"
date = "2020-02-12"

[[pages]]
section = "要聞"

[[pages.modules]]
file = "story.md"
role = "article"
"""
TRADITIONAL_STORY = """\
+++
headline = "春風送暖"
+++

這是一段正文，用來測試。
"""


# --- size, fonts, determinism ----------------------------------------------------------------


def test_sample_size(sample: Built) -> None:
    assert sample.book.path.stat().st_size <= MAX_EPUB_BYTES


def _cmap(data: bytes) -> set[str]:
    import io

    return {chr(c) for c in TTFont(io.BytesIO(data)).getBestCmap()}


def test_fonts_hold_only_what_each_face_renders(sample: Built) -> None:
    import io

    nav = sample.book.xml("EPUB/nav.xhtml").find("h:body", NS)
    assert nav is not None
    extra = {**TEMPLATE_CHARS}
    extra["sans-bold"] += visible_text(nav)
    wanted = {path: set(wanted_text(chars))
              for path, chars in chars_by_file(sample.edition, extra).items()}
    css = sample.book.entries["EPUB/styles/epub.css"].decode()
    manifest = {i.get("href"): i.get("media-type") for i in sample.book.manifest().values()}
    embedded = {name for name in sample.book.entries if name.startswith("EPUB/fonts/")}
    assert embedded == {f"EPUB/fonts/{path.name}" for path in wanted}  # no fallback face
    total = 0
    for face in faces("zh-CN").values():
        href = f"fonts/{face.path.name}"
        if face.key == "fallback":
            assert f"EPUB/{href}" not in embedded  # the sample needs no rare character
            continue
        data = sample.book.entries[f"EPUB/{href}"]
        total += len(data)
        assert manifest[href] == face.media_type
        rule = (f'font-family: "Banmian {face.family}"; font-weight: {face.weight}; '
                f'font-style: normal; src: url("../{href}");')
        assert rule in css
        with TTFont(io.BytesIO(data), lazy=True) as font:
            assert str(font["name"].getDebugName(1)).endswith(("SC", "WenKai"))
        assert _cmap(data) == wanted[face.path], face.key
        assert " " in _cmap(data)  # spaces from the embedded face, not the device's
    assert total < 600_000


def test_every_character_shown_is_in_an_embedded_font(built: dict[str, Built]) -> None:
    """Every character in the body of every document, spaces included, is in the cmap of an
    embedded subset, and the stylesheet draws no text of its own (no ``content``). Which face
    sets each one is checked in Chromium (test_reflow.py) and above for the sample."""
    for name, item in built.items():
        fonts = set().union(*(_cmap(data) for entry, data in item.book.entries.items()
                              if entry.startswith("EPUB/fonts/")))
        css = item.book.entries["EPUB/styles/epub.css"].decode()
        assert "content:" not in css
        for doc, root in _docs(item.book).items():
            body = root.find("h:body", NS)
            assert body is not None
            shown = "".join(body.itertext())
            assert " " in shown or doc.endswith("cover.xhtml")
            lacking = {c for c in shown if c not in fonts and (c == " " or not c.isspace())}
            assert not lacking, (name, doc, lacking)


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       sample: Built) -> None:
    monkeypatch.setenv("BANMIAN_CACHE", str(tmp_path / "fresh-cache"))  # cold caches
    first = build_edition(SAMPLE, tmp_path / "a", ["epub"]).outputs[0].read_bytes()
    second = build_edition(SAMPLE, tmp_path / "b", ["epub"]).outputs[0].read_bytes()
    assert first == second == sample.book.path.read_bytes()


# --- generated editions ----------------------------------------------------------------------

MARKUP = ["<script>", "</p>", "&amp;", "&lt;", "*", "**", "#", "## ", "]]>", "<!--", "{{ x }}",
          "\\", "`", "_", "[a](b)", "![](#x)", '"', "'", "1. ", "- "]
PUNCTUATION = "，。、；：？！“”‘’（）《》—…·「」 ,.;:!?()%+-/&"


def _alphabet() -> tuple[list[str], list[str]]:
    """Han characters and other characters that every face of both languages has a glyph for
    (generated editions are zh-CN or zh-TW)."""
    common = set.intersection(*(set(cmap(faces(lang)[key].path)) for lang in languages()
                                for key in chain_keys()))
    han = [chr(c) for c in range(0x4E00, 0x9FA6) if c in common]
    other = [c for c in "ABCXYZabcxyz0123456789" + PUNCTUATION if ord(c) in common]
    return han, other


HAN, OTHER = _alphabet()
_han = st.sampled_from(HAN)
# Lists of sampled characters, not st.text(alphabet=...): the alphabet common to the SC and TC
# faces is fragmented, and Hypothesis rebuilds its interval set at every draw (slow).
_chunk = st.lists(st.one_of(_han, _han, st.sampled_from(OTHER)), min_size=1, max_size=12).map(
    "".join)
TEXT = st.lists(st.one_of(_chunk, _chunk, st.sampled_from(MARKUP)), min_size=1, max_size=4).map(
    lambda parts: " ".join("".join(parts).split())).filter(bool)
HAN_TEXT = st.lists(_han, min_size=1, max_size=6).map("".join)


def toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def md_escape(text: str) -> str:
    return "".join("\\" + c if c.isascii() and not c.isalnum() and not c.isspace() else c
                   for c in text)


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(TEXT.map(md_escape), HAN_TEXT.map(lambda t: f"*{t}*"),
                                    HAN_TEXT.map(lambda t: f"**{t}**")), min_size=1, max_size=3))
    return "".join(parts)


@st.composite
def module_file(draw: st.DrawFn, role: str) -> str:
    front: list[str] = []
    keys = {"kicker": ("lead", "profile", "article"), "deck": ("lead", "profile", "commentary",
            "article"), "byline": ("lead", "profile", "article"), "pen-name": ("commentary",),
            "contributor": ("lead", "profile", "commentary", "article")}
    if role != "briefs":
        front.append(f"headline = {toml_str(draw(TEXT))}")
        front += [f"{k} = {toml_str(draw(TEXT))}" for k, roles in keys.items()
                  if role in roles and draw(st.booleans())]
        figures = draw(st.integers(0, 2))
        for n in range(figures):
            front += ["[[figures]]", f'id = "f{n}"', f"caption = {toml_str(draw(TEXT))}",
                      *([f"credit = {toml_str(draw(TEXT))}"] if draw(st.booleans()) else []),
                      *(['aspect = "4:3"'] if draw(st.booleans()) else [])]
        body = draw(st.lists(paragraph(), min_size=1, max_size=3))
        if figures and draw(st.booleans()):
            body.insert(1, "![](#f0)")
        if draw(st.booleans()):
            body += [f"## {md_escape(draw(TEXT))}", draw(paragraph())]
        return "+++\n" + "\n".join(front) + "\n+++\n\n" + "\n\n".join(body) + "\n"
    for _ in range(draw(st.integers(1, 2))):
        paras = draw(st.lists(TEXT, min_size=1, max_size=2))
        front += ["[[items]]", f"title = {toml_str(draw(TEXT))}",
                  # 本报讯 is Simplified: a zh-TW edition would need 本報訊, so draw from the
                  # characters both languages' faces have.
                  *([f"dateline = {toml_str(draw(HAN_TEXT))}"] if draw(st.booleans()) else []),
                  f"body = {toml_str(chr(10).join(p + chr(10) for p in paras))}",
                  *([f"contributor = {toml_str(draw(TEXT))}"] if draw(st.booleans()) else [])]
    return "+++\n" + "\n".join(front) + "\n+++\n"


@st.composite
def edition_files(draw: st.DrawFn) -> dict[str, str]:
    files: dict[str, str] = {}
    lines = [f"title = {toml_str(draw(TEXT))}",
             f'language = "{draw(st.sampled_from(["zh-CN", "zh-TW"]))}"', 'date = "2021-03-15"']
    for page in range(draw(st.integers(1, 2))):
        lines += ["[[pages]]", f'label = "{page + 1}{draw(st.sampled_from(["", "A"]))}"']
        if draw(st.booleans()):
            lines += [f"section = {toml_str(draw(TEXT))}",
                      f'pinyin = "{draw(st.text("ABCDGHNUY", min_size=1, max_size=8))}"']
        for _ in range(draw(st.integers(1, 3))):
            name = f"m{len(files) + 1}.md"
            role = draw(st.sampled_from(["lead", "profile", "commentary", "briefs", "article"]))
            files[name] = draw(module_file(role))
            lines += ["[[pages.modules]]", f'file = "{name}"', f'role = "{role}"']
            if role == "briefs" and draw(st.booleans()):
                lines.append(f"banner = {toml_str(draw(TEXT))}")
    files["edition.toml"] = "\n".join(lines) + "\n"
    return files


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, cache_env: None) -> list[Built]:
    """Editions that Hypothesis generates, each built and checked for its text."""
    found: list[Built] = []

    @settings(max_examples=8, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(edition_files())
    def build_one(files: dict[str, str]) -> None:
        folder = tmp_path_factory.mktemp("gen")
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        item = _build(folder, folder / "out")
        assert_same_copy(item)
        found.append(item)

    build_one()
    return found


def test_generated_editions_keep_their_copy(generated: list[Built]) -> None:
    assert len(generated) >= 8
    markup = [t for item in generated for _, t in copy_text_pairs(item.edition)
              if any(m.strip() and m.strip() in t for m in MARKUP)]
    assert markup, "the generated copy should contain markup-like text"
    for item in generated:
        assert_same_copy(item)


def copy_text_pairs(edition: Edition) -> list[tuple[str, str]]:
    return [(i.role, i.text) for i in copy_text(edition)]


@pytest.mark.slow
@pytest.mark.skipif(not epubcheck_available(), reason="EPUBCheck needs Java")
def test_epubcheck_reports_nothing(built: dict[str, Built], generated: list[Built]) -> None:
    """Every EPUB of this module, in one EPUBCheck batch: 0 fatal, 0 errors, 0 warnings."""
    paths = [item.book.path for item in [*built.values(), *generated]]
    results = check_epubs(paths)
    assert {str(p): [str(d) for d in found] for p, found in results.items() if found} == {}
    assert len(results) == len(paths)


def test_epubcheck_findings_become_diagnostics(tmp_path: Path, sample: Built) -> None:
    """A broken EPUB is reported: this proves the EPUBCheck test above can fail."""
    from banmian.verify.epubcheck import diagnostics

    report = {"messages": [{"ID": "RSC-005", "severity": "ERROR", "message": "bad",
                            "locations": [{"path": "EPUB/nav.xhtml", "line": 3}]},
                           {"ID": "ACC-001", "severity": "WARNING", "message": "meh",
                            "locations": []}]}
    found = diagnostics(tmp_path / "x.epub", report)
    assert [(d.severity, d.source.line if d.source else None) for d in found] == [
        ("error", 3), ("warning", 0)]
    assert "RSC-005" in str(found[0]) and str(found[0]).startswith(f"{tmp_path}/x.epub/EPUB")
