"""Hostile and broken input: every case exits with a clear message (golden message lists in
tests/golden/hostile/), never a traceback, and leaves earlier outputs untouched.

Each case starts from a small valid edition and breaks one thing. Cases that are not errors
(escaped markup, a documented warning) build, and the golden file holds their warnings.
Update with ``pytest tests/test_hostile.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

Files = dict[str, str | bytes]
STORY = '+++\nheadline = "标题"\n{extra}+++\n\n{body}\n'
FIGURE = '[[figures]]\nid = "photo"\ncaption = "图片说明。"\nimage = "{image}"\n'


def story(body: str = "正文。", extra: str = "") -> Files:
    return {"story.md": STORY.format(extra=extra, body=body)}


def with_image(name: str, data: bytes) -> Files:
    return {**story(extra=FIGURE.format(image=name)), name: data}


def _png(width: int, height: int) -> bytes:
    """A noisy PNG (so that it does not compress to a few bytes)."""
    out = io.BytesIO()
    noise = random.Random(0).randbytes(width * height * 3)
    Image.frombytes("RGB", (width, height), noise).save(out, "PNG")
    return out.getvalue()


def _bomb_png() -> bytes:
    """A PNG header that claims 40000×40000 pixels: Pillow refuses it before decoding."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 40000, 40000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


EDITION = 'title = "测试"\nlanguage = "zh-CN"\ndate = "2020-02-12"\n'
PAGE = '[[pages]]\n[[pages.modules]]\nfile = "story.md"\nrole = "article"\n'

CASES: dict[str, Callable[[], Files]] = {
    "malformed-edition-toml": lambda: {"edition.toml": EDITION + "[[pages]\n"},
    "malformed-front-matter": lambda: story(extra='kicker = "未闭合\n'),
    "unclosed-front-matter": lambda: {"story.md": '+++\nheadline = "x"\n\n正文。\n'},
    "yaml-front-matter": lambda: {"story.md": "---\nheadline: x\n---\n\n正文。\n"},
    "unknown-edition-key": lambda: {"edition.toml": EDITION + 'colour = "red"\n' + PAGE},
    "unknown-module-key": lambda: story(extra='author = "某人"\n'),
    "unknown-role": lambda: {"edition.toml": EDITION + PAGE.replace('"article"', '"sports"')},
    "wrong-type": lambda: story(extra="deck = 42\n"),
    "empty-module": lambda: {"story.md": ""},
    "empty-briefs": lambda: {"edition.toml": EDITION + PAGE.replace('"article"', '"briefs"'),
                             "story.md": "+++\nitems = []\n+++\n"},
    "duplicate-figure-id": lambda: story(extra='[[figures]]\nid = "a"\ncaption = "说明。"\n' * 2),
    "module-listed-twice": lambda: {"edition.toml": EDITION + PAGE + PAGE.split("\n", 1)[1]},
    "invalid-edition-id": lambda: {"edition.toml": 'id = "版面 一"\n' + EDITION + PAGE},
    "invalid-utf8": lambda: {"story.md": STORY.format(extra="", body="正文").encode()
                             + b"\xe4\xb8\n"},
    "control-character": lambda: story(body="正文\x1b[31m红色\x1b[0m。"),
    "nul-byte": lambda: story(body="正文\x00。"),
    "long-line": lambda: story(body="长" * 100_000),
    "ten-thousand-paragraphs": lambda: story(body="\n\n".join(f"第{n}段。" for n in range(10_000))),
    "truncated-image": lambda: with_image("photo.png", _png(640, 480)[:2000]),
    "corrupt-image": lambda: with_image("photo.jpg", b"\xff\xd8\xff\xe0 not really a jpeg"),
    "decompression-bomb": lambda: with_image("photo.png", _bomb_png()),
    "image-parent-path": lambda: story(extra=FIGURE.format(image="../secret.png")),
    "image-absolute-path": lambda: story(extra=FIGURE.format(image="/etc/passwd")),
    "image-http-url": lambda: story(extra=FIGURE.format(image="http://example.com/a.jpg")),
    "image-file-url": lambda: story(extra=FIGURE.format(image="file:///etc/passwd")),
    "markdown-link": lambda: story(body="详见[官网](http://example.com)。"),
    "markdown-autolink": lambda: story(body="详见<http://example.com>。"),
    "raw-html-block": lambda: story(body="<script>alert(1)</script>"),
    "raw-html-inline": lambda: story(body="正文<img src=x onerror=alert(1)>。"),
    "script-in-front-matter": lambda: story(extra='deck = "<script>alert(1)</script>&amp;"\n'),
    "url-in-text": lambda: story(body="网址是 http://example.com/a?b=1&c=2 和 file:///etc/passwd。"),
    "uncovered-character": lambda: story(body="生僻字\U0003134a。"),
    "fallback-character": lambda: story(body="生僻字\U0002a6a5。"),
    "module-outside-edition": lambda: {"edition.toml": EDITION
                                       + PAGE.replace("story.md", "../story.md")},
    "missing-module-file": lambda: {"edition.toml": EDITION + PAGE.replace("story", "nope")},
    "bom-and-crlf": lambda: {"story.md": "\ufeff" + STORY.format(extra="", body="正文。")
                             .replace("\n", "\r\n")},
    # issue 13
    "paragraph-over-limit": lambda: story(body="长" * 250_001),
    "megabyte-paragraph": lambda: story(body="这是一段正文，" * 150_000),
    "headline-over-limit": lambda: {"story.md": STORY.format(extra="", body="正文。")
                                    .replace('"标题"', '"' + "标" * 10_000 + '"')},
    "deck-over-limit": lambda: story(extra=f'deck = "{"导" * 1001}"\n'),
    "subhead-over-limit": lambda: story(body=f"## {'小' * 201}\n\n正文。"),
    "figure-reference-after-bad-image": lambda: story(
        body="正文。\n\n![](#photo)", extra=FIGURE.format(image="../../etc/passwd")),
    "toml-nested-100000-deep": lambda: {"edition.toml": EDITION + PAGE
                                        + "x = " + "[" * 100_000 + "]" * 100_000 + "\n"},
    "toml-table-100000-deep": lambda: {"edition.toml": EDITION + PAGE
                                       + "[" + ".".join(["a"] * 100_000) + "]\nx = 1\n"},
    "toml-dotted-key-100000-deep": lambda: story(extra=".".join(["a"] * 100_000) + " = 1\n"),
    "front-matter-nested-100000-deep": lambda: story(
        extra="x = " + "{a = " * 100_000 + "1" + "}" * 100_000 + "\n"),
    "edition-toml-is-a-folder": lambda: {},
    "edition-path-is-a-file": lambda: {},
    "module-is-a-fifo": lambda: {},
    "module-is-a-folder": lambda: {},
    "image-is-a-folder": lambda: story(extra=FIGURE.format(image="photo.png")),
}


