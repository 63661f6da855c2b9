"""A whole daily for tests and benchmarks: an edition of many copies of one edition's page.

:func:`multiply` is shared by ``tools/bench.py`` (``make bench``: 16- and 48-page editions)
and the tests (``tests/conftest.py`` loads this file and offers it as the ``multiply``
fixture), so both measure and check the same kind of edition.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path


def multiply(sample: Path, target: Path, count: int) -> Path:
    """An edition in ``target`` of ``count`` copies of ``sample``'s (first) page, each copy
    with its own module files (``lead-01.md``, ``lead-02.md`` …), so that an edit to one
    page's module touches that page only. ``sample``'s corrections are left out."""
    target.mkdir(parents=True)
    text = (sample / "edition.toml").read_text(encoding="utf-8")
    head, _, rest = text.partition("[[pages]]")
    page = rest.partition("[[corrections]]")[0]
    blocks = []
    for n in range(1, count + 1):
        block = "[[pages]]" + page
        for name in re.findall(r'file = "([^"]+)"', page):
            copy = f"{name[:-3]}-{n:02d}.md"
            shutil.copy(sample / name, target / copy)
            block = block.replace(f'"{name}"', f'"{copy}"')
        blocks.append(block)
    (target / "edition.toml").write_text(head + "".join(blocks), encoding="utf-8")
    return target
