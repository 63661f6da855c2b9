"""Press output: the finished WeasyPrint PDF/X-4 file made ready for a plate-setter, with pikepdf.

WeasyPrint with ``@page { bleed: 3mm }`` makes the MediaBox the bleed box and would draw crop
marks inside the bleed, where the press trims them away or prints them. This module sets the
boxes a printer expects — TrimBox the finished page, BleedBox 3 mm outside it, MediaBox a slug
around that — and draws the marks of :mod:`.marks` in the slug, outside the bleed, as marked
artifacts (the tagged structure stays valid). It also makes black overprint
(:mod:`.overprint`), turns image interpolation off, names the output condition and fixes the
XMP document id (:mod:`.intent`), and saves with a content-derived file id, so that the same
input gives the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from banmian.backends.pdf import marks
from banmian.backends.pdf.intent import describe_intent, fixed_document_id, settings
from banmian.backends.pdf.overprint import overprint_states, overprint_stream
from banmian.grid import MM

BLEED_MM = float(settings()["marks"]["bleed-mm"])
SLUG_MM = float(settings()["marks"]["slug-mm"])

Rect = tuple[float, float, float, float]


def _grow(rect: Rect, by: float) -> Rect:
    return rect[0] - by, rect[1] - by, rect[2] + by, rect[3] + by


def _set_boxes(doc: Any, page: Any) -> Rect:
    """TrimBox as WeasyPrint set it, BleedBox ``BLEED_MM`` and MediaBox ``SLUG_MM`` beyond."""
    import pikepdf

    box = page.obj.get("/TrimBox", page.obj.MediaBox)
    trim: Rect = tuple(float(v) for v in box)  # type: ignore[assignment]
    bleed = _grow(trim, BLEED_MM * MM)
    media = _grow(bleed, SLUG_MM * MM)
    page.obj.TrimBox = pikepdf.Array(trim)
    page.obj.BleedBox = pikepdf.Array(bleed)
    page.obj.MediaBox = pikepdf.Array(media)
    page.obj.CropBox = pikepdf.Array(media)
    return trim


def _image_colour(image: Any) -> bool:
    """Whether an image paints on C, M or Y (anything but DeviceGray, which is the K plate)."""
    return bool(image.get("/ColorSpace") != "/DeviceGray")


def _overprint(doc: Any, page: Any, states: dict[str, Any], done: dict[Any, bool]) -> bool:
    """Black overprints on the page and in the form XObjects it draws (each rewritten once,
    ``done`` remembers them); whether the page paints on C, M or Y."""
    import pikepdf

    resources = page.obj.Resources
    if "/ExtGState" not in resources:
        resources.ExtGState = pikepdf.Dictionary()
    for name, state in states.items():
        resources.ExtGState[name] = state
    rewritten = overprint_stream(page)
    page.obj.Contents = doc.make_stream(rewritten.data)
    colour = rewritten.colour
    xobjects = resources.get("/XObject") or {}
    for name in rewritten.drawn:
        xobject = xobjects.get(name)
        if xobject is None:
            continue
        if xobject.objgen not in done:
            if xobject.get("/Subtype") == "/Form":
                form = overprint_stream(xobject)
                xobject.write(form.data)
                done[xobject.objgen] = form.colour
            else:
                done[xobject.objgen] = _image_colour(xobject)
        colour = colour or done[xobject.objgen]
    return colour


def _marks(trim: Rect, slug: str, face: Path) -> bytes:
    ops = ["/Artifact BMC q", *marks.crop_marks(trim), *marks.registration_marks(trim),
           *marks.colour_bar(trim), *marks.slug_line(trim, slug, face), "Q EMC"]
    return ("\n" + "\n".join(ops) + "\n").encode()


def press_pdf(pdf: bytes, slugs: Sequence[str], face: Path) -> bytes:
    """The press file: overprint, boxes and marks on every page, the slug line ``slugs[i]``
    (with the page's plates, ``K`` or ``CMYK``, appended) set in ``face``."""
    import pikepdf

    with pikepdf.open(io.BytesIO(fixed_document_id(pdf))) as doc:
        describe_intent(doc)
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream) and "/Interpolate" in obj:
                del obj.Interpolate
        states, done = overprint_states(doc), dict[Any, bool]()
        for page, slug in zip(doc.pages, slugs, strict=True):
            plate = "CMYK" if _overprint(doc, page, states, done) else "K"
            trim = _set_boxes(doc, page)
            page.contents_add(pikepdf.Stream(doc, b"q\n"), prepend=True)
            page.contents_add(pikepdf.Stream(doc, b"\nQ" + _marks(trim, f"{slug} {plate}",
                                                                   face)))
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    return out.getvalue()
