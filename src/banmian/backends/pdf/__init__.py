"""The print PDF backend (:mod:`.backend`): the document WeasyPrint lays out
(:mod:`.document`), the checks on the layout and on the written file (:mod:`.checks`), the
press variant's bleed and marks (:mod:`.press`) and the page layout itself (:mod:`.layout`)."""
