"""Print layout for the PDF backend: page geometry, copyfit, CJK justification.

:mod:`.geometry` turns an edition's paper and grid into exact measures, in points (column
widths in whole body ems, so pure-CJK lines fill a column exactly); :mod:`.boxes` reads
WeasyPrint's laid-out box tree without importing WeasyPrint; :mod:`.justify` spreads the
remaining lines to the column edge and :mod:`.copyfit` finds copy that does not fit its
frame, both in CSS pixels, the unit of WeasyPrint's boxes; :mod:`.headlines` balances
headline lines; :mod:`.placer` places the modules of pages without ``place`` on the grid from
the depths :mod:`.depth` estimates.
"""
