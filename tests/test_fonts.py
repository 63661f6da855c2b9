"""The subset fonts in fonts/ and the banmian.fonts module that serves them."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
try:
    from banmian import fonts
except ModuleNotFoundError:  # not installed: run from the source tree
    sys.path.insert(0, str(ROOT / "src"))
    from banmian import fonts

NOTO_KEYS = ("serif", "serif-bold", "sans-bold")
RESERVED = ("LXGW", "霞鹜", "Source")  # OFL Reserved Font Names of the sources
SAMPLE = "中华人民共和国成立七十周年，本溪市委书记在抗疫一线：“把初心和使命写在大地上！”"


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


def content_chars() -> set[str]:
    """Every character of every UTF-8 file under content/."""
    found: set[str] = set()
    for path in (ROOT / "content").rglob("*"):
        if path.is_file():
            try:
                found |= set(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                continue
    return found


def rare_chars(count: int = 3) -> list[str]:
    """Extension-B hanzi that are neither in GB2312 nor in content/."""
    exclude = gb2312_hanzi() | content_chars()
    rare = [chr(cp) for cp in range(0x2A6D6, 0x2A600, -1) if chr(cp) not in exclude]
    return rare[:count]


def features(path: Path, tag: str) -> set[str]:
    """The feature tags in a font's GSUB or GPOS FeatureList."""
    with TTFont(path, lazy=True) as font:
        if tag not in font:
            return set()
        return {record.FeatureTag for record in font[tag].table.FeatureList.FeatureRecord}


@pytest.fixture(params=sorted(fonts.FACES))
def face(request: pytest.FixtureRequest) -> fonts.Face:
    return fonts.FACES[request.param]


def test_gb2312_has_6763_hanzi() -> None:
    assert len(gb2312_hanzi()) == 6763


def test_face_file_is_a_single_font(face: fonts.Face) -> None:
    assert face.path.is_file(), f"{face.path} missing: run tools/make_fonts.py"
    magic = face.path.read_bytes()[:4]
    assert magic != b"ttcf"
    expected = b"OTTO" if face.media_type == "font/otf" else b"\x00\x01\x00\x00"
    assert magic == expected
    assert face.path.suffix == "." + face.media_type.split("/")[1]


def test_family_name_matches_face(face: fonts.Face) -> None:
    with TTFont(face.path, lazy=True) as font:
        names = font["name"].names
        families = {record.toUnicode() for record in names if record.nameID in (1, 16)}
    assert face.family in families
    assert all(rfn not in family for family in families for rfn in RESERVED)
    if face.key in NOTO_KEYS:
        assert families == {face.family}
        assert face.family.endswith(" SC")


def test_weight_matches_os2(face: fonts.Face) -> None:
    with TTFont(face.path, lazy=True) as font:
        assert font["OS/2"].usWeightClass == face.weight


def test_covers_gb2312_hanzi_and_ascii(face: fonts.Face) -> None:
    have = fonts.coverage(face.key)
    ascii_printable = {chr(cp) for cp in range(0x20, 0x7F)}
    lacking = sorted(ch for ch in gb2312_hanzi() | ascii_printable if ord(ch) not in have)
    assert lacking == []


def test_covers_content(face: fonts.Face) -> None:
    drawn = "".join(sorted(content_chars()))
    drawn = "".join(ch for ch in drawn if unicodedata.category(ch)[0] != "C")
    assert fonts.missing(drawn, face.key) == [], "rerun tools/make_fonts.py"


def test_coverage_matches_cmap(face: fonts.Face) -> None:
    with TTFont(face.path, lazy=True) as font:
        cmap = font.getBestCmap()
    assert fonts.coverage(face.key) == frozenset(cmap)


def test_missing_finds_rare_characters(face: fonts.Face) -> None:
    rare = rare_chars()
    assert len(rare) == 3
    text = f"本溪{rare[0]}市\n{rare[1]}{rare[0]}　{rare[2]}"
    assert fonts.missing(text, face.key) == rare


def test_missing_common_text(face: fonts.Face) -> None:
    assert fonts.missing(SAMPLE + "\n\t \u3000\u200b", face.key) == []


def test_unknown_face_key() -> None:
    with pytest.raises(KeyError, match="no font face"):
        fonts.missing("字", "fangsong")


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="make fonts"):
        fonts._cmap(tmp_path / "absent.otf")


def test_roles_map_to_faces() -> None:
    assert set(fonts.ROLE_FACES.values()) <= set(fonts.FACES)
    assert fonts.face_for_role("headline").family == "Noto Sans CJK SC"
    assert fonts.face_for_role("commentary").key == "kai"
    assert fonts.face_for_role("body").weight == 400


@pytest.mark.parametrize("key", NOTO_KEYS)
def test_layout_features_survive(key: str) -> None:
    path = fonts.FACES[key].path
    assert {"locl", "vert", "vrt2"} <= features(path, "GSUB")
    assert {"halt", "palt", "kern", "vhal"} <= features(path, "GPOS")


def test_kai_keeps_vertical_forms() -> None:
    assert "vert" in features(fonts.FACES["kai"].path, "GSUB")


def test_fonts_dir_from_environment(tmp_path: Path) -> None:
    env = {**os.environ, "BANMIAN_FONTS_DIR": str(tmp_path)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    code = "from banmian import fonts; print(fonts.FONTS_DIR, fonts.FACES['kai'].path.parent)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [str(tmp_path), str(tmp_path)]


def test_default_fonts_dir() -> None:
    if "BANMIAN_FONTS_DIR" in os.environ:
        pytest.skip("BANMIAN_FONTS_DIR is set")
    assert fonts.FONTS_DIR == ROOT / "fonts"
