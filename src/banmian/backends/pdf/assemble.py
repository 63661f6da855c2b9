"""One PDF from the per-page PDFs of an edition, as a whole-document build would write it.

WeasyPrint's laid-out pages are trees of Python objects bound to their process (fonts held by
Pango and fontconfig): they cannot be pickled to another process or machine. What can travel is
each page's finished PDF, so every page (one sheet, its own small document) is written by
WeasyPrint where it was laid out, and this module joins the parts with pikepdf:

- **pages, tags**: each part's pages are appended; the children of each part's ``Document``
  structure element become children of the first part's (so the tree is ``Document`` → one
  ``Div`` per sheet, as in one document), and the parent tree is renumbered: each page's
  ``/StructParents`` (and any ``/StructParent``) is shifted past the keys already used;
- **outline and named destinations**: concatenated in page order, pointing at the new pages;
- **fonts**: every part embeds its own subset of the *same* file (the edition's print subset of
  a face, with glyph ids kept by WeasyPrint), so the fonts of one name are merged into one font
  object: its widths and ``ToUnicode`` entries the union of the parts', its program cut once
  from that file with the union of the glyphs (``hb-subset --retain-gids``, as WeasyPrint cuts
  it), shared by every page — not one program per page;
- **images**: identical image streams (a photo on several pages) are stored once;
- catalog, metadata, language, viewer preferences, output intent: the first part's (every
  part is rendered from the same document head, so they are equal).
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_CIDCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s+(\d+)")
#: The tables WeasyPrint drops from an embedded font (``weasyprint.pdf.fonts``).
_DROP_TABLES = "BASE,DSIG,EBDT,EBLC,EBSC,GPOS,GSUB,JSTF,LTSH,PCLT,SVG "


def assemble(parts: Sequence[Path], sources: Mapping[str, Path]) -> bytes:
    """The parts (PDF files, in page order) as one PDF; ``sources`` maps the PostScript name
    of each embedded font program to the file it was cut from.

    The parts are opened one at a time, from their files, and closed once their pages are
    copied; a font already met on an earlier page is not copied at all (its widths and
    ``ToUnicode`` entries are merged, the page pointed at the first page's font), so the
    memory the join needs grows only with the joined document's own objects."""
    import pikepdf

    with pikepdf.open(parts[0]) as base:
        fonts = _collect(base)
        for path in parts[1:]:
            with pikepdf.open(path) as part:
                _append(base, part, fonts)
        _merge_fonts(base, fonts, sources)
        _share_images(base)
        out = io.BytesIO()
        base.save(out, compress_streams=True, fix_metadata_version=False, deterministic_id=True,
                  object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _document(pdf: Any) -> Any:
    import pikepdf

    kids = pdf.Root.StructTreeRoot.K
    return kids[0] if isinstance(kids, pikepdf.Array) else kids


def _copy(base: Any, obj: Any) -> Any:
    """``obj`` of another PDF in ``base``: indirect objects copied (each once: pikepdf maps an
    object already copied, such as a page, to its copy), direct arrays and dictionaries
    rebuilt around them."""
    import pikepdf

    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return base.copy_foreign(obj)
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copy(base, item) for item in obj])
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(base, value) for key, value in obj.items()})
    return obj


def _parent_keys(pdf: Any) -> list[tuple[int, Any]]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]


def _append(base: Any, part: Any, fonts: dict[str, _Font]) -> None:
    """Append ``part``'s pages, structure, outline and named destinations to ``base``, its
    fonts merged into ``fonts``."""
    import pikepdf

    first = len(base.pages)
    offset = max((key for key, _ in _parent_keys(base)), default=-1) + 1
    withheld = _withhold_fonts(part, fonts)
    base.pages.extend(part.pages)
    new_pages = list(base.pages)[first:]
    _restore_fonts(new_pages, fonts, withheld)
    for page in new_pages:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annot in page.obj.get("/Annots") or []:
            if "/StructParent" in annot:
                annot.StructParent = int(annot.StructParent) + offset
    document = _document(base)
    for kid in list(_document(part).K):
        copied = _copy(base, kid)
        if isinstance(copied, pikepdf.Dictionary):
            copied.P = document
        document.K.append(copied)
    nums = base.Root.StructTreeRoot.ParentTree.Nums
    for key, value in _parent_keys(part):
        nums.extend([key + offset, _copy(base, value)])
    if "/ParentTreeNextKey" in base.Root.StructTreeRoot:
        base.Root.StructTreeRoot.ParentTreeNextKey = len(nums) // 2
    _append_outline(base, part, first)
    _append_dests(base, part)


