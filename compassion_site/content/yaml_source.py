"""Read YAML safely and remember the line of every key and list item.

Error messages must point a volunteer at a line, so the loader keeps positions that
plain `yaml.safe_load` throws away. It also refuses what PyYAML silently accepts
but a person did not mean: duplicate keys, a byte-order mark, bytes that are not UTF-8.
And it bounds the work a file can ask for before building anything: no anchors or
aliases (a 1.5 KB "alias bomb" expands to gigabytes) and at most MAX_DEPTH levels of
nesting (deeper files exhaust Python's stack).
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from compassion_site.errors import ErrorCollector


class LineMap(dict):
    """A YAML mapping that knows the line of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[Any, int] = {}


class LineList(list):
    """A YAML sequence that knows the line of each item."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []


# libyaml's parser when available (about ten times faster), with the same safe constructors.
class LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    result = LineMap()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word, not a list or mapping", key_node.start_mark
            ) from None
        if key in result:
            first = result.key_lines[key]
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice (first on line {first})", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList()
    result.line = node.start_mark.line + 1
    for child in node.value:
        result.append(loader.construct_object(child, deep=True))
        result.item_lines.append(child.start_mark.line + 1)
    return result


LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)

MAX_DEPTH = 20  # lists and mappings inside each other; our deepest file has 5
_OPENS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSES = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _bounded(text: str, *, scalar_aliases: bool) -> tuple[int | None, str] | None:
    """(line, problem) for the first anchor, alias or too-deep nesting, found from the parser's
    events alone, which cost a tenth of a millisecond a file and never expand an alias.

    `scalar_aliases`: anchors on single values (not lists or mappings) are allowed; they
    cannot multiply a file, and the safe-messaging rules use them to name a source once."""
    depth = 0
    for event in yaml.parse(text, Loader=LineLoader):
        line = event.start_mark.line + 1 if event.start_mark else None
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            allowed = scalar_aliases and isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent))
            if not allowed:
                return line, (f"uses the YAML anchor or alias '{anchor}' (& or *); write the value out in full, "
                              "anchors and aliases are not allowed here")
        if isinstance(event, _OPENS):
            depth += 1
            if depth > MAX_DEPTH:
                return line, f"nests lists and mappings more than {MAX_DEPTH} levels deep; no content needs that many"
        elif isinstance(event, _CLOSES):
            depth -= 1
    return None


def read_text(path: Path, errors: ErrorCollector, *, markdown: bool = False) -> str | None:
    """The file's text, or None after recording why it cannot be read as clean UTF-8.

    `markdown`: a Markdown page, read as the engine reads it: a byte-order mark is dropped and
    Windows (CRLF) or old Mac (CR) line endings become plain newlines."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        errors.add(path, f"cannot be read: {exc.strerror or exc}")
        return None
    if markdown:
        raw = raw.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if raw.startswith(b"\xef\xbb\xbf"):
        errors.add(path, "starts with a byte-order mark (BOM); save it as UTF-8 without BOM", line=1)
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        errors.add(path, f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8", line=line)
        return None


def parse_yaml(text: str, path: Path, errors: ErrorCollector, *, scalar_aliases: bool = False, first_line: int = 1) -> Any:
    """Parsed YAML with line information, or None after recording a syntax error or a file
    that asks for unbounded work (see `_bounded`). `first_line`: where `text` starts in the
    file (front matter starts on line 2); the lines of errors are counted from there."""
    shift = first_line - 1
    try:
        unbounded = _bounded(text, scalar_aliases=scalar_aliases)
        if unbounded is not None:
            line, problem = unbounded
            errors.add(path, problem, line=None if line is None else line + shift)
            return None
        return yaml.load(text, Loader=LineLoader)  # noqa: S506 - LineLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        tabbed = re.search(r"^[ ]*\t", text, re.M)
        if tabbed and ("\\t" in problem or "cannot start any token" in problem):
            line = text.count("\n", 0, tabbed.start()) + 1
            problem = "a tab character is used for indentation; YAML needs spaces"
        errors.add(path, f"YAML syntax error: {problem}", line=None if line is None else line + shift)
    except yaml.YAMLError as exc:
        errors.add(path, f"YAML error: {exc}")
    except (ValueError, OverflowError) as exc:  # e.g. a date like 2026-02-30: PyYAML raises without a position
        line = _line_of_bad_value(text)
        line = None if line is None else line + shift
        errors.add(path, f"a value cannot be read ({exc}); check dates are real and written YYYY-MM-DD", line=line)
    return None


def _line_of_bad_value(text: str) -> int | None:
    """The first line holding a date-shaped value that is not a real date."""
    for number, line in enumerate(text.splitlines(), start=1):
        for y, m, d in re.findall(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", line):
            try:
                datetime.date(int(y), int(m), int(d))
            except ValueError:
                return number
    return None


def load_yaml(path: Path, errors: ErrorCollector, *, scalar_aliases: bool = False) -> Any:
    text = read_text(path, errors)
    if text is None:
        return None
    if not text.strip():
        errors.add(path, "is empty", line=1)
        return None
    before = len(errors.errors)
    data = parse_yaml(text, path, errors, scalar_aliases=scalar_aliases)
    if data is None and len(errors.errors) == before:
        errors.add(path, "has no content, only comments or blank lines", line=1)
    return data


def line_of(data: Any, loc: Sequence[str | int]) -> int | None:
    """The line of the deepest part of `loc` that exists in `data`."""
    line = getattr(data, "line", None) or None
    node = data
    for part in loc:
        if isinstance(node, LineMap) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line
