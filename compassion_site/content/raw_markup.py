"""Hand-written pages are Markdown only: raw HTML and attribute lists are refused at the source.

Markdown passes raw HTML straight through, so one `<script>`, `<style>`, `<meta http-equiv>`
or unclosed `<b hidden>` in a page would reach readers (and could hide the crisis banner).
Attribute lists (`{: onclick=... }`, `{ style=... }`) can do the same through Markdown's own
syntax. Refusing them at the source, rather than cleaning the output, gives the volunteer a
message with the file and line, and leaves every legitimate page byte for byte as it was.

Link addresses are checked here too: a `javascript:` or `data:` address (however it is spelt
with entities or spaces) runs or shows whatever it holds, so only web, mail and phone links and
addresses inside the site are allowed.

The one piece of HTML a page may hold is the placeholder the pipeline replaces with the list of
crisis lines (see `render.finish_markdown`).
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from compassion_site.errors import ErrorCollector

HELPLINES_PLACEHOLDER = "<!-- helplines -->"
# What an HTML parser takes as the start of markup: a tag, an end tag, a comment or
# declaration, a processing instruction. Matched in code too, where Markdown would show it
# as text: a stricter rule with no exceptions to get wrong.
_HTML_START = re.compile(r"<[A-Za-z/!?][^<>\n]{0,30}>?")
# An attribute list: `{:` or `{` followed by `.class`, `#id` or `key=value`.
_ATTRIBUTE_LIST = re.compile(r"\{:|\{[ \t]*(?:[.#]|[^\s{}=]+=)")


# The address of an inline link or image `](address` and of a link definition `[id]: address`.
_LINK_ADDRESS = re.compile(r"\]\([ \t]*<?([^)\s>]*)|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S*)", re.M)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_IGNORED_IN_ADDRESSES = re.compile(r"[\x00-\x20\x7f]")  # a browser drops these from an address before reading its scheme


def _bad_scheme(address: str) -> str | None:
    """The scheme of an address that is not allowed, as a browser reads it, or None."""
    found = _SCHEME.match(_IGNORED_IN_ADDRESSES.sub("", html.unescape(address)))
    if found and found.group(1).lower() not in ALLOWED_SCHEMES:
        return found.group(1)
    return None


def check_markup(body: str, first_line: int, path: Path, errors: ErrorCollector) -> None:
    """Record, with its line, each raw HTML tag and each attribute list in a page's Markdown."""
    text = body.replace(HELPLINES_PLACEHOLDER, " " * len(HELPLINES_PLACEHOLDER))
    tags_by_line: dict[int, list[str]] = {}
    for match in _HTML_START.finditer(text):
        tags_by_line.setdefault(first_line + text.count("\n", 0, match.start()), []).append(f"'{match.group(0)}'")
    for line, tags in tags_by_line.items():
        errors.add(path, f"raw HTML ({', '.join(tags)}) is not allowed in pages; write Markdown instead "
                         "(for links [words](address); to show a '<' as text, write &lt;)", line=line)
    for match in _LINK_ADDRESS.finditer(text):
        scheme = _bad_scheme(match.group(1) or match.group(2) or "")
        if scheme:
            errors.add(path, f"a link to a '{scheme}:' address is not allowed; link to a page of the site or to an "
                             "http, https, mailto or tel address", line=first_line + text.count("\n", 0, match.start()))
    for match in _ATTRIBUTE_LIST.finditer(text):
        line = first_line + text.count("\n", 0, match.start())
        errors.add(path, "attribute lists ('{: ... }', '{ .class }') are not allowed in pages; they can change "
                         "how a page behaves. Remove it (to show a '{' as text, write &#123;)", line=line)
