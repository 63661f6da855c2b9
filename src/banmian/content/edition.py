"""``edition.toml`` → the :class:`~banmian.model.Edition`, loading each module it lists."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from banmian.content.fields import Fields
from banmian.content.files import KeyLines, not_a_file, parse_toml, read_text
from banmian.content.modules import ModuleSpec, load_module
from banmian.diagnostics import InputError, Reporter, error

# Pure arithmetic on the paper sizes (it imports no WeasyPrint): the loader asks the print
# layout itself which grids it can lay out, so the two cannot disagree.
from banmian.grid import grid_limits, papers
from banmian.model import (
    DEFAULT_COLUMNS,
    DEFAULT_ROWS,
    ROLES,
    Banner,
    Correction,
    Edition,
    Module,
    Page,
    Paper,
    Placement,
    Role,
    Source,
    WritingMode,
)
from banmian.storage import display_path

EDITION_KEYS = {"id", "title", "language", "date", "date-inferred", "date-note", "publication",
                "publisher", "editor", "paper", "pages", "corrections", "writing-mode"}
PAGE_KEYS = {"label", "section", "pinyin", "columns", "rows", "modules"}
MODULE_KEYS = {"file", "role", "place", "banner", "banner-pinyin"}
PLACE_KEYS = ("col", "span", "row", "rows")
CORRECTION_KEYS = {"file", "original", "fix", "reason", "applied"}
LANGUAGES = ("zh-CN", "zh-TW")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

#: The paper names the model knows (data/papers.toml has a size for each).
PAPER_NAMES: tuple[Paper, ...] = get_args(Paper)
#: The writing modes an edition can ask of its EPUB.
WRITING_MODES: tuple[WritingMode, ...] = get_args(WritingMode)


def _valid_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def _grid_size(fields: Fields, key: str, default: int, most: int, paper: Paper) -> int | None:
    """The page's ``columns`` or ``rows``: ``default`` when unset, None (reported) when it is
    not an integer from 1 to ``most``."""
    if key not in fields.data:
        return default
    value = fields.get(key, int)  # reports a wrong type, booleans included
    if value is not None and not 1 <= value <= most:
        fields.reporter.add(error(
            "BM105", f"'{key}' must be from 1 to {most} on a {paper} page", fields.at(key)))
        return None
    return value


def _placement(fields: Fields, page_columns: int | None, page_rows: int | None
               ) -> Placement | None:
    """The module's ``place``; its fit is checked only on a grid that is itself valid."""
    raw = fields.get("place", dict)
    if raw is None:
        return None
    where = fields.at("place")
    unknown = sorted(set(raw) - set(PLACE_KEYS))
    values = [raw.get(k) for k in PLACE_KEYS]
    if unknown or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0
                          for v in values):
        fields.reporter.add(error(
            "BM105", "place must be { col, span, row, rows } with positive integers", where))
        return None
    place = Placement(*(int(v) for v in values if isinstance(v, int)))
    if page_columns is None or page_rows is None:
        return place
    if place.col + place.span - 1 > page_columns or place.row + place.rows - 1 > page_rows:
        fields.reporter.add(error(
            "BM105", f"place runs off the page's {page_columns}×{page_rows} grid", where))
        return None
    return place


def _module_spec(fields: Fields, columns: int | None, rows: int | None, used: set[str]
                 ) -> ModuleSpec | None:
    fields.check_keys(MODULE_KEYS, "a module entry")
    file = fields.text("file", required=True)
    role = fields.text("role", required=True)
    place = _placement(fields, columns, rows)
    banner_name = fields.text("banner")
    banner = (Banner(banner_name, fields.at("banner"), fields.text("banner-pinyin"))
              if banner_name else None)
    if role is not None and role not in ROLES:
        fields.reporter.add(error(
            "BM106", f"unknown role '{role}' (known: {', '.join(ROLES)})", fields.at("role")))
        return None
    if file is None or role is None:
        return None
    stem = re.sub(r"[^a-z0-9-]+", "-", Path(file).stem.lower()).strip("-") or "module"
    module_id, n = stem, 2
    while module_id in used:
        module_id, n = f"{stem}-{n}", n + 1
    used.add(module_id)
    role_value: Role = next(r for r in ROLES if r == role)
    return ModuleSpec(module_id, file, role_value, fields.at("file"), place, banner)


