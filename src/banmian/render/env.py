"""The Jinja2 environment: templates from the package, autoescape and StrictUndefined on."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from banmian.render.typeset import cjk, words


@cache
def environment() -> Environment:
    """The one environment of this process (templates are compiled once)."""
    env = Environment(
        loader=PackageLoader("banmian", "render/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cjk"] = cjk
    env.filters["words"] = words
    return env
