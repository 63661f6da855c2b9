"""One PDF from the per-page PDFs of an edition, as a whole-document build would write it.

WeasyPrint's laid-out pages are trees of Python objects bound to their process (fonts held by
Pango and fontconfig): they cannot be pickled to another process or machine. What can travel is
each page's finished PDF, so every page (one sheet, its own small document) is written by
WeasyPrint where it was laid out, and this module joins the parts.

The join streams: each part (a file) is opened with pikepdf, its objects are renumbered and
written to the output at once (packed into compressed object streams by :class:`_Writer`), and
the part is closed before the next is opened. What is kept from part to part is small: the page
numbers, the structure's top elements, the parent tree's entries, the outline, the named
destinations and the fonts' merged tables. So the memory of the join does not grow with the
number of pages (an in-memory join held every copied object: about 2 MB a page).

- **pages, tags**: each part's pages are appended; the children of each part's ``Document``
  structure element become children of one ``Document`` (so the tree is ``Document`` → one
  ``Div`` per sheet, as in one document), and the parent tree is renumbered: each page's
  ``/StructParents`` (and any ``/StructParent``) is shifted past the keys already used;
- **outline and named destinations**: concatenated in page order, pointing at the new pages;
- **fonts**: every part embeds its own subset of the *same* file (the edition's print subset of
  a face, with glyph ids kept by WeasyPrint), so the fonts of one name are one font object: its
  widths and ``ToUnicode`` entries the union of the parts', its program cut once from that file
  with the union of the glyphs (``hb-subset --retain-gids``, as WeasyPrint cuts it), shared by
  every page — not one program per page. The part where a font is first met stays open until
  the end, when that font is written;
- **images**: identical image streams (a photo on several pages) are stored once;
- catalog, metadata, language, viewer preferences, output intent, document info: the first
  part's (every part is rendered from the same document head, so they are equal).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_CIDCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s+(\d+)")
#: The tables WeasyPrint drops from an embedded font (``weasyprint.pdf.fonts``).
_DROP_TABLES = "BASE,DSIG,EBDT,EBLC,EBSC,GPOS,GSUB,JSTF,LTSH,PCLT,SVG "
#: Objects packed into one object stream.
_PACK = 200
#: Entries of the first part's catalog, structure root and ``Document`` element that the join
#: makes anew.
_REMADE = {"catalog": {"/Pages", "/StructTreeRoot", "/Outlines", "/Names"},
           "root": {"/K", "/ParentTree", "/ParentTreeNextKey"},
           "document": {"/K"}, "pages": {"/Kids", "/Count", "/Parent"}}


def assemble(parts: Sequence[Path], sources: Mapping[str, Path]) -> bytes:
    """The parts (PDF files, in page order) as one PDF; ``sources`` maps the PostScript name of
    each embedded font program to the file it was cut from."""
    import pikepdf

    with tempfile.TemporaryFile() as out:
        joined = _Joined(_Writer(out))
        opened: list[Any] = []
        try:
            for index, path in enumerate(parts):
                pdf = pikepdf.open(path)
                opened.append(pdf)
                if not joined.add(pdf, first=index == 0):
                    opened.pop().close()
            joined.finish(sources)
        finally:
            for pdf in opened:
                pdf.close()
        out.seek(0)
        return out.read()


class _Writer:
    """PDF objects written to a file as they come: the others packed into compressed object
    streams of ``_PACK``, streams on their own, an xref stream at the end."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.digest = hashlib.sha256()
        self.where: dict[int, tuple[int, int, int]] = {}  # number → xref entry
        self.packed: list[tuple[int, bytes]] = []
        self.count = 0

    def start(self, version: str) -> None:
        """The header: the PDF version of the first part (1.6 for PDF/X-4, 1.7 else)."""
        self._write(b"%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n" % version.encode())

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)

    def reserve(self) -> int:
        self.count += 1
        return self.count

    def put(self, number: int, body: bytes) -> None:
        self.packed.append((number, body))
        if len(self.packed) >= _PACK:
            self._pack()

    def put_stream(self, number: int, head: bytes, data: bytes) -> None:
        """A stream: ``head`` the entries of its dictionary but ``/Length``."""
        self.where[number] = (1, self.out.tell(), 0)
        self._write(b"%d 0 obj\n<<%s/Length %d>>\nstream\n" % (number, head, len(data)))
        self._write(data + b"\nendstream\nendobj\n")

    def _pack(self) -> None:
        if not self.packed:
            return
        number = self.reserve()
        offsets, bodies, at = [], [], 0
        for index, (packed, body) in enumerate(self.packed):
            self.where[packed] = (2, number, index)
            offsets.append(b"%d %d" % (packed, at))
            bodies.append(body)
            at += len(body) + 1
        header = b" ".join(offsets) + b"\n"
        data = zlib.compress(header + b"\n".join(bodies) + b"\n")
        self.put_stream(number, b"/Type/ObjStm/N %d/First %d/Filter/FlateDecode"
                        % (len(self.packed), len(header)), data)
        self.packed = []

    def finish(self, root: int, info: int | None) -> None:
        """The xref stream and trailer; the file's ``/ID`` is a digest of what was written."""
        self._pack()
        number = self.reserve()
        self.where[number] = (1, self.out.tell(), 0)
        rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
        for n in range(1, number + 1):
            kind, a, b = self.where.get(n, (0, 0, 0))
            rows.append(bytes([kind]) + a.to_bytes(4, "big") + b.to_bytes(2, "big"))
        ident = self.digest.hexdigest()[:32].encode()
        info_entry = b"/Info %d 0 R" % info if info else b""
        start = self.out.tell()
        data = zlib.compress(b"".join(rows))
        self.out.write(b"%d 0 obj\n<</Type/XRef/Size %d/W[1 4 2]/Root %d 0 R%s/ID[<%s><%s>]"
                       b"/Filter/FlateDecode/Length %d>>\nstream\n"
                       % (number, number + 1, root, info_entry, ident, ident, len(data)))
        self.out.write(data + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)


