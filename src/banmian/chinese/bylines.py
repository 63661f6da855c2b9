"""Bylines (署名): 本报记者 王云峰, 新华社记者 张三 李四, 本報通訊員 陳某.

One pattern for the role words before the names, in Simplified and Traditional: the importer
recognises a byline line with :data:`BYLINE`, and the EPUB's metadata takes the people a
byline names with :func:`byline_names`.
"""

from __future__ import annotations

import re

#: The role words: an optional outlet and qualifier, then the role (记者, 通讯员 …).
ROLE = (r"(?:本报|本報|新华社|新華社)?(?:特约|特約|见习|見習|实习|實習)?"
        r"(?:记者|記者|通讯员|通訊員|实习生|實習生|评论员|評論員|摄影|攝影)")
#: A whole byline line: the role words, then one to a few names.
BYLINE = re.compile(rf"^{ROLE}[\s\u3000]*[\u4e00-\u9fff][\u4e00-\u9fff\s\u3000、]{{1,30}}$")
_ROLE_PREFIX = re.compile(f"^{ROLE}")


def byline_names(byline: str) -> list[str]:
    """The people a byline names: 本报记者 王云峰 → [王云峰]; 记者 张三、李四 → [张三, 李四]."""
    names = []
    for token in re.split(r"[\s\u3000、，,；;]+", byline):
        name = _ROLE_PREFIX.sub("", token).strip()
        if name:
            names.append(name)
    return names
