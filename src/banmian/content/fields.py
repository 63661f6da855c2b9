"""Schema checks for one parsed TOML table: known keys, required keys and value types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from banmian.content.files import KeyLines
from banmian.diagnostics import Reporter, error
from banmian.model import Source

T = TypeVar("T")
_TYPE_NAMES = {str: "a string", bool: "true or false", int: "an integer", list: "an array",
               dict: "a table"}


@dataclass
class Fields:
    """A parsed table with its position; reads typed values and reports what is wrong."""

    data: dict[str, Any]
    lines: KeyLines
    table: str
    index: int
    reporter: Reporter

    @property
    def source(self) -> Source:
        return self.lines.table(self.table, self.index)

    def at(self, key: str) -> Source:
        return self.lines.key(self.table, self.index, key)

    def check_keys(self, allowed: set[str], what: str) -> None:
        for key in self.data:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.reporter.add(
                    error("BM103", f"unknown key '{key}' in {what} (known: {known})", self.at(key))
                )

    def get(self, key: str, kind: type[T], *, required: bool = False) -> T | None:
        if key not in self.data:
            if required:
                self.reporter.add(error("BM104", f"missing required key '{key}'", self.source))
            return None
        value = self.data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.reporter.add(
                error("BM105", f"'{key}' must be {_TYPE_NAMES.get(kind, kind.__name__)}",
                      self.at(key))
            )
            return None
        if kind is str and not value.strip():  # type: ignore[attr-defined]
            if required:
                self.reporter.add(error("BM104", f"'{key}' must not be empty", self.at(key)))
            return None
        return value

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.get(key, str, required=required)
        return value.strip() if value is not None else None

    def tables(self, key: str, *, required: bool = False) -> list[dict[str, Any]]:
        value = self.get(key, list, required=required)
        if value is None:
            return []
        if not all(isinstance(item, dict) for item in value):
            self.reporter.add(error("BM105", f"'{key}' must be an array of tables", self.at(key)))
            return []
        return value
