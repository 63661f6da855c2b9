"""Fixtures of the EPUB tests that open the book in Debian's headless Chromium, driven by
Playwright (``test_reflow.py``, ``test_headline_breaks.py``)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

SAMPLE = Path(__file__).resolve().parents[3] / "content" / "benxi-2020-02"
CHROMIUM = shutil.which("chromium")
#: How Chromium must be started here (a fresh --user-data-dir comes from the persistent context).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium (a fresh profile, a 390 × 844 phone screen) for the session; a
    test that needs it is skipped where Chromium or Playwright is missing."""
    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium (apt-get install chromium; make test installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        pytest.skip("needs the playwright package (pip install -e '.[test]')")
    with tempfile.TemporaryDirectory(prefix="banmian-chromium-") as profile, \
            sync_playwright() as play:
        context = play.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 390, "height": 844})
        yield context
        context.close()


@pytest.fixture(scope="session")
def vertical_sample() -> Callable[[Path], Path]:
    """``vertical_sample(folder)``: a copy of the sample in ``folder`` with
    ``writing-mode = "vertical-rl"``."""
    def copy(folder: Path) -> Path:
        shutil.copytree(SAMPLE, folder)
        toml = folder / "edition.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace(
            'language = "zh-CN"\n', 'language = "zh-CN"\nwriting-mode = "vertical-rl"\n', 1),
            encoding="utf-8")
        return folder

    return copy
