"""The subset fonts in fonts/ (SC and TC) and the banmian.fonts module that serves them."""

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
LANGUAGE_SUFFIX = {"zh-CN": " SC", "zh-TW": " TC"}
#: Big5 hanzi the Kai TC face (LXGW WenKai's Traditional repertoire) lacks: none in
#: fonts-lxgw-wenkai 1.250. A gap used in copy is still BM200 (test_kai_gap_in_copy_is_bm200).
KAI_TC_BIG5_GAPS: frozenset[str] = frozenset()
RESERVED = ("LXGW", "霞鹜", "Source")  # OFL Reserved Font Names of the sources
SAMPLE = "中华人民共和国成立七十周年，本溪市委书记在抗疫一线：“把初心和使命写在大地上！”"
SAMPLE_TC = "舊社區改造讓居民笑開顏，「以前下雨天出門都很麻煩。」劉阿姨說——這裡的環境好多了！"


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


def traditional_chars() -> set[str]:
    """Every character of the zh-TW editions and Traditional raw text in tests/fixtures/."""
    found: set[str] = set()
    for path in (ROOT / "tests" / "fixtures").rglob("*"):
        toml = path.parent / "edition.toml"
        in_tc_edition = toml.is_file() and 'language = "zh-TW"' in toml.read_text("utf-8")
        if path.is_file() and (in_tc_edition or path.name == "traditional.txt"):
            found |= set(path.read_text(encoding="utf-8"))
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
    exclude = gb2312_hanzi() | big5_hanzi() | content_chars() | traditional_chars()
    rare = [chr(cp) for cp in range(0x2A6D6, 0x2A600, -1) if chr(cp) not in exclude]
    return rare[:count]


def features(path: Path, tag: str) -> set[str]:
    """The feature tags in a font's GSUB or GPOS FeatureList."""
    with TTFont(path, lazy=True) as font:
        if tag not in font:
            return set()
        return {record.FeatureTag for record in font[tag].table.FeatureList.FeatureRecord}


@pytest.fixture(params=[(lang, key) for lang in fonts.LANGUAGES for key in fonts.FACES],
                ids=lambda p: f"{p[0]}-{p[1]}")
def face(request: pytest.FixtureRequest) -> fonts.Face:
    language, key = request.param
    return fonts.faces(language)[key]


def language_of(face: fonts.Face) -> str:
    return next(lang for lang, table in fonts.LANGUAGES.items() if face in table.values())


def test_gb2312_has_6763_hanzi() -> None:
    assert len(gb2312_hanzi()) == 6763


def test_big5_has_13053_hanzi() -> None:
    assert len(big5_hanzi()) == 13053


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
        assert face.family.endswith(LANGUAGE_SUFFIX[language_of(face)])
    if language_of(face) == "zh-TW":
        assert families == {face.family}
        assert face.family.endswith(" TC")


def test_languages_have_distinct_files_and_names() -> None:
    sc, tc = fonts.faces("zh-CN"), fonts.faces("zh-TW")
    assert sc is fonts.FACES and set(sc) == set(tc)
    assert not {f.path for f in sc.values()} & {f.path for f in tc.values()}
    assert len({fonts.postscript_name(f) for f in fonts.all_faces()}) == 8
    with pytest.raises(KeyError, match="no faces for language"):
        fonts.faces("ja")


def test_weight_matches_os2(face: fonts.Face) -> None:
    with TTFont(face.path, lazy=True) as font:
        assert font["OS/2"].usWeightClass == face.weight


def test_covers_its_hanzi_and_ascii(face: fonts.Face) -> None:
    have = fonts.coverage(face)
    ascii_printable = {chr(cp) for cp in range(0x20, 0x7F)}
    if language_of(face) == "zh-CN":
        wanted, gaps = gb2312_hanzi(), frozenset[str]()
    else:
        wanted, gaps = big5_hanzi(), KAI_TC_BIG5_GAPS if face.key == "kai" else frozenset()
    lacking = sorted(ch for ch in wanted | ascii_printable if ord(ch) not in have)
    assert lacking == sorted(gaps)


