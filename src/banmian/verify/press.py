"""``banmian check`` on a press PDF: is it what a plate-setter expects (PDF/X-4 in CMYK)?

A PDF is a press PDF when a page has a bleed (a BleedBox or TrimBox unlike its MediaBox) or the
file claims PDF/X. Then it must be identified as PDF/X-4 in its XMP metadata, say whether it
is trapped, carry a ``GTS_PDFX`` output intent embedding a CMYK ICC profile, use no DeviceRGB
anywhere (no ``rg``/``RG``, no ``/DeviceRGB`` colour space or image), and draw its marks
outside the bleed. Ghostscript's separation device (``tiffsep``) then shows each plate: the
body text (the words of the most common size, from poppler's ``pdftotext -bbox``) must be on
the black plate alone, and inside the trim the four plates together may carry at most the
total ink of ``data/press.toml`` (240%).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from banmian.backends.pdf.intent import total_ink

#: Separations are rendered at this resolution: 9 pt text is 6 pixels high, enough to see
#: four-colour black, and a broadsheet page takes about two seconds.
SEPARATION_DPI = 50
PLATES = ("Cyan", "Magenta", "Yellow", "Black")
#: Rounding in the separations: a total this much over the limit (in 1/255) is still within it.
INK_TOLERANCE = 3
_RGB_OPS = re.compile(rb"(?<![A-Za-z])(rg|RG)(?![A-Za-z])")
Rect = tuple[float, float, float, float]


def _rect(page: Any, key: str) -> Rect | None:
    value = page.obj.get(key)
    return None if value is None else tuple(float(v) for v in value)  # type: ignore[return-value]


def is_press(pdf: Any) -> bool:
    """Whether a PDF is meant for the press: it has a bleed or claims PDF/X."""
    if "/OutputIntents" in pdf.Root or b"GTS_PDFX" in _xmp(pdf):
        return True
    for page in pdf.pages:
        media = _rect(page, "/MediaBox")
        if any(_rect(page, key) not in (None, media) for key in ("/TrimBox", "/BleedBox")):
            return True
    return False


def _xmp(pdf: Any) -> bytes:
    metadata = pdf.Root.get("/Metadata")
    return bytes(metadata.read_bytes()) if metadata is not None else b""


def identification_problems(pdf: Any) -> list[str]:
    """PDF/X-4 in the XMP metadata and a Trapped key in the document info."""
    problems = []
    version = re.search(rb"<pdfxid:GTS_PDFXVersion>([^<]*)<", _xmp(pdf))
    if version is None or version.group(1) != b"PDF/X-4":
        problems.append("the press PDF is not identified as PDF/X-4 (XMP "
                        "pdfxid:GTS_PDFXVersion)")
    if str(pdf.trailer.get("/Info", {}).get("/Trapped", "")) not in ("/True", "/False"):
        problems.append("the press PDF does not say whether it is trapped (Info /Trapped)")
    return problems


def intent_problems(pdf: Any) -> list[str]:
    """One GTS_PDFX output intent embedding a CMYK output profile that littleCMS reads."""
    import io

    from PIL import ImageCms

    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"]
    if len(intents) != 1:
        return [f"the press PDF has {len(intents)} GTS_PDFX output intents, not one"]
    profile = intents[0].get("/DestOutputProfile")
    if profile is None:
        return ["the output intent embeds no ICC profile (DestOutputProfile)"]
    try:
        space = ImageCms.ImageCmsProfile(io.BytesIO(profile.read_bytes())
                                         ).profile.xcolor_space  # type: ignore[attr-defined]
    except (OSError, ImageCms.PyCMSError) as exc:
        return [f"the output intent's ICC profile does not read: {exc}"]
    if space.strip() != "CMYK":
        return [f"the output intent's ICC profile is {space.strip()}, not CMYK"]
    return []


def device_rgb_problems(pdf: Any) -> list[str]:
    """DeviceRGB anywhere a page reaches through its resources (a colour space, an image, a
    shading), or ``rg``/``RG`` in a content stream (a page's or a form XObject's)."""
    import pikepdf

    found: set[str] = set()
    seen: set[tuple[int, int]] = set()

    def walk(obj: Any, where: str) -> None:
        if not isinstance(obj, pikepdf.Object):  # numbers and strings come as Python values
            return
        if obj.is_indirect:
            if obj.objgen in seen:
                return
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Stream):
            if obj.get("/Subtype") == "/Form" and _RGB_OPS.search(obj.read_bytes()):
                found.add(f"RGB colour (rg/RG) in a form XObject on {where}")
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            for key, value in obj.items():
                if key != "/Parent":
                    walk(value, where)
        elif isinstance(obj, pikepdf.Array):
            for value in obj:
                walk(value, where)
        elif isinstance(obj, pikepdf.Name) and obj == pikepdf.Name.DeviceRGB:
            found.add(f"a DeviceRGB colour space or image on {where}")

    for number, page in enumerate(pdf.pages, start=1):
        walk(page.obj.get("/Resources", pikepdf.Dictionary()), f"page {number}")
        if any(str(op) in ("rg", "RG") for _, op in pikepdf.parse_content_stream(page)):
            found.add(f"RGB colour (rg/RG) on page {number}")
    return [f"the press PDF uses DeviceRGB: {what}" for what in sorted(found)]


def mark_problems(pdf: Any) -> list[str]:
    """Marks (artifacts drawn in default space) that enter the bleed."""
    import pikepdf

    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        bleed = _rect(page, "/BleedBox") or _rect(page, "/MediaBox")
        if bleed is None:
            continue
        points = artifact_points(pikepdf.parse_content_stream(page))
        inside = [p for p in points if bleed[0] + 0.01 < p[0] < bleed[2] - 0.01
                  and bleed[1] + 0.01 < p[1] < bleed[3] - 0.01]
        if inside:
            problems.append(f"page {number}: {len(inside)} points of the marks lie inside the "
                            f"bleed (first at {inside[0][0]:.1f}, {inside[0][1]:.1f})")
    return problems


def artifact_points(operations: Any) -> list[tuple[float, float]]:
    """The path points drawn inside ``/Artifact`` sequences with no ``cm`` in force."""
    points: list[tuple[float, float]] = []
    artifact, transformed, saved = 0, False, []
    for operands, operator in operations:
        op = str(operator)
        if op == "q":
            saved.append(transformed)
        elif op == "Q":
            transformed = saved.pop() if saved else False
        elif op == "cm":
            transformed = True
        elif op in ("BMC", "BDC"):
            artifact += 1 if artifact or str(operands[0]) == "/Artifact" else 0
        elif op == "EMC":
            artifact = max(0, artifact - 1)
        elif artifact and not transformed and op in ("m", "l", "c", "re"):
            values = [float(v) for v in operands]
            points += list(zip(values[0::2], values[1::2], strict=True)) if op != "re" else \
                [(values[0], values[1]), (values[0] + values[2], values[1] + values[3])]
    return points


def separation_problems(path: Path, pdf: Any) -> list[str]:
    """Body text on the C, M or Y plate, and total ink over the limit inside the trim, page by
    page, from Ghostscript's separations."""
    problems = []
    words = body_words(path)
    with tempfile.TemporaryDirectory(prefix="banmian-sep-") as tmp:
        for number, page in enumerate(pdf.pages, start=1):
            plates = separations(path, number, Path(tmp))
            media = _rect(page, "/MediaBox")
            trim = _rect(page, "/TrimBox") or media
            if media is None or trim is None:
                continue
            problems += _ink_problems(number, plates, _pixels(trim, media))
            coloured = _coloured_words(plates, words.get(number, []))
            if coloured:
                problems.append(f"page {number}: body text on the C, M or Y plate ("
                                f"{coloured} of {len(words.get(number, []))} words; "
                                "black text must be 100% K)")
    return problems


