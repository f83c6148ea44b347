"""The {placeholders} of a UI string, checked against what the build fills it in with.

The build fills a string with `str.format`, which reads `{0}` as a position, a lone `{`
as an error, and `{n.__class__}` as a walk into Python's objects, whose text would
then appear on the page. A translator's slip must get a message naming the string, never
a traceback or a page showing internals.
"""
from __future__ import annotations

import string


def placeholder_problems(key: str, text: str, expected: frozenset[str]) -> list[str]:
    """What is wrong with the braces of `text`, the string `key` filled in with `expected` names."""
    want = " ".join(f"{{{name}}}" for name in sorted(expected)) or "no placeholders"
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return [f"string '{key}' has a {{ or }} that does not belong to a placeholder; braces are only for {want}"]
    problems, found = [], set()
    for literal, name, spec, conversion in parts:
        if "{" in literal or "}" in literal:
            problems.append(f"string '{key}' has doubled braces {{{{ or }}}}; braces are only for {want}")
        if name is None:
            continue
        shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if not name or name.isdigit():
            problems.append(f"string '{key}' has the numbered placeholder {shown}; use the names {want}")
        elif not name.isidentifier():
            problems.append(f"string '{key}' has {shown}, which reaches inside a value; use only {want}")
        elif name not in expected:
            problems.append(f"string '{key}' has the unknown placeholder {shown}; it may use {want}")
        elif spec or conversion:
            problems.append(f"string '{key}' has {shown}; write the placeholder as {{{name}}}, with nothing after its name")
        found.add(name)
    if not problems and found != expected:
        problems.append(f"string '{key}' must contain {want}")
    return list(dict.fromkeys(problems))
