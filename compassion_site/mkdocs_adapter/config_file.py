"""Read a site config file (mkdocs.yml) safely, before MkDocs does, and validate it against `Settings`.

MkDocs loads its config with PyYAML's full loader, so a `!!python/...` tag in mkdocs.yml or a
translator's mkdocs.<lang>.yml would run code while building. This module refuses every tag
but MkDocs' own `!ENV` and `!relative` (with file and line) before any engine starts, follows
`INHERIT:`, and reports wrong types with the file, line and field that set them.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from compassion_site.content.kinds import FOLDERS
from compassion_site.content.yaml_source import LineList, LineLoader, LineMap, read_text
from compassion_site.errors import ContentError, ContentErrors, ErrorCollector
from compassion_site.settings import Settings, SiteConfig

# Tags a safe YAML loader builds by itself, and the two MkDocs adds that run no code.
_SAFE_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge")}
_MKDOCS_TAGS = ("!ENV", "!relative")

# Folders of the project that hold sources: the site may never be published over or into them.
SOURCE_FOLDERS = ("content", *FOLDERS, "references", "safety", "locales", "translations", "overrides", "hooks",
                  "compassion_site", "schemas", "tests", ".git")
SOURCE_SUFFIXES = (".md", ".yaml", ".yml", ".py", ".toml", ".j2", ".lock", ".cfg")


class _ConfigLoader(LineLoader):
    pass


def _env_tag(loader: _ConfigLoader, node: yaml.Node) -> Any:
    """MkDocs' `!ENV NAME` or `!ENV [NAME, OTHER, default]`: the first variable that is set, else the default."""
    if isinstance(node, yaml.SequenceNode):
        values = [loader.construct_object(child) for child in node.value]
        names, default = (values[:-1], values[-1]) if len(values) > 1 else (values, None)
    else:
        names, default = [loader.construct_scalar(node)], None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            value = os.environ[name]  # typed like a plain YAML scalar, as MkDocs does
            return loader.construct_object(yaml.ScalarNode(loader.resolve(yaml.ScalarNode, value, (True, False)), value))
    return default


def _relative_tag(loader: _ConfigLoader, node: yaml.Node) -> Any:
    return loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_constructor("!relative", _relative_tag)


