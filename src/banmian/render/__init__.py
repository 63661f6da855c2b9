"""Rendering: the model → HTML/XHTML through Jinja2 templates kept inside the package.

``typeset`` prepares CJK text for layout (markup only, never a changed character); ``env`` owns
the one Jinja2 environment (autoescape and StrictUndefined on); ``html`` holds the helpers both
backends share (date label, labels in the edition's script). Each backend renders its own
templates: ``epub_*.xhtml.j2`` and ``print.html.j2``, both built on the macros of ``_article.j2``.
"""
