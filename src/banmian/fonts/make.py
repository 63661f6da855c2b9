"""Make banmian's faces from Debian's font packages: ``make fonts``, or
``python -m banmian.fonts.make [--out DIR] [--update-manifest]``.

Each face named in ``banmian/data/faces.toml`` is written whole — every glyph, the source's
glyph order, its CFF untouched (so CIDs stay equal to glyph ids, which PDF readers that
follow the specification rely on) — as a standalone font: a collection (``.ttc``) is never
used, since WeasyPrint takes a collection's first face, and the wanted face is found by its
name table, not by a trusted index. Only the name table changes, for fonts whose names are
OFL Reserved Font Names (LXGW WenKai → "Banmian WenKai", HanaMinB → "Banmian Fallback").

Output goes to :data:`banmian.fonts.FONTS_DIR` with the licence texts (from each package's
``copyright`` file). The digests are compared with ``fonts/manifest.toml``; a difference is
reported, not fatal (other package versions make other bytes); ``--update-manifest`` rewrites
the manifest. A face already made with the manifest's digest is not made again.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTCollection, TTFont

from banmian.fonts import FONTS_DIR, SOURCE_FONTS, face_entries, packages
from banmian.fonts.manifest import recorded

#: Name IDs that present the font's name to users (OFL condition 3).
PRIMARY_NAME_IDS = (1, 3, 4, 6, 16, 17, 18, 21, 22, 25)
#: The manifest ``--update-manifest`` rewrites: the source tree's.
MANIFEST = SOURCE_FONTS / "manifest.toml"
DOC_DIR = Path("/usr/share/doc")


def fail(message: str) -> None:
    """Stop with a message on stderr."""
    sys.exit(f"make fonts: {message}")


def made_entries() -> list[dict[str, Any]]:
    """The faces that have a file of their own, each file once."""
    found: dict[str, dict[str, Any]] = {}
    for entry in face_entries():
        if "file" in entry:
            found.setdefault(entry["file"], entry)
    return list(found.values())


def check_sources(entries: Sequence[dict[str, Any]]) -> None:
    """Refuse to run unless Debian's font files are installed, naming the packages."""
    absent = sorted({e["package"] for e in entries if not Path(e["source"]).is_file()})
    if absent:
        fail(f"Debian's font files are missing: apt-get install {' '.join(absent)}")


def open_face(source: Path, family: str, style: str) -> TTFont:
    """The face of ``source`` whose name table says ``family`` and ``style`` (lazy)."""
    with source.open("rb") as stream:
        collection = stream.read(4) == b"ttcf"
    candidates = TTCollection(source, lazy=True).fonts if collection else [
        TTFont(source, lazy=True, recalcTimestamp=False)]
    for font in candidates:
        name = font["name"]
        if (name.getDebugName(1), name.getDebugName(2)) == (family, style):
            font.recalcTimestamp = False
            font.recalcBBoxes = False
            return font
    fail(f"no face {family} {style} in {source}")
    raise AssertionError  # unreachable: fail() exits


def rename(font: TTFont, entry: dict[str, Any]) -> None:
    """Replace Reserved Font Names in the user-facing names, then check none is left."""
    pairs = [tuple(pair) for pair in entry.get("rename", [])]
    for record in font["name"].names:
        if record.nameID not in PRIMARY_NAME_IDS:
            continue
        text = record.toUnicode()
        for old, new in pairs:
            text = text.replace(old, new)
        if record.nameID == 6 and "postscript-name" in entry:
            text = entry["postscript-name"]
        record.string = text
        left = [rfn for rfn in entry.get("reserved", []) if rfn in text]
        if left:
            fail(f"{entry['file']}: name ID {record.nameID} still uses {left}")


def cids_are_glyph_ids(font: TTFont) -> bool:
    """Whether a CID-keyed CFF's glyph names are ``cidNNNNN`` with NNNNN its glyph id."""
    if "CFF " not in font:
        return True
    order = font.getGlyphOrder()
    return all(name == f"cid{gid:05d}" for gid, name in enumerate(order) if gid)


def make_face(entry: dict[str, Any], out_dir: Path) -> Path:
    """Write one face whole to ``out_dir``; return its path."""
    family, style = entry["source-name"]
    font = open_face(Path(entry["source"]), family, style)
    if entry.get("rename"):
        rename(font, entry)
    final = out_dir / str(entry["file"])
    tmp = out_dir / f".{entry['file']}.tmp"
    try:
        font.save(tmp, reorderTables=False)
        with TTFont(tmp, lazy=True) as check:
            if not cids_are_glyph_ids(check):
                fail(f"{entry['file']}: CFF CIDs differ from glyph ids")
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return final


