"""Content loaders: an edition folder on disk → the :mod:`banmian.model`.

``load_edition`` is the entry point. ``files`` reads text and TOML with positions, ``fields``
validates tables against their schema, ``markdown`` turns a module body into model blocks,
``modules`` reads one module file, and ``edition`` reads ``edition.toml`` and ties them together.
"""

from banmian.content.edition import load_edition

__all__ = ["load_edition"]
