"""Edition dates as a page prints them: a date line (``2020年2月12日 星期三``) or a folio line
(``辽宁日报 2020年2月12日 星期三 第5版``).

Only such a line dates an edition. A date inside the copy (``2026年6月完工``, ``2月11日，他说``)
says when something happened, not when the page ran, so :func:`date_line` refuses any line that
reads as a sentence.
"""

from __future__ import annotations

import datetime as dt
import re

_FULL_DATE = re.compile(r"((?:19|20)\d\d)\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?")
#: What a date line may hold besides the date: a weekday, the lunar date, a page number.
_FURNITURE = re.compile(
    r"星期[一二三四五六日天]|週[一二三四五六日]|周[一二三四五六日]|(?:农历|農曆)\S{2,10}"
    r"|第?\s*[0-9一二三四五六七八九十]+\s*版|[A-Z]?\d{1,2}\s*版")
#: Sentence punctuation: a line holding any is copy, not a date line.
_SENTENCE = re.compile(r"[。，；！？：“”,;!?]")
#: The longest date line (a paper's name, the date, weekday, lunar date and page).
LONGEST = 40


def date_line(text: str) -> str | None:
    """``YYYY-MM-DD`` when ``text`` is a date or folio line, else None.

    The line must hold a whole date (year, month, day) and no sentence punctuation, and besides
    the date either nothing, or a weekday, a lunar date or a page number (with at most a short
    name such as the paper's before them).
    """
    text = text.strip()
    match = _FULL_DATE.search(text)
    if not match or len(text) > LONGEST or _SENTENCE.search(text):
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    rest = text[: match.start()] + " " + text[match.end():]
    furniture = _FURNITURE.findall(rest)
    rest = _FURNITURE.sub(" ", rest).strip()
    if rest and not (furniture and len(rest) <= 12 and " " not in rest.strip()):
        return None
    return date.isoformat()
