"""``fonts/manifest.toml``: the Debian package versions the faces were made from and each
face's SHA-256, committed so that "same input, same bytes" stays honest across machines.

A build whose faces differ from the manifest (made from other package versions, or by hand)
gets one warning (BM202) per differing file: its outputs will differ from those of a machine
with the recorded faces. Without a manifest (an installed wheel whose faces were made in
place) nothing is compared. Digests are cached on disk (:func:`banmian.fonts.subset.font_digest`).
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

from banmian.diagnostics import Diagnostic, warning
from banmian.fonts import faces
from banmian.fonts.subset import font_digest
from banmian.storage import data_dir

#: The manifest: the source tree's ``fonts/manifest.toml``, or the copy a wheel carries.
MANIFEST = data_dir("fonts") / "manifest.toml"


@functools.cache
def recorded(path: Path = MANIFEST) -> dict[str, Any]:
    """The manifest's ``[files]`` table; empty if there is no readable manifest."""
    try:
        with path.open("rb") as stream:
            return dict(tomllib.load(stream).get("files", {}))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def manifest_warnings(language: str) -> list[Diagnostic]:
    """BM202 for each face file of ``language`` whose digest is not the manifest's."""
    files = recorded()
    if not files:
        return []
    found = []
    for path in dict.fromkeys(face.path for face in faces(language).values()):
        facts = files.get(path.name)
        if facts is None or not path.is_file() or font_digest(path) != facts.get("sha256"):
            found.append(warning("BM202", f"font file {path.name} differs from "
                                          f"{MANIFEST.name}: outputs will not be byte-identical "
                                          "to those of a machine with the recorded faces (run "
                                          "`make fonts`, or update the manifest)"))
    return found
