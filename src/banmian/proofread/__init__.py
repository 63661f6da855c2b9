"""Proofreading rules for Chinese copy (BM5xx), shared by ``banmian lint`` and ``banmian import``.

:mod:`~banmian.proofread.chars` (character classes, Simplified/Traditional),
:mod:`~banmian.proofread.punct` (half-width punctuation), :mod:`~banmian.proofread.rules` (the
per-paragraph rules and the code table), :mod:`~banmian.proofread.banner` (banner pinyin),
:mod:`~banmian.proofread.raw` (raw text files) and :mod:`~banmian.proofread.suppress`
(``lint.toml``). The rules are documented in ``docs/lint-rules.md``.
"""
