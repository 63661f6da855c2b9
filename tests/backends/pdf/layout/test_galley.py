"""The copy measured before placement: where each paragraph's lines end, by column width."""

from __future__ import annotations

from banmian.backends.pdf.layout.depth import line_key
from banmian.backends.pdf.layout.galley import PT, line_breaks


def test_each_paragraph_s_line_ends_are_counted_by_its_column_width() -> None:
    from weasyprint import HTML

    html = ('<div style="width: 120px; font-size: 12px; line-height: 1">'
            '<p style="margin: 0">{a}</p><p style="margin: 0">{b}</p></div>'
            '<div style="width: 60px; font-size: 12px; line-height: 1">'
            '<p style="margin: 0">{b}</p></div>').format(a="字" * 25, b="字 字" * 6)
    found = line_breaks(HTML(string=html).render())
    assert found[line_key(120 * PT, "字" * 25)] == (10, 20, 25)
    wide, narrow = found[line_key(120 * PT, "字字" * 6)], found[line_key(60 * PT, "字字" * 6)]
    assert wide[-1] == narrow[-1] == 12 and len(narrow) > len(wide)
