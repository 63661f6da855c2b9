"""Output backends, in one registry: each renders the same model into one output format.

A backend is a small class with ``name``, ``suffix`` and
``build(edition, folder, options) -> Output`` (bytes and warnings);
writing the bytes (atomically) is the caller's job, so a failed build never touches a good file.
Backends are imported lazily: the PDF backend's WeasyPrint import only happens when it runs.
"""

from __future__ import annotations

from importlib import import_module

from banmian.backends.base import Backend, BuildOptions, Output

#: Backend name → "module:Class". Order is the default build order.
REGISTRY: dict[str, str] = {
    "epub": "banmian.backends.epub.backend:EpubBackend",
    "pdf": "banmian.backends.pdf.backend:PdfBackend",
}


def get_backend(name: str) -> Backend:
    """Instantiate the backend registered under ``name``."""
    module_name, _, class_name = REGISTRY[name].partition(":")
    backend: Backend = getattr(import_module(module_name), class_name)()
    return backend


__all__ = ["REGISTRY", "Backend", "BuildOptions", "Output", "get_backend"]
