"""What banmian knows about Chinese text, shared by the importer, the proofreader and the
backends: character classes and sentence ends (:mod:`.chars`), script (Simplified or
Traditional, from OpenCC's tables: :mod:`.script`), half-width punctuation (:mod:`.punct`),
section banners and their pinyin (:mod:`.banner`), bylines (:mod:`.bylines`), edition date
lines (:mod:`.dates`) and invisible format characters (:mod:`.invisible`). It imports no other
part of banmian, so the importer and :mod:`banmian.proofread` both use it without importing each
other.
"""
