"""A module's Markdown body → model sections, paragraphs and figure references.

Only what a newspaper article needs is allowed: paragraphs, ``##`` subheads, emphasis, strong
and figure references (``![](#id)`` as a paragraph of its own). Anything else is an error, so the
build never drops or silently rewrites copy.
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from banmian.diagnostics import InputError, error
from banmian.model import Block, FigureRef, Paragraph, Section, Source, Span, Style

_FIGURE_REF = re.compile(r"^#([a-z0-9][a-z0-9-]*)$")
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\U00020000-\U0003ffff]")
_STYLE_OPEN = {"em_open": "em", "strong_open": "strong"}
_STYLE_CLOSE = {"em_close", "strong_close"}
_BREAK = re.compile("\n")


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "typographer": False})


def join_lines(first: str, second: str) -> str:
    """Join two lines of one paragraph: no space next to Han text, one space between Latin."""
    first, second = first.rstrip(), second.lstrip()
    if not first or not second:
        return first + second
    if _WIDE.match(first[-1]) or _WIDE.match(second[0]):
        return first + second
    return f"{first} {second}"


def _unsupported(token: Token, display: str, first_line: int) -> InputError:
    line = first_line + (token.map[0] if token.map else 0)
    what = token.type.removesuffix("_open").replace("_", " ")
    if token.type.startswith("heading"):
        what = f"heading level {token.tag[1:]} (use ## for subheads)"
    return InputError([error("BM110", f"unsupported Markdown: {what}", Source(display, line))])


def _spans(inline: Token, source: Source) -> tuple[Span, ...]:
    runs: list[tuple[Style, list[str]]] = []  # joined once at the end: linear in length
    styles: list[Style] = ["plain"]
    for child in inline.children or []:
        if child.type in ("text", "softbreak", "hardbreak"):
            text = "\n" if child.type != "text" else child.content
            if runs and runs[-1][0] == styles[-1]:
                runs[-1][1].append(text)
            else:
                runs.append((styles[-1], [text]))
        elif child.type in _STYLE_OPEN:
            styles.append("strong" if _STYLE_OPEN[child.type] == "strong" else "em")
        elif child.type in _STYLE_CLOSE:
            styles.pop()
        else:
            what = child.type.removesuffix("_open").replace("_", " ")
            raise InputError([error("BM110", f"unsupported Markdown: {what}", source)])
    return tuple(_join_breaks([Span("".join(texts), style) for style, texts in runs]))


def _join_breaks(spans: list[Span]) -> list[Span]:
    """Remove line breaks inside a paragraph, across span boundaries too (see join_lines)."""
    full = "".join(span.text for span in spans)
    around = _around_breaks(full)
    out: list[Span] = []
    offset = 0
    for span in spans:
        pieces: list[str] = []
        start = 0
        for match in _BREAK.finditer(span.text):
            pieces.append(span.text[start : match.start()])
            start = match.end()
            before, after = around[offset + match.start()]
            if before and after and join_lines(before, after) != before + after:
                pieces.append(" ")
        pieces.append(span.text[start:])
        offset += len(span.text)
        if text := "".join(pieces):
            out.append(Span(text, span.style))
    return out


def _around_breaks(full: str) -> dict[int, tuple[str, str]]:
    """For each line break in ``full``, the nearest non-blank character before and after it
    ('' if none), in time linear in the length of ``full`` (a huge paragraph stays fast)."""
    breaks = [match.start() for match in _BREAK.finditer(full)]
    bounds = [-1, *breaks, len(full)]
    before: list[str] = []
    last = ""
    for i in range(len(breaks)):
        segment = full[bounds[i] + 1 : bounds[i + 1]].rstrip()
        last = segment[-1] if segment else last
        before.append(last)
    after = [""] * len(breaks)
    following = ""
    for i in reversed(range(len(breaks))):
        segment = full[bounds[i + 1] + 1 : bounds[i + 2]].lstrip()
        following = segment[0] if segment else following
        after[i] = following
    return dict(zip(breaks, zip(before, after, strict=True), strict=True))


def _figure_ref(inline: Token, source: Source) -> FigureRef | None:
    children = inline.children or []
    if len(children) == 1 and children[0].type == "image":
        target = str(children[0].attrs.get("src", ""))
        match = _FIGURE_REF.match(target)
        if not match:
            raise InputError([error(
                "BM111", f"an image in the body must reference a figure as ![](#id), not "
                f"'{target}'", source)])
        return FigureRef(match.group(1), source)
    return None


def parse_body(text: str, display: str, first_line: int) -> tuple[Section, ...]:
    """Parse a module body whose first line is ``first_line`` of file ``display``."""
    sections: list[Section] = []
    subhead: str | None = None
    start = Source(display, first_line)
    blocks: list[Block] = []
    tokens = _parser().parse(text)
    for index, token in enumerate(tokens):
        source = Source(display, first_line + (token.map[0] if token.map else 0))
        if token.type == "heading_open" and token.tag == "h2":
            if blocks or subhead is not None:
                sections.append(Section(subhead, tuple(blocks), start))
            subhead = "".join(s.text for s in _spans(tokens[index + 1], source)).strip()
            blocks, start = [], source
        elif token.type == "paragraph_open":
            inline = tokens[index + 1]
            ref = _figure_ref(inline, source)
            blocks.append(ref or Paragraph(_spans(inline, source), source))
        elif token.type in ("inline", "paragraph_close", "heading_close"):
            continue
        else:
            raise _unsupported(token, display, first_line)
    if blocks or subhead is not None:
        sections.append(Section(subhead, tuple(blocks), start))
    return tuple(sections)


def parse_paragraphs(text: str, source: Source) -> tuple[Paragraph, ...]:
    """Split plain text (a brief's body) into paragraphs at blank lines."""
    paragraphs: list[Paragraph] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        joined = lines[0].strip()
        for line in lines[1:]:
            joined = join_lines(joined, line)
        paragraphs.append(Paragraph((Span(joined.strip()),), source))
    return tuple(paragraphs)