def _append_outline(base: Any, part: Any, first: int) -> None:
    from pikepdf import Array, OutlineItem

    pages = {page.obj.objgen: first + i for i, page in enumerate(part.pages)}

    def convert(item: Any) -> Any:
        dest = item.destination
        copied = OutlineItem(item.title)
        if isinstance(dest, Array) and len(dest) and dest[0].objgen in pages:
            target = base.pages[pages[dest[0].objgen]].obj
            copied.destination = Array([target, *dest[1:]])
        copied.is_closed = item.is_closed
        copied.children.extend(convert(child) for child in item.children)
        return copied

    with part.open_outline() as theirs, base.open_outline() as ours:
        ours.root.extend(convert(item) for item in theirs.root)


def _append_dests(base: Any, part: Any) -> None:
    import pikepdf
    from pikepdf import NameTree

    names = part.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return
    if "/Names" not in base.Root:
        base.Root.Names = pikepdf.Dictionary()
    if "/Dests" not in base.Root.Names:
        base.Root.Names.Dests = NameTree.new(base).obj
    ours = NameTree(base.Root.Names.Dests)
    for name, dest in NameTree(names.Dests).items():
        ours[name] = _copy(base, dest)


@dataclass
class _Font:
    """The merged state of the fonts of one name across the pages."""

    keeper: Any
    widths: dict[int, Any] = field(default_factory=dict)
    unicode: dict[int, bytes] = field(default_factory=dict)
    encoding: dict[int, int] | None = None


def _widths(array: Any) -> dict[int, Any]:
    found: dict[int, Any] = {}
    items, i = list(array), 0
    while i < len(items):
        start = int(items[i])
        if hasattr(items[i + 1], "__len__"):
            for n, width in enumerate(items[i + 1]):
                found[start + n] = width
            i += 2
        else:
            for cid in range(start, int(items[i + 1]) + 1):
                found[cid] = items[i + 2]
            i += 3
    return found


def _width_array(widths: Mapping[int, Any]) -> Any:
    import pikepdf

    out: list[Any] = []
    run: list[Any] = []
    for cid in sorted(widths):
        if cid - 1 not in widths:
            run = []
            out += [cid, run]
        run.append(widths[cid])
    return pikepdf.Array([pikepdf.Array(x) if isinstance(x, list) else x for x in out])