def sha256(path: Path) -> str:
    """The SHA-256 of a file, read in chunks (the faces are 15-30 MB). Not the cached
    :func:`banmian.fonts.subset.font_digest`: this process rewrites the files it hashes."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def describe(path: Path) -> dict[str, Any]:
    """What the manifest records of a made face."""
    with TTFont(path, lazy=True) as font:
        glyphs, family = int(font["maxp"].numGlyphs), str(font["name"].getDebugName(1))
    return {"sha256": sha256(path),
            "bytes": path.stat().st_size, "glyphs": glyphs, "family": family}


def package_version(package: str) -> str:
    """The installed Debian version of ``package``."""
    try:
        done = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                              capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip()


def licence_body(package: str, licence_name: str) -> str:
    """The licence text named ``licence_name`` in a package's Debian copyright file."""
    copyright_file = DOC_DIR / package / "copyright"
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    head = f"License: {licence_name}"
    starts = [i for i, line in enumerate(lines[:-1])
              if line == head and lines[i + 1].startswith(" ")]
    if not starts:
        fail(f"no {licence_name} licence text in {copyright_file}")
    body: list[str] = []
    for line in lines[starts[0] + 1:]:
        if not line.startswith(" "):
            break
        body.append("" if line.strip() == "." else line[1:])
    return "\n".join(body).strip()


def licence_text(package: str, facts: dict[str, Any], made: Sequence[dict[str, Any]]) -> str:
    """A licence file: upstream's notice, the faces made and their copyright lines, and the
    licence from the package's copyright file."""
    names = []
    for entry in made:
        family, style = entry["source-name"]
        with open_face(Path(entry["source"]), family, style) as font:
            notice = "; ".join(str(font["name"].getDebugName(0)).splitlines())
        names.append(f"  {family} {style} -> {entry['file']} ({notice})")
    return "\n".join([
        facts["notice"], "",
        "Whole faces (only their names changed, where a Reserved Font Name asks it), made by",
        f"banmian.fonts.make from the Debian package {package} {package_version(package)}:",
        *names, "", f"The licence below is copied from /usr/share/doc/{package}/copyright.", "",
        licence_body(package, facts["licence-name"])]) + "\n"


def write_licences(out_dir: Path, entries: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Write each package's licence beside the faces; return package → version."""
    versions = {}
    for package in dict.fromkeys(e["package"] for e in entries):
        facts = packages()[package]
        made = [e for e in entries if e["package"] == package]
        (out_dir / facts["licence"]).write_text(licence_text(package, facts, made), "utf-8")
        versions[package] = package_version(package)
    return versions


def manifest_text(versions: dict[str, str], files: dict[str, dict[str, Any]]) -> str:
    """``fonts/manifest.toml``: the source package versions and each face's digest."""
    lines = ["# The faces `make fonts` makes (banmian.fonts.make), and what they were made from.",
             "# Rewritten by `python -m banmian.fonts.make --update-manifest`; a build whose",
             "# faces differ from these digests says so (BM202).", "", "[packages]"]
    lines += [f'{package} = "{version}"' for package, version in versions.items()]
    for name, facts in files.items():
        lines += ["", f'[files."{name}"]', f'sha256 = "{facts["sha256"]}"',
                  f"bytes = {facts['bytes']}", f"glyphs = {facts['glyphs']}",
                  f'family = "{facts["family"]}"']
    return "\n".join(lines) + "\n"


def up_to_date(path: Path, known: dict[str, Any]) -> bool:
    """Whether ``path`` exists with the size and digest the manifest records."""
    facts = known.get(path.name)
    if not facts or not path.is_file() or path.stat().st_size != facts.get("bytes"):
        return False
    return sha256(path) == str(facts.get("sha256"))


def main(argv: Sequence[str] | None = None) -> None:
    """Make every face and licence file; compare with (or rewrite) the manifest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FONTS_DIR)
    parser.add_argument("--update-manifest", action="store_true")
    args = parser.parse_args(argv)
    entries = made_entries()
    check_sources(entries)
    args.out.mkdir(parents=True, exist_ok=True)
    known, files = recorded(), {}
    for entry in entries:
        path = args.out / entry["file"]
        if args.update_manifest or not up_to_date(path, known):
            make_face(entry, args.out)
        files[entry["file"]] = facts = describe(path)
        same = known.get(entry["file"], {}).get("sha256") == facts["sha256"]
        print(f"{path}: {facts['bytes']:,} bytes, {facts['glyphs']:,} glyphs, "
              f"sha256 {facts['sha256'][:16]}" + ("" if same else "  (differs from manifest)"))
    versions = write_licences(args.out, entries)
    if args.update_manifest:
        write_licences(SOURCE_FONTS, entries)
        MANIFEST.write_text(manifest_text(versions, files), encoding="utf-8")
        print(f"wrote {MANIFEST}")


if __name__ == "__main__":
    main()
