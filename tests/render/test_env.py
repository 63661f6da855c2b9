"""The Jinja2 environment's compiled templates in the cache: a later process loads them
without compiling, a changed template is compiled again, and a cache that cannot be read or
written only costs the compiling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import DictLoader, Environment

from banmian.render.env import CompiledTemplates


def fresh(templates: dict[str, str]) -> Environment:
    """A new environment, as a new process has, over ``templates``, with the cache."""
    return Environment(loader=DictLoader(templates), bytecode_cache=CompiledTemplates())


def test_a_compiled_template_is_loaded_from_the_cache_and_recompiled_when_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BANMIAN_CACHE", str(tmp_path))
    compiled: list[str] = []
    real = Environment.compile

    def counting(self: Environment, source: Any, name: str | None = None, *args: Any,
                 **kwargs: Any) -> Any:
        compiled.append(str(name))
        return real(self, source, name, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", counting)
    assert fresh({"a.j2": "{{ x }}!"}).get_template("a.j2").render(x=1) == "1!"
    assert compiled == ["a.j2"] and len(list((tmp_path / "templates").iterdir())) == 1
    assert fresh({"a.j2": "{{ x }}!"}).get_template("a.j2").render(x=2) == "2!"
    assert compiled == ["a.j2"]  # from the cache
    assert fresh({"a.j2": "{{ x }}?"}).get_template("a.j2").render(x=3) == "3?"
    assert compiled == ["a.j2", "a.j2"]  # changed: compiled again


def test_a_damaged_or_unwritable_cache_only_costs_the_compiling(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BANMIAN_CACHE", str(tmp_path))
    fresh({"a.j2": "{{ x }}!"}).get_template("a.j2")
    [entry] = (tmp_path / "templates").iterdir()
    entry.write_bytes(entry.read_bytes()[:-40])  # truncated
    assert fresh({"a.j2": "{{ x }}!"}).get_template("a.j2").render(x=1) == "1!"
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("BANMIAN_CACHE", str(tmp_path / "file"))  # not a folder
    assert fresh({"a.j2": "{{ x }}!"}).get_template("a.j2").render(x=2) == "2!"
