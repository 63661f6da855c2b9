"""The words banmian draws itself (目录, 图片待补 …), in the edition's script, from
``data/labels.toml``; and the edition date as a Chinese newspaper prints it."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from banmian.model import Edition


@cache
def _labels() -> dict[str, dict[str, str]]:
    text = resources.files("banmian").joinpath("data", "labels.toml").read_text("utf-8")
    return {lang: dict(table) for lang, table in tomllib.loads(text).items()}


def labels(language: str) -> dict[str, str]:
    """The template labels for an edition language (Simplified for an unknown one)."""
    table = _labels()
    return table.get(language, table["zh-CN"])


def date_label(edition: Edition) -> str:
    """The edition date as a Chinese newspaper prints it: 2020年2月 (or 2020年2月11日); empty
    for an undated edition."""
    if not edition.date:
        return ""
    parts = [int(p) for p in edition.date.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日", strict=False))