def _number(value: int | float | Decimal) -> bytes:
    if isinstance(value, int):
        return str(value).encode()
    text = format(Decimal(str(value)), "f")
    return (text.rstrip("0").rstrip(".") if "." in text else text).encode() or b"0"


@dataclass
class _Font:
    """The merged state of the fonts of one name across the pages, and where it is kept."""

    keeper: Any
    part: _Part
    number: int
    widths: dict[int, Any] = field(default_factory=dict)
    unicode: dict[int, bytes] = field(default_factory=dict)
    encoding: dict[int, int] | None = None


class _Part:
    """One part's objects, renumbered into the output: :meth:`ref` gives an object's number
    in the output (queueing it to be written), :meth:`unparse` writes a value with them."""

    def __init__(self, pdf: Any, joined: _Joined) -> None:
        self.pdf = pdf
        self.joined = joined
        self.numbers: dict[tuple[int, int], int] = {}
        self.queue: list[Any] = []
        self.kept = False  # a font of this part is a keeper: the part stays open

    def fix(self, obj: Any, number: int) -> None:
        """``obj`` of this part is the output's object ``number`` (not written from here)."""
        self.numbers[obj.objgen] = number

    def ref(self, obj: Any) -> int:
        found = self.numbers.get(obj.objgen)
        if found is not None:
            return found
        shared = self.joined.shared(self, obj)
        if shared is not None:
            self.numbers[obj.objgen] = shared
            return shared
        number = self.numbers[obj.objgen] = self.joined.writer.reserve()
        self.queue.append(obj)
        return number

    def unparse(self, value: Any) -> bytes:
        """``value`` as PDF syntax: a reference if it is an indirect object."""
        import pikepdf

        if isinstance(value, pikepdf.Object) and value.is_indirect:
            return b"%d 0 R" % self.ref(value)
        return self.body(value)

    def body(self, value: Any) -> bytes:
        """``value`` itself as PDF syntax (what an indirect object's ``obj`` holds)."""
        import pikepdf

        if isinstance(value, pikepdf.Dictionary):
            return b"<<" + self.entries(value, ()) + b">>"
        if isinstance(value, pikepdf.Array):
            return b"[" + b" ".join(self.unparse(item) for item in value) + b"]"
        if isinstance(value, bool):
            return b"true" if value else b"false"
        if isinstance(value, int | float | Decimal):
            return _number(value)
        if value is None:
            return b"null"
        data: bytes = value.unparse()
        return data

    def entries(self, obj: Any, leave: Collection[str]) -> bytes:
        """The entries of a dictionary (or a stream's), without the keys ``leave``."""
        import pikepdf

        return b"".join(pikepdf.Name(key).unparse() + b" " + self.unparse(value)
                        for key, value in obj.items() if key not in leave)

    def drain(self) -> None:
        """Write every object queued (and those they bring)."""
        import pikepdf

        writer = self.joined.writer
        while self.queue:
            obj = self.queue.pop()
            number = self.numbers[obj.objgen]
            if isinstance(obj, pikepdf.Stream):
                raw, head = obj.read_raw_bytes(), self.entries(obj, ("/Length",))
                if "/Filter" not in obj:
                    raw, head = zlib.compress(raw), head + b"/Filter/FlateDecode"
                writer.put_stream(number, head, raw)
            else:
                writer.put(number, self.body(obj))


