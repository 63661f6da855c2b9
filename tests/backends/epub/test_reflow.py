"""The EPUB as a reader meets it, in a real browser: Debian's headless Chromium, driven by
Playwright (no browser download: ``executable_path`` is the system's ``chromium``), over every
XHTML document of the sample at 390, 600 and 1072 px wide, at 100% and 200% text, in a light
and a dark reading-system theme.

For each: no horizontal overflow; no prohibited line start or end (docs: cjk-typesetting.md)
at any line break Chromium made; every text and rule colour at least 4.5:1 against the
background it stands on; and, once per document, every glyph drawn from an embedded font (the
DevTools protocol's ``CSS.getPlatformFontsForNode``). Paginated like epub.js (CSS columns) at
600 × 800, no page before a figure is more than a third blank.

``BANMIAN_SCREENSHOTS=docs/screenshots`` (``make screenshots``) also saves what the test saw.
"""

from __future__ import annotations

import base64
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from banmian.build import build_edition

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "content" / "benxi-2020-02"
#: Screens: a phone (390 × 844), a 6-inch e-reader (600 × 800), a 10-inch tablet (1072 × 1448).
SCREENS = {390: 844, 600: 800, 1072: 1448}
ZOOMS = (100, 200)
#: A reading system's night theme, as epub.js applies one: black page, white text, the book's
#: own colours left alone; and prefers-color-scheme: dark.
THEMES = {"light": "", "dark": "html, body { background: #000; color: #fff; }"}
MIN_CONTRAST = 4.5
pytestmark = pytest.mark.slow  # Chromium: the browser fixture (conftest.py) skips without it

#: Measures one laid-out document: overflow, line breaks and contrast (see the module doc).
MEASURE = r"""
() => {
  const NO_START = "。，、；：？！）》〉】」』”’", NO_END = "（《〈【「『“‘", PAIRS = "—…";
  const vertical = getComputedStyle(document.documentElement).writingMode.startsWith("vertical");
  const inlineDisplay = e => ["inline", "contents"].includes(getComputedStyle(e).display);
  const blockOf = node => {
    let e = node.parentElement;
    while (e && inlineDisplay(e)) e = e.parentElement;
    return e;
  };
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const bad = [];
  let prev = null, breaks = 0, chars = 0;
  for (let node; (node = walker.nextNode());) {
    if (node.parentElement.closest("[hidden]")) continue;
    const block = blockOf(node);
    for (let i = 0; i < node.data.length; i++) {
      const ch = node.data[i];
      if (/\s/.test(ch)) continue;
      range.setStart(node, i); range.setEnd(node, i + 1);
      const r = range.getClientRects()[0];
      if (!r || (!r.width && !r.height)) continue;
      chars++;
      const pos = vertical ? -r.right : r.top, size = vertical ? r.width : r.height;
      if (prev && prev.block === block && pos > prev.pos + size / 2) {
        breaks++;
        const around = prev.ch + "|" + ch;
        if (NO_START.includes(ch)) bad.push("line starts with " + around);
        if (NO_END.includes(prev.ch)) bad.push("line ends with " + around);
        if (PAIRS.includes(ch) && prev.ch === ch) bad.push("split " + around);
      }
      prev = {block, pos, ch};
    }
  }
  const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
  const lin = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = c => 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c;
    }
    return [255, 255, 255];
  };
  const contrast = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("[hidden]")) continue;
    const style = getComputedStyle(el), bg = background(el);
    const text = [...el.childNodes].some(n => n.nodeType === 3 && n.data.trim());
    if (text) {
      const r = ratio(rgb(style.color), bg);
      if (r < %(min)s) contrast.push(`${el.className || el.tagName} text ${r.toFixed(2)}`);
    }
    for (const side of ["Top", "Right", "Bottom", "Left"]) {
      if (parseFloat(style[`border${side}Width`]) > 0 && style[`border${side}Style`] !== "none") {
        const r = ratio(rgb(style[`border${side}Color`]), bg);
        if (r < %(min)s) contrast.push(`${el.className || el.tagName} rule ${r.toFixed(2)}`);
      }
    }
  }
  const root = document.documentElement;
  const overflow = vertical ? root.scrollHeight - root.clientHeight
                            : root.scrollWidth - root.clientWidth;
  return {bad, breaks, chars, contrast, overflow, vertical};
}
""".replace("%(min)s", str(MIN_CONTRAST))

