"""Per-edition font subsets for the EPUB: each file cut down to the characters it sets.

Subsets are cut from the whole faces (:mod:`banmian.fonts`) and cached on disk by the font's
digest, the character set and the options (``BANMIAN_CACHE``, default ``.cache/``), so a
rebuild is cheap. ``hb-subset`` is used when it is on the PATH (about 50× faster than
fontTools); fontTools is the fallback. Both drop hinting (e-ink and tablet screens render CJK
unhinted anyway) and desubroutinize CFF, which compresses better in the EPUB's zip. ``locl``
is dropped for Simplified editions: in the SC faces it only maps characters to Japanese,
Korean and Traditional forms, and keeping it doubles the subset. It is kept for Traditional
editions, whose ``locl`` sets quotes, dashes and ‼ ⁇ in their full-width CJK forms. Every
subset keeps U+0020, so that spaces come from the embedded face, not the device's.

The PDF backend cuts its own subsets (:func:`print_subset`), with every glyph id kept in the
CFF faces. Without ``hb-subset`` it is given the whole faces (slower, the same PDF).
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from banmian.storage import cache_root, store

#: Options for ``hb-subset``: layout features at HarfBuzz's defaults, every name kept (the
#: OFL's copyright and licence notices live there).
HB_OPTIONS = ("--no-hinting", "--desubroutinize", "--name-IDs=*", "--name-languages=*",
              "--layout-features+=halt,vhal")  # punctuation compression (styles/epub.css)
#: For the PDF's input fonts: every layout feature (Pango shapes with them) and name kept.
PRINT_OPTIONS = ("--layout-features=*", "--name-IDs=*", "--name-languages=*",
                 "--notdef-outline")


@cache
def font_digest(path: Path) -> str:
    """The SHA-256 of a font file, cached on disk by name, size and time (the faces are
    large: hashing all of them on every build would cost a second)."""
    stat = path.stat()
    cached = cache_root() / "digests" / f"{path.name}-{stat.st_size}-{stat.st_mtime_ns}"
    try:
        text = cached.read_text(encoding="ascii").strip()
        if len(text) == 64:
            return text
    except OSError:
        pass
    with path.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    store(cached, digest.encode("ascii"))
    return digest


def wanted_text(chars: frozenset[str]) -> str:
    """The characters a subset keeps: ``chars`` and U+0020, less controls and other
    whitespace, sorted."""
    return "".join(sorted(c for c in chars | {" "} if c == " " or (not c.isspace()
                                                                    and c.isprintable())))


def subset(path: Path, chars: frozenset[str], *, keep_locl: bool = False) -> bytes:
    """The font file at ``path`` cut down to ``chars``; ``keep_locl`` keeps the locl
    feature (Traditional)."""
    wanted = wanted_text(chars)
    options = (*HB_OPTIONS, *(() if keep_locl else ("--layout-features-=locl",)))
    key = hashlib.sha256(f"{font_digest(path)}:{options}:{wanted}".encode()).hexdigest()
    cached = cache_root() / "subsets" / f"{path.stem}-{key[:32]}{path.suffix}"
    if cached.is_file():
        return cached.read_bytes()
    data = _hb_subset(path, wanted, options) if shutil.which("hb-subset") else None
    if data is None:
        data = _fonttools_subset(path, wanted, keep_locl)
    store(cached, data)
    return data


def print_subset(path: Path, chars: frozenset[str]) -> Path:
    """A file of the font at ``path`` cut down to ``chars`` for WeasyPrint (cached on disk,
    returned by path): every layout feature kept, and every glyph id kept
    (``--retain-gids``): in CFF faces so that CIDs stay equal to glyph ids, which PDF readers
    rely on, and in every face so that a character's glyph id does not depend on the other
    characters of the subset (a page laid out before a character was added to the edition
    keeps its glyph ids, so the page cache keeps it). WeasyPrint then reads, copies and
    subsets a file of about 1 MB instead of 25 MB: the sample's PDF builds in two thirds of
    the time and in 100 MB instead of 270 MB."""
    wanted = wanted_text(chars)
    options = (*PRINT_OPTIONS, "--retain-gids")
    key = hashlib.sha256(f"{font_digest(path)}:{options}:{wanted}".encode()).hexdigest()
    cached = cache_root() / "print-subsets" / f"{path.stem}-{key[:32]}{path.suffix}"
    if not cached.is_file():
        data = _hb_subset(path, wanted, options) if shutil.which("hb-subset") else None
        store(cached, data if data is not None else path.read_bytes())
    return cached.absolute()


def _hb_subset(path: Path, text: str, options: tuple[str, ...]) -> bytes | None:
    with tempfile.TemporaryDirectory() as tmp:
        text_file, out = Path(tmp) / "text.txt", Path(tmp) / f"out{path.suffix}"
        text_file.write_text(text, encoding="utf-8")
        result = subprocess.run(
            ["hb-subset", str(path), f"--text-file={text_file}", f"--output-file={out}",
             *options],
            capture_output=True, check=False,
        )
        return out.read_bytes() if result.returncode == 0 and out.is_file() else None


def _fonttools_subset(path: Path, text: str, keep_locl: bool) -> bytes:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = [*options.layout_features, "halt", "vhal"]
    if not keep_locl:
        options.layout_features = [f for f in options.layout_features if f != "locl"]
    font = TTFont(str(path))
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