class _Joined:
    """The output's own objects (catalog, page tree, structure root, ``Document``, parent
    tree, outline, destinations, fonts) and what they gather from the parts."""

    def __init__(self, writer: _Writer) -> None:
        self.writer = writer
        self.numbers = {name: writer.reserve() for name in ("catalog", "pages", "root",
                                                            "document", "outlines")}
        self.head: dict[str, bytes] = {}
        self.info: int | None = None
        self.pages: list[int] = []
        self.kids: list[bytes] = []
        self.parents: list[bytes] = []
        self.next_key = 0
        self.outline: list[_Item] = []
        self.dests: dict[str, bytes] = {}
        self.fonts: dict[str, _Font] = {}
        self.images: dict[bytes, int] = {}

    def add(self, pdf: Any, first: bool) -> bool:
        """Write ``pdf``'s pages and gather the rest; True if it must stay open (it keeps
        a font)."""
        part = _Part(pdf, self)
        if first:
            self.writer.start(pdf.pdf_version)
        root, document = pdf.Root.StructTreeRoot, _document(pdf)
        for obj, name in ((pdf.Root, "catalog"), (pdf.Root.Pages, "pages"), (root, "root"),
                          (document, "document")):
            part.fix(obj, self.numbers[name])
            if first:
                self.head[name] = part.entries(obj, _REMADE[name])
        if first and "/Info" in pdf.trailer:
            self.info = part.ref(pdf.trailer.Info)
        self._pages(part)
        kids = document.K
        self.kids += [part.unparse(kid) for kid in (kids if _is_array(kids) else [kids])]
        nums = root.ParentTree.Nums
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        self.parents += [b"%d %s" % (key + self.next_key, part.unparse(nums[2 * i + 1]))
                         for i, key in enumerate(keys)]
        self.next_key += max(keys, default=-1) + 1
        self.outline += _outline(part)
        self._dests(part)
        part.drain()
        return part.kept

    def _pages(self, part: _Part) -> None:
        """Queue the part's pages, their parent tree keys shifted."""
        for page in part.pdf.pages:
            obj = page.obj
            if "/StructParents" in obj:
                obj.StructParents = int(obj.StructParents) + self.next_key
            for annot in obj.get("/Annots") or []:
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + self.next_key
            self.pages.append(part.ref(obj))

    def _dests(self, part: _Part) -> None:
        from pikepdf import NameTree

        names = part.pdf.Root.get("/Names")
        if names is not None and "/Dests" in names:
            for name, dest in NameTree(names.Dests).items():
                self.dests[name] = part.unparse(dest)

    def shared(self, part: _Part, obj: Any) -> int | None:
        """The output's number for a font (one per name) or an image met before."""
        import pikepdf

        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            return None
        if obj.get("/Type") == "/Font" and obj.get("/Subtype") == "/Type0":
            return self._font(part, obj)
        if obj.get("/Subtype") == "/Image":
            digest = _image_digest(obj)
            if digest in self.images:
                return self.images[digest]
            self.images[digest] = number = self.writer.reserve()
            part.numbers[obj.objgen] = number
            part.queue.append(obj)
            return number
        return None

    def _font(self, part: _Part, font: Any) -> int:
        name = _base_name(font)
        if name not in self.fonts:
            self.fonts[name] = _Font(font, part, self.writer.reserve())
            part.kept = True
        _absorb(self.fonts[name], font)
        return self.fonts[name].number

    def finish(self, sources: Mapping[str, Path]) -> None:
        """The fonts and the output's own objects, then the cross-reference stream."""
        self._write_fonts(sources)
        w, n = self.writer, self.numbers
        w.put(n["pages"], b"<<%s/Kids[%s]/Count %d>>" % (
            self.head["pages"], b" ".join(b"%d 0 R" % p for p in self.pages), len(self.pages)))
        w.put(n["document"], b"<<%s/K[%s]>>" % (self.head["document"], b" ".join(self.kids)))
        w.put(n["root"], b"<<%s/K[%d 0 R]/ParentTree<</Nums[%s]>>/ParentTreeNextKey %d>>" % (
            self.head["root"], n["document"], b" ".join(self.parents), self.next_key))
        extra = b""
        if self.outline:
            _write_outline(w, n["outlines"], self.outline)
            extra += b"/Outlines %d 0 R" % n["outlines"]
        else:
            w.put(n["outlines"], b"null")
        if self.dests:
            import pikepdf

            names = b" ".join(pikepdf.String(k).unparse() + b" " + v
                              for k, v in sorted(self.dests.items()))
            extra += b"/Names<</Dests<</Names[%s]>>>>" % names
        w.put(n["catalog"], b"<<%s/Pages %d 0 R/StructTreeRoot %d 0 R%s>>" % (
            self.head["catalog"], n["pages"], n["root"], extra))
        w.finish(n["catalog"], self.info)

    def _write_fonts(self, sources: Mapping[str, Path]) -> None:
        """Each font of one name once, with one program per source file."""
        from banmian.backends.pdf.checks import font_program_name

        by_program: dict[str | None, list[_Font]] = {}
        for merged in self.fonts.values():
            _rewrite_tables(merged)
            name = font_program_name(merged.keeper)
            by_program.setdefault(name if name in sources else None, []).append(merged)
        for name, group in by_program.items():
            if name is not None:
                gids = sorted({gid for merged in group for gid in merged.widths})
                self._share_program(group, _resubset(sources[name], gids))
            for merged in group:
                self.writer.put(merged.number, merged.part.body(merged.keeper))
                merged.part.drain()

    def _share_program(self, group: list[_Font], program: bytes | None) -> None:
        """Point every font of ``group`` at one embedded program (``program``, or the first
        font's when it could not be cut)."""
        descriptors = [merged.keeper.DescendantFonts[0].FontDescriptor for merged in group]
        key = "/FontFile3" if "/FontFile3" in descriptors[0] else "/FontFile2"
        stream = descriptors[0][key]
        if program is not None:
            stream.write(program)
            if "/Length1" in stream:
                stream.Length1 = len(program)
        number = group[0].part.ref(stream)
        for merged, descriptor in zip(group[1:], descriptors[1:], strict=True):
            merged.part.fix(descriptor[key], number)


