"""The one citation syntax, `[@id]` or `[@id1; @id2]`: how a source cites a reference.

Rendering the markers into links is `render/citations.py`; the content checks only need the ids.
"""
from __future__ import annotations

import re

MARKER = re.compile(r"\[(@[A-Za-z0-9_:.-]+(?:\s*;\s*@[A-Za-z0-9_:.-]+)*)\]")
# A marker with the spaces before it: the space moves inside the superscript, so a printout
# that hides citations leaves "others." and not "others ." (the text on screen is the same).
SPACED_MARKER = re.compile(r"[ \t]*" + MARKER.pattern)


def cited_ids(text: str) -> list[str]:
    """Every id cited in `text`, in order, with repeats."""
    return [part.strip().lstrip("@") for m in MARKER.finditer(text) for part in m.group(1).split(";")]