def _overlap(a: Placement, b: Placement) -> bool:
    """Whether two placements share a grid cell."""
    return (a.col < b.col + b.span and b.col < a.col + a.span
            and a.row < b.row + b.rows and b.row < a.row + a.rows)


def _check_overlaps(placed: list[tuple[str, Placement, Source]], reporter: Reporter) -> None:
    """Two modules whose ``place`` rectangles share a cell would print over each other."""
    for i, (file, place, where) in enumerate(placed):
        for other_file, other_place, other_where in placed[:i]:
            if _overlap(place, other_place):
                reporter.add(error(
                    "BM105", f"place of '{file}' overlaps the place of '{other_file}' "
                    f"(line {other_where.line})", where))


@dataclass(frozen=True)
class _PageSpec:
    """What edition.toml says about a page: its table, its grid and its modules."""

    fields: Fields
    columns: int
    rows: int
    modules: list[ModuleSpec]


def _page(fields: Fields, paper: Paper, first_module: int, used: set[str]) -> _PageSpec:
    fields.check_keys(PAGE_KEYS, "a page")
    most_columns, most_rows = grid_limits(paper)
    columns = _grid_size(fields, "columns", DEFAULT_COLUMNS, most_columns, paper)
    rows = _grid_size(fields, "rows", DEFAULT_ROWS, most_rows, paper)
    raw_modules = fields.tables("modules", required=True)
    if "modules" in fields.data and not raw_modules:
        fields.reporter.add(error("BM104", "a page needs at least one module", fields.source))
    specs: list[ModuleSpec] = []
    placed: list[tuple[str, Placement, Source]] = []
    for i, raw in enumerate(raw_modules):
        module_fields = Fields(raw, fields.lines, "pages.modules", first_module + i,
                               fields.reporter)
        if spec := _module_spec(module_fields, columns, rows, used):
            specs.append(spec)
            if spec.place is not None:
                placed.append((spec.file, spec.place, module_fields.at("place")))
    _check_overlaps(placed, fields.reporter)
    # An invalid grid has been reported: the edition stops before these defaults are used.
    return _PageSpec(fields, DEFAULT_COLUMNS if columns is None else columns,
                     DEFAULT_ROWS if rows is None else rows, specs)


def _corrections(top: Fields) -> tuple[Correction, ...]:
    out = []
    for i, raw in enumerate(top.tables("corrections")):
        fields = Fields(raw, top.lines, "corrections", i, top.reporter)
        fields.check_keys(CORRECTION_KEYS, "a correction")
        file, original = fields.text("file", required=True), fields.get("original", str,
                                                                       required=True)
        reason, applied = fields.text("reason", required=True), fields.get("applied", bool)
        fix = fields.get("fix", str)
        if applied and fix is None:
            top.reporter.add(error("BM104", "an applied correction needs 'fix'", fields.source))
        if file and original and reason:
            out.append(Correction(file, original, reason, bool(applied), fields.source, fix))
    return tuple(out)


def _check_top(top: Fields) -> None:
    top.check_keys(EDITION_KEYS, "edition.toml")
    for key in ("title", "language"):
        top.text(key, required=True)
    language, date = top.text("language"), top.text("date")
    if language is not None and language not in LANGUAGES:
        top.reporter.add(error("BM105", f"language must be one of {', '.join(LANGUAGES)}",
                               top.at("language")))
    if date is not None and not _valid_date(date):
        top.reporter.add(error("BM105", "date must be YYYY, YYYY-MM or YYYY-MM-DD",
                               top.at("date")))
    paper = top.text("paper")
    if paper is not None and paper not in papers():
        top.reporter.add(error("BM105", "paper must be broadsheet or tabloid", top.at("paper")))
    mode = top.text("writing-mode")
    if mode is not None and mode not in WRITING_MODES:
        top.reporter.add(error("BM105", f"writing-mode must be one of {', '.join(WRITING_MODES)}",
                               top.at("writing-mode")))


