"""banmian (版面): a Chinese newspaper edition, written as content modules, to EPUB 3 and print PDF.

The pipeline, one package module per stage:
``content`` (loaders) → ``model`` (frozen dataclasses) → ``render`` (Jinja2 HTML) → ``backends``
(EPUB, PDF), driven by ``build`` and the command line in ``cli``.
"""

__version__ = "0.1.0"
