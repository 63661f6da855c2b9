"""Shared fixtures: the sample edition, a factory for small editions, and a CLI runner."""

from __future__ import annotations

import importlib.util
import shutil
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from banmian.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output (review the diff!)")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """``golden("hostile/x.txt", text)``: compare with the stored file, or rewrite it."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.is_file(), f"no golden file {path}: run pytest --update-golden and review"
        assert actual == path.read_text(encoding="utf-8"), f"differs from {path}"

    return check
SAMPLE = ROOT / "content" / "benxi-2020-02"
SEED = Path(__file__).resolve().parent / "fixtures" / "seed" / "000_d65a43b0fd7516ed.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Font-subset cache in one temporary folder for the whole session, never in the repo."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BANMIAN_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
        yield


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The sample edition in content/ (read only)."""
    return SAMPLE


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The raw seed page the sample edition was curated from."""
    return SEED


Multiply = Callable[[Path, Path, int], Path]


@pytest.fixture(scope="session")
def multiply() -> Multiply:
    """``multiply(sample, target, count)``: an edition of ``count`` copies of ``sample``'s
    page (``tools/daily.py``, which ``make bench`` uses too)."""
    spec = importlib.util.spec_from_file_location("banmian_daily", ROOT / "tools" / "daily.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    function: Multiply = module.multiply
    return function


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the sample edition, safe to modify."""
    target = tmp_path / SAMPLE.name
    shutil.copytree(SAMPLE, target)
    return target


EditionFactory = Callable[..., Path]

MINIMAL_TOML = """\
title = "测试版"
language = "zh-CN"
date = "2020-02-12"

[[pages]]
section = "要闻"
pinyin = "YAOWEN"

[[pages.modules]]
file = "story.md"
role = "article"
"""

MINIMAL_STORY = """\
+++
headline = "春风送暖"
+++

这是一段正文，用来测试。
"""


@pytest.fixture(scope="session")
def minimal_toml() -> str:
    """The edition.toml that ``make_edition`` writes by default (one page, one article)."""
    return MINIMAL_TOML


@pytest.fixture
def make_edition(tmp_path: Path) -> EditionFactory:
    """Write a small edition: ``make_edition(files={"edition.toml": ..., "story.md": ...})``."""

    def factory(name: str = "test-edition", files: dict[str, str | bytes] | None = None) -> Path:
        folder = tmp_path / name
        folder.mkdir(parents=True, exist_ok=True)
        contents: dict[str, str | bytes] = {"edition.toml": MINIMAL_TOML,
                                            "story.md": MINIMAL_STORY}
        contents.update(files or {})
        for file_name, content in contents.items():
            path = folder / file_name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        return folder

    return factory


@dataclass
class CliResult:
    status: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``banmian`` in-process and capture its output."""

    def runner(*args: str | Path) -> CliResult:
        status = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(status, captured.out, captured.err)

    return runner
