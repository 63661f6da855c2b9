"""What banmian knows about Chinese text, shared by the importer, the proofreader and the
backends: character classes, script (Simplified or Traditional) and sentence ends
(:mod:`.chars`), half-width punctuation (:mod:`.punct`), section banners and their pinyin
(:mod:`.banner`), and bylines (:mod:`.bylines`). It imports no other part of banmian, so the
importer and :mod:`banmian.proofread` both use it without importing each other.
"""
