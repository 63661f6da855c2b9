"""The EPUB 3 backend (:mod:`.backend`), its metadata (:mod:`.metadata`), navigation
(:mod:`.navigation`) and deterministic container (:mod:`.container`)."""
