"""One module file: TOML front matter between ``+++`` lines, then a Markdown body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from banmian.content.fields import Fields
from banmian.content.files import KeyLines, not_a_file, parse_toml, read_text
from banmian.content.markdown import parse_body, parse_paragraphs
from banmian.diagnostics import InputError, Reporter, error, warning
from banmian.model import (
    Banner,
    Brief,
    Figure,
    FigureRef,
    Module,
    Paragraph,
    Placement,
    Role,
    Section,
    Source,
)

#: Paragraphs longer than this get a warning (BM115): real newspaper paragraphs are far shorter.
LONG_PARAGRAPH = 5000
#: Paragraphs longer than this are refused (BM116) before any layout: no page holds them.
MAX_PARAGRAPH = 250_000
#: Longest headline, kicker, subhead, brief title or banner, and longest deck (BM117).
MAX_HEADING, MAX_DECK = 200, 1000
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ASPECT = re.compile(r"^\s*(\d{1,3})\s*:\s*(\d{1,3})\s*$")
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

#: Front-matter keys each role accepts.
ROLE_KEYS: dict[Role, set[str]] = {
    "lead": {"kicker", "headline", "deck", "byline", "contributor", "figures"},
    "profile": {"kicker", "headline", "deck", "byline", "contributor", "figures"},
    "commentary": {"headline", "deck", "pen-name", "contributor", "figures"},
    "briefs": {"items"},
    "article": {"kicker", "headline", "deck", "byline", "contributor", "figures"},
}
REQUIRED: dict[Role, set[str]] = {
    "lead": {"headline"}, "profile": {"headline"}, "commentary": {"headline"},
    "briefs": {"items"}, "article": set(),
}
TEXT_KEYS = {"kicker", "headline", "deck", "byline", "pen-name", "contributor"}
FIGURE_KEYS = {"id", "caption", "credit", "alt", "image", "aspect"}
ITEM_KEYS = {"title", "dateline", "body", "contributor"}


@dataclass(frozen=True)
class ModuleSpec:
    """What edition.toml says about a module: file, role, placement and banner."""

    id: str
    file: str
    role: Role
    source: Source
    place: Placement | None = None
    banner: Banner | None = None


def split_front_matter(text: str, display: str) -> tuple[str, str, int]:
    """Return (front matter, body, first line of body); the front matter may be absent."""
    lines = text.split("\n")
    if lines[0].strip() == "---":
        raise InputError([error("BM109", "front matter must be TOML between +++ lines "
                                "(YAML between --- lines is not supported)", Source(display, 1))])
    if lines[0].strip() != "+++":
        return "", text, 1
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "+++":
            return "\n".join(lines[1 : number - 1]), "\n".join(lines[number:]), number + 1
    raise InputError([error("BM109", "front matter opened with +++ is never closed",
                            Source(display, 1))])


def _safe_image(value: str, edition_dir: Path, source: Source) -> InputError | None:
    if not inside(edition_dir, value):
        return InputError([error(
            "BM113", f"image '{value}' must be a path inside the edition folder", source)])
    if problem := not_a_file(edition_dir / value):
        return InputError([error("BM113", f"image file '{value}' {problem}", source)])
    return None


def _figure(fields: Fields, edition_dir: Path) -> Figure | None:
    fields.check_keys(FIGURE_KEYS, "a figure")
    fig_id = fields.text("id", required=True)
    caption = fields.text("caption", required=True)
    if fig_id is not None and not _ID.match(fig_id):
        fields.reporter.add(error("BM105", f"figure id '{fig_id}' must match [a-z0-9-]",
                                  fields.at("id")))
        return None
    image = fields.text("image")
    if image is not None and (problem := _safe_image(image, edition_dir, fields.at("image"))):
        fields.reporter.add(problem.diagnostics[0])
        return None
    aspect = (3, 2)
    raw_aspect = fields.text("aspect")
    if raw_aspect is not None:
        match = _ASPECT.match(raw_aspect)
        if not match or 0 in (int(match.group(1)), int(match.group(2))):
            fields.reporter.add(error("BM105", 'aspect must look like "3:2"', fields.at("aspect")))
        else:
            aspect = (int(match.group(1)), int(match.group(2)))
    if fig_id is None or caption is None:
        return None
    return Figure(fig_id, caption, fields.source, fields.text("credit"), fields.text("alt"),
                  image, aspect)


def _brief(fields: Fields) -> Brief | None:
    fields.check_keys(ITEM_KEYS, "a brief")
    title = fields.text("title", required=True)
    body = fields.text("body", required=True)
    if title is None or body is None:
        return None
    return Brief(title, parse_paragraphs(body, fields.at("body")), fields.source,
                 fields.text("dateline"), fields.text("contributor"))


def _check_figures(figures: tuple[Figure, ...], sections: tuple[Section, ...],
                   declared: set[Any], reporter: Reporter) -> None:
    """Duplicate figure ids, and references to no figure or placed twice; a reference to a
    figure whose own table was refused (a bad image, say) is not reported a second time."""
    known: dict[str, Figure] = {}
    for fig in figures:
        if fig.id in known:
            reporter.add(error("BM112", f"duplicate figure id '{fig.id}'", fig.source))
        known[fig.id] = fig
    placed: set[str] = set()
    for section in sections:
        for block in section.blocks:
            if not isinstance(block, FigureRef):
                continue
            if block.figure_id not in known:
                if block.figure_id in declared:
                    continue  # the figure's own error has been reported
                reporter.add(error("BM111", f"no figure with id '{block.figure_id}'",
                                   block.source))
            elif block.figure_id in placed:
                reporter.add(error("BM111", f"figure '{block.figure_id}' placed twice",
                                   block.source))
            placed.add(block.figure_id)


def inside(folder: Path, relative: str) -> bool:
    """Whether ``relative`` names a file inside ``folder`` (no URL, no ``..``, no link out)."""
    if _URL.match(relative) or relative.startswith(("/", "\\")) or ".." in Path(relative).parts:
        return False
    return (folder / relative).resolve().is_relative_to(folder.resolve())


def _check_length(sections: tuple[Section, ...], briefs: tuple[Brief, ...],
                  reporter: Reporter, warnings: Reporter) -> None:
    """BM116 for a paragraph no page can hold, BM115 (a warning) for a merely long one."""
    paragraphs = [b for s in sections for b in s.blocks if isinstance(b, Paragraph)]
    paragraphs += [p for brief in briefs for p in brief.paragraphs]
    for para in paragraphs:
        if len(para.text) > MAX_PARAGRAPH:
            reporter.add(error("BM116", f"paragraph of {len(para.text):,} characters: the limit "
                               f"is {MAX_PARAGRAPH:,} (split it at its paragraph breaks)",
                               para.source))
        elif len(para.text) > LONG_PARAGRAPH:
            warnings.add(warning("BM115", f"paragraph of {len(para.text)} characters "
                                 "(a missing paragraph break?)", para.source))


def _check_headings(fields: Fields, values: dict[str, str | None],
                    sections: tuple[Section, ...], briefs: tuple[Brief, ...]) -> None:
    """BM117 for a headline, kicker, deck, subhead or brief title too long for any page."""
    found = [(f"'{key}'", value, fields.at(key)) for key, value in values.items() if value]
    found += [("subhead", s.subhead, s.source) for s in sections if s.subhead]
    found += [("brief title", b.title, b.source) for b in briefs]
    for what, text, source in found:
        most = MAX_DECK if what == "'deck'" else MAX_HEADING
        if len(text) > most:
            fields.reporter.add(error("BM117", f"{what} of {len(text):,} characters: the limit "
                                      f"is {most:,} (is body copy in it?)", source))


def _read_module(spec: ModuleSpec, edition_dir: Path, display: str
                 ) -> tuple[Fields, str, int]:
    """The module file's front matter as checkable fields, its body and the body's first line."""
    if not inside(edition_dir, spec.file):
        raise InputError([error("BM107", f"module file '{spec.file}' must be inside the "
                                "edition folder", spec.source)])
    if problem := not_a_file(edition_dir / spec.file):
        raise InputError([error("BM107", f"module file '{spec.file}' {problem}", spec.source)])
    text = read_text(edition_dir / spec.file, display)
    front, body, body_line = split_front_matter(text, display)
    data: dict[str, Any] = parse_toml(front, display, first_line=2) if front else {}
    lines = KeyLines.scan(front, display, first_line=2)
    return Fields(data, lines, "", 0, Reporter()), body, body_line


def _check_briefs(fields: Fields, briefs: tuple[Brief, ...], sections: tuple[Section, ...],
                  body_source: Source) -> None:
    if "items" in fields.data and not briefs:
        fields.reporter.add(error("BM104", "a briefs module needs at least one [[items]] entry",
                                  fields.at("items")))
    if any(s.blocks or s.subhead for s in sections):
        fields.reporter.add(error("BM105", "a briefs module keeps its copy in [[items]], not "
                                  "in the body", body_source))


def load_module(spec: ModuleSpec, edition_dir: Path, display: str,
                warnings: Reporter | None = None) -> Module:
    """Read and validate one module file into a :class:`Module`; warnings go to ``warnings``."""
    fields, body, body_line = _read_module(spec, edition_dir, display)
    lines, reporter = fields.lines, fields.reporter
    article = "an" if spec.role[0] in "aeiou" else "a"
    fields.check_keys(ROLE_KEYS[spec.role], f"{article} {spec.role} module")
    values = {key: fields.text(key, required=key in REQUIRED[spec.role])
              for key in TEXT_KEYS & ROLE_KEYS[spec.role]}
    figures = tuple(f for i, raw in enumerate(fields.tables("figures"))
                    if (f := _figure(Fields(raw, lines, "figures", i, reporter), edition_dir)))
    briefs = tuple(b for i, raw in enumerate(fields.tables("items", required="items" in
                                                            REQUIRED[spec.role]))
                   if (b := _brief(Fields(raw, lines, "items", i, reporter))))
    sections = parse_body(body, display, body_line)
    if spec.role == "briefs":
        _check_briefs(fields, briefs, sections, Source(display, body_line))
    declared = {raw.get("id") for raw in fields.tables("figures")}
    _check_figures(figures, sections, declared, reporter)
    if not (sections or briefs or fields.data.get("figures") or any(values.values())):
        reporter.add(error("BM104", "the module has no copy", Source(display, 1)))
    _check_headings(fields, values, sections, briefs)
    _check_length(sections, briefs, reporter, warnings or Reporter())
    reporter.raise_errors()
    return Module(
        id=spec.id, role=spec.role, source=Source(display, 1),
        headline=values.get("headline"), kicker=values.get("kicker"), deck=values.get("deck"),
        byline=values.get("byline"), pen_name=values.get("pen-name"),
        contributor=values.get("contributor"),
        figures=figures, sections=sections, briefs=briefs,
        banner=spec.banner, place=spec.place,
        field_lines=tuple(sorted((key, line) for (table, _, key), line in lines.keys.items()
                                 if table == "")),
    )
