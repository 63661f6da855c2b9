"""Proofreading rules for Chinese copy (BM5xx), shared by ``banmian lint`` and ``banmian import``.

:mod:`~banmian.chinese.chars` (character classes, Simplified/Traditional),
:mod:`~banmian.chinese.punct` (half-width punctuation), :mod:`~banmian.proofread.rules` (the
per-paragraph rules and the code table), :mod:`~banmian.chinese.banner` (banner pinyin),
:mod:`~banmian.proofread.raw` (raw text files) and :mod:`~banmian.proofread.suppress`
(``lint.toml``). The rules are documented in ``docs/lint-rules.md``.
"""
