"""Raster assets: photos (:mod:`.photos`), placeholders for missing ones
(:mod:`.placeholders`), each figure's image for a backend (:mod:`.figures`) and the EPUB's
cover (:mod:`.cover`)."""
