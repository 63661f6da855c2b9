"""Make banmian's standalone Simplified- and Traditional-Chinese subset fonts in ``fonts/``.

Sources are Debian's font files (never shipped as they are):

* Noto Serif CJK SC/TC Regular and Bold, Noto Sans CJK SC/TC Bold: faces of
  the ``.ttc`` collections in ``fonts-noto-cjk``. A collection is never
  shipped, because WeasyPrint takes a collection's first face, which is
  Japanese; the SC and TC faces are found by their name tables, not by a
  trusted index.
* LXGW WenKai Regular from ``fonts-lxgw-wenkai``, the only Kai in Debian, for
  both scripts. LXGW reserves the names "LXGW" and "霞鹜" (OFL Reserved Font
  Names), so the subsets are renamed "Banmian WenKai" and "Banmian WenKai TC".

The Simplified repertoire is GB2312 (all 6,763 hanzi and every non-hanzi row)
and every character of every file under ``content/``; the Traditional one is
Big5 (every hanzi, enumerated with Python's ``big5`` codec, and every symbol)
and every character of the Traditional text under ``content/`` and
``tests/fixtures/``. Both add ASCII, Latin-1, general punctuation, CJK symbols
and punctuation, full-width forms and the geometric marks used as banners.
``hb-subset`` does the work (``fontTools.subset`` if it is missing), keeping
every OpenType layout feature and the whole name table. The same inputs give
the same bytes. The OFL texts are copied beside the fonts.

Run ``make fonts`` or ``python tools/make_fonts.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from fontTools.ttLib import TTCollection, TTFont
from fontTools.ttLib.tables.DefaultTable import DefaultTable

from banmian.proofread.chars import script_counts

Script = Literal["sc", "tc"]

ROOT = Path(__file__).resolve().parents[1]
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
LXGW_DIR = Path("/usr/share/fonts/truetype/lxgw-wenkai")
DOC_DIR = Path("/usr/share/doc")

# Name IDs that present the font's name to users (OFL condition 3).
PRIMARY_NAME_IDS = (1, 3, 4, 6, 16, 17, 18, 21, 22, 25)


@dataclass(frozen=True)
class Licence:
    """An OFL text to copy out of a Debian package's copyright file."""

    file_name: str
    package: str
    licence: str  # the ``License:`` short name in debian/copyright
    notice: str  # the upstream copyright line with its Reserved Font Names


@dataclass(frozen=True)
class Source:
    """One face to subset: where it is, what it must be called, what it becomes."""

    out_name: str
    path: Path
    family: str  # name ID 1 of the wanted face
    style: str  # name ID 2 of the wanted face
    licence: Licence
    reserved: tuple[str, ...]  # Reserved Font Names
    rename: tuple[tuple[str, str], ...] = field(default=())
    script: Script = "sc"  # which repertoire: Simplified (GB2312) or Traditional (Big5)
    gaps_allowed: bool = False  # may lack hanzi of its repertoire (reported, not fatal)
    langsys: tuple[str, ...] | None = None  # keep only these OpenType language systems


NOTO = Licence(
    "LICENSE-NotoCJK.txt",
    "fonts-noto-cjk",
    "SIL-1.1",
    # Debian's copyright file and the fonts' name tables omit the reservation.
    "Upstream's LICENSE (https://github.com/googlefonts/noto-cjk) says:\n"
    "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.\n"
    "Noto is a trademark of Google Inc.",
)
LXGW = Licence(
    "LICENSE-LXGWWenKai.txt",
    "fonts-lxgw-wenkai",
    "OFL-1.1",
    "Copyright 2021-2023 LXGW (https://github.com/lxgw/LxgwWenKai)\n"
    "Copyright 2020 The Klee Project Authors (https://github.com/fontworks-fonts/Klee)\n"
    'Reserved Font Names: "霞鹜" and "LXGW" (so Debian\'s copyright file and\n'
    "upstream's README say), hence the subset's name \"Banmian WenKai\".",
)
LXGW_RENAME = (
    ("LXGW WenKai", "Banmian WenKai"),
    ("LXGWWenKai", "BanmianWenKai"),
    ("霞鹜文楷", "Banmian WenKai"),
)
#: The OpenType language systems the TC faces keep (besides each script's default): Traditional
#: Chinese. Its ``locl`` sets quotes, dashes and ‼ ⁇ in full-width CJK forms.
TC_LANGSYS = ("ZHT ",)
LXGW_RENAME_TC = (
    ("LXGW WenKai", "Banmian WenKai TC"),
    ("LXGWWenKai", "BanmianWenKaiTC"),
    ("霞鹜文楷", "Banmian WenKai TC"),
)


