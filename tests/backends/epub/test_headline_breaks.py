"""Issue 12: headings break only between words, where Chromium lays them out.

The sample's EPUB (and a small Traditional edition with Latin words and digits) is built,
unzipped, and each content document opened in Debian's headless Chromium (driven by Playwright,
as in ``test_reflow.py``) at 390 × 844 (a phone) and 600 × 800 (a 6-inch e-reader), with text at
100% and 200%, horizontal and vertical. A script measures, character by character
(``Range.getClientRects``), where each headline, kicker, deck, brief title and subhead starts a
new line; every such break must fall at a word start of :mod:`banmian.chinese.words`, never
inside a Latin or digit run, and every ``<wbr/>`` must stand at such a boundary too.
``test_measure_finds_a_break_inside_a_word`` shows the check fails on a heading set without
``<wbr/>`` and ``keep-all``.
"""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from banmian.build import build_edition
from banmian.chinese.words import word_starts
from banmian.render.typeset import words

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "content" / "benxi-2020-02"
#: Width → height: a phone and a 6-inch e-reader, as in test_reflow.py.
SCREENS = {390: 844, 600: 800}
ZOOMS = (100, 200)
HEADINGS = ".headline, .kicker, .deck, .brief-title, .subhead"
pytestmark = pytest.mark.slow  # Chromium: the browser fixture (conftest.py) skips without it

#: For each heading: its text (by code point), where its ``<wbr/>`` stand, and the offset of
#: each character that starts a line after the first (whitespace skipped: a line never starts
#: with the space it broke at).
MEASURE = r"""
(selector) => {
  const vertical = getComputedStyle(document.documentElement).writingMode.startsWith("vertical");
  const range = document.createRange();
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest("[hidden]")) continue;
    const chars = [], wbr = [], breaks = [];
    let prev = null;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let node; (node = walker.nextNode());) {
      if (node.nodeType === 1) {
        if (node.localName === "wbr") wbr.push(chars.length);
        continue;
      }
      for (let i = 0; i < node.data.length;) {
        const ch = String.fromCodePoint(node.data.codePointAt(i));
        const offset = chars.length;
        chars.push(ch);
        range.setStart(node, i); range.setEnd(node, i + ch.length);
        i += ch.length;
        if (/\s/.test(ch)) continue;
        const r = range.getClientRects()[0];
        if (!r || (!r.width && !r.height)) continue;
        const pos = vertical ? -r.right : r.top, size = vertical ? r.width : r.height;
        if (prev && pos > prev.pos + prev.size / 2) breaks.push(offset);
        prev = {pos, size};
      }
    }
    found.push({role: el.classList[0], text: chars.join(""), wbr, breaks, vertical});
  }
  return found;
}
"""


def allowed(text: str) -> set[int]:
    """Where a heading may start a line: a word start (jieba), but not between two non-space
    ASCII characters (80|%, COVID|-19), or after a space."""
    def ascii_pair(i: int) -> bool:
        return all(c.isascii() and not c.isspace() for c in text[i - 1 : i + 1])

    return ({i for i in word_starts(text) if not ascii_pair(i)}
            | {i for i in range(1, len(text)) if text[i - 1].isspace()})


def misplaced(found: list[dict[str, Any]]) -> list[str]:
    """Each line break, and each ``<wbr/>``, that is not at a word boundary."""
    problems = []
    for heading in found:
        text, ok = heading["text"], allowed(heading["text"])
        for kind in ("breaks", "wbr"):
            problems += [f"{heading['role']} {kind}: {text[:i]}|{text[i:]}"
                         for i in heading[kind] if i not in ok]
    return problems


def lines(heading: dict[str, Any]) -> str:
    """A heading as Chromium set it: its lines joined with ``|``."""
    cuts = [0, *heading["breaks"], len(heading["text"])]
    return "|".join(heading["text"][a:b] for a, b in itertools.pairwise(cuts))


def measure(page: Page, doc: Path, width: int, zoom: int,
            selector: str = HEADINGS) -> list[dict[str, Any]]:
    """The headings (``selector``) of ``doc`` at ``width`` (and its e-reader height), text
    at ``zoom`` %."""
    page.set_viewport_size({"width": width, "height": SCREENS[width]})
    page.goto(doc.as_uri())
    if zoom != 100:
        page.add_style_tag(content=f"html {{ font-size: {zoom}%; }}")
    page.evaluate("document.fonts.ready.then(() => true)")
    found: list[dict[str, Any]] = page.evaluate(MEASURE, selector)
    return found


