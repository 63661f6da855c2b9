"""The press PDF (``--press``): PDF/X-4, tagged, CMYK with an output intent, black 100% K and
overprinting, photos converted to the output profile, marks and a slug outside the bleed, the
same bytes on every build; and the overprint pass on its own."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageCms

from banmian.backends.pdf.intent import fixed_document_id, settings, w3c_date
from banmian.backends.pdf.overprint import STATES, overprint_stream
from banmian.backends.pdf.press import SLUG_MM
from banmian.build import build_edition
from banmian.verify.press import device_rgb_problems, mark_problems

SAMPLE = Path(__file__).resolve().parents[3] / "content" / "benxi-2020-02"
MM = 72 / 25.4
A98 = Path("/usr/share/color/icc/ghostscript/a98.icc")


@pytest.fixture(scope="module")
def pressed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_edition(SAMPLE, tmp_path_factory.mktemp("press"), ["pdf"],
                         press=True).outputs[0]


def test_press_pdf_is_pdf_x4_tagged_with_a_cmyk_output_intent(pressed: Path) -> None:
    with pikepdf.open(pressed) as pdf:
        xmp = pdf.Root.Metadata.read_bytes()
        intent = pdf.Root.OutputIntents[0]
        assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4<" in xmp
        assert b"pdfuaid" not in xmp  # one variant per file
        assert str(pdf.trailer.Info.Trapped) == "/False"
        assert intent.S == "/GTS_PDFX" and int(intent.DestOutputProfile.N) == 4
        assert str(intent.OutputConditionIdentifier) == settings()["output-intent"]["identifier"]
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
        assert pdf.pdf_version == "1.6"
        assert device_rgb_problems(pdf) == [] and mark_problems(pdf) == []


def _fills(page: pikepdf.Page) -> list[tuple[tuple[float, ...], str]]:
    """Each text-showing operator's fill colour and the overprint state in force."""
    found, colour, state, saved = [], (), "", []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            saved.append((colour, state))
        elif op == "Q" and saved:
            colour, state = saved.pop()
        elif op in ("scn", "k"):
            colour = tuple(float(v) for v in operands)
        elif op == "gs" and str(operands[0]) in STATES:
            state = str(operands[0])
        elif op in ("TJ", "Tj"):
            found.append((colour, state))
    return found


def test_text_is_black_on_k_only_and_overprints_the_banner_is_cmyk(pressed: Path) -> None:
    with pikepdf.open(pressed) as pdf:
        fills = _fills(pdf.pages[0])
    black = [f for f in fills if f[0] == (0, 0, 0, 1)]
    assert len(black) > 0.9 * len(fills)
    assert all(STATES[state] == (False, True) or STATES[state][1] for _, state in black)
    red = {colour for colour, _ in fills if colour != (0, 0, 0, 1)}
    assert red == {(0, 1, 0.85, 0.5)} and sum(next(iter(red))) * 100 <= 240
    assert all(not STATES[state][1] for colour, state in fills if colour in red)


def test_marks_and_slug_lie_between_bleed_and_media(pressed: Path) -> None:
    with pikepdf.open(pressed) as pdf:
        page = pdf.pages[0]
        media = [float(v) for v in page.obj.MediaBox]
        bleed = [float(v) for v in page.obj.BleedBox]
        data = page.obj.Contents.read_bytes() if isinstance(page.obj.Contents, pikepdf.Stream) \
            else b"".join(s.read_bytes() for s in page.obj.Contents)
    assert media[2] - bleed[2] == pytest.approx(SLUG_MM * MM, abs=0.01)
    tail = data[data.rindex(b"/Artifact BMC"):]
    assert b"1 1 1 1 K" in tail  # registration colour
    number = rb"([\d.]+) "
    patches = re.findall(number * 4 + rb"k [-\d.]+ [-\d.]+ [\d.]+ [\d.]+ re f", tail)
    assert {tuple(float(v) for v in p) for p in patches} >= {(1, 0, 0, 0), (0, 1, 0, 0),
                                                             (0, 0, 1, 0), (0, 0, 0, 1)}
    assert tail.count(b" c\n") + tail.count(b" c ") > 50  # glyph outlines of the slug line


def test_both_pdfs_are_byte_identical_run_to_run(pressed: Path, tmp_path: Path) -> None:
    again = build_edition(SAMPLE, tmp_path / "a", ["pdf"], press=True).outputs[0]
    assert again.read_bytes() == pressed.read_bytes()
    screens = [build_edition(SAMPLE, tmp_path / n, ["pdf"]).outputs[0] for n in "bc"]
    assert screens[0].read_bytes() == screens[1].read_bytes()
    assert b"GTS_PDFX" not in screens[0].read_bytes()


def test_the_document_id_and_dates_come_from_the_content() -> None:
    pdf = b"<xmpMM:DocumentID>xmp.did:84fe1df1-506b-48a3-a9c5-c6d8f8706075</xmpMM:DocumentID>"
    other = pdf.replace(b"84fe1df1", b"00000000")
    assert fixed_document_id(pdf) == fixed_document_id(other) != pdf
    assert fixed_document_id(pdf + b"x") != fixed_document_id(pdf)
    assert w3c_date("2020-02") == "2020-02-01T00:00:00+00:00"
    assert w3c_date("2020-02-12") == "2020-02-12T00:00:00+00:00"


_OWNER = pikepdf.new()  # the streams below need a live PDF


def _stream(content: bytes) -> pikepdf.Stream:
    return pikepdf.Stream(_OWNER, content)


