"""Print layout for the PDF backend: page geometry, copyfit, CJK justification, press output.

Everything here works in points (1/72 in). :mod:`~banmian.layout.geometry` turns an edition's
paper and grid into exact measures (column widths in whole body ems, so pure-CJK lines fill a
column exactly); :mod:`~banmian.layout.boxes` reads WeasyPrint's laid-out box tree without
importing WeasyPrint; :mod:`~banmian.layout.justify` spreads the remaining lines to the column
edge; :mod:`~banmian.layout.copyfit` finds copy that does not fit its frame;
:mod:`~banmian.layout.press` adds bleed, trim and crop marks with pikepdf.
"""
