"""The model → an edition folder: the inverse of :func:`banmian.content.load_edition`.

This module owns writing an :class:`~banmian.model.Edition` back into the content format
(``docs/content-format.md``): ``edition.toml`` and one Markdown module file per module, named
``<module id>.md`` so that every module keeps its id. Loading the folder again gives an equal
model, source positions aside. It also owns the escaping that makes this hold: TOML basic
strings (:func:`toml_string`, :func:`toml_multiline`) and Markdown text that markdown-it (as
:mod:`banmian.content.markdown` configures it) gives back character for character
(:func:`markdown_paragraph`, :func:`markdown_subhead`).

The writer does not normalise: what the loader strips (space around a headline, say) is written
as it stands. What the format cannot express at all (a styled span in a brief, a line break or a
control character in body text, a key the module's role does not allow, an id the loader would
not derive from the file name) raises :class:`ValueError` instead of being written changed.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isValidEntityCode, isWhiteSpace

from banmian.content.modules import ROLE_KEYS, inside
from banmian.model import Brief, Edition, Figure, FigureRef, Module, Page, Span

__all__ = ["edition_files", "edition_toml", "markdown_paragraph", "markdown_subhead",
           "module_file_name", "module_text", "toml_multiline", "toml_string", "write_edition"]

#: A module id that is its own file stem under the loader's rule (so ``<id>.md`` keeps it).
_MODULE_ID = re.compile(r"^[a-z0-9]+(?:-+[a-z0-9]+)*$")
_FIGURE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# --- TOML -----------------------------------------------------------------------------------

_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
                 "\r": "\\r"}
#: A line of a multi-line string that the loader's line scanner (``files.KeyLines``) would take
#: for a table header or a key, or that would close the front matter (``+++``).
_SCANNED_LINE = re.compile(r"^(\s*)(?=\[|[A-Za-z0-9_-]+\s*=|\+\+\+\s*$)(.)")


def _toml_char(char: str) -> str:
    if char in _TOML_ESCAPES:
        return _TOML_ESCAPES[char]
    category = unicodedata.category(char)
    if category == "Cs":
        raise ValueError(f"lone surrogate U+{ord(char):04X} cannot be written as TOML")
    if category in ("Cc", "Zl", "Zp"):  # TOML forbids most controls; the loader all of them
        return f"\\u{ord(char):04X}"
    return char


def toml_string(value: str) -> str:
    """``value`` as a one-line TOML basic string; ``tomllib`` reads back exactly ``value``."""
    return '"' + "".join(_toml_char(char) for char in value) + '"'


def _guard_line(line: str) -> str:
    match = _SCANNED_LINE.match(line)
    if not match:
        return line
    return f"{match.group(1)}\\u{ord(match.group(2)):04X}{line[match.end():]}"


def toml_multiline(value: str) -> str:
    """``value`` as a multi-line TOML basic string, one line of text per line of ``value``.

    A line that would look like a key, a table header or ``+++`` to a line-based reader has its
    first character written as an escape.
    """
    lines = ("".join(_toml_char(char) for char in line) for line in value.split("\n"))
    return '"""\n' + "\n".join(_guard_line(line) for line in lines) + '"""'


def _toml_lines(pairs: Iterable[tuple[str, str | int | bool | None]]) -> list[str]:
    """``key = value`` lines for the pairs whose value is not None."""
    out = []
    for key, value in pairs:
        if value is None:
            continue
        if isinstance(value, bool):
            out.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, int):
            out.append(f"{key} = {value}")
        else:
            out.append(f"{key} = {toml_string(value)}")
    return out


# --- Markdown -------------------------------------------------------------------------------

#: Characters that start inline markup anywhere in a line (emphasis, code, links, images,
#: autolinks, HTML, entities, escapes).
_INLINE_SPECIAL = set("\\`*_[]<&")
#: Characters that start a block (heading, quote, list, rule, fence) at the start of a line.
_LINE_START_SPECIAL = set("#>-+=~")
_ASCII_DIGITS = set("0123456789")


@dataclass
class _Piece:
    """One character of copy as written (itself, a backslash escape or a numeric character
    reference), or an emphasis delimiter run (``char`` empty)."""

    text: str
    char: str = ""

    def encode(self) -> bool:
        """Write the character as ``&#x…;``; False if it is a delimiter, already a reference or
        has no valid reference."""
        if not self.char or self.text.startswith("&") or not isValidEntityCode(ord(self.char)):
            return False
        self.text = f"&#x{ord(self.char):X};"
        return True


def _blank(char: str) -> bool:
    """Whitespace that Markdown trims at a line's ends or that decides emphasis flanking."""
    return char.isspace() or isWhiteSpace(ord(char)) or char == "\ufeff"