#: epub.js-like pagination (CSS columns one screen wide), then the blank space at the foot of
#: each page that a figure starts: the figure's page top minus the last content drawn before it.
PAGINATE = r"""
([width, height]) => {
  const style = document.createElement("style");
  style.textContent = `html { height: ${height}px; column-width: ${width}px; column-gap: 0;
    column-fill: auto; overflow: hidden; } body { margin: 0; padding: 0 0.5em; }`;
  document.head.appendChild(style);
  document.body.offsetHeight;
  const page = r => Math.floor((r.left + window.scrollX + 1) / width);
  const bottoms = {};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const mark = (r, el) => {
    if (!r.width || el.closest("figure")) return;
    const p = page(r);
    bottoms[p] = Math.max(bottoms[p] || 0, r.bottom);
  };
  for (let node; (node = walker.nextNode());) {
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) mark(r, node.parentElement);
  }
  const found = [];
  for (const fig of document.querySelectorAll("figure")) {
    const rects = [...fig.getClientRects()];
    const first = rects[0], p = page(first);
    const before = [...document.querySelectorAll("figure")].filter(f => f !== fig
      && f.compareDocumentPosition(fig) & Node.DOCUMENT_POSITION_FOLLOWING)
      .flatMap(f => [...f.getClientRects()]);
    let last = bottoms[p - 1] || 0;
    for (const r of before) if (page(r) === p - 1) last = Math.max(last, r.bottom);
    const startsPage = first.top <= 32 && (bottoms[p] === undefined
      || Math.min(...[...fig.querySelectorAll("img")].map(i => i.getBoundingClientRect().top))
         <= 32);
    found.push({id: fig.id, page: p, startsPage, blank: startsPage && p > 0 ? height - last : 0});
  }
  return found;
}
"""


def _unzip(epub: Path, folder: Path) -> Path:
    with zipfile.ZipFile(epub) as zf:
        zf.extractall(folder)
    return folder


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory, vertical_sample: Any) -> dict[str, Path]:
    """The sample's EPUB, horizontal and vertical, built and unzipped: kind → EPUB folder."""
    out = tmp_path_factory.mktemp("reflow")
    found = {}
    for kind, folder in [("horizontal", SAMPLE),
                         ("vertical", vertical_sample(out / "benxi-vertical"))]:
        result = build_edition(folder, out / "out", ["epub"])
        assert result.edition.writing_mode == ("vertical-rl" if kind == "vertical"
                                               else "horizontal-tb")
        found[kind] = _unzip(result.outputs[0], out / kind) / "EPUB"
    return found


def documents(folder: Path) -> list[Path]:
    """Every XHTML document of an unzipped EPUB."""
    return sorted(folder.rglob("*.xhtml"))


def show(page: Page, doc: Path, width: int, zoom: int, theme: str) -> None:
    """Load ``doc`` at ``width`` in ``theme`` with text at ``zoom`` percent, fonts loaded."""
    page.set_viewport_size({"width": width, "height": SCREENS[width]})
    page.emulate_media(color_scheme="dark" if theme == "dark" else "light")
    page.goto(doc.as_uri())
    css = THEMES[theme] + (f"html {{ font-size: {zoom}%; }}" if zoom != 100 else "")
    if css:
        page.add_style_tag(content=css)
    page.evaluate("document.fonts.ready.then(() => true)")


