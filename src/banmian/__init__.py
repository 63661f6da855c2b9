"""banmian (版面): a Chinese newspaper edition, written as content modules, to EPUB 3 and print PDF.

The pipeline, one package module per stage:
``content`` (loaders) → ``model`` (frozen dataclasses) → ``render`` (Jinja2 HTML) → ``backends``
(EPUB, PDF; print layout in ``layout``), driven by ``build`` (one edition), ``batch`` (many, on
any executor) and the command line in ``cli``. ``importer`` turns raw page text into an edition;
``lint`` and ``proofread`` check copy; ``check`` validates built files.
"""

__version__ = "0.1.0"
