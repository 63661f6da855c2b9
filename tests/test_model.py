"""The model: frozen nodes with sources, and copy_text as the list of what outputs must hold."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from banmian.content import load_edition
from banmian.model import Source, copy_text


def test_nodes_are_frozen(sample_dir: Path) -> None:
    edition = load_edition(sample_dir)
    with pytest.raises(dataclasses.FrozenInstanceError):
        edition.title = "x"  # type: ignore[misc]


def test_source_prints_path_and_line() -> None:
    assert str(Source("a/b.md", 3)) == "a/b.md:3"
    assert str(Source("a/b.md", 0)) == "a/b.md"


def test_copy_text_covers_every_field_with_its_line(sample_dir: Path) -> None:
    edition = load_edition(sample_dir)
    items = copy_text(edition)
    roles = {item.role for item in items}
    assert {"banner", "kicker", "headline", "byline", "pen-name", "subhead", "body", "caption",
            "credit", "contributor", "brief-title", "dateline"} <= roles
    pen = next(i for i in items if i.role == "pen-name")
    lines = Path(pen.source.path).read_text(encoding="utf-8").splitlines()
    assert "pen-name" in lines[pen.source.line - 1]
    for item in items:
        assert item.text.strip() == item.text and item.text
        assert item.source.line >= 1