def unembedded_fonts(page: Page) -> list[str]:
    """Elements with text drawn in a font that is not one of the document's @font-face fonts."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]
        found: list[str] = []
        stack = [root]
        while stack:
            node = stack.pop()
            stack.extend(node.get("children", []))
            if node.get("nodeType") != 1:
                continue
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
            found += [f"{node['nodeName']} {f['familyName']}" for f in fonts
                      if not f["isCustomFont"]]
        return found
    finally:
        cdp.detach()


def screenshot(page: Page, kind: str, doc: Path, width: int, zoom: int, theme: str) -> None:
    """Save what the test sees, when BANMIAN_SCREENSHOTS names a folder (make screenshots)."""
    folder = os.environ.get("BANMIAN_SCREENSHOTS")
    wanted = doc.stem == "lead" and (zoom == 100 or (width == 390 and theme == "light"))
    if folder and wanted:
        Path(folder).mkdir(parents=True, exist_ok=True)
        # The DevTools call, not page.screenshot: Playwright clips from the document's left
        # edge, which a vertical-rl page (scrolled to its right-hand start) does not show.
        cdp = page.context.new_cdp_session(page)
        data = cdp.send("Page.captureScreenshot", {"format": "png"})["data"]
        cdp.detach()
        name = f"{kind}-{doc.stem}-{width}-{zoom}-{theme}.png"
        (Path(folder) / name).write_bytes(base64.b64decode(data))


@pytest.mark.parametrize("kind", ["horizontal", "vertical"])
def test_reflow_in_chromium(browser: Any, books: dict[str, Path], kind: str) -> None:
    page = browser.new_page()
    problems: list[str] = []
    breaks = 0
    modes: set[bool] = set()
    for doc in documents(books[kind]):
        for width in SCREENS:
            for zoom in ZOOMS:
                for theme in THEMES:
                    show(page, doc, width, zoom, theme)
                    where = f"{doc.name} {width}px {zoom}% {theme}"
                    found = page.evaluate(MEASURE)
                    breaks += found["breaks"]
                    modes.add(found["vertical"])
                    problems += [f"{where}: {b}" for b in found["bad"] + found["contrast"]]
                    if found["overflow"] > 0:
                        problems.append(f"{where}: overflows by {found['overflow']} px")
                    screenshot(page, kind, doc, width, zoom, theme)
        show(page, doc, 390, 100, "light")
        problems += [f"{doc.name}: not embedded: {f}" for f in unembedded_fonts(page)]
    page.close()
    print(f"{kind}: {breaks} line breaks checked")
    assert problems == []
    assert breaks > 1000  # the measurement saw the line breaks it checks
    assert modes == {kind == "vertical"}


def test_no_page_before_a_figure_is_more_than_a_third_blank(
        browser: Any, books: dict[str, Path]) -> None:
    page = browser.new_page()
    width, height = 600, SCREENS[600]
    seen = 0
    for doc in documents(books["horizontal"]):
        for zoom in ZOOMS:
            show(page, doc, width, zoom, "light")
            for fig in page.evaluate(PAGINATE, [width, height]):
                seen += 1
                assert fig["blank"] <= height / 3, (doc.name, zoom, fig)
    page.close()
    assert seen >= 6  # three figures, at two text sizes


def test_contrast_measure_can_fail(browser: Any, tmp_path: Path) -> None:
    """The old banner red (#8b1a1a) on a night theme's black is caught: the test can fail."""
    doc = tmp_path / "old.xhtml"
    doc.write_text('<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head>'
                   '<body><p style="color:#8b1a1a;'
                   'border-bottom:1px solid #8b1a1a">前沿观察</p><p>把，。</p></body></html>',
                   encoding="utf-8")
    page = browser.new_page()
    show(page, doc, 390, 100, "dark")
    found = page.evaluate(MEASURE)
    page.close()
    assert [c.split()[1:] for c in found["contrast"]] == [["text", "2.26"], ["rule", "2.26"]]
