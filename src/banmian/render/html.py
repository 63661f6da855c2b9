"""Rendering helpers that both backends share (the templates themselves are rendered by each
backend from :func:`banmian.render.env.environment`)."""

from __future__ import annotations

from banmian.model import Edition


def date_label(edition: Edition) -> str:
    """The edition date as a Chinese newspaper prints it: 2020年2月 (or 2020年2月11日)."""
    parts = [int(p) for p in edition.date.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日", strict=False))