def noto(out_name: str, collection: str, family: str, style: str, script: Script) -> Source:
    """A face of one of Debian's Noto CJK collections."""
    return Source(out_name, NOTO_DIR / collection, family, style, NOTO, ("Source",),
                  script=script, langsys=TC_LANGSYS if script == "tc" else None)


SOURCES = (
    noto("NotoSerifCJKsc-Regular.otf", "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC",
         "Regular", "sc"),
    noto("NotoSerifCJKsc-Bold.otf", "NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "Bold", "sc"),
    noto("NotoSansCJKsc-Bold.otf", "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "Bold", "sc"),
    Source(
        "BanmianWenKai-Regular.ttf",
        LXGW_DIR / "LXGWWenKai-Regular.ttf",
        "LXGW WenKai",
        "Regular",
        LXGW,
        ("LXGW", "霞鹜"),
        LXGW_RENAME,
    ),
    noto("NotoSerifCJKtc-Regular.otf", "NotoSerifCJK-Regular.ttc", "Noto Serif CJK TC",
         "Regular", "tc"),
    noto("NotoSerifCJKtc-Bold.otf", "NotoSerifCJK-Bold.ttc", "Noto Serif CJK TC", "Bold", "tc"),
    noto("NotoSansCJKtc-Bold.otf", "NotoSansCJK-Bold.ttc", "Noto Sans CJK TC", "Bold", "tc"),
    Source(
        "BanmianWenKaiTC-Regular.ttf",
        LXGW_DIR / "LXGWWenKai-Regular.ttf",
        "LXGW WenKai",
        "Regular",
        LXGW,
        ("LXGW", "霞鹜"),
        LXGW_RENAME_TC,
        script="tc",
        gaps_allowed=True,
    ),
)

GB2312_HANZI_ROWS = range(0xB0, 0xF8)
GB2312_SYMBOL_ROWS = range(0xA1, 0xB0)
GB2312_HANZI_COUNT = 6763
BIG5_SYMBOL_LEADS = range(0xA1, 0xA4)  # symbols and punctuation (A140-A3FE)
BIG5_HANZI_LEADS = range(0xA4, 0xFA)  # A440-C67E and C940-F9D5, with kana in C6-C8
BIG5_TRAILS = (*range(0x40, 0x7F), *range(0xA1, 0xFF))
BIG5_HANZI_COUNT = 13053  # distinct code points: two duplicate cells (兀 嗀) share theirs
RANGES = (
    (0x20, 0x7E),  # ASCII printable
    (0xA0, 0xFF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x2100, 0x218F),  # Letterlike Symbols, Number Forms (℃ № Ⅻ)
    (0x2190, 0x21FF),  # Arrows
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (① ⑴ ⒈)
    (0x2500, 0x257F),  # Box Drawing
    (0x25A0, 0x25FF),  # Geometric Shapes (■□▲△◆◇○◎●)
    (0x2600, 0x2606),  # ☀ … ★☆
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3220, 0x3243),  # Parenthesized ideographs (㈠ … ㈩)
    (0x3280, 0x32B0),  # Circled ideographs (㊀ … ㊣)
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
)
MARKS = "■□▪▫●○◎◆◇★☆※▲△▼▽◀▶►◄〇・♦♢✱✲✳❖"


def fail(message: str) -> None:
    """Stop with a message on stderr."""
    sys.exit(f"make_fonts: {message}")


def gb2312(rows: range) -> set[int]:
    """Code points of the GB2312 cells in the given rows (EUC-CN lead bytes)."""
    found: set[int] = set()
    for row in rows:
        for cell in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes((row, cell)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def big5(leads: range) -> set[int]:
    """Code points of every Big5 cell in the given lead-byte rows."""
    found: set[int] = set()
    for lead in leads:
        for trail in BIG5_TRAILS:
            try:
                found.add(ord(bytes((lead, trail)).decode("big5")))
            except UnicodeDecodeError:
                continue
    return found


def is_ideograph(cp: int) -> bool:
    """Whether ``cp`` is a CJK unified or compatibility ideograph."""
    return unicodedata.name(chr(cp), "").startswith(
        ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")
    )


def big5_hanzi() -> set[int]:
    """Every Big5 hanzi (the ideographs of rows A4-F9)."""
    return {cp for cp in big5(BIG5_HANZI_LEADS) if is_ideograph(cp)}


def big5_symbols() -> set[int]:
    """Every Big5 character that is not one of its hanzi: symbols, punctuation, kana."""
    return (big5(BIG5_SYMBOL_LEADS) | big5(BIG5_HANZI_LEADS)) - big5_hanzi()


def required_hanzi(script: Script) -> set[int]:
    """The hanzi a subset of ``script`` must have: GB2312's or Big5's."""
    return gb2312(GB2312_HANZI_ROWS) if script == "sc" else big5_hanzi()


def visible(chars: Iterable[str]) -> set[int]:
    """Code points of the characters that are not control, format or unassigned."""
    return {ord(ch) for ch in chars if unicodedata.category(ch)[0] != "C"}


def text_files(root: Path) -> list[tuple[Path, str]]:
    """Every UTF-8 file under ``root`` with its text, in path order."""
    if not root.is_dir():
        return []
    found: list[tuple[Path, str]] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        try:
            found.append((path, path.read_text(encoding="utf-8")))
        except (UnicodeDecodeError, OSError) as error:
            print(f"  skipped {path.relative_to(root)}: {error.__class__.__name__}")
    return found


def content_chars(root: Path) -> set[int]:
    """Every visible character in every UTF-8 file under ``root``."""
    found: set[int] = set()
    for _, text in text_files(root):
        found |= visible(text)
    return found


def edition_language(path: Path) -> str | None:
    """The ``language`` of the edition folder holding ``path``, if it has an edition.toml."""
    toml = path.parent / "edition.toml"
    if not toml.is_file():
        return None
    try:
        with toml.open("rb") as stream:
            language = tomllib.load(stream).get("language")
    except (tomllib.TOMLDecodeError, OSError):
        return None
    return language if isinstance(language, str) else None


def is_traditional(path: Path, text: str) -> bool:
    """A file of a ``zh-TW`` edition, or (outside an edition) mostly Traditional-only hanzi."""
    language = edition_language(path)
    if language is not None:
        return language == "zh-TW"
    counts = script_counts(text)
    return counts["traditional"] > counts["simplified"]


def traditional_chars(roots: Iterable[Path]) -> set[int]:
    """Every visible character of the Traditional text under ``roots``."""
    found: set[int] = set()
    for root in roots:
        for path, text in text_files(root):
            if is_traditional(path, text):
                found |= visible(text)
    return found


def base_repertoire() -> set[int]:
    """The Latin, punctuation and symbol ranges and banner marks every subset keeps."""
    wanted = visible(MARKS)
    for first, last in RANGES:
        wanted |= visible(chr(cp) for cp in range(first, last + 1))
    return wanted


def repertoire(content: Path) -> tuple[set[int], set[int]]:
    """The Simplified code points to keep, and the subset that comes from ``content``."""
    hanzi = gb2312(GB2312_HANZI_ROWS)
    if len(hanzi) != GB2312_HANZI_COUNT:
        fail(f"the gb2312 codec gave {len(hanzi)} hanzi, not {GB2312_HANZI_COUNT}")
    found = content_chars(content)
    return hanzi | gb2312(GB2312_SYMBOL_ROWS) | base_repertoire() | found, found


def repertoire_tc(roots: Sequence[Path]) -> tuple[set[int], set[int]]:
    """The Traditional code points to keep, and the subset from Traditional text in ``roots``."""
    hanzi = big5_hanzi()
    if len(hanzi) != BIG5_HANZI_COUNT:
        fail(f"the big5 codec gave {len(hanzi)} hanzi, not {BIG5_HANZI_COUNT}")
    found = traditional_chars(roots)
    return hanzi | big5_symbols() | base_repertoire() | found, found


def check_sources() -> None:
    """Refuse to run unless Debian's font files are installed."""
    absent = [s for s in SOURCES if not s.path.is_file()]
    for source in absent:
        print(f"missing {source.path}: apt-get install {source.licence.package}", file=sys.stderr)
    if absent:
        fail("Debian's font files are missing; install the packages named above")


def is_collection(path: Path) -> bool:
    """Whether ``path`` is a font collection (TTC/OTC)."""
    with path.open("rb") as stream:
        return stream.read(4) == b"ttcf"


def face_names(path: Path) -> list[tuple[str, str, str]]:
    """Family (name ID 1), style (2) and copyright (0) of every face in a font file."""
    with TTCollection(path, lazy=True) if is_collection(path) else TTFont(path, lazy=True) as fonts:
        faces = fonts.fonts if isinstance(fonts, TTCollection) else [fonts]
        names = [face["name"] for face in faces]
        return [
            (str(n.getDebugName(1)), str(n.getDebugName(2)), str(n.getDebugName(0))) for n in names
        ]


def face_index(source: Source) -> int:
    """Index of the face whose name table says ``family`` and ``style``."""
    for index, (family, style, _) in enumerate(face_names(source.path)):
        if (family, style) == (source.family, source.style):
            return index
    fail(f"no face {source.family} {source.style} in {source.path}")
    raise AssertionError  # unreachable: fail() exits


def hb_subset_args(font_file: Path, index: int, codes: Path, out: Path) -> list[str]:
    """The hb-subset command line for one face."""
    return [
        "hb-subset",
        f"--font-file={font_file}",
        f"--face-index={index}",
        f"--unicodes-file={codes}",
        "--layout-features=*",
        "--name-IDs=*",
        "--name-languages=*",
        "--name-legacy",
        "--notdef-outline",
        f"--output-file={out}",
    ]


def subset_hb(font_file: Path, index: int, codes: set[int], out: Path) -> None:
    """Subset with hb-subset."""
    listing = out.with_suffix(".unicodes")
    listing.write_text("\n".join(f"{cp:04X}" for cp in sorted(codes)) + "\n")
    try:
        args = hb_subset_args(font_file, index, listing, out)
        print("  " + " ".join(a if "*" not in a else f"'{a}'" for a in args))
        subprocess.run(args, check=True)
    finally:
        listing.unlink()


def subset_fonttools(font_file: Path, index: int, codes: set[int], out: Path) -> None:
    """Subset with fontTools (slow; used only when hb-subset is missing)."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    with TTFont(font_file, fontNumber=index, recalcTimestamp=False) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codes))
        subsetter.subset(font)
        font.save(out)


def prune_langsys(path: Path, keep: tuple[str, ...]) -> None:
    """Drop every GSUB/GPOS language system but the default ones and ``keep``.

    A Noto TC face's ``locl`` maps its Traditional glyphs to the Japanese, Korean,
    Simplified and Hong Kong forms under those language systems; a Traditional
    edition never asks for them, and the glyphs they reach double the file.
    """
    pruned: dict[str, bytes] = {}
    with TTFont(path, lazy=True) as font:
        for tag in ("GSUB", "GPOS"):
            if tag not in font:
                continue
            for record in font[tag].table.ScriptList.ScriptRecord:
                script = record.Script
                script.LangSysRecord = [r for r in script.LangSysRecord if r.LangSysTag in keep]
                script.LangSysCount = len(script.LangSysRecord)
            pruned[tag] = font[tag].compile(font)
    # Write the new tables into an otherwise untouched copy: recompiling CFF takes minutes.
    with TTFont(path, recalcBBoxes=False, recalcTimestamp=False) as font:
        for tag, data in pruned.items():
            table = DefaultTable(tag)
            table.data = data
            font[tag] = table
        font.save(path)


def subset_face(source: Source, index: int, codes: set[int], out: Path, use_hb: bool) -> None:
    """Subset one face to ``out``; prune language systems and subset again if asked."""
    subsetter = subset_hb if use_hb else subset_fonttools
    subsetter(source.path, index, codes, out)
    if source.langsys is None:
        return
    prune_langsys(out, source.langsys)
    again = out.with_name(out.name + ".2")
    try:
        subsetter(out, 0, codes, again)  # the closure now skips what only those reached
        os.replace(again, out)
    finally:
        again.unlink(missing_ok=True)


def rename(path: Path, source: Source) -> None:
    """Replace Reserved Font Names in the name table, then check none is left."""
    with TTFont(path, recalcTimestamp=False) as font:
        primary = [r for r in font["name"].names if r.nameID in PRIMARY_NAME_IDS]
        for record in primary:
            text = record.toUnicode()
            for old, new in source.rename:
                text = text.replace(old, new)
            record.string = text
        for record in primary:
            used = [rfn for rfn in source.reserved if rfn in record.toUnicode()]
            if used:
                fail(f"{source.out_name}: name ID {record.nameID} still uses {used}")
        if source.rename:
            font.save(path)


def check_output(path: Path, source: Source, content: set[int]) -> tuple[str, int]:
    """Verify a subset; return its family name and glyph count."""
    if is_collection(path):
        fail(f"{path.name} is a collection")
    with TTFont(path, lazy=True) as font:
        cmap = set(font.getBestCmap())
        family, glyphs = str(font["name"].getDebugName(1)), int(font["maxp"].numGlyphs)
    wanted = required_hanzi(source.script)
    lost = wanted - cmap
    kind = "GB2312" if source.script == "sc" else "Big5"
    if lost and not source.gaps_allowed:
        fail(f"{path.name} lacks {len(lost)} {kind} hanzi, e.g. {chr(min(lost))}")
    if source.gaps_allowed:
        sample = "".join(chr(cp) for cp in sorted(lost)[:12])
        print(f"  note: {source.out_name} lacks {len(lost):,} of the {len(wanted):,} {kind} hanzi"
              + (f" (no glyph in the source), e.g. {sample}" if lost else ""))
    gaps = "".join(chr(cp) for cp in sorted(content - cmap))
    if gaps:
        print(f"  note: {path.name} has no glyph for content characters: {gaps}")
    return family, glyphs


def make_face(
    source: Source, codes: set[int], content: set[int], out_dir: Path, use_hb: bool
) -> None:
    """Subset, rename and check one face; print what was made."""
    index = face_index(source)
    print(f"{source.family} {source.style}: {source.path} face {index}")
    final = out_dir / source.out_name
    tmp = out_dir / f".{source.out_name}.tmp"
    try:
        subset_face(source, index, codes, tmp, use_hb)
        rename(tmp, source)
        family, glyphs = check_output(tmp, source, content)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    digest = hashlib.sha256(final.read_bytes()).hexdigest()
    print(
        f"  -> {final}: {final.stat().st_size:,} bytes, "
        f"{glyphs:,} glyphs, family {family!r}, sha256 {digest[:16]}"
    )


def package_version(package: str) -> str:
    """The installed Debian version of ``package``."""
    try:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", package],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip()


def licence_text(licence: Licence) -> str:
    """The OFL text of ``licence.licence`` from the package's copyright file."""
    copyright_file = DOC_DIR / licence.package / "copyright"
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    heads = [
        i
        for i, line in enumerate(lines[:-1])
        if line == f"License: {licence.licence}" and lines[i + 1].startswith(" ")
    ]
    if not heads:
        fail(f"no {licence.licence} licence text in {copyright_file}")
    body: list[str] = []
    for line in lines[heads[0] + 1 :]:
        if not line.startswith(" "):
            break
        body.append("" if line.strip() == "." else line[1:])
    return "\n".join(body).strip() + "\n"


def made_from(source: Source) -> str:
    """A line naming a source face, its output and its name-table copyright."""
    notice = face_names(source.path)[face_index(source)][2]
    notice = "; ".join(notice.splitlines())
    return f"  {source.family} {source.style} -> {source.out_name} ({notice})"


def write_licence(licence: Licence, out_dir: Path) -> None:
    """Write one OFL file: the copyright notices, then the licence."""
    names = [made_from(s) for s in SOURCES if s.licence == licence]
    text = "\n".join(
        [
            licence.notice,
            "",
            "Subsets (Modified Versions under the OFL), made by banmian's tools/make_fonts.py,",
            f"of fonts from the Debian package {licence.package} "
            f"{package_version(licence.package)}:",
            *names,
            "",
            f"The licence below is copied from /usr/share/doc/{licence.package}/copyright.",
            "",
            licence_text(licence),
        ]
    )
    (out_dir / licence.file_name).write_text(text, encoding="utf-8")
    print(f"licence -> {licence.file_name}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "fonts")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument(
        "--fixtures",
        type=Path,
        default=ROOT / "tests" / "fixtures",
        help="Traditional text here joins the Traditional repertoire, as under --content",
    )
    parser.add_argument(
        "--fonttools",
        action="store_true",
        help="use fontTools.subset even if hb-subset is installed",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Make every face and licence file."""
    args = parse_args(argv)
    check_sources()
    use_hb = not args.fonttools and shutil.which("hb-subset") is not None
    if not use_hb:
        print("hb-subset not used: falling back to fontTools.subset (slow)")
    repertoires = {
        "sc": repertoire(args.content),
        "tc": repertoire_tc((args.content, args.fixtures)),
    }
    for script, (codes, content) in repertoires.items():
        print(f"{script} repertoire: {len(codes):,} code points ({len(content):,} from "
              f"{'Traditional text under ' if script == 'tc' else ''}the content)")
    args.out.mkdir(parents=True, exist_ok=True)
    for source in SOURCES:
        make_face(source, *repertoires[source.script], args.out, use_hb)
    for licence in dict.fromkeys(s.licence for s in SOURCES):
        write_licence(licence, args.out)


if __name__ == "__main__":
    main()
