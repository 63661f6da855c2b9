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


def test_every_diagnostic_code_is_documented_in_the_readme() -> None:
    """CODES is the one code table: a Diagnostic refuses any other code, and the README's
    table lists each (ranges such as BM501–BM510 included)."""
    import re
    from pathlib import Path

    import pytest

    from banmian.diagnostics import CODES, Diagnostic

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    listed: set[str] = set()
    for first, last in re.findall(r"\| (BM\d{3})(?:–(BM\d{3}))? \|", readme):
        listed.update(f"BM{n}" for n in range(int(first[2:]), int((last or first)[2:]) + 1))
    for pair in re.findall(r"\| (BM\d{3}), (BM\d{3}) \|", readme):
        listed.update(pair)
    assert set(CODES) <= listed
    with pytest.raises(ValueError, match="undocumented"):
        Diagnostic("error", "BM999", "x")
