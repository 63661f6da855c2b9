"""``banmian lint``: check editions and raw page text without building anything.

An edition is loaded (every content-format error, with its line), its fonts are checked (BM200),
and its copy is proofread with the BM5xx rules of :mod:`banmian.proofread` (documented in
``docs/lint-rules.md``); ``lint.toml`` in the edition folder suppresses deliberate exceptions.
A raw text file (anything that is not an edition) is read as ``banmian import`` reads it, and
the same rules point at its lines and columns.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from banmian.build import load_checked
from banmian.chinese.banner import banner_message
from banmian.chinese.chars import CLOSE_AFTER, ends_sentence
from banmian.chinese.script import mixed_script
from banmian.diagnostics import BanmianError, Diagnostic, Reporter, error
from banmian.model import Edition, Paragraph, Source, TextItem, copy_text
from banmian.proofread import suppress
from banmian.proofread.raw import lint_raw
from banmian.proofread.rules import RULES, Hit, check_paragraph, collapse
from banmian.storage import display_path


@dataclass(frozen=True)
class Finding:
    """A hit in one piece of copy, before suppressions: the copy and where it is."""

    hit: Hit
    context: str
    source: Source


def _editions(paths: Iterable[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_dir() and not (path / "edition.toml").exists():
            children = sorted(p for p in path.iterdir() if (p / "edition.toml").is_file())
            yield from children or [path]
        else:
            yield path


class Locator:
    """Finds a piece of copy in its file, to turn an offset into ``line:col``."""

    def __init__(self, path: Path) -> None:
        self.flat = ""
        self.where: list[tuple[int, int]] = []
        self.line_start: dict[int, int] = {}
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        for number, line in enumerate(text.split("\n"), start=1):
            self.line_start[number] = len(self.flat)
            self.flat += line
            self.where += [(number, col) for col in range(1, len(line) + 1)]

    def source(self, text: str, hint: Source, offset: int) -> Source:
        start = self.flat.find(text, self.line_start.get(hint.line, 0))
        if start == -1:
            start = self.flat.find(text)
        if start == -1 or start + offset >= len(self.where):
            return hint
        line, col = self.where[start + offset]
        return Source(hint.path, line, col)


def _item_findings(items: list[TextItem], locators: dict[str, Locator]) -> Iterator[Finding]:
    for index, item in enumerate(items):
        if item.role == "banner":
            continue
        following = items[index + 1].text if index + 1 < len(items) else ""
        locator = locators.setdefault(item.source.path, Locator(Path(item.source.path)))
        for hit in check_paragraph(item.text, continued=following.startswith("“")):
            yield Finding(hit, item.text, locator.source(item.text, item.source, hit.offset))


def _banner_findings(edition: Edition) -> Iterator[Finding]:
    banners = [p.banner for p in edition.pages] + [m.banner for m in edition.modules]
    for banner in banners:
        if banner is None or not banner.pinyin:
            continue
        message = banner_message(banner.name, banner.pinyin)
        if message:
            yield Finding(Hit(0, "BM505", message), banner.pinyin, banner.source)


def _script_findings(edition: Edition, locators: dict[str, Locator]) -> Iterator[Finding]:
    everything = copy_text(edition)
    for module in edition.modules:
        items = [i for i in everything if i.module is module]
        for index, odd, message in mixed_script([i.text for i in items]):
            item = items[index]
            locator = locators.setdefault(item.source.path, Locator(Path(item.source.path)))
            yield Finding(Hit(odd[0], "BM506", message), item.text,
                          locator.source(item.text, item.source, odd[0]))


def _split_findings(edition: Edition, locators: dict[str, Locator]) -> Iterator[Finding]:
    for module in edition.modules:
        for section in module.sections:
            blocks = section.blocks
            for block, after in itertools.pairwise(blocks):
                if not (isinstance(block, Paragraph) and isinstance(after, Paragraph)):
                    continue
                text = block.text.rstrip()
                if text and not (ends_sentence(text) or text.endswith(tuple(CLOSE_AFTER))):
                    locator = locators.setdefault(block.source.path,
                                                  Locator(Path(block.source.path)))
                    hit = Hit(len(text) - 1, "BM507", "paragraph ends mid-sentence and the "
                              "next one continues it: split at a column break?")
                    yield Finding(hit, text, locator.source(text, block.source, len(text) - 1))


def proofread_edition(edition: Edition) -> list[Finding]:
    """Every BM5xx finding in a loaded edition."""
    locators: dict[str, Locator] = {}
    items = copy_text(edition)
    return [*_item_findings(items, locators), *_banner_findings(edition),
            *_script_findings(edition, locators), *_split_findings(edition, locators)]


def _apply_suppressions(findings: list[Finding], folder: Path,
                        reporter: Reporter) -> list[Diagnostic]:
    rules, problems = suppress.load(folder)
    for problem in problems:
        reporter.add(problem)
    for finding in findings:
        file = Path(finding.source.path).name
        matched = [s for s in rules if s.matches(finding.hit.code, file, finding.context,
                                                 finding.hit.offset)]
        for rule in matched:
            rule.used = True
        if not matched:
            severity, _ = RULES[finding.hit.code]
            reporter.add(Diagnostic(severity, finding.hit.code, finding.hit.message,
                                    finding.source))
    for diagnostic in suppress.unused(rules):
        reporter.add(diagnostic)
    return reporter.diagnostics


def lint_edition(folder: Path, *, strict: bool = False) -> list[Diagnostic]:
    """Load, check fonts and proofread one edition."""
    reporter = Reporter(strict=strict)
    try:
        edition = load_checked(folder, reporter)
    except BanmianError as exc:
        return list(exc.diagnostics)
    return collapse(_apply_suppressions(proofread_edition(edition), folder, reporter))


def lint_paths(paths: Iterable[Path], *, strict: bool = False) -> list[Diagnostic]:
    """Every problem found in the editions and raw text files under ``paths``."""
    found: list[Diagnostic] = []
    for path in _editions(paths):
        if not path.exists():
            found.append(error("BM100", f"no such path '{path}'"))
        elif path.is_file() and path.name != "edition.toml":
            reporter = Reporter(strict=strict)
            for diagnostic in lint_raw(path, display_path(path)):
                reporter.add(diagnostic)
            found.extend(reporter.diagnostics)
        else:
            found.extend(lint_edition(path.parent if path.is_file() else path, strict=strict))
    return found


def to_json(diagnostics: Iterable[Diagnostic]) -> str:
    """The diagnostics as a JSON array of {path, line, col, severity, code, message}."""
    return json.dumps([
        {"path": d.source.path if d.source else None, "line": d.source.line if d.source else None,
         "col": d.source.col if d.source else None, "severity": d.severity, "code": d.code,
         "message": d.message}
        for d in diagnostics], ensure_ascii=False, indent=2)
