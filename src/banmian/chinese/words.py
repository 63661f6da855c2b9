"""Word boundaries in Chinese text, where a heading may break: jieba's segmentation in
dictionary mode (its guessing mode merged 门护 and 冲得), with the words of
``data/words.toml`` that its dictionary lacks (抗疫, 网格员 …). jieba's dictionary is
Simplified: a text mostly in Traditional characters is segmented in its Simplified form,
character for character (發布會 as 发布会), else it falls apart into single characters.

:func:`part_of_speech` gives jieba's tag of a two-character word (a verb, a pronoun …), which
the proofreader's BM504 asks of a doubled word (研究研究 may be a verb reduplicated, 我们我们
never is).

jieba takes about a second and 60 MB to load its dictionary, so each text's boundaries are
cached on disk (``BANMIAN_CACHE/words``) by the text and the word list: a rebuild of an edition
whose headings did not change never loads jieba, and jieba's own cache goes to banmian's cache
folder, not the system's temporary folder.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import tomllib
import warnings
from importlib import resources
from typing import Any

from banmian.chinese.chars import BLANK_LEFT, BLANK_RIGHT
from banmian.chinese.script import detect_language, simplified
from banmian.storage import cache_root, store

#: Part of each cache key: changed when the segmentation itself changes (2: Traditional text).
SEGMENTATION = "2"


@functools.cache
def _words_toml() -> str:
    return resources.files("banmian").joinpath("data", "words.toml").read_text("utf-8")


@functools.cache
def _jieba() -> Any:
    """The jieba module (its dictionary ships with it: no network)."""
    with warnings.catch_warnings():  # jieba 0.42 imports pkg_resources, deprecated
        warnings.simplefilter("ignore")
        import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


@functools.cache
def _segmenter() -> Any:
    """jieba's tokenizer, with banmian's words."""
    jieba = _jieba()
    tokenizer = jieba.Tokenizer()
    folder = cache_root() / "jieba"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tokenizer.tmp_dir = str(folder)
    except OSError:
        pass  # jieba then keeps its cache in the system's temporary folder
    data = tomllib.loads(_words_toml())
    for word in data["words"]:
        tokenizer.add_word(word)
    return tokenizer


@functools.cache
def _tags() -> dict[str, str]:
    """The part-of-speech tag of each two-character word in jieba's dictionary (``v`` verb,
    ``vn`` verbal noun, ``r`` pronoun …), and ``v`` for banmian's ``verbs``."""
    dictionary = resources.files(_jieba().__name__).joinpath("dict.txt")
    tags: dict[str, str] = {}
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        word, _, rest = line.partition(" ")
        if len(word) == 2:
            tags[word] = rest.rpartition(" ")[2]
    tags.update(dict.fromkeys(tomllib.loads(_words_toml())["verbs"], "v"))
    return tags


def part_of_speech(word: str) -> str | None:
    """jieba's part-of-speech tag of a two-character ``word`` (None if it has none), of its
    Simplified form for a Traditional word (討論 as 讨论); reads the dictionary once (about
    0.2 s) on the first call."""
    tags = _tags()
    return tags.get(word) or tags.get(simplified(word))


def word_starts(text: str) -> set[int]:
    """Offsets in ``text`` where a word begins (0 excluded): the only places a heading breaks
    (cached on disk)."""
    key = hashlib.sha256(f"{SEGMENTATION}\0{_words_toml()}\0{text}".encode()).hexdigest()[:32]
    path = cache_root() / "words" / f"{key}.txt"
    try:
        return {int(n) for n in path.read_text(encoding="ascii").split()}
    except (OSError, ValueError):
        pass
    starts = _segment(text)
    store(path, " ".join(map(str, sorted(starts))).encode("ascii"))
    return starts


def _segment(text: str) -> set[int]:
    starts: set[int] = set()
    offset = 0
    read = simplified(text) if detect_language(text) == "zh-TW" else text
    for token in _segmenter().cut(read, HMM=False):
        if offset and token[0] not in BLANK_RIGHT and text[offset - 1] not in BLANK_LEFT:
            starts.add(offset)
        offset += len(token)
    return starts


