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
does it), so a pair takes 1.5 em. Copy and search give back exactly the original text.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from banmian.fonts import kai_punct

_LATIN_RUN = re.compile(r"[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f.,:/%+\-'&·_@ ]*"
                        r"[A-Za-z0-9\u00c0-\u024f%]|[A-Za-z0-9\u00c0-\u024f]")
_PAIRED = re.compile(r"——|……|⸺")
#: Marks whose blank half is on the right (closing and pause marks) and on the left (opening).
BLANK_RIGHT = "，。、；：？！）》〉】」』”’〕"
BLANK_LEFT = "（《〈【「『“‘〔"
_RUN = f"[{re.escape(BLANK_RIGHT + BLANK_LEFT)}]{{2,}}"
_TOKENS = re.compile(f"(?P<latn>{_LATIN_RUN.pattern})|(?P<nobr>{_PAIRED.pattern})"
                     f"|(?P<run>{_RUN})|(?P<kai_punct>[{re.escape(kai_punct()[0])}])")


def squeezed(run: str) -> list[bool]:
    """Which marks of a punctuation run lose their blank half: a closing mark before another
    mark, else an opening mark after one that kept its blank (``（“``)."""
    out: list[bool] = []
    for i, char in enumerate(run):
        before_mark = i + 1 < len(run)
        out.append((char in BLANK_RIGHT and before_mark)
                   or (char in BLANK_LEFT and i > 0 and not out[i - 1]))
    return out


def _run(run: str) -> str:
    """A punctuation run, each mark in its span: ``halt`` where squeezed, ``kai-punct``."""
    quotes = kai_punct()[0]
    out = []
    for char, halt in zip(run, squeezed(run), strict=True):
        names = " ".join(n for n, on in (("kai-punct", char in quotes), ("halt", halt),
                                          ("open", halt and char in BLANK_LEFT)) if on)
        out.append(f'<span class="{names}">{escape(char)}</span>' if names else str(escape(char)))
    return "".join(out)


def cjk(text: str) -> Markup:
    """Escape ``text`` and wrap Latin runs and paired punctuation in spans."""
    out: list[str] = []
    last = 0
    for match in _TOKENS.finditer(text):
        out.append(str(escape(text[last : match.start()])))
        kind = next(name for name, found in match.groupdict().items() if found)
        kind = kind.replace("_", "-")
        if kind == "run":
            out.append(_run(match.group(0)))
        else:
            out.append(f'<span class="{kind}">{escape(match.group(0))}</span>')
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))
