"""Property: any edition banmian accepts builds to a PDF whose extracted text is the model's
copy, character for character (whitespace aside), and nothing else but the page furniture.

(The EPUB side of the same property, checked by EPUBCheck, is in tests/backends/test_epub.py.)
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from banmian.build import build_edition
from banmian.model import copy_text
from banmian.render.labels import date_label

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")

HAN = "党员组织社区疫情防控工作记者本报讯新华社王李春天播种希望科技农民田野机器"
BODY = st.text(alphabet=st.sampled_from(list(HAN) + list("，。、；：？！“”《》（）")
                                        + list("ABCxyz0123456789%./")), min_size=1, max_size=80)
FIELD = st.text(alphabet=st.sampled_from(list(HAN) + list("<>&*#_[]\"'\\，。 ABC123")),
                min_size=1, max_size=24).filter(lambda s: s.strip() != "")


def _story(headline: str, deck: str, caption: str, paragraphs: list[str]) -> str:
    body = "\n\n".join(p.lstrip("0123456789.%/ ") or "正文" for p in paragraphs)
    return (f"+++\nheadline = {json.dumps(headline, ensure_ascii=False)}\n"
            f"deck = {json.dumps(deck, ensure_ascii=False)}\n[[figures]]\nid = \"p\"\n"
            f"caption = {json.dumps(caption, ensure_ascii=False)}\n+++\n\n{body}\n")


def _squash(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(headline=FIELD, deck=FIELD, caption=FIELD, paragraphs=st.lists(BODY, min_size=1,
                                                                       max_size=12))
def test_pdf_text_is_the_model_text(make_edition: Callable[..., Path],
                                    tmp_path_factory: pytest.TempPathFactory, headline: str,
                                    deck: str, caption: str, paragraphs: list[str]) -> None:
    folder = make_edition(files={"story.md": _story(headline, deck, caption, paragraphs)})
    out = tmp_path_factory.mktemp("pdf")
    result = build_edition(folder, out, ["pdf"])
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(result.outputs[0]), "-"],
                          capture_output=True, check=True).stdout.decode()
    flat = _squash(text)
    items = copy_text(result.edition)
    assert [i.text for i in items if _squash(i.text) not in flat] == []
    furniture = ["■", date_label(result.edition),
                 *(f"第{p.label}版" for p in result.edition.pages)]
    rest = Counter(flat) - Counter("".join(_squash(i.text) for i in items))
    assert +(rest - Counter("".join(furniture))) == Counter()
