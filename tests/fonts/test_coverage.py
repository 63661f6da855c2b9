"""Which face sets each character (banmian.fonts.coverage): the fallback chains, BM200 and
BM201, and the characters each EPUB subset must hold."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from banmian.content import load_edition
from banmian.fonts import face_files, faces
from banmian.fonts.coverage import chars_by_file, check_coverage, cmap, maps, resolve, runs

EXT_B = "\U00026f4e"  # 𦽎, in no Noto face: set in the rare-character face
NOWHERE = "\U0003134a"  # an Extension G ideograph no face has


def test_nowhere_is_in_no_face() -> None:
    assert all(ord(NOWHERE) not in cmap(path) for path in face_files())


def test_resolve_follows_the_chain() -> None:
    assert resolve("镕", "serif", "zh-CN") == faces("zh-CN")["serif"]
    assert resolve(EXT_B, "serif", "zh-CN") == faces("zh-CN")["fallback"]
    assert resolve(EXT_B, "kai", "zh-TW") == faces("zh-TW")["fallback"]
    assert resolve("“", "kai", "zh-CN") == faces("zh-CN")["serif"]  # full-width quotes
    assert resolve("字", "kai", "zh-CN") == faces("zh-CN")["kai"]
    assert resolve(NOWHERE, "sans-bold", "zh-CN") is None


def test_runs_split_text_by_face() -> None:
    found = [(face.key, text) for face, text in runs(f"王{EXT_B}先生 A", "serif", "zh-CN")]
    assert found == [("serif", "王"), ("fallback", EXT_B), ("serif", "先生 A")]


TOML = """\
title = "测试版"
language = "zh-CN"
date = "2020-02-12"

[[pages]]
section = "要闻"

[[pages.modules]]
file = "story.md"
role = "article"

[[pages.modules]]
file = "view.md"
role = "commentary"
"""


def _edition(make_edition: Callable[..., Path], body: str, commentary: str = "评论。") -> Path:
    return make_edition(files={"edition.toml": TOML,
        "story.md": f'+++\nheadline = "标题"\n+++\n\n{body}\n',
        "view.md": f'+++\nheadline = "评论"\npen-name = "忠言"\n+++\n\n{commentary}\n'})


def test_a_rare_character_warns_and_names_the_face(make_edition: Callable[..., Path]) -> None:
    folder = _edition(make_edition, f"元素{EXT_B}和镕。")
    found = [(d.severity, d.code, d.message) for d in check_coverage(load_edition(folder))]
    assert found == [("warning", "BM201", f"U+26F4E {EXT_B} not in the serif face: set in the "
                                          "fallback face (body)")]


def test_a_character_no_face_has_is_bm200(make_edition: Callable[..., Path]) -> None:
    folder = _edition(make_edition, "正文。", f"评论{NOWHERE}。")
    found = check_coverage(load_edition(folder))
    assert [(d.severity, d.code) for d in found] == [("error", "BM200")]
    assert found[0].message == (f"no font has a glyph for U+3134A {NOWHERE} (body; faces "
                                "tried: kai, serif, fallback)")
    assert found[0].source is not None and found[0].source.path.endswith("view.md")


def test_subsets_get_a_space_and_the_fallback_only_when_used(
        make_edition: Callable[..., Path]) -> None:
    plain = chars_by_file(load_edition(_edition(make_edition, "正文“引语”。")))
    sc = faces("zh-CN")
    assert sc["fallback"].path not in plain
    assert all(" " in chars for chars in plain.values())
    rare = chars_by_file(load_edition(_edition(make_edition, f"正文{EXT_B}。", "评论“引语”。")))
    assert rare[sc["fallback"].path] == frozenset({EXT_B, " "})
    assert {"“", "”"} <= rare[sc["serif"].path]  # Kai quotes come from the serif file
    assert "“" not in rare[sc["kai"].path]


def test_the_search_of_code_points_agrees_with_the_set() -> None:
    """``maps`` (a binary search, no set built) answers as the face's ``cmap`` set does: every
    code point the face maps, and the points around them and beyond."""
    face = faces("zh-CN")["kai"]
    mapped = cmap(face.path)
    probes = {p + d for p in sorted(mapped)[::97] for d in (-1, 0, 1)} | {0, 0x10FFFF}
    assert all(maps(face.path, p) == (p in mapped) for p in probes)
    assert any(maps(face.path, p) for p in probes) and not all(maps(face.path, p) for p in probes)
