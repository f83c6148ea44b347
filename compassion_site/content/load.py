"""Load every content file, validate it against its model, and check it as a whole.

All problems are collected and raised together as ContentErrors, so a volunteer fixes
a tree in one pass. Only then does anything get rendered.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from compassion_site.content.citations import cited_ids
from compassion_site.content.kinds import KINDS
from compassion_site.content.models import SLUG_PATTERN, PageFrontMatter, Reference
from compassion_site.content.raw_markup import check_markup
from compassion_site.content.source_tree import check_source_tree
from compassion_site.content.yaml_source import LineList, LineMap, line_of, load_yaml, parse_yaml, read_text
from compassion_site.errors import ErrorCollector

M = TypeVar("M", bound=BaseModel)
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)
_PYDANTIC_TYPE_WORDS = {
    "string_type": "should be text",
    "int_type": "should be a whole number",
    "list_type": "should be a list",
    "date_type": "should be a date written YYYY-MM-DD",
    "bool_type": "should be true or false",
    "dict_type": "should be a mapping of keys to values",
    "model_type": "should be a mapping of keys to values",
}


@dataclass(frozen=True)
class Page:
    """A hand-written Markdown page in the docs folder."""

    src_uri: str
    path: Path
    meta: PageFrontMatter
    body: str
    body_first_line: int


@dataclass
class Content:
    """Everything the site is built from, validated."""

    root: Path
    items: dict[str, dict[str, Any]] = field(default_factory=lambda: {kind.folder: {} for kind in KINDS})  # folder -> slug -> model
    references: dict[str, Reference] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)


def _describe(error: ErrorDetails, model: type[BaseModel]) -> tuple[str | None, str]:
    loc = [str(part) for part in error["loc"]]
    name = ".".join(loc) or None
    kind = error["type"]
    if kind == "missing":
        return name, f"required field '{name}' is missing"
    if kind == "extra_forbidden":
        allowed = ", ".join(model.model_fields)
        return name, f"unknown field '{name}' (allowed fields: {allowed})"
    if kind in _PYDANTIC_TYPE_WORDS:
        return name, f"{_PYDANTIC_TYPE_WORDS[kind]}, not {type(error['input']).__name__} {error['input']!r}"[:300]
    message = error["msg"].removeprefix("Value error, ")
    return name, message


def validate(model: type[M], data: Any, path: Path, errors: ErrorCollector, *, loc_prefix: tuple = ()) -> M | None:
    """Validate `data` against `model`, recording each failure with its field and line."""
    if not isinstance(data, dict):
        errors.add(path, f"should hold a mapping of fields, not {type(data).__name__}", line=getattr(data, "line", 1))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            name, message = _describe(error, model)
            line = line_of(data, error["loc"])
            if loc_prefix:
                name = ".".join(str(p) for p in (*loc_prefix, *(name.split(".") if name else ())))
            errors.add(path, message, line=line, field=name)
    return None


def _content_files(folder: Path, errors: ErrorCollector) -> Iterator[Path]:
    """The YAML files of a folder. Any other file is refused rather than skipped, so a file
    that a volunteer believes is published never silently is not. Symbolic links are refused
    by `check_source_tree`."""
    if not folder.is_dir() or folder.is_symlink():
        return
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_symlink():
            continue
        if path.is_dir():
            errors.add(path, "is a folder; this folder holds .yaml files only, so nothing in it is published")
            continue
        if path.suffix != ".yaml":
            if path.suffix.lower() in (".yaml", ".yml"):
                errors.add(path, f"uses the {path.suffix} ending; rename it to .yaml")
            else:
                errors.add(path, "is not a .yaml file, so nothing in it is published; move it out of this folder")
            continue
        yield path


def _slug(path: Path, errors: ErrorCollector) -> str | None:
    if "." in path.stem:
        errors.add(path, f"the file name becomes the page address, which has no dots: rename it to {path.stem.replace('.', '-')}.yaml")
        return None
    if re.fullmatch(r"page-\d+|index", path.stem):
        errors.add(path, f"'{path.stem}' is reserved for the pages of the index; choose another file name")
        return None
    if re.fullmatch(SLUG_PATTERN, path.stem):
        return path.stem
    errors.add(path, "the file name becomes the page address: use lower-case letters, digits and hyphens only")
    return None


def check_citations(text_fields: dict[str, Any], data: LineMap, path: Path, known: dict, errors: ErrorCollector) -> None:
    for name, value in text_fields.items():
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if not isinstance(item, str):
                continue
            loc = (name, index) if isinstance(value, list) else (name,)
            for ref_id in cited_ids(item):
                if ref_id not in known:
                    errors.add(path, f"cites unknown reference id '{ref_id}'", line=line_of(data, loc), field=name)


def _check_reference_list(ids: list[str], data: LineMap, path: Path, known: dict, errors: ErrorCollector) -> None:
    for index, ref_id in enumerate(ids):
        if ref_id not in known:
            errors.add(path, f"lists unknown reference id '{ref_id}'", line=line_of(data, ("references", index)), field="references")


def load_references(folder: Path, errors: ErrorCollector) -> dict[str, Reference]:
    references: dict[str, Reference] = {}
    first_seen: dict[str, str] = {}
    for path in _content_files(folder, errors):
        data = load_yaml(path, errors)
        if data is None:
            continue
        if not isinstance(data, LineList):
            errors.add(path, "should hold a list of references (each starting with '- id:')", line=getattr(data, "line", 1))
            continue
        for index, item in enumerate(data):
            ref = validate(Reference, item, path, errors, loc_prefix=(index,))
            if ref is None:
                continue
            where = f"{errors.relative(path)}:{data.item_lines[index]}"
            if ref.id in references:
                errors.add(path, f"duplicate reference id '{ref.id}' (first defined at {first_seen[ref.id]})", line=data.item_lines[index], field="id")
                continue
            references[ref.id] = ref
            first_seen[ref.id] = where
    return references


def _load_models(folder: Path, model: type[M], errors: ErrorCollector) -> dict[str, tuple[M, LineMap, Path]]:
    loaded: dict[str, tuple[M, LineMap, Path]] = {}
    for path in _content_files(folder, errors):
        slug = _slug(path, errors)
        data = load_yaml(path, errors)
        if data is None:
            continue
        item = validate(model, data, path, errors)
        if item is not None and slug is not None:
            loaded[slug] = (item, data, path)
    return loaded


def read_markdown(path: Path, model: type[M], errors: ErrorCollector) -> tuple[M, str, int] | None:
    """A Markdown file's validated front matter, its body, and the line the body starts on.

    Raw HTML and attribute lists in the body are recorded as errors (see raw_markup.py)."""
    if path.is_symlink():
        errors.add(path, "is a symbolic link; copy the file in instead (the checks do not follow links)")
        return None
    text = read_text(path, errors, markdown=True)
    if text is None:
        return None
    match = FRONT_MATTER.match(text)
    if not match:
        errors.add(path, "needs front matter between '---' lines with at least title and description", line=1)
        return None
    data = parse_yaml(match.group(1) or "", path, errors, first_line=2)
    if data is None:
        return None
    _shift_lines(data, 1)
    meta = validate(model, data, path, errors)
    body, first_line = text[match.end():], text[: match.end()].count("\n") + 1
    check_markup(body, first_line, path, errors)
    if meta is None:
        return None
    return meta, body, first_line


def check_page_citations(body: str, first_line: int, path: Path, references: dict[str, Reference], errors: ErrorCollector) -> None:
    for m in re.finditer(r"\[@[^\]]*\]", body):
        line = first_line + body[: m.start()].count("\n")
        for ref_id in cited_ids(m.group(0)):
            if ref_id not in references:
                errors.add(path, f"cites unknown reference id '{ref_id}'", line=line)


def load_pages(docs_dir: Path, references: dict[str, Reference], errors: ErrorCollector) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    for path in markdown_files(docs_dir):
        loaded = read_markdown(path, PageFrontMatter, errors)
        if loaded is None:
            continue
        meta, body, first_line = loaded
        check_page_citations(body, first_line, path, references, errors)
        src_uri = path.relative_to(docs_dir).as_posix()
        pages[src_uri] = Page(src_uri, path, meta, body, first_line)
    return pages


def markdown_files(folder: Path) -> list[Path]:
    """Every page under `folder`, in a stable order; links are not followed (they are refused
    by `check_source_tree`), and names starting with a dot are left out, as the engine does."""
    found = []
    for parent, folders, files in os.walk(folder):
        folders[:] = [f for f in folders if not f.startswith(".")]
        found += [Path(parent) / name for name in files if name.endswith(".md") and not name.startswith(".")]
    return sorted(found)


def _shift_lines(data: Any, offset: int) -> None:
    """Front matter is parsed on its own; move its line numbers to where it sits in the file."""
    if isinstance(data, LineMap):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for value in data.values():
            _shift_lines(value, offset)
    elif isinstance(data, LineList):
        data.line += offset
        data.item_lines = [v + offset for v in data.item_lines]
        for value in data:
            _shift_lines(value, offset)


def load_content(root: Path, *, docs_dir: str = "content") -> Content:
    """Load and check the whole tree under `root`; raise ContentErrors listing every problem."""
    root = root.resolve()
    errors = ErrorCollector(root)
    content = Content(root)
    check_source_tree(root, docs_dir, errors)
    content.references = load_references(root / "references", errors)
    known = content.references
    for kind in KINDS:
        for slug, (item, data, path) in _load_models(root / kind.folder, kind.model, errors).items():
            check_citations({k: getattr(item, k) for k in kind.cited_fields}, data, path, known, errors)
            _check_reference_list(getattr(item, "references", []), data, path, known, errors)
            content.items[kind.folder][slug] = item
    content.pages = load_pages(root / docs_dir, known, errors)
    errors.raise_if_any()
    return content