def _read_toml(folder: Path) -> tuple[dict[str, Any], KeyLines, str]:
    display = display_path(folder)
    if not folder.is_dir():
        what = "is a file, not an edition folder" if folder.exists() else "not found"
        raise InputError([error("BM100", f"edition folder '{display}' {what}",
                                Source(display, 0))])
    toml_path = folder / "edition.toml"
    toml_display = display_path(toml_path)
    problem = not_a_file(toml_path)
    if problem == "not found":
        raise InputError([error("BM101", "edition.toml missing: not an edition folder",
                                Source(toml_display, 0))])
    if problem:
        raise InputError([error("BM101", f"edition.toml {problem}: make it the edition's "
                                "TOML file", Source(toml_display, 0))])
    text = read_text(toml_path, toml_display)
    return parse_toml(text, toml_display), KeyLines.scan(text, toml_display), toml_display


def load_edition(folder: Path, warnings: Reporter | None = None) -> Edition:
    """Load the edition in ``folder``; raise :class:`InputError` listing what is wrong.

    Warnings (problems that do not stop a build) are added to ``warnings`` when given.
    """
    data, lines, _ = _read_toml(folder)
    reporter = Reporter()
    top = Fields(data, lines, "", 0, reporter)
    _check_top(top)
    edition_id = top.text("id") or folder.resolve().name
    if not _ID.match(edition_id):
        reporter.add(error("BM105", f"edition id '{edition_id}' must match [a-z0-9-] "
                           "(set 'id' in edition.toml)", top.at("id")))
    named_paper = top.text("paper")  # checked by _check_top; the default stands in for a bad one
    paper: Paper = next((p for p in PAPER_NAMES if p == named_paper), "broadsheet")
    named_mode = top.text("writing-mode")
    mode: WritingMode = next((m for m in WRITING_MODES if m == named_mode), "horizontal-tb")
    used: set[str] = set()
    page_specs: list[_PageSpec] = []
    first_module = 0
    raw_pages = top.tables("pages", required=True)
    if "pages" in data and not raw_pages:
        reporter.add(error("BM104", "an edition needs at least one page", top.source))
    for number, raw in enumerate(raw_pages, start=1):
        page_spec = _page(Fields(raw, lines, "pages", number - 1, reporter), paper,
                          first_module, used)
        first_module += len(page_spec.fields.tables("modules"))
        page_specs.append(page_spec)
    corrections = _corrections(top)
    reporter.raise_errors()
    _check_files_once([spec for page in page_specs for spec in page.modules], reporter)
    reporter.raise_errors()
    pages = tuple(_load_page(page, n, folder, warnings)
                  for n, page in enumerate(page_specs, start=1))
    return Edition(
        id=edition_id, title=top.text("title") or "", language=top.text("language") or "",
        date=top.text("date"), pages=pages, source=top.source,
        date_inferred=bool(top.get("date-inferred", bool)), date_note=top.text("date-note"),
        publication=top.text("publication"), publisher=top.text("publisher"),
        editor=top.text("editor"), paper=paper, corrections=corrections, writing_mode=mode,
    )


def _check_files_once(specs: list[ModuleSpec], reporter: Reporter) -> None:
    seen: dict[str, ModuleSpec] = {}
    for spec in specs:
        key = str(Path(spec.file))
        if key in seen:
            reporter.add(error("BM112", f"module file '{spec.file}' is listed twice (first at "
                               f"line {seen[key].source.line})", spec.source))
        seen.setdefault(key, spec)


def _load_page(page: _PageSpec, number: int, folder: Path, warnings: Reporter | None) -> Page:
    fields = page.fields
    modules: list[Module] = []
    for spec in page.modules:
        modules.append(load_module(spec, folder, display_path(folder / spec.file), warnings))
    section = fields.text("section")
    banner = Banner(section, fields.at("section"), fields.text("pinyin")) if section else None
    return Page(number=number, label=fields.text("label") or str(number), modules=tuple(modules),
                source=fields.source, banner=banner, columns=page.columns, rows=page.rows)
