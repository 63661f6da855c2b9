"""``banmian check`` on press PDFs: today's RGB press PDF (the fixture, built before the press PDF
became PDF/X-4) fails every press check; a PDF without a bleed is not a press PDF; marks in
the bleed and DeviceRGB are found in small hand-made files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest

from banmian.verify.check import check_pdf
from banmian.verify.press import device_rgb_problems, is_press, mark_problems

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
needs_tools = pytest.mark.skipif(shutil.which("gs") is None or shutil.which("pdftotext") is None,
                                 reason="needs Ghostscript and poppler")


@pytest.mark.slow
@needs_tools
def test_the_old_rgb_press_pdf_fails_the_press_checks() -> None:
    messages = [d.message for d in check_pdf(FIXTURES / "rgb-press.pdf")]
    expected = ["not identified as PDF/X-4", "trapped", "0 GTS_PDFX output intents",
                "uses DeviceRGB", "total ink reaches", "body text on the C, M or Y plate"]
    for part in expected:
        assert any(part in m for m in messages), (part, messages)


def _page(content: bytes, bleed: bool = True) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    page.obj.MediaBox = pikepdf.Array([-40, -40, 240, 240])
    if bleed:
        page.obj.TrimBox = pikepdf.Array([0, 0, 200, 200])
        page.obj.BleedBox = pikepdf.Array([-10, -10, 210, 210])
    page.obj.Contents = pdf.make_stream(content)
    return pdf


def test_a_pdf_with_a_bleed_or_an_output_intent_is_a_press_pdf() -> None:
    assert is_press(_page(b""))
    plain = _page(b"", bleed=False)
    assert not is_press(plain)
    plain.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(S=pikepdf.Name.GTS_PDFX)])
    assert is_press(plain)


def test_marks_inside_the_bleed_are_found() -> None:
    outside = b"/Artifact BMC 1 1 1 1 K -20 0 m -30 0 l S EMC"
    inside = b"/Artifact BMC 1 1 1 1 K -5 0 m -30 0 l S EMC"
    transformed = b"q 1 0 0 1 0 0 cm /Artifact BMC 10 10 m 20 20 l S EMC Q"
    assert mark_problems(_page(outside)) == []
    assert mark_problems(_page(transformed)) == []  # page furniture, not a mark
    assert "inside the bleed" in mark_problems(_page(inside))[0]


def test_device_rgb_is_found_in_content_and_colour_spaces() -> None:
    assert device_rgb_problems(_page(b"0 0 0 1 k 0 0 10 10 re f")) == []
    assert device_rgb_problems(_page(b"0 0 0 rg 0 0 10 10 re f"))
    spaced = _page(b"/CS0 cs 1 0 0 scn 0 0 10 10 re f")
    spaced.pages[0].obj.Resources = pikepdf.Dictionary(ColorSpace=pikepdf.Dictionary(
        CS0=pikepdf.Array([pikepdf.Name.DeviceRGB])))
    assert device_rgb_problems(spaced)
