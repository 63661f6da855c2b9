"""The sample edition keeps all of the seed page's text, allowing only recorded corrections.

The seed is raw text extracted from a PDF: paragraphs split at column breaks, half-width
punctuation, a kicker joined to its headline with ——. The oracle here normalises the seed the
simple way (half-width → full-width next to Han text, whitespace and ■ removed, the recorded
corrections applied) and requires every seed line to stand, whole, in the edition's copy, with
the same characters in the same numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from banmian.content import load_edition
from banmian.model import Edition, copy_text

HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
HAN = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’]"
_HALF = re.compile(rf"(?<={HAN})[,:;()?!]|[,:;()?!](?={HAN})")
_PUNCT = re.compile(r"[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
                    r"“”‘’—…·■]")


def normalise(text: str) -> str:
    return re.sub(r"\s+|■", "", _HALF.sub(lambda m: HALF_TO_FULL[m.group(0)], text))


def letters(text: str) -> str:
    return _PUNCT.sub("", text)


@pytest.fixture(scope="module")
def edition(sample_dir: Path) -> Edition:
    return load_edition(sample_dir)


@pytest.fixture(scope="module")
def seed_lines(seed_path: Path, edition: Edition) -> list[str]:
    lines = [normalise(line) for line in seed_path.read_text(encoding="utf-8").splitlines()]
    fixed = []
    for line in filter(None, lines):
        for correction in edition.corrections:
            if correction.applied and correction.fix is not None:
                line = line.replace(normalise(correction.original), normalise(correction.fix))
        fixed.append(line)
    return fixed


def edition_stream(edition: Edition) -> str:
    return "".join(normalise(item.text) for item in copy_text(edition))


def shared_credit_excess(edition: Edition) -> Counter[str]:
    """A credit printed once under several photos is repeated on each figure."""
    credits = Counter(f.credit for m in edition.modules for f in m.figures if f.credit)
    return Counter("".join(normalise(c) * (n - 1) for c, n in credits.items()))


def test_every_seed_line_stands_whole_in_the_edition(seed_lines: list[str],
                                                     edition: Edition) -> None:
    stream = letters(edition_stream(edition))
    lost = [line for line in seed_lines if letters(line) not in stream]
    assert lost == []


def test_same_characters_in_same_numbers(seed_lines: list[str], edition: Edition) -> None:
    ours = Counter(edition_stream(edition)) - shared_credit_excess(edition)
    theirs = Counter("".join(seed_lines))
    kickers = sum(1 for m in edition.modules if m.kicker)
    theirs.subtract({"—": 2 * kickers})  # the —— that joined kicker and headline in the seed
    assert +ours == +theirs, (ours - theirs, theirs - ours)


def test_corrections_are_verifiable(seed_path: Path, sample_dir: Path,
                                    edition: Edition) -> None:
    seed = normalise(seed_path.read_text(encoding="utf-8"))
    assert edition.corrections, "the sample records its corrections"
    for correction in edition.corrections:
        assert normalise(correction.original) in seed, correction
        text = normalise((sample_dir / correction.file).read_text(encoding="utf-8"))
        if correction.applied:
            assert correction.fix is not None and normalise(correction.fix) in text
        else:
            assert normalise(correction.original) in text, correction


def test_sample_structure(edition: Edition) -> None:
    roles = [m.role for m in edition.modules]
    assert roles == ["lead", "profile", "commentary", "briefs"]
    assert sum(len(m.figures) for m in edition.modules) == 3
    assert all(f.image is None for m in edition.modules for f in m.figures)
    assert edition.publication is None and edition.date_inferred
    lead = next(edition.modules)
    assert lead.kicker and lead.headline and "——" not in lead.headline
    assert [len(m.briefs) for m in edition.modules if m.role == "briefs"] == [3]
