"""Print layout for the PDF backend: page geometry, automatic placement, copyfit, the
baseline grid, CJK justification.

:mod:`.geometry` turns an edition's paper and grid into exact measures, in points (column
widths in whole body ems, so pure-CJK lines fill a column exactly; photo bands in whole
columns); :mod:`.placer` places the modules of pages without ``place`` on the grid from the
depths :mod:`.depth` estimates, cutting modules into parts (:mod:`.parts`) where a page is full;
:mod:`.boxes` reads WeasyPrint's laid-out box tree without importing WeasyPrint. After layout,
in CSS pixels, the unit of WeasyPrint's boxes: :mod:`.feather` puts each placed frame's body on
the baseline grid, has :mod:`.columns` set its last run of columns again to the frame's foot
(beside a narrow band too) and fills what is left in whole lines (BM305 for what it cannot);
:mod:`.copyfit` finds copy that does not fit its frame (BM300); :mod:`.breaks` finds the widows,
orphans and stranded subheads left (BM304); :mod:`.justify` spreads the remaining lines to the
column edge. :mod:`.headlines` balances headline lines before layout.
"""
