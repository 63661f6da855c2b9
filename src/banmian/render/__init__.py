"""Rendering: the model → HTML/XHTML through Jinja2 templates kept inside the package.

``typeset`` prepares CJK text for layout (markup only, never a changed character); ``env`` owns
the one Jinja2 environment (autoescape and StrictUndefined on); ``html`` renders documents.
"""
