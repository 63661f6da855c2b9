"""A small placed tabloid page for the measures of built PDFs (verify.fill, --preview)."""

from __future__ import annotations

import pytest

EDITION = """\
title = "测试版"
language = "zh-CN"
date = "2020-02-12"
paper = "tabloid"

[[pages]]
section = "要闻"
pinyin = "YAOWEN"
columns = 4
rows = 10

[[pages.modules]]
file = "short.md"
role = "article"
place = { col = 1, span = 2, row = 1, rows = 10 }

[[pages.modules]]
file = "box.md"
role = "profile"
place = { col = 3, span = 2, row = 1, rows = 5 }
"""
SHORT = '+++\nheadline = "春风送暖"\n+++\n\n这是一段正文，用来测试。\n'
BOX = ('+++\nheadline = "满版的方框"\n+++\n\n'
       + "春天来了，城里的人们走出家门，在公园里散步，孩子们在草地上放风筝。" * 5 + "\n")


@pytest.fixture(scope="session")
def short_and_box() -> dict[str, str]:
    """The files of a tabloid page: a two-column article of one line in a full-depth frame
    and a boxed profile over the top half of the right two columns, nothing under it."""
    return {"edition.toml": EDITION, "short.md": SHORT, "box.md": BOX}