def _char_pieces(text: str, special: set[str]) -> list[_Piece]:
    pieces = []
    for char in text:
        if char == "\n" or (unicodedata.category(char) in ("Cc", "Cs") and char != "\t"):
            raise ValueError(f"U+{ord(char):04X} in body text {text!r} cannot be written as "
                             "Markdown")
        pieces.append(_Piece("\\" + char if char in special else char, char))
    return pieces


def _guard_ends(pieces: list[_Piece]) -> None:
    """Keep the line's leading and trailing whitespace, which Markdown would trim."""
    for piece in (pieces[0], pieces[-1]):
        if piece.char and _blank(piece.char):
            piece.encode()


def _guard_line_start(pieces: list[_Piece]) -> None:
    """Escape what would open a block: ``# x``, ``> x``, ``- x``, ``1. x``, ``~~~``…"""
    first = pieces[0]
    if first.char in _LINE_START_SPECIAL and first.text == first.char:
        first.text = "\\" + first.char
    digits = 0
    while digits < len(pieces) and pieces[digits].char in _ASCII_DIGITS:
        digits += 1
    if digits and digits < len(pieces) and pieces[digits].char in (".", ")"):
        pieces[digits].text = "\\" + pieces[digits].char


def _merged(spans: Sequence[Span]) -> list[Span]:
    """Spans without empty ones, neighbours of one style joined (as the loader gives them)."""
    out: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if out and out[-1].style == span.style:
            out[-1] = Span(out[-1].text + span.text, span.style)
        else:
            out.append(span)
    return out


