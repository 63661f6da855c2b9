"""Per-edition suppressions: ``lint.toml`` in the edition folder, each with a reason.

```toml
[[suppress]]
code = "BM504"                 # required: the rule
file = "lead.md"               # optional: only in this file of the edition
text = "草河镇镇黑峪村"          # optional: only findings inside this text
reason = "kept as printed; see [[corrections]] in edition.toml"   # required
```

A suppression that matches nothing is itself reported (BM510), so stale ones do not pile up.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from banmian.diagnostics import Diagnostic, error, warning
from banmian.model import Source
from banmian.storage import display_path

FILE = "lint.toml"
KEYS = {"code", "file", "text", "reason"}


@dataclass
class Suppression:
    """One ``[[suppress]]`` entry and whether it has matched a finding."""

    code: str
    reason: str
    source: Source
    file: str | None = None
    text: str | None = None
    used: bool = False

    def matches(self, code: str, file: str, context: str, offset: int) -> bool:
        if code != self.code or (self.file is not None and self.file != file):
            return False
        if self.text is None:
            return True
        start = context.find(self.text)
        while start != -1:
            if start <= offset < start + len(self.text):
                return True
            start = context.find(self.text, start + 1)
        return False


def load(folder: Path) -> tuple[list[Suppression], list[Diagnostic]]:
    """The edition's suppressions, and any problem with ``lint.toml`` (BM509)."""
    path = folder / FILE
    if not path.is_file():
        return [], []
    display = display_path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return [], [error("BM509", f"malformed {FILE}: {exc}", Source(display, 1))]
    found: list[Suppression] = []
    problems: list[Diagnostic] = []
    lines = path.read_text(encoding="utf-8").split("\n")
    tables = [n for n, line in enumerate(lines, start=1) if line.strip() == "[[suppress]]"]
    extra = set(data) - {"suppress"}
    if extra:
        problems.append(error("BM509", f"unknown key {sorted(extra)[0]!r} in {FILE}",
                              Source(display, 1)))
    for index, entry in enumerate(data.get("suppress", [])):
        source = Source(display, tables[index] if index < len(tables) else 1)
        if not isinstance(entry, dict) or set(entry) - KEYS or not all(
                isinstance(entry.get(k), str) and entry.get(k) for k in ("code", "reason")):
            problems.append(error("BM509", "a suppression needs 'code' and a 'reason' "
                                  f"(keys: {', '.join(sorted(KEYS))})", source))
            continue
        found.append(Suppression(entry["code"], entry["reason"], source, entry.get("file"),
                                 entry.get("text")))
    return found, problems


def unused(suppressions: list[Suppression]) -> list[Diagnostic]:
    """BM510 for every suppression that matched nothing."""
    return [warning("BM510", f"suppression of {s.code} matches no finding", s.source)
            for s in suppressions if not s.used]
