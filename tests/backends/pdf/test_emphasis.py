"""Emphasis in print: no synthetic faces (italic CJK, bold Kai) that would fall outside the
project's fonts; strong in the bold Song face, em marked without slanting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf

from banmian.build import build_edition

STORY = '+++\nheadline = "标题"\n+++\n\n正文*强调*与**加粗**并存。\n'
VIEW = '+++\nheadline = "评论"\npen-name = "笔名"\n+++\n\n评论里的*强调*和**加粗**。\n'
TOML = """\
title = "测试"
language = "zh-CN"
date = "2020"
[[pages]]
[[pages.modules]]
file = "story.md"
role = "article"
[[pages.modules]]
file = "view.md"
role = "commentary"
"""


def test_emphasis_builds_with_the_project_faces_only(make_edition: Callable[..., Path],
                                                     tmp_path: Path) -> None:
    folder = make_edition(files={"edition.toml": TOML, "story.md": STORY, "view.md": VIEW})
    result = build_edition(folder, tmp_path, ["pdf"])
    with pikepdf.open(result.outputs[0]) as pdf:
        names = {str(font.BaseFont).split("+", 1)[-1]
                 for page in pdf.pages for font in page.resources.Font.values()}
    assert names == {"Banmian-Print-Serif", "Banmian-Print-Serif-Bold", "Banmian-Print-Sans-Bold",
                     "Banmian-Print-Kai"}
