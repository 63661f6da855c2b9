"""The faces in fonts/build/ (made by ``make fonts`` from Debian's packages) and banmian.fonts,
which names them: whole faces, CIDs equal to glyph ids, banmian's names, the manifest."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from banmian import fonts
from banmian.fonts.coverage import FontsMissing, cmap
from banmian.fonts.make import cids_are_glyph_ids, package_version

ROOT = Path(__file__).resolve().parents[2]
RESERVED = ("LXGW", "霞鹜", "Source", "Hanazono", "HanaMin", "花園")
FILES = {path.name: path for path in fonts.face_files()}
NOTO_KEYS = ("serif", "serif-bold", "sans-bold")


def gb2312_hanzi() -> set[str]:
    """GB2312's hanzi (rows 16-87), from Python's codec."""
    found: set[str] = set()
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                found.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def big5_hanzi() -> set[str]:
    """Big5's hanzi (the ideographs of lead bytes A4-F9), from Python's codec."""
    found: set[str] = set()
    for lead in range(0xA4, 0xFA):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            try:
                char = bytes((lead, trail)).decode("big5")
            except UnicodeDecodeError:
                continue
            if unicodedata.name(char, "").startswith(("CJK UNIFIED", "CJK COMPATIBILITY")):
                found.add(char)
    return found


def features(path: Path, tag: str) -> set[str]:
    """The feature tags in a font's GSUB or GPOS FeatureList."""
    with TTFont(path, lazy=True) as font:
        return {r.FeatureTag for r in font[tag].table.FeatureList.FeatureRecord} if tag in font \
            else set()


def test_no_font_binary_is_tracked() -> None:
    tracked = subprocess.run(["git", "ls-files", "fonts"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    assert tracked and not [name for name in tracked
                            if name.lower().endswith((".otf", ".ttf", ".ttc", ".woff", ".woff2"))]


@pytest.mark.parametrize("name", sorted(FILES))
def test_face_is_a_single_whole_font(name: str) -> None:
    path = FILES[name]
    magic = path.read_bytes()[:4]
    assert magic == (b"OTTO" if path.suffix == ".otf" else b"\x00\x01\x00\x00")
    with TTFont(path, lazy=True) as font:
        glyphs = int(font["maxp"].numGlyphs)
        # Whole faces: the Noto CJK faces have 65,535 glyphs, WenKai 29,145, HanaMinB 60,421.
        assert glyphs > 29_000
        assert cids_are_glyph_ids(font), "CFF CIDs must equal glyph ids (PDF readers use them)"


@pytest.mark.parametrize("name", sorted(FILES))
def test_names_are_banmian_or_noto_and_free_of_reserved_names(name: str) -> None:
    with TTFont(FILES[name], lazy=True) as font:
        names = {r.nameID: r.toUnicode() for r in font["name"].names if r.nameID in (1, 4, 6)}
    assert names[1].startswith(("Noto Serif CJK", "Noto Sans CJK", "Banmian "))
    assert not [rfn for text in names.values() for rfn in RESERVED if rfn in text]
    assert " " not in names[6]


def test_faces_by_language_and_role() -> None:
    sc, tc = fonts.faces("zh-CN"), fonts.faces("zh-TW")
    assert set(sc) == set(tc) == {"serif", "serif-bold", "sans-bold", "kai", "fallback"}
    for key in NOTO_KEYS:
        assert sc[key].path != tc[key].path
    assert sc["kai"].path == tc["kai"].path and sc["fallback"].path == tc["fallback"].path
    assert fonts.role_face("headline") == "sans-bold" and fonts.role_face("caption") == "kai"
    assert fonts.role_face("no-such-role") == "serif"
    assert [f.key for f in fonts.chain("kai", "zh-CN")] == ["kai", "serif", "fallback"]
    assert fonts.kai_punct() == ("‘’“”•", "kai", "serif")
    with pytest.raises(KeyError, match="no faces for language"):
        fonts.faces("ja")


@pytest.mark.parametrize("language", ["zh-CN", "zh-TW"])
@pytest.mark.parametrize("key", ["serif", "serif-bold", "sans-bold", "kai"])
def test_weight_matches_os2(language: str, key: str) -> None:
    face = fonts.faces(language)[key]
    with TTFont(face.path, lazy=True) as font:
        assert font["OS/2"].usWeightClass == face.weight


@pytest.mark.parametrize("language", ["zh-CN", "zh-TW"])
def test_serif_and_kai_cover_the_national_repertoire(language: str) -> None:
    wanted = gb2312_hanzi() if language == "zh-CN" else big5_hanzi()
    for key in ("serif", "serif-bold", "sans-bold", "kai"):
        have = cmap(fonts.faces(language)[key].path)
        assert not [ch for ch in wanted if ord(ch) not in have], key


def test_fallback_covers_extensions_b_to_f() -> None:
    have = cmap(fonts.faces("zh-CN")["fallback"].path)
    for first, last, gaps in ((0x20000, 0x2A6DF, 9), (0x2A700, 0x2B739, 5),
                              (0x2B740, 0x2B81D, 0), (0x2B820, 0x2CEA1, 0),
                              (0x2CEB0, 0x2EBE0, 0)):
        assert sum(cp not in have for cp in range(first, last + 1)) <= gaps


def test_tc_faces_draw_traditional_forms() -> None:
    """骨 differs between mainland and Taiwanese forms, 人 does not."""
    from fontTools.pens.recordingPen import RecordingPen

    def outline(face: fonts.Face, char: str) -> object:
        with TTFont(face.path, lazy=True) as font:
            pen = RecordingPen()
            font.getGlyphSet()[font.getBestCmap()[ord(char)]].draw(pen)
            return pen.value

    sc, tc = fonts.faces("zh-CN")["serif"], fonts.faces("zh-TW")["serif"]
    assert outline(sc, "人") == outline(tc, "人")
    assert outline(sc, "骨") != outline(tc, "骨")


@pytest.mark.parametrize("language", ["zh-CN", "zh-TW"])
def test_layout_features_survive(language: str) -> None:
    path = fonts.faces(language)["serif"].path
    assert {"locl", "vert", "vrt2"} <= features(path, "GSUB")
    assert {"halt", "palt", "kern", "vhal"} <= features(path, "GPOS")
    assert "vert" in features(fonts.faces(language)["kai"].path, "GSUB")


def test_manifest_names_every_face_and_matches_this_machine() -> None:
    with (ROOT / "fonts" / "manifest.toml").open("rb") as stream:
        manifest = tomllib.load(stream)
    assert set(manifest["files"]) == set(FILES)
    stale = [p for p, v in manifest["packages"].items() if package_version(p) != v]
    if stale:
        pytest.skip(f"other package versions installed here: {stale}")
    from banmian.fonts.subset import font_digest

    for name, facts in manifest["files"].items():
        assert font_digest(FILES[name]) == facts["sha256"], name


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FontsMissing, match="make fonts"):
        cmap(tmp_path / "absent.otf")


def test_fonts_dir_from_environment(tmp_path: Path) -> None:
    env = {**os.environ, "BANMIAN_FONTS_DIR": str(tmp_path)}
    code = ("from banmian import fonts; "
            "print(fonts.FONTS_DIR, fonts.faces('zh-CN')['kai'].path.parent)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [str(tmp_path), str(tmp_path)]


def test_default_fonts_dir() -> None:
    if "BANMIAN_FONTS_DIR" in os.environ:
        pytest.skip("BANMIAN_FONTS_DIR is set")
    assert fonts.FONTS_DIR == ROOT / "fonts" / "build"
