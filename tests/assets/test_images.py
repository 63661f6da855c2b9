"""Figures in the EPUB: Pillow placeholders for missing photos, cleaned real photos, and the
decompression-bomb limit."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from banmian.assets.photos import photo_jpeg
from banmian.assets.placeholders import placeholder_png
from banmian.build import build_edition
from banmian.diagnostics import InputError
from banmian.model import Figure, Source

STORY = """\
+++
headline = "春风送暖"

[[figures]]
id = "photo"
caption = "农民驾驶拖拉机在田间作业。"
{extra}
+++

这是一段正文，用来测试。
"""


def _jpeg(size: tuple[int, int], orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1] // 4))  # a blue top-left corner
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def _epub_image(folder: Path, out: Path) -> tuple[str, bytes, str]:
    epub = build_edition(folder, out, ["epub"]).outputs[0]
    with zipfile.ZipFile(epub) as zf:
        name = next(n for n in zf.namelist() if "/images/" in n and "cover" not in n)
        doc = zf.read("EPUB/text/story.xhtml").decode()
        return name, zf.read(name), doc


def test_missing_photo_becomes_a_placeholder(make_edition: Callable[..., Path],
                                             tmp_path: Path) -> None:
    folder = make_edition(files={"story.md": STORY.format(extra='aspect = "4:3"')})
    name, data, doc = _epub_image(folder, tmp_path / "a")
    image = Image.open(io.BytesIO(data))
    assert name.endswith(".png") and image.width * 3 == image.height * 4
    assert 'alt="图片待补：农民驾驶拖拉机在田间作业。"' in doc
    grey = image.convert("L").getpixel((image.width // 10, image.height // 10))
    assert isinstance(grey, int) and 200 < grey < 250  # light grey
    assert _epub_image(folder, tmp_path / "b")[1] == data  # identical bytes


def test_placeholder_default_aspect_and_text_change_the_image() -> None:
    fig = Figure("x", "第一句话，第二句话。", Source("t.md"))
    image = Image.open(io.BytesIO(placeholder_png(fig, 600)))
    assert image.size == (600, 400)
    other = Figure("x", "另一张照片。", Source("t.md"))
    assert placeholder_png(other, 600) != placeholder_png(fig, 600)


def test_real_photo_is_oriented_stripped_and_scaled(make_edition: Callable[..., Path],
                                                    tmp_path: Path) -> None:
    # Orientation 6: the camera was turned; the stored 2400x1200 image displays as 1200x2400.
    folder = make_edition(files={"story.md": STORY.format(extra='image = "photo.jpg"'),
                                 "photo.jpg": _jpeg((2400, 1200), orientation=6)})
    name, data, _ = _epub_image(folder, tmp_path / "out")
    image = Image.open(io.BytesIO(data))
    assert name.endswith(".jpg")
    assert image.size == (800, 1600)
    assert not image.getexif() and "exif" not in image.info
    # The blue corner was top-left before turning; after a 90° clockwise turn it is top-right.
    r, _, b = image.convert("RGB").getpixel((image.width - 20, 20))  # type: ignore[misc]
    assert b > r


def test_decompression_bomb_is_refused(make_edition: Callable[..., Path], tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_edition(files={"story.md": STORY.format(extra='image = "photo.jpg"'),
                                 "photo.jpg": _jpeg((400, 300))})
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    with pytest.raises(InputError) as caught:
        build_edition(folder, tmp_path / "out", ["epub"])
    message = str(caught.value)
    assert "BM113" in message and "refused" in message and "120000 pixels" in message
    assert not (tmp_path / "out").exists()
    # The EPUB's own image step refuses it too, should an image reach it unchecked.
    with pytest.raises(InputError, match=r"refused.*decompression bomb"):
        photo_jpeg(folder / "photo.jpg", Source("story.md", 4))
