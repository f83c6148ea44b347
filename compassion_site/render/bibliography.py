"""Format references consistently, APA-like, as escaped HTML.

One formatter serves the site bibliography and every page's reference list, so an
entry reads the same wherever it appears.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from compassion_site.content.models import Reference


def _authors(names: list[str], more: bool = False) -> str:
    if more:
        return ", ".join(names) + ", et al."
    if len(names) == 1:
        return names[0]
    if len(names) <= 20:
        return ", ".join(names[:-1]) + ", & " + names[-1]
    return ", ".join(names[:19]) + ", ... " + names[-1]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def format_reference(ref: Reference, *, no_date: str = "n.d.") -> Markup:
    """One reference as HTML: authors (year). title. container, volume(issue), pages. link."""
    year = str(ref.year) if ref.year is not None else no_date
    authors = _authors(ref.authors, ref.more_authors)
    parts = [escape(authors if authors.endswith(".") else authors + "."), escape(f" ({year}). ")]
    if ref.type == "article":
        parts.append(escape(_sentence(ref.title)) + " ")
        source = Markup("<em>{}</em>").format(ref.container)
        if ref.volume is not None:
            source += Markup(", <em>{}</em>").format(ref.volume)
            if ref.issue is not None:
                source += escape(f"({ref.issue})")
        if ref.pages:
            source += escape(f", {ref.pages}")
        parts.append(source + ".")
    else:
        parts.append(Markup("<em>{}</em> ").format(_sentence(ref.title)))
        parts.append(escape(_sentence(ref.container)))
        if ref.isbn:
            parts.append(escape(f" ISBN {ref.isbn}."))
    link = f"https://doi.org/{ref.doi}" if ref.doi else ref.url
    if link:
        parts.append(Markup(' <a href="{0}">{0}</a>').format(link))
    return Markup("").join(parts)


def sort_key(ref: Reference) -> tuple[str, int, str]:
    return (ref.authors[0].casefold(), ref.year or 0, ref.title.casefold())
