"""Validated models -> Markdown pages for the engine: templates, citations, the bibliography, QR codes, share metadata."""