def separations(path: Path, page: int, folder: Path) -> dict[str, Any]:
    """One page's four separations as Pillow images (0 = full ink, 255 = none)."""
    from PIL import Image

    base = folder / f"p{page}.tif"
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep",
                    f"-r{SEPARATION_DPI}", f"-dFirstPage={page}", f"-dLastPage={page}",
                    "-o", str(base), str(path)], check=True, capture_output=True, timeout=300)
    plates = {}
    for name in PLATES:
        with Image.open(folder / f"p{page}({name}).tif") as image:
            plates[name] = image.convert("L")
    return plates


def _pixels(box: Rect, media: Rect) -> tuple[int, int, int, int]:
    """A box in PDF points as a pixel box of the page rendered from its MediaBox."""
    scale = SEPARATION_DPI / 72
    return (round((box[0] - media[0]) * scale), round((media[3] - box[3]) * scale),
            round((box[2] - media[0]) * scale), round((media[3] - box[1]) * scale))


def _ink_problems(number: int, plates: dict[str, Any], trim: tuple[int, ...]) -> list[str]:
    from PIL import ImageMath

    bands = {name[0].lower(): image.crop(trim).convert("I") for name, image in plates.items()}
    evaluate = ImageMath.lambda_eval  # type: ignore[attr-defined]
    ink = evaluate(lambda a: 4 * 255 - a["c"] - a["m"] - a["y"] - a["b"], **bands)
    most = ink.getextrema()[1]
    if most > total_ink() * 255 / 100 + INK_TOLERANCE:
        return [f"page {number}: total ink reaches {most / 2.55:.0f}% inside the trim "
                f"(limit {total_ink():g}%)"]
    return []


def body_words(path: Path) -> dict[int, list[tuple[int, int, int, int]]]:
    """Each page's body-text words (the most common word height) as pixel boxes of the page
    rendered from its crop box, from ``pdftotext -bbox``."""
    out = subprocess.run(["pdftotext", "-q", "-bbox", str(path), "-"], capture_output=True,
                         check=False, timeout=300).stdout.decode("utf-8", "replace")
    scale = SEPARATION_DPI / 72
    pages: dict[int, list[tuple[float, ...]]] = {}
    for number, page in enumerate(out.split("<page ")[1:], start=1):
        pages[number] = [tuple(float(v) for v in m) for m in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', page)]
    heights = Counter(round(b[3] - b[1], 1) for boxes in pages.values() for b in boxes)
    if not heights:
        return {}
    body = heights.most_common(1)[0][0]
    return {number: [(round(b[0] * scale) + 1, round(b[1] * scale) + 1,
                      round(b[2] * scale) - 1, round(b[3] * scale) - 1)
                     for b in boxes if round(b[3] - b[1], 1) == body]
            for number, boxes in pages.items()}


def _coloured_words(plates: dict[str, Any], words: list[tuple[int, int, int, int]]) -> int:
    """How many of ``words`` carry ink (over 2%) on the C, M or Y plate."""
    count = 0
    for box in words:
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        if any(plates[name].crop(box).getextrema()[0] < 250 for name in PLATES[:3]):
            count += 1
    return count


def press_problems(path: Path, pdf: Any) -> list[str]:
    """Every way a press PDF falls short of PDF/X-4 in CMYK for newsprint; the separations
    only where Ghostscript and poppler are installed."""
    problems = identification_problems(pdf) + intent_problems(pdf)
    problems += device_rgb_problems(pdf) + mark_problems(pdf)
    if shutil.which("gs") and shutil.which("pdftotext"):
        problems += separation_problems(path, pdf)
    return problems
