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


def cjk(text: str) -> Markup:
    """Escape ``text`` and wrap Latin runs and paired punctuation in spans."""
    out: list[str] = []
    last = 0
    for match in _TOKENS.finditer(text):
        out.append(str(escape(text[last : match.start()])))
        kind = next(name for name, found in match.groupdict().items() if found)
        kind = kind.replace("_", "-")
        out.append(f'<span class="{kind}">{escape(match.group(0))}</span>')
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))
