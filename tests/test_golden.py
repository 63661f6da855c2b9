"""Golden EPUB trees: the unzipped EPUBs of the test editions, kept readable in tests/golden/epub/.

Text members (XHTML, OPF, NCX, CSS, XML) are stored as files; images as a line each in
MANIFEST.txt with size and SHA-256; fonts by name only (their bytes depend on the system's
HarfBuzz; tests/backends/test_epub.py checks what they contain). Any change to the output
shows up as a reviewable diff: ``pytest tests/test_golden.py --update-golden``, then read
``git diff``.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from banmian.build import build_edition

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden" / "epub"
TEXT_SUFFIXES = (".xhtml", ".opf", ".ncx", ".css", ".xml", "mimetype")


def unzipped(epub: Path) -> dict[str, str]:
    """Member name → text (text members) or one manifest line (binary members)."""
    members: dict[str, str] = {}
    manifest = []
    with zipfile.ZipFile(epub) as zf:
        for info in zf.infolist():
            data = zf.read(info)
            if info.filename.endswith(TEXT_SUFFIXES):
                members[info.filename] = data.decode("utf-8")
            elif info.filename.endswith((".otf", ".ttf")):
                manifest.append(f"{info.filename} (font)")
            else:
                digest = hashlib.sha256(data).hexdigest()
                manifest.append(f"{info.filename} {len(data)} {digest}")
        members["MANIFEST.txt"] = "\n".join(["# zip order: " + " ".join(zf.namelist()),
                                             *sorted(manifest)]) + "\n"
    return members


@pytest.mark.parametrize("edition", ["two-page", "benxi-2020-02"])
def test_epub_matches_golden_tree(edition: str, sample_dir: Path, tmp_path: Path,
                                  golden: Callable[[str, str], None],
                                  request: pytest.FixtureRequest) -> None:
    folder = sample_dir if edition == "benxi-2020-02" else FIXTURES / edition
    result = build_edition(folder, tmp_path, ["epub"])
    members = unzipped(result.outputs[0])
    stored = GOLDEN / edition
    if request.config.getoption("--update-golden") and stored.is_dir():
        for old in sorted(stored.rglob("*"), reverse=True):
            old.unlink() if old.is_file() else old.rmdir()
    expected = {str(p.relative_to(stored)) for p in stored.rglob("*") if p.is_file()}
    if not request.config.getoption("--update-golden"):
        assert sorted(members) == sorted(expected), "members added or removed"
    for name, text in members.items():
        golden(f"epub/{edition}/{name}", text)
