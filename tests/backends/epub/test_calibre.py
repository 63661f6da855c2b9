"""The sample EPUB through calibre (issue 14, Kindle and Kobo): ``ebook-convert`` to AZW3 keeps
the embedded fonts, the table of contents and the cover, and shows none of the nav's hidden
navigation (landmarks, page-list) as text; MOBI shows none of it either.

An AZW3 is inspected by converting it back to EPUB (fonts, NCX, cover, spine) and to plain text
(what a reader sees). calibre is optional (large; not installed by the Makefile): without
``ebook-convert`` these tests are skipped.

calibre stores a publication date as a full date: ``dc:date`` 2020-02 reads as 2020-02-15
(calibre's filler day for a date without one); the OPF has no way to tell it otherwise, so the
test only checks that the year and month are kept.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from banmian.build import build_edition

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "content" / "benxi-2020-02"
NS = {"h": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/"}
#: The hidden navigation's labels (data/labels.toml, zh): a menu's words, never page text.
HIDDEN_LABELS = ("导览", "印刷版页码")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("ebook-convert") is None,
                       reason="calibre's ebook-convert is not installed (optional: apt-get "
                              "install calibre)"),
]


def convert(source: Path, target: Path) -> Path:
    """``ebook-convert source target``, with calibre's default options."""
    subprocess.run(["ebook-convert", str(source), str(target)], check=True,
                   capture_output=True, timeout=300)
    return target


def deobfuscate(data: bytes, uid: str) -> bytes:
    """A font file as calibre's EPUB output wrote it, its first 1024 bytes XORed with the book's
    UUID (the Adobe font obfuscation, ``http://ns.adobe.com/pdf/enc#RC``), restored."""
    key = bytes.fromhex(uid.removeprefix("urn:uuid:").replace("-", ""))
    head = bytes(b ^ key[i % len(key)] for i, b in enumerate(data[:1024]))
    return head + data[1024:]


def digests(epub: Path) -> set[str]:
    """The SHA-256 of every font file in an EPUB, obfuscated ones restored."""
    files, _, root = opf(epub)
    obfuscated: set[str] = set()
    if "META-INF/encryption.xml" in files:
        encryption = ET.fromstring(files["META-INF/encryption.xml"])
        obfuscated = {e.get("URI", "") for e in encryption.iter()
                      if e.tag.endswith("CipherReference")}
    uid_id = root.get("unique-identifier")
    uid = next((e.text or "" for e in root.iter() if e.get("id") == uid_id), "")
    return {hashlib.sha256(deobfuscate(data, uid) if name in obfuscated else data).hexdigest()
            for name, data in files.items()
            if name.endswith((".otf", ".ttf", ".woff", ".woff2"))}


def opf(epub: Path) -> tuple[dict[str, bytes], str, ET.Element]:
    """An EPUB's files, its OPF's folder (with a trailing slash, or empty) and the OPF's root."""
    with zipfile.ZipFile(epub) as z:
        files = {n: z.read(n) for n in z.namelist()}
    container = ET.fromstring(files["META-INF/container.xml"])
    path = next(e.get("full-path", "") for e in container.iter()
                if e.tag.endswith("rootfile"))
    folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    return files, folder, ET.fromstring(files[path])


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The sample's EPUB, its AZW3, the AZW3 back as EPUB and as text, the MOBI as text."""
    out = tmp_path_factory.mktemp("calibre")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BANMIAN_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        epub = build_edition(SAMPLE, out, ["epub"]).outputs[0]
    azw3 = convert(epub, out / "sample.azw3")
    mobi = convert(epub, out / "sample.mobi")
    yield {"epub": epub, "azw3": azw3, "back": convert(azw3, out / "back.epub"),
           "azw3-text": convert(azw3, out / "azw3.txt"),
           "mobi-text": convert(mobi, out / "mobi.txt")}


def test_azw3_keeps_the_embedded_fonts(books: dict[str, Path]) -> None:
    fonts = digests(books["epub"])
    assert fonts, "the sample EPUB embeds no fonts"
    assert digests(books["back"]) == fonts


def test_azw3_keeps_the_toc(books: dict[str, Path]) -> None:
    z, folder, _ = opf(books["epub"])
    nav = ET.fromstring(z[f"{folder}nav.xhtml"])
    toc = next(n for n in nav.iter(f"{{{NS['h']}}}nav") if n.get("id") == "toc")
    wanted = ["".join(a.itertext()).strip() for a in toc.iter(f"{{{NS['h']}}}a")]
    back, back_folder, root = opf(books["back"])
    ncx_item = next(i for i in root.iter(f"{{{NS['opf']}}}item")
                    if i.get("media-type") == "application/x-dtbncx+xml")
    ncx = ET.fromstring(back[back_folder + ncx_item.get("href", "")])
    got = [t.text or "" for t in ncx.iter(f"{{{NS['ncx']}}}text")][1:]  # [0]: the doc title
    assert len(wanted) > 10
    assert got == wanted


def test_azw3_keeps_the_cover(books: dict[str, Path]) -> None:
    z, folder, root = opf(books["back"])
    meta = next(m for m in root.iter(f"{{{NS['opf']}}}meta") if m.get("name") == "cover")
    item = next(i for i in root.iter(f"{{{NS['opf']}}}item")
                if i.get("id") == meta.get("content"))
    assert (item.get("media-type") or "").startswith("image/")
    assert len(z[folder + (item.get("href") or "")]) > 10_000
    refs = [r.get("type") for r in root.iter(f"{{{NS['opf']}}}reference")]
    assert "cover" in refs


@pytest.mark.parametrize("name", ["azw3-text", "mobi-text"])
def test_hidden_navigation_is_not_text(books: dict[str, Path], name: str) -> None:
    text = books[name].read_text(encoding="utf-8")
    assert "目录" in text  # the toc page itself is shown
    for label in HIDDEN_LABELS:
        assert label not in text, f"{label} shows as text in {name}"


def test_azw3_nav_stays_one_document(books: dict[str, Path]) -> None:
    """calibre puts a page break before every h1 and h2 (its --page-breaks-before default):
    a heading in a hidden nav made it a separate, empty page."""
    z, folder, root = opf(books["back"])
    manifest = {i.get("id"): folder + (i.get("href") or "")
                for i in root.iter(f"{{{NS['opf']}}}item")}
    spine = [manifest[r.get("idref")] for r in root.iter(f"{{{NS['opf']}}}itemref")]
    bodies = [ET.fromstring(z[p]).find("h:body", NS) for p in spine]
    navs = [b for b in bodies if b is not None and b.get("class") == "nav-page"]
    assert len(navs) == 1
    empty = [p for p, b in zip(spine, bodies, strict=True) if b is not None
             and not "".join(b.itertext()).strip()
             and not any(e.tag.endswith(("img", "image")) for e in b.iter())]
    assert not empty, f"spine documents that show nothing: {empty}"


def test_calibre_keeps_the_year_and_month(books: dict[str, Path]) -> None:
    shown = subprocess.run(["ebook-meta", str(books["azw3"])], check=True,
                           capture_output=True, text=True, timeout=120).stdout
    published = next(line for line in shown.splitlines() if line.startswith("Published"))
    assert published.split(":", 1)[1].strip().startswith("2020-02-")