def _image_digest(image: Any) -> bytes:
    """What makes two images one: their data and entries (a soft mask by its own digest)."""
    import pikepdf

    digest = hashlib.sha256(image.read_raw_bytes())
    for key, value in sorted(image.items()):
        if key != "/Length":
            digest.update(key.encode() + (_image_digest(value) if isinstance(
                value, pikepdf.Stream) else repr(value).encode()))
    return digest.digest()


def _is_array(value: Any) -> bool:
    import pikepdf

    return isinstance(value, pikepdf.Array)


def _document(pdf: Any) -> Any:
    kids = pdf.Root.StructTreeRoot.K
    return kids[0] if _is_array(kids) else kids


@dataclass
class _Item:
    """An outline item: its entries (title, destination) in the output, and its children."""

    head: bytes
    closed: bool
    children: list[_Item]


def _outline(part: _Part) -> list[_Item]:
    """The part's outline items (their destinations point at the output's pages)."""
    outlines = part.pdf.Root.get("/Outlines")

    def siblings(item: Any) -> Iterator[Any]:
        while item is not None:
            yield item
            item = item.get("/Next")

    def convert(item: Any) -> _Item:
        head = part.entries(item, ("/Parent", "/Prev", "/Next", "/First", "/Last", "/Count"))
        children = [convert(kid) for kid in siblings(item.get("/First"))]
        return _Item(head, int(item.get("/Count", 0)) < 0, children)

    return [convert(item) for item in siblings(outlines.get("/First"))] if outlines else []


