"""CJK text preparation before layout: markup around runs, never a changed character.

WeasyPrint and most reading systems have no ``text-autospace``: Latin and digit runs between Han
characters are wrapped in ``<span class="latn">`` so CSS can give them a quarter-em gap, and the
two-em dash ``——`` and ellipsis ``……`` are wrapped in ``<span class="nobr">`` so they never split
across lines. Copy and search give back exactly the original text.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_LATIN_RUN = re.compile(r"[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f.,:/%+\-'&·_@ ]*"
                        r"[A-Za-z0-9\u00c0-\u024f%]|[A-Za-z0-9\u00c0-\u024f]")
_PAIRED = re.compile(r"——|……|⸺")
_TOKENS = re.compile(f"(?P<latn>{_LATIN_RUN.pattern})|(?P<nobr>{_PAIRED.pattern})")


def cjk(text: str) -> Markup:
    """Escape ``text`` and wrap Latin runs and paired punctuation in spans."""
    out: list[str] = []
    last = 0
    for match in _TOKENS.finditer(text):
        out.append(str(escape(text[last : match.start()])))
        kind = "latn" if match.group("latn") else "nobr"
        out.append(f'<span class="{kind}">{escape(match.group(0))}</span>')
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))