def test_overprint_follows_the_colour_and_q_q() -> None:
    result = overprint_stream(_stream(
        b"q 0 0 0 1 k 0 0 1 1 re f Q 0 1 0.85 0.5 k 0 0 1 1 re f "
        b"/DeviceCMYK CS 0 0 0 1 SCN 0 0 m 1 1 l S"))
    text = result.data.decode()
    assert re.search(r"0 0 0 1 k\s+/BanmianOP01 gs", text)
    assert "/BanmianOP00" not in text.split("Q")[0]
    # after Q the state is restored with the colour; the red selects nothing new
    assert re.search(r"0 1 0.85 0.5 k\s+0 0 1 1 re", text)
    assert re.search(r"0 0 0 1 SCN\s+/BanmianOP10 gs", text)
    assert result.colour


def test_a_black_only_stream_is_the_k_plate() -> None:
    assert not overprint_stream(_stream(b"0 0 0 1 k 0 0 1 1 re f")).colour
    assert overprint_stream(_stream(b"0 0 0 rg 0 0 1 1 re f")).colour


def _photo(profile: bytes | None = None, mode: str = "RGB") -> bytes:
    colour = (20, 40, 200) if mode == "RGB" else (10, 20, 30, 40)
    image = Image.new(mode, (2000, 1500), colour)
    image.paste((0, 0, 0) if mode == "RGB" else (255, 255, 255, 255), (0, 0, 500, 500))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, **({"icc_profile": profile} if profile else {}))
    return out.getvalue()


STORY = """\
+++
headline = "春风送暖"

[[figures]]
id = "photo"
caption = "农民驾驶拖拉机在田间作业。"
image = "photo.jpg"
+++

这是一段正文，用来测试。
"""


@pytest.mark.skipif(not A98.is_file(), reason="needs Ghostscript's a98.icc")
def test_photos_are_converted_to_the_output_profile_within_the_ink_limit(
        make_edition: Callable[..., Path], tmp_path: Path) -> None:
    folder = make_edition(files={"story.md": STORY, "photo.jpg": _photo(A98.read_bytes())})
    pdf_path = build_edition(folder, tmp_path / "out", ["pdf"], press=True).outputs[0]
    with pikepdf.open(pdf_path) as pdf:
        images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream)
                  and o.get("/Subtype") == "/Image" and int(o.Width) > 64]
        photo = next(i for i in images if i.ColorSpace == "/DeviceCMYK")
        assert all("/Interpolate" not in i for i in images)
        jpeg = Image.open(io.BytesIO(photo.read_raw_bytes()))
    assert jpeg.mode == "CMYK"
    corner = jpeg.getpixel((jpeg.width // 10, jpeg.height // 10))  # the black corner
    assert isinstance(corner, tuple) and corner[3] > 200
    assert 200 * 2.55 < sum(corner) <= 240 * 2.55 + 6  # rich, but held to the ink limit


def test_a_cmyk_jpeg_stays_cmyk(make_edition: Callable[..., Path], tmp_path: Path) -> None:
    folder = make_edition(files={"story.md": STORY, "photo.jpg": _photo(mode="CMYK")})
    pdf_path = build_edition(folder, tmp_path / "out", ["pdf"], press=True).outputs[0]
    with pikepdf.open(pdf_path) as pdf:
        photo = next(o for o in pdf.objects if isinstance(o, pikepdf.Stream)
                     and o.get("/Subtype") == "/Image" and o.get("/ColorSpace") == "/DeviceCMYK")
        jpeg = Image.open(io.BytesIO(photo.read_raw_bytes()))
    assert jpeg.mode == "CMYK"


@pytest.mark.skipif(not A98.is_file(), reason="needs Ghostscript's a98.icc")
def test_a_tagged_rgb_photo_is_converted_to_srgb_on_screen(
        make_edition: Callable[..., Path], tmp_path: Path) -> None:
    from banmian.assets.photos import photo_jpeg
    from banmian.model import Source

    folder = make_edition(files={"photo.jpg": _photo(A98.read_bytes())})
    tagged, _ = photo_jpeg(folder / "photo.jpg", Source("story.md", 1))
    (folder / "plain.jpg").write_bytes(_photo())
    plain, _ = photo_jpeg(folder / "plain.jpg", Source("story.md", 1))
    srgb = ImageCms.createProfile("sRGB")
    expected = ImageCms.profileToProfile(Image.new("RGB", (1, 1), (20, 40, 200)),
                                         ImageCms.ImageCmsProfile(str(A98)), srgb)
    assert expected is not None
    got = Image.open(io.BytesIO(tagged)).getpixel((1500, 1000))
    assert got != Image.open(io.BytesIO(plain)).getpixel((1500, 1000))
    assert all(abs(a - b) <= 6 for a, b in zip(got, expected.getpixel((0, 0)),  # type: ignore[arg-type]
                                                strict=True))



def test_a_missing_output_profile_is_bm303(monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    from banmian.backends.pdf import intent
    from banmian.diagnostics import OutputError

    changed = {**settings(), "output-intent": {**settings()["output-intent"],
                                               "profiles": [str(tmp_path / "none.icc")]}}
    monkeypatch.setattr(intent, "settings", lambda: changed)
    with pytest.raises(OutputError, match="BM303"):
        build_edition(SAMPLE, tmp_path / "out", ["pdf"], press=True)
    assert not (tmp_path / "out" / "benxi-2020-02.pdf").exists()