def test_covers_content(face: fonts.Face) -> None:
    chars = content_chars() if language_of(face) == "zh-CN" else traditional_chars()
    drawn = "".join(sorted(chars))
    drawn = "".join(ch for ch in drawn if unicodedata.category(ch)[0] != "C")
    assert len(drawn) > 100
    assert fonts.missing(drawn, face) == [], "rerun tools/make_fonts.py"


def test_tc_faces_draw_traditional_forms() -> None:
    """骨 differs between mainland and Taiwanese forms, 人 does not: the TC files draw their
    own forms (not SC outlines under a TC name)."""
    from fontTools.pens.recordingPen import RecordingPen

    def outline(face: fonts.Face, char: str) -> object:
        with TTFont(face.path) as font:
            pen = RecordingPen()
            font.getGlyphSet()[font.getBestCmap()[ord(char)]].draw(pen)
            return pen.value

    for key in NOTO_KEYS:
        sc, tc = fonts.faces("zh-CN")[key], fonts.faces("zh-TW")[key]
        assert outline(sc, "人") == outline(tc, "人")
        assert outline(sc, "骨") != outline(tc, "骨")


def test_coverage_matches_cmap(face: fonts.Face) -> None:
    with TTFont(face.path, lazy=True) as font:
        cmap = font.getBestCmap()
    assert fonts.coverage(face) == frozenset(cmap)
    assert fonts.coverage(face.key, language_of(face)) == frozenset(cmap)


def test_missing_finds_rare_characters(face: fonts.Face) -> None:
    rare = rare_chars()
    assert len(rare) == 3
    text = f"本溪{rare[0]}市\n{rare[1]}{rare[0]}　{rare[2]}"
    assert fonts.missing(text, face) == rare


def test_missing_common_text(face: fonts.Face) -> None:
    sample = SAMPLE if language_of(face) == "zh-CN" else SAMPLE_TC
    assert fonts.missing(sample + "\n\t \u3000\u200b", face) == []


def test_unknown_face_key() -> None:
    with pytest.raises(KeyError, match="no font face"):
        fonts.missing("字", "fangsong")
    with pytest.raises(KeyError, match="no font face"):
        fonts.missing("字", "fangsong", "zh-TW")


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="make fonts"):
        fonts._cmap(tmp_path / "absent.otf")


def test_roles_map_to_faces() -> None:
    assert set(fonts.ROLE_FACES.values()) <= set(fonts.FACES)
    assert fonts.face_for_role("headline").family == "Noto Sans CJK SC"
    assert fonts.face_for_role("headline", "zh-TW").family == "Noto Sans CJK TC"
    assert fonts.face_for_role("caption", "zh-TW").family == "Banmian WenKai TC"
    assert fonts.face_for_role("commentary").key == "kai"
    assert fonts.face_for_role("body").weight == 400


@pytest.mark.parametrize("language", sorted(fonts.LANGUAGES))
@pytest.mark.parametrize("key", NOTO_KEYS)
def test_layout_features_survive(key: str, language: str) -> None:
    path = fonts.faces(language)[key].path
    assert {"locl", "vert", "vrt2"} <= features(path, "GSUB")
    assert {"halt", "palt", "kern", "vhal"} <= features(path, "GPOS")


@pytest.mark.parametrize("key", NOTO_KEYS)
def test_tc_faces_keep_only_the_traditional_language_system(key: str) -> None:
    with TTFont(fonts.faces("zh-TW")[key].path, lazy=True) as font:
        tags = {lang.LangSysTag for record in font["GSUB"].table.ScriptList.ScriptRecord
                for lang in record.Script.LangSysRecord}
    assert tags == {"ZHT "}


@pytest.mark.parametrize("language", sorted(fonts.LANGUAGES))
def test_kai_keeps_vertical_forms(language: str) -> None:
    assert "vert" in features(fonts.faces(language)["kai"].path, "GSUB")


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
