"""Overlapping ``place`` rectangles: an input error (BM105) naming both modules, in the loader,
``build`` and ``lint``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from banmian.content import load_edition
from banmian.diagnostics import InputError

Factory = Callable[..., Path]

TWO = """\
title = "测试版"
language = "zh-CN"
date = "2020-02-12"

[[pages]]

[[pages.modules]]
file = "a.md"
role = "article"
place = {{ {a} }}

[[pages.modules]]
file = "b.md"
role = "article"
place = {{ {b} }}
"""
STORY = '+++\nheadline = "标题"\n+++\n\n正文。\n'


def _edition(make_edition: Factory, a: str, b: str) -> Path:
    return make_edition(files={"edition.toml": TWO.format(a=a, b=b), "a.md": STORY,
                               "b.md": STORY})


@pytest.mark.parametrize(("a", "b"), [
    ("col = 1, span = 4, row = 1, rows = 10", "col = 4, span = 2, row = 10, rows = 5"),
    ("col = 1, span = 8, row = 1, rows = 20", "col = 3, span = 1, row = 5, rows = 1"),
    ("col = 3, span = 1, row = 5, rows = 1", "col = 1, span = 8, row = 1, rows = 20"),
])
def test_overlapping_places_are_an_error_naming_both(make_edition: Factory, a: str,
                                                      b: str) -> None:
    with pytest.raises(InputError) as exc:
        load_edition(_edition(make_edition, a, b))
    found = [(d.code, d.source.line if d.source else -1, d.message)
             for d in exc.value.diagnostics]
    assert found == [("BM105", 15, "place of 'b.md' overlaps the place of 'a.md' (line 10)")]


@pytest.mark.parametrize(("a", "b"), [
    ("col = 1, span = 4, row = 1, rows = 10", "col = 5, span = 4, row = 1, rows = 10"),
    ("col = 1, span = 4, row = 1, rows = 10", "col = 1, span = 4, row = 11, rows = 10"),
])
def test_touching_places_are_fine(make_edition: Factory, a: str, b: str) -> None:
    page = load_edition(_edition(make_edition, a, b)).pages[0]
    assert [m.place is not None for m in page.modules] == [True, True]


@pytest.mark.parametrize("command", ["build", "lint"])
def test_build_and_lint_exit_2_on_overlap(command: str, sample_copy: Path, tmp_path: Path,
                                          run_cli: Callable[..., Any]) -> None:
    toml = sample_copy / "edition.toml"
    text = toml.read_text(encoding="utf-8")
    old = "place = { col = 5, span = 4, row = 43, rows = 13 }"
    assert old in text
    toml.write_text(text.replace(old, "place = { col = 4, span = 4, row = 43, rows = 13 }"),
                    encoding="utf-8")
    extra = ["-o", str(tmp_path / "out"), "--format", "epub"] if command == "build" else []
    result = run_cli(command, sample_copy, *extra)
    assert result.status == 2
    assert (f"{toml}:31: error BM105: place of 'briefs.md' overlaps the place of "
            "'commentary.md' (line 26)") in result.err + result.out
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
