"""Write the HTML that banmian's PDF backend gives WeasyPrint, images as files beside it.

For ``make bench``: bare WeasyPrint renders this file, so the benchmark measures what banmian
adds around WeasyPrint (loading, checks, copyfit, justification, font checks). The file uses
the edition's print subsets, as banmian's own build does (cut from the whole faces, cached).
Usage: ``python tools/print_html.py EDITION_DIR OUT.html``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from banmian.assets.figures import figure_assets
from banmian.backends.pdf.backend import PRINT_DPI
from banmian.backends.pdf.document import prepare, with_fonts
from banmian.backends.pdf.layout.geometry import sheets
from banmian.content import load_edition


def main(folder: Path, target: Path) -> None:
    edition = load_edition(folder)
    pages = sheets(edition)
    widest = max((s.frames[m.id].figure_pt(m, f) for s in pages for m in s.page.modules
                  for f in m.figures), default=0.0)
    assets = figure_assets(edition, folder, max(1, round(widest / 72 * PRINT_DPI)))
    for asset in assets:
        (target.parent / asset.name).write_bytes(asset.data)
    images = {a.key: a.name for a in assets}
    ready = prepare(edition, images, pages)
    html = with_fonts(ready.html, edition.language, ready.files)
    target.write_text(html, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