def _visible(items: Sequence[_Item]) -> int:
    return sum(1 + (0 if item.closed else _visible(item.children)) for item in items)


def _write_outline(writer: _Writer, number: int, items: list[_Item]) -> None:
    """The outline's items under ``number``, with their links and counts."""
    def write(parent: int, group: list[_Item]) -> tuple[int, int]:
        numbers = [writer.reserve() for _ in group]
        for i, (item, own) in enumerate(zip(group, numbers, strict=True)):
            links = b"/Parent %d 0 R" % parent
            links += b"/Prev %d 0 R" % numbers[i - 1] if i else b""
            links += b"/Next %d 0 R" % numbers[i + 1] if i + 1 < len(group) else b""
            if item.children:
                first, last = write(own, item.children)
                count = _visible(item.children) * (-1 if item.closed else 1)
                links += b"/First %d 0 R/Last %d 0 R/Count %d" % (first, last, count)
            writer.put(own, b"<<" + item.head + links + b">>")
        return numbers[0], numbers[-1]

    first, last = write(number, items)
    writer.put(number, b"<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>"
               % (first, last, _visible(items)))


def _base_name(font: Any) -> str:
    return str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]


def _absorb(merged: _Font, font: Any) -> None:
    """Merge ``font``'s widths, ``ToUnicode`` entries and encoding into ``merged``."""
    import pikepdf

    descendant = font.DescendantFonts[0]
    merged.widths.update(_widths(descendant.get("/W") or []))
    merged.unicode.update((int(a, 16), b"<" + b + b">") for a, b in
                          _BFCHAR.findall(font.ToUnicode.read_bytes()))
    encoding = font.get("/Encoding")
    if isinstance(encoding, pikepdf.Stream):
        merged.encoding = merged.encoding or {}
        merged.encoding.update((int(a, 16), int(b)) for a, b in
                               _CIDCHAR.findall(encoding.read_bytes()))


def _rewrite_tables(merged: _Font) -> None:
    """The keeper's widths, ``ToUnicode`` and encoding: the union of every page's."""
    keeper = merged.keeper
    keeper.DescendantFonts[0].W = _width_array(merged.widths)
    header = keeper.ToUnicode.read_bytes().split(b"endcodespacerange")[0]
    keeper.ToUnicode.write(_cmap(merged.unicode, header + b"endcodespacerange", "bfchar"))
    if merged.encoding is not None:
        encoding = keeper.Encoding
        head = encoding.read_bytes().split(b"endcodespacerange")[0]
        encoding.write(_cmap({k: str(v).encode() for k, v in merged.encoding.items()},
                             head + b"endcodespacerange", "cidchar"))


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
