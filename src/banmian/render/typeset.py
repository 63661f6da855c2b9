"""CJK text preparation before layout: markup around runs, never a changed character.

WeasyPrint and most reading systems have no ``text-autospace``: Latin and digit runs between Han
characters are wrapped in ``<span class="latn">`` so CSS can give them a quarter-em gap, and the
two-em dash ``——`` and ellipsis ``……`` are wrapped in ``<span class="nobr">`` so they never split
across lines, and the quotes that Kai text takes from the serif (``[kai-punct]`` of
``faces.toml``: WenKai's are 0.35 em wide) are wrapped in ``<span class="kai-punct">``, which
the stylesheets set in the serif where the text around them is Kai. In a run of consecutive
CJK punctuation (``：“``, ``。”``, ``），``) the blank half of all but one mark is squeezed
(clreq, GB/T 15834): those marks are wrapped in ``<span class="halt">``, which the stylesheets
set with the font's OpenType ``halt`` (the Noto CJK faces have no contextual ``chws``; WenKai
has neither, so in Kai text a negative margin on the blank side, ``open`` for opening marks,
does it), so a pair takes 1.5 em. Headlines, kickers, decks and brief titles (and, in the
EPUB, subheads) break only between words (``words``): jieba's dictionary segmentation, with the
words of ``data/words.toml``, never inside a Latin or digit run; the EPUB gets ``<wbr/>``
between words (its stylesheet sets ``word-break: keep-all``), the print page (WeasyPrint has no
``keep-all``) each word in a ``<span class="word">`` it does not break.
Copy and search give back exactly the original text.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

from markupsafe import Markup, escape

from banmian.chinese.chars import BLANK_LEFT, BLANK_RIGHT
from banmian.chinese.words import word_starts
from banmian.fonts import kai_punct

_LATIN_RUN = re.compile(r"[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f.,:/%+\-'&·_@ ]*"
                        r"[A-Za-z0-9\u00c0-\u024f%]|[A-Za-z0-9\u00c0-\u024f]")
_PAIRED = re.compile(r"——|……|⸺")
_MARKS = f"[{re.escape(BLANK_RIGHT + BLANK_LEFT)}]{{2,}}"
_TOKENS = re.compile(f"(?P<latn>{_LATIN_RUN.pattern})|(?P<nobr>{_PAIRED.pattern})"
                     f"|(?P<marks>{_MARKS})|(?P<kai_punct>[{re.escape(kai_punct()[0])}])")


def squeezed(run: str) -> list[bool]:
    """Which marks of a punctuation run lose their blank half: a closing mark before another
    mark, else an opening mark after one that kept its blank (``（“``)."""
    out: list[bool] = []
    for i, char in enumerate(run):
        before_mark = i + 1 < len(run)
        out.append((char in BLANK_RIGHT and before_mark)
                   or (char in BLANK_LEFT and i > 0 and not out[i - 1]))
    return out


def _marks(run: str) -> str:
    """A punctuation run, each mark in its span: ``halt`` where squeezed, ``kai-punct``."""
    quotes = kai_punct()[0]
    out = []
    for char, halt in zip(run, squeezed(run), strict=True):
        names = " ".join(n for n, on in (("kai-punct", char in quotes), ("halt", halt),
                                          ("open", halt and char in BLANK_LEFT)) if on)
        out.append(f'<span class="{names}">{escape(char)}</span>' if names else str(escape(char)))
    return "".join(out)


#: The longest stretch of copy laid out as one text box (see :func:`_pieces`).
LAYOUT_RUN = 1000
_HAN = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"


@cache
def _breaks() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Where a long stretch may be cut: after a sentence or clause mark before a Han
    character, and between two Han characters before a Han character (compiled at the first
    long stretch: the Han ranges take milliseconds)."""
    return re.compile(f"[。！？；，、](?=[{_HAN}])"), re.compile(f"[{_HAN}](?=[{_HAN}])")


def cjk(text: str) -> Markup:
    """Escape ``text`` and wrap Latin runs and paired punctuation in spans."""
    out: list[str] = []
    last = 0
    for match in _TOKENS.finditer(text):
        out.append(_pieces(text[last : match.start()]))
        kind = next(name for name, found in match.groupdict().items() if found)
        kind = kind.replace("_", "-")
        if kind == "marks":
            out.append(_marks(match.group(0)))
        else:
            out.append(f'<span class="{kind}">{escape(match.group(0))}</span>')
        last = match.end()
    out.append(_pieces(text[last:]))
    return Markup("".join(out))


def _pieces(text: str) -> str:
    """Escape ``text``; a stretch longer than :data:`LAYOUT_RUN` characters is cut into
    ``<span class="run">`` pieces, each ending at a break that is there anyway (after a
    sentence or clause mark, or between two Han characters before a Han character).

    WeasyPrint re-encodes the rest of a text box for every line it sets, so one huge box
    takes time quadratic in its length (a 240,000-character paragraph: minutes); pieces keep
    it linear. Only markup is added: the characters, and so the copy, are unchanged."""
    if len(text) <= LAYOUT_RUN:
        return str(escape(text))
    pieces: list[str] = []
    start = 0
    clause, han_pair = _breaks()
    while len(text) - start > LAYOUT_RUN:
        end = start + LAYOUT_RUN
        cut = next((m.end() for m in clause.finditer(text, start + LAYOUT_RUN // 2, end)), None)
        if cut is None:
            cut = next((m.start() + 1 for m in han_pair.finditer(text, end - 50, end)), end)
        pieces.append(f'<span class="run">{escape(text[start:cut])}</span>')
        start = cut
    pieces.append(f'<span class="run">{escape(text[start:])}</span>')
    return "".join(pieces)


def _groups(text: str) -> list[str]:
    """``text`` cut at its word starts, but never inside a Latin or digit run (80%, COVID-19,
    iPhone 15: a line may still break at the run's space)."""
    inside = {i for m in _LATIN_RUN.finditer(text) for i in range(m.start() + 1, m.end())}
    cuts = [0, *sorted(word_starts(text) - inside), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(cuts) if b > a]


#: In print, a word longer than this many characters may still break where the frame is
#: unknown (a brief title): the narrowest column holds about three title characters.
ROOM = 3


def words(text: str, epub: bool = False, room: int = ROOM) -> Markup:
    """``text`` as ``cjk`` marks it, breakable only between words (``<wbr/>`` or spans).

    In print a word wider than the ``room`` of a line (in characters) stays breakable, so a
    narrow frame never has copy sticking out of it.
    """
    groups = _groups(text)
    if epub:
        return Markup("<wbr/>".join(str(cjk(g)) for g in groups))
    return Markup("".join(f'<span class="word">{cjk(g)}</span>' if 1 < len(g) <= room
                          else str(cjk(g)) for g in groups))