def _cmap(entries: Mapping[int, bytes], header: bytes, section: str) -> bytes:
    lines = [header]
    items = sorted(entries.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(f"{len(batch)} begin{section}".encode())
        lines += [f"<{cid:04x}> ".encode() + value for cid, value in batch]
        lines.append(f"end{section}".encode())
    lines.append(b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
    return b"\n".join(lines)


def _base_name(font: Any) -> str:
    return str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]


def _absorb(fonts: dict[str, _Font], font: Any) -> bool:
    """Merge ``font``'s widths, ``ToUnicode`` and encoding into ``fonts`` under its name
    (without subset tag); True if that name was met before (it has a keeper already)."""
    import pikepdf

    name = _base_name(font)
    known = name in fonts
    merged = fonts.setdefault(name, _Font(font))
    descendant = font.DescendantFonts[0]
    merged.widths.update(_widths(descendant.get("/W") or []))
    merged.unicode.update((int(a, 16), b"<" + b + b">") for a, b in
                          _BFCHAR.findall(font.ToUnicode.read_bytes()))
    encoding = font.get("/Encoding")
    if isinstance(encoding, pikepdf.Stream):
        merged.encoding = merged.encoding or {}
        merged.encoding.update((int(a, 16), int(b)) for a, b in
                               _CIDCHAR.findall(encoding.read_bytes()))
    return known


def _type0(page: Any) -> list[tuple[str, Any]]:
    resources = page.obj.Resources.get("/Font") or {}
    return [(key, resources[key]) for key in list(resources.keys())
            if resources[key].get("/Subtype") == "/Type0"]


def _collect(pdf: Any) -> dict[str, _Font]:
    """Every Type0 font of the pages by name (without subset tag), merged; each page's
    resource entry pointed at the first page's font object of that name."""
    fonts: dict[str, _Font] = {}
    for page in pdf.pages:
        for key, font in _type0(page):
            _absorb(fonts, font)
            page.obj.Resources.Font[key] = fonts[_base_name(font)].keeper
    return fonts


def _withhold_fonts(part: Any, fonts: dict[str, _Font]) -> list[tuple[int, str, str]]:
    """Merge ``part``'s fonts into ``fonts``; take out of ``part``'s pages every font of a
    name met before, so that copying the pages does not copy it (nor its program): the
    (page, resource key, name) entries to point at the keeper once the pages are copied.
    A font of a new name stays, with ``None`` as its keeper until it is copied."""
    withheld = []
    for index, page in enumerate(part.pages):
        for key, font in _type0(page):
            name = _base_name(font)
            if not _absorb(fonts, font):
                fonts[name].keeper = None
                continue
            del page.obj.Resources.Font[key]
            withheld.append((index, key, name))
    return withheld


def _restore_fonts(pages: Sequence[Any], fonts: dict[str, _Font],
                   withheld: list[tuple[int, str, str]]) -> None:
    """The copied pages' new fonts become keepers; the withheld entries point at them."""
    for page in pages:
        for key, font in _type0(page):
            merged = fonts[_base_name(font)]
            if merged.keeper is None:
                merged.keeper = font
            page.obj.Resources.Font[key] = merged.keeper
    for index, key, name in withheld:
        pages[index].obj.Resources.Font[key] = fonts[name].keeper


def _merge_fonts(pdf: Any, fonts: Mapping[str, _Font], sources: Mapping[str, Path]) -> None:
    """One font object per name, with one program per source file, cut to the glyphs used."""
    from banmian.backends.pdf.checks import font_program_name

    by_program: dict[str, list[_Font]] = {}
    for merged in fonts.values():
        keeper = merged.keeper
        descendant = keeper.DescendantFonts[0]
        descendant.W = _width_array(merged.widths)
        header = keeper.ToUnicode.read_bytes().split(b"endcodespacerange")[0]
        keeper.ToUnicode.write(_cmap(merged.unicode, header + b"endcodespacerange", "bfchar"))
        if merged.encoding is not None:
            encoding = keeper.Encoding
            head = encoding.read_bytes().split(b"endcodespacerange")[0]
            encoding.write(_cmap({k: str(v).encode() for k, v in merged.encoding.items()},
                                 head + b"endcodespacerange", "cidchar"))
        name = font_program_name(keeper)
        if name is not None and name in sources:
            by_program.setdefault(name, []).append(merged)
    for name, group in by_program.items():
        gids = sorted({gid for merged in group for gid in merged.widths})
        _share_program(pdf, group, _resubset(sources[name], gids))


def _share_program(pdf: Any, group: list[_Font], program: bytes | None) -> None:
    """Point every font of ``group`` at one embedded program (``program``, or the first
    font's when it could not be cut)."""
    descriptors = [merged.keeper.DescendantFonts[0].FontDescriptor for merged in group]
    key = "/FontFile3" if "/FontFile3" in descriptors[0] else "/FontFile2"
    stream = descriptors[0][key]
    if program is not None:
        stream.write(program)
        if "/Length1" in stream:
            stream.Length1 = len(program)
    for descriptor in descriptors:
        descriptor[key] = stream


def _resubset(path: Path, gids: list[int]) -> bytes | None:
    """``path`` cut to the glyph ids ``gids`` (0 always), ids kept, as WeasyPrint cuts an
    embedded font; None without ``hb-subset`` (the first page's program is kept)."""
    if not shutil.which("hb-subset") or not path.is_file():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"out{path.suffix}"
        listed = ",".join(str(g) for g in sorted({0, *gids}))
        done = subprocess.run(
            ["hb-subset", str(path), f"--gids={listed}", "--unicodes=", "--retain-gids",
             "--desubroutinize", "--passthrough-tables", "--notdef-outline",
             f"--drop-tables={_DROP_TABLES}", f"--output-file={out}"],
            capture_output=True, check=False)
        return out.read_bytes() if done.returncode == 0 and out.is_file() else None


def _share_images(pdf: Any) -> None:
    """Store identical image XObjects once: every page's entry points at the first."""
    seen: dict[str, Any] = {}
    for page in pdf.pages:
        xobjects = page.obj.Resources.get("/XObject") or {}
        for key in list(xobjects.keys()):
            xobject = xobjects[key]
            if xobject.get("/Subtype") != "/Image":
                continue
            digest = hashlib.sha256(xobject.read_raw_bytes() + repr(
                sorted((str(k), repr(v)) for k, v in xobject.items()
                       if k != "/Length")).encode()).hexdigest()
            xobjects[key] = seen.setdefault(digest, xobject)
