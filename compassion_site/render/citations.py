"""How citation markers become links: a numbered link to the page's own reference list,
each entry there linking on to the site bibliography. Numbers follow the order of first citation.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping

from markupsafe import Markup, escape

from compassion_site.content.citations import SPACED_MARKER
from compassion_site.content.models import Reference
from compassion_site.render.bibliography import format_reference

BIBLIOGRAPHY_SRC = "references.md"


def link_to(target_src: str, from_src: str) -> str:
    """A relative Markdown link from one source file to another, as MkDocs resolves them."""
    return posixpath.relpath(target_src, posixpath.dirname(from_src) or ".")


def render_citations(
    markdown: str,
    *,
    src_uri: str,
    references: Mapping[str, Reference],
    extra_ids: Iterable[str] = (),
    heading: str = "References",
    full_list_label: str = "In the full reference list",
    cite_label: Callable[[int], str] = lambda n: f"Reference {n}",
    no_date: str = "n.d.",
) -> str:
    """Replace markers with numbered links and append the page's reference list.

    Unknown ids are left as written: content validation reports them with a file and a
    line before rendering, and the HTML verifier catches any marker that slips through.
    """
    numbers: dict[str, int] = {}

    def number(ref_id: str) -> int:
        return numbers.setdefault(ref_id, len(numbers) + 1)

    def replace(match: re.Match[str]) -> str:
        ids = [part.strip().lstrip("@") for part in match.group(1).split(";")]
        if any(ref_id not in references for ref_id in ids):
            return match.group(0)
        links = Markup(", ").join(
            Markup('<a href="#ref-{id}" class="citation" data-ref="{id}" aria-label="{label}">{n}</a>').format(
                id=ref_id, n=number(ref_id), label=cite_label(number(ref_id))
            )
            for ref_id in ids
        )
        space = " " if match.group(0)[0] in " \t" else ""
        return str(Markup('<sup class="citations">{}[{}]</sup>').format(space, links))

    body = SPACED_MARKER.sub(replace, markdown)
    for ref_id in extra_ids:
        if ref_id in references:
            number(ref_id)
    if not numbers:
        return body
    bibliography = link_to(BIBLIOGRAPHY_SRC, src_uri)
    lines = ["", "", f"## {escape(heading)} {{: #references }}", ""]
    for ref_id, n in numbers.items():
        entry = Markup('<span id="ref-{id}"></span>{entry}').format(id=ref_id, entry=format_reference(references[ref_id], no_date=no_date))
        lines.append(f"{n}. {entry} [{escape(full_list_label)}]({bibliography}#{ref_id})")
    return body + "\n".join(lines) + "\n"