def _unsafe_tags(node: yaml.Node | None) -> list[tuple[int, str]]:
    """(line, tag) of every tag in a composed document that is neither plain YAML nor MkDocs' own."""
    found, stack = [], [node] if node is not None else []
    while stack:
        current = stack.pop()
        if current.tag not in _SAFE_TAGS and current.tag not in _MKDOCS_TAGS:
            found.append((current.start_mark.line + 1, current.tag))
        if isinstance(current, yaml.MappingNode):
            stack.extend(part for pair in current.value for part in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(found)


def _tag_words(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _mark_source(data: Any, path: Path) -> None:
    """Remember in every mapping and list which file it came from, for messages after INHERIT merges."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, (LineMap, LineList)):
            node.source = path  # type: ignore[union-attr]
            stack.extend(node.values() if isinstance(node, LineMap) else node)


def _load_one(path: Path, errors: ErrorCollector) -> LineMap | None:
    text = read_text(path, errors)
    if text is None:
        return None
    try:
        tree = yaml.compose(text, Loader=yaml.SafeLoader)  # parsing builds no object, so no tag runs yet
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        errors.add(path, f"YAML syntax error: {(exc.problem or exc.context or 'invalid YAML').strip()}", line=mark.line + 1 if mark else None)
        return None
    except yaml.YAMLError as exc:
        errors.add(path, f"YAML error: {exc}")
        return None
    unsafe = _unsafe_tags(tree)
    for line, tag in unsafe:
        errors.add(path, f"the tag {_tag_words(tag)} is not allowed: it could run code while building. Only !ENV and !relative "
                   "may be used; write the value itself", line=line)
    if unsafe:
        return None
    try:
        data = yaml.load(text, Loader=_ConfigLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        errors.add(path, (exc.problem or exc.context or "invalid YAML").strip(), line=mark.line + 1 if mark else None)
        return None
    if data is None:
        data = LineMap()
    if not isinstance(data, LineMap):
        errors.add(path, "should hold settings like 'site_name: My site', not a list or a single value", line=1)
        return None
    _mark_source(data, path)
    return data


def _merge(base: LineMap, override: LineMap) -> LineMap:
    """MkDocs' INHERIT rule: mappings are merged key by key, any other value replaces the parent's."""
    merged = LineMap()
    merged.line, merged.source = override.line, getattr(override, "source", None)  # type: ignore[attr-defined]
    merged.key_sources = {}  # type: ignore[attr-defined]
    for side in (base, override):
        for key, value in side.items():
            old = merged.get(key)
            merged[key] = _merge(old, value) if isinstance(value, LineMap) and isinstance(old, LineMap) else value
            merged.key_lines[key] = side.key_lines.get(key, side.line)
            merged.key_sources[key] = getattr(side, "key_sources", {}).get(key, getattr(side, "source", None))  # type: ignore[attr-defined]
    return merged


def read_raw(path: Path, errors: ErrorCollector, *, seen: tuple[Path, ...] = ()) -> LineMap | None:
    """A config file with its INHERIT parents merged in, or None after recording why it cannot be read."""
    if not path.is_file():
        errors.add(path, "does not exist")
        return None
    data = _load_one(path, errors)
    if data is None:
        return None
    parent = data.pop("INHERIT", None)
    if parent is None:
        return data
    line = data.key_lines.get("INHERIT")
    if not isinstance(parent, str) or not parent:
        errors.add(path, "INHERIT should name the config file this one builds on, like 'INHERIT: mkdocs.yml'", line=line, field="INHERIT")
        return None
    target = (path.parent / parent).resolve()
    if target in (*seen, path):
        errors.add(path, f"INHERIT: {parent} leads back to this file; a config cannot inherit from itself", line=line, field="INHERIT")
        return None
    if not target.is_file():
        errors.add(path, f"INHERIT names {parent}, which does not exist next to this file", line=line, field="INHERIT")
        return None
    base = read_raw(target, errors, seen=(*seen, path))
    return None if base is None else _merge(base, data)


def _locate(data: Any, loc: tuple[Any, ...], fallback: Path) -> tuple[Path, int | None]:
    """The file and line that set the value at `loc` of a merged config."""
    source, line, node = getattr(data, "source", fallback), getattr(data, "line", None), data
    for part in loc:
        if isinstance(node, LineMap) and part in node:
            source = getattr(node, "key_sources", {}).get(part) or getattr(node, "source", source)
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            source, line = getattr(node, "source", source), node.item_lines[part]
            node = node[part]
        else:
            break
    return source or fallback, line


_TYPE_WORDS = {
    "string_type": "should be text", "int_type": "should be a whole number", "float_type": "should be a number",
    "list_type": "should be a list", "model_type": "should be a mapping of settings", "dict_type": "should be a mapping of settings",
    "bool_type": "should be true or false", "string_pattern_mismatch": "does not have the expected form",
    "string_too_short": "should not be empty", "greater_than": "should be more than zero",
}


def _message(error: Any, model_fields: str) -> str:
    kind, given = error["type"], error.get("input")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return f"is not a setting this site reads (settings here: {model_fields}); check the spelling"
    if kind in _TYPE_WORDS:
        hint = f" ({error['ctx']['pattern']})" if kind == "string_pattern_mismatch" else ""
        kinds: dict[type, str] = {LineMap: "a mapping", LineList: "a list", dict: "a mapping", list: "a list"}
        kind_of = kinds.get(type(given), type(given).__name__)
        return f"{_TYPE_WORDS[kind]}{hint}, not {kind_of} {given!r}"[:300]
    return str(error["msg"]).removeprefix("Value error, ")


def _known_fields(loc: tuple[Any, ...]) -> str:
    model: Any = Settings
    for part in loc[:-1]:
        field = getattr(model, "model_fields", {}).get(part)
        annotation = getattr(field, "annotation", None)
        if annotation is None:
            break
        model = getattr(annotation, "__args__", (annotation,))[0] if getattr(annotation, "__origin__", None) is list else annotation
    return ", ".join(name for name in getattr(model, "model_fields", {}) if model.model_fields[name].description)


def _nav_titles(nav: Any, loc: tuple[Any, ...] = ("nav",)) -> list[tuple[tuple[Any, ...], str]]:
    """Every navigation title, with where it sits, to refuse markup in them."""
    found: list[tuple[tuple[Any, ...], str]] = []
    items = nav if isinstance(nav, list) else []
    for index, item in enumerate(items):
        if isinstance(item, dict):
            for title, value in item.items():
                found.append(((*loc, index, title), str(title)))
                found += _nav_titles(value, (*loc, index, title))
    return found


def read_site_config(path: Path) -> SiteConfig:
    """The validated settings of one config file; raises ContentErrors naming file, line and field."""
    path = path.resolve()
    errors = ErrorCollector(path.parent)
    data = read_raw(path, errors)
    if data is None:
        raise ContentErrors(errors.errors)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            source, line = _locate(data, loc, path)
            errors.add(source, _message(error, _known_fields(loc)), line=line, field=".".join(str(p) for p in loc) or None)
        raise ContentErrors(errors.errors) from None
    for loc, title in _nav_titles(data.get("nav")):
        if "<" in title or ">" in title:
            source, line = _locate(data, loc, path)
            errors.add(source, f"the navigation title '{title[:80]}' holds < or >; titles are plain text", line=line, field="nav")
    config = SiteConfig(path=path, root=path.parent, settings=settings)
    problem = site_dir_problem(config.site_dir, config.root, config.docs_dir)
    if problem:
        source, line = _locate(data, ("site_dir",), path)
        errors.add(source, problem, line=line if "site_dir" in data else None, field="site_dir")
    errors.raise_if_any()
    return config


def site_dir_problem(site_dir: Path, root: Path, docs_dir: str) -> str | None:
    """Why `site_dir` may not be published to, or None: the build replaces the folder whole, so it
    must be one of its own, holding no source, and neither the project nor a folder around it."""
    site_dir, root = site_dir.resolve(), root.resolve()
    if site_dir == root or root.is_relative_to(site_dir):
        return f"{site_dir} is the project folder or a folder around it; publishing there would replace the sources. Use a folder of its own, like site"
    for name in (*SOURCE_FOLDERS, docs_dir):
        source = (root / name).resolve()
        if site_dir == source or site_dir.is_relative_to(source) or source.is_relative_to(site_dir):
            return f"{site_dir} is or holds the source folder {name}/; publishing there would replace it. Use a folder of its own, like site"
    if site_dir.is_dir():
        for dirpath, dirnames, filenames in os.walk(site_dir):
            if ".git" in dirnames:
                return f"{site_dir} holds a .git folder; publishing there would replace it. Use a folder of its own, like site"
            for name in filenames:
                if name.endswith(SOURCE_SUFFIXES):
                    found = Path(dirpath, name).relative_to(site_dir)
                    return f"{site_dir} holds the source file {found}; publishing there would replace it. Use a folder of its own, like site"
    return None


def config_errors(errors: list[ContentError]) -> str:
    """A config failure as one report, in the words of the content errors."""
    n = len(errors)
    head = f"The configuration has {n} error{'s' if n != 1 else ''}; nothing was published:"
    return "\n".join([head, *(f"  - {e}" for e in errors)])