def _replace_with_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


#: Cases that break the edition folder itself rather than a file's content.
ALTER: dict[str, Callable[[Path], None]] = {
    "edition-toml-is-a-folder": lambda folder: _replace_with_folder(folder / "edition.toml"),
    "edition-path-is-a-file": lambda folder: (shutil.rmtree(folder),
                                              folder.write_text("not a folder\n")),
    "module-is-a-fifo": lambda folder: ((folder / "story.md").unlink(),
                                        os.mkfifo(folder / "story.md")),
    "module-is-a-folder": lambda folder: _replace_with_folder(folder / "story.md"),
    "image-is-a-folder": lambda folder: (folder / "photo.png").mkdir(),
}


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input(case: str, make_edition: Callable[..., Path], tmp_path: Path,
                       run_cli: Callable[..., object], golden: Callable[[str, str], None],
                       monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"edition.toml": EDITION + PAGE, **CASES[case]()}
    folder = make_edition(case, files={k: v for k, v in files.items()})
    for name, content in files.items():  # byte-exact: make_edition dedents text
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    ALTER.get(case, lambda folder: None)(folder)
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{case}.epub").write_bytes(b"an earlier good build")
    before = _digest(out)
    monkeypatch.chdir(folder.parent)
    result = run_cli("build", case, "-o", out, "--format", "epub")
    err: str = result.err  # type: ignore[attr-defined]
    assert "Traceback" not in err
    golden(f"hostile/{case}.txt", f"exit {result.status}\n{err}")  # type: ignore[attr-defined]
    assert "BM111" not in err or "BM113" not in err  # no follow-on error after a bad image
    if result.status != 0:  # type: ignore[attr-defined]
        assert result.status == 2  # type: ignore[attr-defined]
        assert _digest(out) == before
        assert all(line.startswith(f"{case}") for line in err.splitlines()), err
    else:
        assert _digest(out) != before


def test_markup_in_copy_is_escaped_never_live(make_edition: Callable[..., Path],
                                              tmp_path: Path) -> None:
    import zipfile

    from banmian.build import build_edition

    folder = make_edition(files=CASES["script-in-front-matter"]())
    result = build_edition(folder, tmp_path, ["epub"])
    from xml.etree import ElementTree

    with zipfile.ZipFile(result.outputs[0]) as zf:
        tree = ElementTree.fromstring(zf.read("EPUB/text/story.xhtml"))
    xhtml = "{http://www.w3.org/1999/xhtml}"
    assert not list(tree.iter(f"{xhtml}script"))
    deck = next(p for p in tree.iter(f"{xhtml}p") if p.get("class") == "deck")
    assert "".join(deck.itertext()) == "<script>alert(1)</script>&amp;"


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 50  # 36 before issue 13


@pytest.mark.parametrize("case", ["paragraph-over-limit", "megabyte-paragraph",
                                  "headline-over-limit"])
def test_absurd_copy_is_refused_before_layout_quickly(
        case: str, make_edition: Callable[..., Path], tmp_path: Path,
        run_cli: Callable[..., object]) -> None:
    """A refused paragraph or headline never reaches WeasyPrint: the PDF build answers in a
    second or so, not after minutes of layout."""
    import time

    folder = make_edition(files={"edition.toml": EDITION + PAGE, **CASES[case]()})
    start = time.perf_counter()
    result: object = run_cli("build", folder, "-o", tmp_path / "out", "--format", "pdf")
    assert time.perf_counter() - start < 5
    assert result.status == 2  # type: ignore[attr-defined]
    assert not (tmp_path / "out").exists()


def test_truncated_image_is_refused_even_after_weasyprint_is_imported(
        make_edition: Callable[..., Path], tmp_path: Path) -> None:
    """WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES: a batch worker that built
    a PDF before must still refuse a truncated photo."""
    import weasyprint  # noqa: F401  (imported for its side effect)
    from PIL import ImageFile

    from banmian.build import build_edition
    from banmian.diagnostics import InputError

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    folder = make_edition(files=CASES["truncated-image"]())
    with pytest.raises(InputError, match="image file is truncated"):
        build_edition(folder, tmp_path, ["epub"])
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # restored for WeasyPrint
