"""Fuzz targets (Hypothesis): the edition loader, the Markdown module parser and the importer.

Whatever the input, each either succeeds or raises a :class:`~banmian.diagnostics.BanmianError`
(a message with a code, exit 2): any other exception is a bug (exit 3, a traceback). ``make
test`` runs a few dozen examples of each; ``make fuzz`` (``tools/fuzz.py``) feeds them random
input for minutes (``FUZZ_MINUTES``, default 10). Inputs are built from fragments of the
formats (TOML headers and keys, front-matter fences, Markdown markup, Chinese copy, control and
format characters) so that they reach past the first syntax check.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from banmian.diagnostics import BanmianError

EXAMPLES = int(os.environ.get("BANMIAN_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_TOML_BITS = ['title = "测试"\n', 'language = "zh-CN"\n', 'date = "2020-02-12"\n',
              "[[pages]]\n", "[[pages.modules]]\n", 'file = "story.md"\n', 'role = "article"\n',
              'role = "briefs"\n', 'role = "lead"\n', "place = { col = 1, span = 2, row = 1, "
              "rows = 3 }\n", "columns = 0\n", "rows = 99\n", 'paper = "tabloid"\n',
              "[[corrections]]\n", 'original = "x"\n', "applied = true\n", 'id = "a-b"\n',
              'file = "../x.md"\n', 'file = "/etc/passwd"\n', "x = [[[[1]]]]\n", "a.b.c = 1\n",
              "=", "[", "]", "{", "}", '"', "'", "\n", " ", "#", "\\", "1", "\ufeff", "\x00"]
_MD_BITS = ["+++\n", "---\n", 'headline = "标题"\n', "[[figures]]\n", 'id = "photo"\n',
            'caption = "说明。"\n', 'image = "a.png"\n', '[[items]]\ntitle = "t"\nbody = "b"\n',
            "正文，", "第一段。", "\n", "\n\n", "## ", "# ", "> ", "- ", "1. ", "*", "**", "_",
            "`", "```\n", "![](#photo)", "![](x.png)", "[链接](http://x)", "<b>", "</b>",
            "<http://x>", "&amp;", "\\", "    ", "\t", "\u3000", "\u200b", "\ufeff", "\r\n",
            "\x1b", "a", " ", "|a|b|\n|-|-|\n", "<!-- -->", "[^1]", "***\n", "==="]
_RAW_BITS = ["本报讯", "记者 王云峰", "（上接第一版）", "第一版", "2020年2月12日", "星期三",
             "■", "前沿观察", "GUANCHA", "图为", "（资料片）", "。", "，", "“", "”", "\n",
             "\n\n", "　　", " ", "\t", "\f", "\x00", "\ufeff", "\u200b", "a", "1", "。\n",
             "党员带头守在疫情防控第一线", "短评", "编者按", "——", "…", "(", ")", "\r"]


def _text(bits: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(bits) | st.text(max_size=4), max_size=60).map("".join)


def _expect_banmian_error(call: Callable[[], object]) -> None:
    """Run ``call``: a BanmianError (exit 2 with a message) is fine, anything else is a bug."""
    with contextlib.suppress(BanmianError):
        call()


@FUZZ
@given(toml=_text(_TOML_BITS), story=_text(_MD_BITS),
       extra=st.sampled_from(["", "a.png", "story.md/", "lint.toml"]))
def test_fuzz_edition_loader(toml: str, story: str, extra: str) -> None:
    from banmian.content import load_edition

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ed"
        folder.mkdir()
        (folder / "edition.toml").write_bytes(toml.encode("utf-8", "surrogatepass"))
        (folder / "story.md").write_bytes(story.encode("utf-8", "surrogatepass"))
        if extra.endswith("/"):
            (folder / "sub").mkdir()
        elif extra:
            (folder / extra).write_bytes(b"\x89PNG\r\n\x1a\n" if extra.endswith("png") else b"")
        _expect_banmian_error(lambda: load_edition(folder))


@FUZZ
@given(story=_text(_MD_BITS))
def test_fuzz_module_parser(story: str) -> None:
    from banmian.content import load_edition
    from banmian.content.markdown import parse_body

    _expect_banmian_error(lambda: parse_body(story, "story.md", 1))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ed"
        folder.mkdir()
        (folder / "edition.toml").write_text(
            'title = "测"\nlanguage = "zh-CN"\ndate = "2020"\n[[pages]]\n[[pages.modules]]\n'
            'file = "story.md"\nrole = "article"\n', encoding="utf-8")
        (folder / "story.md").write_bytes(story.encode("utf-8", "surrogatepass"))
        _expect_banmian_error(lambda: load_edition(folder))


@FUZZ
@given(raw=_text(_RAW_BITS))
def test_fuzz_importer(raw: str) -> None:
    from banmian.importer import import_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.txt"
        path.write_bytes(raw.encode("utf-8", "surrogatepass"))
        _expect_banmian_error(lambda: import_file(path, Path(tmp) / "edition"))


#: The targets ``tools/fuzz.py`` runs for minutes.
TARGETS = (test_fuzz_edition_loader, test_fuzz_module_parser, test_fuzz_importer)
