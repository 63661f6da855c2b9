"""CJK text preparation before layout: markup around runs, never a changed character.

WeasyPrint and most reading systems have no ``text-autospace``: Latin and digit runs between Han
characters are wrapped in ``<span class="latn">`` so CSS can give them a quarter-em gap, and the
two-em dash ``——`` and ellipsis ``……`` are wrapped in ``<span class="nobr">`` so they never split
across lines, and the quotes that Kai text takes from the serif (``[kai-punct]`` of
``faces.toml``: WenKai's are 0.35 em wide) are wrapped in ``<span class="kai-punct">``, which
the stylesheets set in the serif where the text around them is Kai. Copy and search give back
exactly the original text.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from banmian.fonts import kai_punct

_LATIN_RUN = re.compile(r"[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f.,:/%+\-'&·_@ ]*"
                        r"[A-Za-z0-9\u00c0-\u024f%]|[A-Za-z0-9\u00c0-\u024f]")
_PAIRED = re.compile(r"——|……|⸺")
_TOKENS = re.compile(f"(?P<latn>{_LATIN_RUN.pattern})|(?P<nobr>{_PAIRED.pattern})"
                     f"|(?P<kai_punct>[{re.escape(kai_punct()[0])}])")


#: The longest stretch of copy laid out as one text box (see :func:`_runs`).
LAYOUT_RUN = 1000
_HAN = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_CUT = re.compile(f"[。！？；，、](?=[{_HAN}])")
_HAN_PAIR = re.compile(f"[{_HAN}](?=[{_HAN}])")


def cjk(text: str) -> Markup:
    """Escape ``text`` and wrap Latin runs and paired punctuation in spans."""
    out: list[str] = []
    last = 0
    for match in _TOKENS.finditer(text):
        out.append(_runs(text[last : match.start()]))
        kind = next(name for name, found in match.groupdict().items() if found)
        kind = kind.replace("_", "-")
        out.append(f'<span class="{kind}">{escape(match.group(0))}</span>')
        last = match.end()
    out.append(_runs(text[last:]))
    return Markup("".join(out))


def _runs(text: str) -> str:
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
    while len(text) - start > LAYOUT_RUN:
        end = start + LAYOUT_RUN
        cut = next((m.end() for m in _CUT.finditer(text, start + LAYOUT_RUN // 2, end)), None)
        if cut is None:
            cut = next((m.start() + 1 for m in _HAN_PAIR.finditer(text, end - 50, end)), end)
        pieces.append(f'<span class="run">{escape(text[start:cut])}</span>')
        start = cut
    pieces.append(f'<span class="run">{escape(text[start:])}</span>')
    return "".join(pieces)