def _punct(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def _delimiter_works(marker: str, last: str, nxt: str, *, opening: bool) -> bool:
    """CommonMark's flanking rules (as markdown-it applies them) for a run between the
    characters ``last`` and ``nxt``: can it open (or close) emphasis?"""
    last_ws, next_ws = isWhiteSpace(ord(last)), isWhiteSpace(ord(nxt))
    last_p, next_p = _punct(last), _punct(nxt)
    left = not (next_ws or (next_p and not (last_ws or last_p)))
    right = not (last_ws or (last_p and not (next_ws or next_p)))
    if opening:
        return left and (marker == "*" or not right or last_p)
    return right and (marker == "*" or not left or next_p)


def _fix_delimiter(pieces: list[_Piece], at: int, marker: str, *, opening: bool) -> None:
    """Make the run at ``at`` open (or close) emphasis: write the copy character outside it as a
    character reference, which reads as punctuation on both of its sides."""
    def seen() -> tuple[str, str]:
        last = pieces[at - 1].text[-1] if at > 0 else " "
        nxt = pieces[at + 1].text[0] if at + 1 < len(pieces) else " "
        return last, nxt

    if _delimiter_works(marker, *seen(), opening=opening):
        return
    outside = at - 1 if opening else at + 1
    if not (0 <= outside < len(pieces) and pieces[outside].encode()
            and _delimiter_works(marker, *seen(), opening=opening)):
        last, nxt = seen()
        raise ValueError(f"cannot write emphasis between {last!r} and {nxt!r}")


def markdown_paragraph(spans: Sequence[Span]) -> str:
    """One line of Markdown that the loader reads back as exactly ``spans``.

    Copy is escaped; emphasis is ``*…*`` and strong ``**…**``, with ``_`` instead of ``*`` for a
    run that directly follows a ``*`` run (so the two cannot merge). Where CommonMark's flanking
    rules would not let a run open or close (``**重点。**继续``), the neighbouring character is
    written as a character reference.
    """
    pieces: list[_Piece] = []
    runs: list[tuple[int, int, str]] = []
    previous = ""
    for span in _merged(spans):
        chars = _char_pieces(span.text, _INLINE_SPECIAL)
        if span.style == "plain":
            pieces += chars
            previous = ""
            continue
        marker = "_" if previous == "*" else "*"
        run = marker * (2 if span.style == "strong" else 1)
        _guard_ends(chars)
        runs.append((len(pieces), len(pieces) + len(chars) + 1, marker))
        pieces += [_Piece(run), *chars, _Piece(run)]
        previous = marker
    if not pieces:
        raise ValueError("an empty paragraph cannot be written")
    _guard_ends(pieces)
    if pieces[0].char:
        _guard_line_start(pieces)
    for opener, closer, marker in runs:
        _fix_delimiter(pieces, opener, marker, opening=True)
        _fix_delimiter(pieces, closer, marker, opening=False)
    return "".join(piece.text for piece in pieces)


def markdown_subhead(text: str) -> str:
    """A ``##`` subhead line that the loader reads back as ``text``."""
    if not text:
        return "##"
    pieces = _char_pieces(text, _INLINE_SPECIAL | {"#"})
    _guard_ends(pieces)
    return "## " + "".join(piece.text for piece in pieces)


# --- modules --------------------------------------------------------------------------------


def module_file_name(module: Module) -> str:
    """The module's file name: its id, which the loader derives back from the name."""
    if not _MODULE_ID.match(module.id):
        raise ValueError(f"module id '{module.id}' is not a file stem the loader keeps as is")
    return f"{module.id}.md"


def _check_role(module: Module) -> None:
    used = {key for key, value in _text_fields(module) if value is not None}
    used |= {"figures"} if module.figures else set()
    used |= {"items"} if module.briefs else set()
    extra = sorted(used - ROLE_KEYS[module.role])
    if module.role == "briefs" and module.sections:
        extra.append("body text")
    if extra:
        raise ValueError(f"module '{module.id}': a {module.role} module cannot have "
                         + ", ".join(extra))


def _text_fields(module: Module) -> list[tuple[str, str | None]]:
    return [("kicker", module.kicker), ("headline", module.headline), ("deck", module.deck),
            ("byline", module.byline), ("pen-name", module.pen_name),
            ("contributor", module.contributor)]


def _figure_toml(fig: Figure) -> list[str]:
    aspect = None if fig.aspect == (3, 2) else f"{fig.aspect[0]}:{fig.aspect[1]}"
    return ["", "[[figures]]", *_toml_lines([
        ("id", fig.id), ("caption", fig.caption), ("credit", fig.credit), ("alt", fig.alt),
        ("image", fig.image), ("aspect", aspect)])]


def _brief_toml(brief: Brief) -> list[str]:
    for para in brief.paragraphs:
        if any(span.style != "plain" for span in para.spans) or "\n" in para.text:
            raise ValueError(f"brief '{brief.title}': a brief's paragraphs are plain lines")
    body = "\n\n".join(para.text for para in brief.paragraphs)
    return ["", "[[items]]", *_toml_lines([("title", brief.title), ("dateline", brief.dateline)]),
            f"body = {toml_multiline(body)}", *_toml_lines([("contributor", brief.contributor)])]


def _body_blocks(module: Module) -> list[str]:
    blocks: list[str] = []
    for number, section in enumerate(module.sections):
        if section.subhead is not None:
            blocks.append(markdown_subhead(section.subhead))
        elif number or not section.blocks:
            raise ValueError(f"module '{module.id}': only a first, non-empty section can be "
                             "without a subhead")
        for block in section.blocks:
            if isinstance(block, FigureRef):
                if not _FIGURE_ID.match(block.figure_id):
                    raise ValueError(f"figure id '{block.figure_id}' cannot be referenced")
                blocks.append(f"![](#{block.figure_id})")
            else:
                blocks.append(markdown_paragraph(block.spans))
    return blocks


def module_text(module: Module) -> str:
    """The module file: TOML front matter between ``+++`` lines, then the Markdown body."""
    _check_role(module)
    front = _toml_lines(_text_fields(module))
    for fig in module.figures:
        front += _figure_toml(fig)
    for brief in module.briefs:
        front += _brief_toml(brief)
    if front and not front[0]:
        front = front[1:]
    text = "+++\n" + "".join(line + "\n" for line in front) + "+++\n"
    return text + "".join("\n" + block + "\n" for block in _body_blocks(module))


# --- edition.toml ---------------------------------------------------------------------------


def _page_toml(page: Page) -> list[str]:
    banner = page.banner
    lines = ["", "[[pages]]", *_toml_lines([
        ("label", page.label), ("section", banner.name if banner else None),
        ("pinyin", banner.pinyin if banner else None), ("columns", page.columns),
        ("rows", page.rows)])]
    for module in page.modules:
        lines += ["", "[[pages.modules]]", *_toml_lines([
            ("file", module_file_name(module)), ("role", module.role)])]
        if module.place:
            p = module.place
            lines.append(f"place = {{ col = {p.col}, span = {p.span}, row = {p.row}, "
                         f"rows = {p.rows} }}")
        if module.banner:
            lines += _toml_lines([("banner", module.banner.name),
                                  ("banner-pinyin", module.banner.pinyin)])
    return lines


def edition_toml(edition: Edition) -> str:
    """The edition's ``edition.toml``."""
    lines = _toml_lines([
        ("id", edition.id), ("title", edition.title), ("language", edition.language),
        ("date", edition.date), ("date-inferred", True if edition.date_inferred else None),
        ("date-note", edition.date_note), ("publication", edition.publication),
        ("publisher", edition.publisher), ("editor", edition.editor),
        ("paper", None if edition.paper == "broadsheet" else edition.paper),
        ("writing-mode", None if edition.writing_mode == "horizontal-tb"
         else edition.writing_mode)])
    for page in edition.pages:
        lines += _page_toml(page)
    for fix in edition.corrections:
        lines += ["", "[[corrections]]", *_toml_lines([
            ("file", fix.file), ("original", fix.original), ("fix", fix.fix),
            ("reason", fix.reason), ("applied", fix.applied)])]
    return "\n".join(lines) + "\n"


def edition_files(edition: Edition) -> dict[str, str]:
    """Every text file of the edition folder, by file name: ``edition.toml`` first, then the
    module files in reading order. Pure: nothing is read or written."""
    files = {"edition.toml": edition_toml(edition)}
    for module in edition.modules:
        name = module_file_name(module)
        if name in files:
            raise ValueError(f"two modules have the id '{module.id}'")
        files[name] = module_text(module)
    return files


# --- writing --------------------------------------------------------------------------------


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _copy_images(edition: Edition, source: Path, folder: Path) -> None:
    images = sorted({fig.image for module in edition.modules for fig in module.figures
                     if fig.image is not None})
    for image in images:
        if not inside(folder, image):
            raise ValueError(f"image '{image}' is not a path inside the edition folder")
        origin, target = source / image, folder / image
        if not origin.is_file():
            raise FileNotFoundError(f"image '{image}' not found in '{source}'")
        if target.exists() and target.resolve() == origin.resolve():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(target, origin.read_bytes())


def write_edition(edition: Edition, folder: Path, *, images_from: Path | None = None) -> None:
    """Write ``edition`` into ``folder`` (created if need be) so that it loads back equal.

    Files are UTF-8 with LF line ends, each written atomically; the same model gives the same
    bytes. Module files come first and ``edition.toml`` last. Figure images are copied from
    ``images_from`` (default: the folder the edition was loaded from). Other files already in
    ``folder`` are left alone.
    """
    files = edition_files(edition)
    folder.mkdir(parents=True, exist_ok=True)
    _copy_images(edition, images_from or Path(edition.source.path).parent, folder)
    for name in [*list(files)[1:], "edition.toml"]:
        _write_atomic(folder / name, files[name].encode("utf-8"))