def unzipped(folder: Path, out: Path) -> list[Path]:
    """Build ``folder``'s EPUB into ``out`` and unzip it: its content documents."""
    epub = build_edition(folder, out, ["epub"]).outputs[0]
    with zipfile.ZipFile(epub) as zf:
        zf.extractall(out / "book")
    return sorted((out / "book" / "EPUB" / "text").glob("*.xhtml"))


def survey(browser: Any, docs: list[Path]) -> tuple[dict[tuple[int, int], list[str]], list[str]]:
    """(width, zoom) → every heading as set; and every misplaced break or ``<wbr/>``."""
    page = browser.new_page()
    seen: dict[tuple[int, int], list[str]] = {}
    problems: list[str] = []
    for doc in docs:
        for width in SCREENS:
            for zoom in ZOOMS:
                found = measure(page, doc, width, zoom)
                seen.setdefault((width, zoom), []).extend(lines(h) for h in found)
                problems += [f"{doc.name} {width}px {zoom}%: {p}" for p in misplaced(found)]
    page.close()
    return seen, problems


@pytest.mark.parametrize("kind", ["horizontal", "vertical"])
def test_sample_headings_break_between_words(browser: Any, vertical_sample: Any,
                                             tmp_path: Path, kind: str) -> None:
    folder = SAMPLE if kind == "horizontal" else vertical_sample(tmp_path / "benxi-vertical")
    seen, problems = survey(browser, unzipped(folder, tmp_path / "out"))
    for (width, zoom), headings in seen.items():
        print(f"{kind} {width}px {zoom}%: {len(headings)} headings, "
              f"{sum(h.count('|') for h in headings)} breaks: {' / '.join(headings)}")
    assert problems == []
    assert all(len(headings) == 10 for headings in seen.values())  # 3+1+2+1 heads, 3 subheads
    # The check saw breaks: at 390 px some headline breaks even at 100% text; vertical lines
    # are the screen's height (844 and 800 px), so only 200% text breaks a heading there.
    breaks = {key: sum(h.count("|") for h in headings) for key, headings in seen.items()}
    if kind == "horizontal":
        assert breaks[390, 100] >= 1 and breaks[390, 200] >= 10
    else:
        assert breaks[390, 200] >= 1 and breaks[600, 200] >= 1


def test_traditional_and_latin_headings_break_between_words(
        browser: Any, make_edition: Any, tmp_path: Path) -> None:
    folder = make_edition(files={
        "edition.toml": '''\
            title = "測試版"
            language = "zh-TW"
            date = "2023-09-13"

            [[pages]]
            section = "要聞"
            pinyin = "YAOWEN"

            [[pages.modules]]
            file = "story.md"
            role = "article"
            ''',
        "story.md": '''\
            +++
            kicker = "臺灣各級醫療機構全力投入COVID-19防疫工作"
            headline = "iPhone 15發布會在台北舉行"
            deck = "新冠疫苗接種率突破80%，蘋果公司發表iPhone 15系列新機"
            +++

            這是一段正文，用來測試。

            ## 記者會現場湧入大批國際媒體與消費者
            '''})
    seen, problems = survey(browser, unzipped(folder, tmp_path / "out"))
    print({key: headings for key, headings in seen.items()})
    assert problems == []
    assert sum(h.count("|") for h in seen[390, 200]) >= 4


def test_measure_finds_a_break_inside_a_word(browser: Any, tmp_path: Path) -> None:
    """A headline without ``<wbr/>`` and ``keep-all`` breaks inside a word and is caught; the
    same headline as banmian marks it up breaks, but only between words."""
    text = "葫芦岛疫情排查党员网格员作用明显"
    style = ("h1 { font-size: 44px; margin: 0; font-family: sans-serif; }"
             " .headline { word-break: keep-all; }")
    doc = tmp_path / "fixture.xhtml"
    doc.write_text(f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title>'
                   f'<style>{style}</style></head><body>'
                   f'<h1 class="plain">{text}</h1>'
                   f'<h1 class="headline">{words(text, epub=True)}</h1></body></html>',
                   encoding="utf-8")
    page = browser.new_page()
    plain, marked = measure(page, doc, 390, 100, "h1")
    page.close()
    assert plain["text"] == marked["text"] == text
    assert misplaced([plain]), lines(plain)  # e.g. 葫芦岛疫情排|查党员…: inside 排查
    assert marked["breaks"] and misplaced([marked]) == [], lines(marked)
