"""Reading content files: UTF-8 text with line-accurate errors, TOML with key positions."""

from __future__ import annotations

import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from banmian.diagnostics import InputError, error, os_error
from banmian.model import Source

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)|\s*\(at end of document\)")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")
#: The control characters (Unicode category Cc: C0, DEL and C1) but newline and tab.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NAME = re.compile(r"^\s*(?:\[\[?([^\]]*)|([^=\"']*)=)")
#: The most parts a table header or dotted key may have (``a.b.c`` has three).
MAX_KEY_DEPTH = 100


def not_a_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a content file (``"not found"``, ``"is a folder"``,
    ``"is a FIFO …"``), or None for a regular file. Never opens it: a FIFO would block."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "not found"
    except OSError as exc:
        return f"cannot be read ({(exc.strerror or type(exc).__name__).lower()})"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    return "is not a regular file (a FIFO, socket or device)"


def read_text(path: Path, display: str) -> str:
    """Read a UTF-8 file, normalising line ends; bad bytes or control characters are errors."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise os_error(exc, display) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            [error("BM108", f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", Source(display, line))]
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    check_controls(text, display)
    return text


def check_controls(text: str, display: str, first_line: int = 1) -> None:
    """Reject control characters (other than newline and tab) that no page can show."""
    found = _CONTROLS.search(text)
    if found:
        where = Source(display, first_line + text.count("\n", 0, found.start()))
        raise InputError([error("BM114", f"control character U+{ord(found.group()):04X}",
                                where)])


def _too_deep(text: str) -> int:
    """The first line whose table header or dotted key has more than :data:`MAX_KEY_DEPTH`
    parts (0 if none): tomllib takes time quadratic in their number, 18 s for 100,000."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.count(".") <= MAX_KEY_DEPTH or not (name := _NAME.match(line)):
            continue
        if (name.group(1) or name.group(2) or "").count(".") >= MAX_KEY_DEPTH:
            return number
    return 0


def parse_toml(text: str, display: str, first_line: int = 1) -> dict[str, Any]:
    """Parse TOML; a syntax error names the file and line."""
    deep = _too_deep(text)
    if deep:
        where = Source(display, deep + first_line - 1)
        raise InputError([error("BM102", "malformed TOML: a key or table name nested more "
                                f"than {MAX_KEY_DEPTH} levels deep", where)])
    try:
        return tomllib.loads(text)
    except RecursionError:  # tomllib recurses once per level of nested tables or arrays
        raise InputError([error("BM102", "malformed TOML: tables or arrays nested too deeply",
                                Source(display, first_line))]) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        line = text.count("\n") + 1
        if match and match.group(1):
            line = int(match.group(1))
        message = _TOML_POSITION.sub("", message)
        raise InputError(
            [error("BM102", f"malformed TOML: {message}", Source(display, line + first_line - 1))]
        ) from None


@dataclass
class KeyLines:
    """Where each table and key of a TOML text stands, for messages about parsed values.

    Tables are named by their dotted header and occurrence, e.g. ``("pages.modules", 2)`` for
    the third ``[[pages.modules]]`` in the file; the top level is ``("", 0)``.
    """

    display: str
    first_line: int = 1
    tables: dict[tuple[str, int], int] = field(default_factory=dict)
    keys: dict[tuple[str, int, str], int] = field(default_factory=dict)

    @classmethod
    def scan(cls, text: str, display: str, first_line: int = 1) -> KeyLines:
        found = cls(display, first_line)
        counts: dict[str, int] = {}
        table = ("", 0)
        found.tables[table] = first_line
        for offset, line in enumerate(text.split("\n")):
            number = first_line + offset
            header = _HEADER.match(line)
            if header:
                name = header.group(2).replace(" ", "")
                index = counts.get(name, 0)
                counts[name] = index + 1
                table = (name, index)
                found.tables[table] = number
                continue
            key = _KEY.match(line)
            if key:
                found.keys.setdefault((*table, key.group(1).strip('"')), number)
        return found

    def table(self, name: str, index: int = 0) -> Source:
        return Source(self.display, self.tables.get((name, index), self.first_line))

    def key(self, name: str, index: int, key: str) -> Source:
        line = self.keys.get((name, index, key))
        return Source(self.display, line) if line else self.table(name, index)
