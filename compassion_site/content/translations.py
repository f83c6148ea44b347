"""Translations: files that mirror the sources, and how fresh each translated string is.

`translations/<lang>/practices/<slug>.yaml` and `.../myths/<slug>.yaml` hold the translated
text fields only (numbers, dates and reference ids come from the source). Every translated
string is keyed by the digest of the English string it translates (`s` and 10 hex digits), so:

- a reordered English list keeps each translation with its own item, never the one that now
  stands at its old position;
- an edited English string is reported outdated (`make i18n-status` lists it with its new key)
  and, in a list, shown in English until it is translated again;
- Weblate and Crowdin read and write these files as monolingual YAML: the English base file of
  each is `translations/en/<kind>/<slug>.yaml`, written from the sources by `make i18n-templates`
  with exactly the keys a translation uses. translate-toolkit's yaml2po and po2yaml round-trip them.

`translations/<lang>/content/<path>.md` mirrors a hand-written page and records
`translated_from`, the digest of the source file it was translated from.
"""
from __future__ import annotations

import hashlib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, create_model

from compassion_site.content.kinds import KINDS
from compassion_site.content.load import Content, Page, check_citations, check_page_citations, read_markdown, validate
from compassion_site.content.models import PageFrontMatter, plain_prose
from compassion_site.content.yaml_source import load_yaml
from compassion_site.errors import ErrorCollector

SOURCE_LANGUAGE = "en"
TEMPLATE_HEADER = (
    "# Written by `make i18n-templates` from {source}: do not edit. The English base file for Weblate and\n"
    "# Crowdin. Each key is the digest of the English text beside it; a translation uses the same keys.\n"
)


def _quoted(value: object) -> object:
    if isinstance(value, (int, float)):
        raise ValueError("YAML read the digest as a number: put it in quotes, e.g. translated_from: \"849881636664\"")
    return value


Digest = Annotated[str, BeforeValidator(_quoted), StringConstraints(pattern=r"^[0-9a-f]{12}$")]
StringKey = Annotated[str, StringConstraints(pattern=r"^s[0-9a-f]{10}$")]
Status = Literal["translated", "outdated", "missing"]
StringState = Literal["outdated", "missing", "unused"]


def source_digest(path: Path) -> str:
    """The digest a translated page records: the first 12 hex digits of the source's SHA-256."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def string_key(text: str) -> str:
    """The key of one English string: `s` and the first 10 hex digits of its SHA-256."""
    return "s" + hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:10]


# What a field of a source model is, for translation: a text, a list of texts, a nested model of
# texts, or nothing to translate (numbers, dates, ids, choices).
_Kind = Literal["text", "list", "model"]


def _is_text(annotation: Any) -> bool:
    return typing.get_origin(annotation) is Annotated and any(
        getattr(m, "func", None) is plain_prose for m in typing.get_args(annotation)[1:]
    )


def _without_none(annotation: Any) -> Any:
    """`X | None` -> X."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return annotation


def _field_kind(info: Any) -> tuple[_Kind, Any] | None:
    annotation = _without_none(info.annotation)
    if typing.get_origin(annotation) is list:
        item = typing.get_args(annotation)[0]
        return ("list", item) if _is_text(item) else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return ("model", annotation) if translatable_fields(annotation) else None
    if annotation is str and any(getattr(m, "func", None) is plain_prose for m in info.metadata):
        return "text", Annotated[(str, *info.metadata)]
    if _is_text(annotation):
        return "text", annotation
    return None


def translatable_fields(model: type[BaseModel]) -> dict[str, tuple[_Kind, Any]]:
    """The fields of a source model a translator translates, in the model's order."""
    found = {}
    for name, info in model.model_fields.items():
        kind = _field_kind(info)
        if kind is not None:
            found[name] = kind
    return found


_TRANSLATION_MODELS: dict[type[BaseModel], type[BaseModel]] = {}


def translation_model(model: type[BaseModel]) -> type[BaseModel]:
    """The model of a translation file, derived from the source model: every translatable field
    becomes an optional mapping from string key to translated text, with the source's limits."""
    if model in _TRANSLATION_MODELS:
        return _TRANSLATION_MODELS[model]
    fields: dict[str, Any] = {}
    for name, (kind, inner) in translatable_fields(model).items():
        if kind == "model":
            fields[name] = (translation_model(inner) | None, None)
        else:
            what = "one entry" if kind == "text" else "one entry per item"
            fields[name] = (dict[StringKey, inner] | None, Field(  # type: ignore[valid-type]  # built at run time from the source model
                default=None, description=f"{name}: {what}, keyed by the English text's digest"))
    derived = create_model(
        f"{model.__name__}Translation", __config__=ConfigDict(extra="forbid", strict=True, frozen=True),
        __doc__=f"The translated text of a {model.__name__.lower()}: `translations/<lang>/...` mirrors the source.", **fields,
    )
    _TRANSLATION_MODELS[model] = derived
    return derived


def template_of(source: BaseModel) -> dict[str, Any]:
    """The English strings of a source item with their keys: what a translation file mirrors."""
    out: dict[str, Any] = {}
    for name, (kind, _) in translatable_fields(type(source)).items():
        value = getattr(source, name)
        if value is None:
            continue
        if kind == "model":
            out[name] = template_of(value)
        elif kind == "list":
            out[name] = {string_key(item): item for item in value}
        else:
            out[name] = {string_key(value): value}
    return out


class _Dumper(yaml.SafeDumper):
    """Texts with line breaks as literal blocks, so a file reads like the sources do."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value.strip() else None)


_Dumper.add_representer(str, _text)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def template_text(source: BaseModel, source_name: str) -> str:
    """A template file's text: stable, so `make i18n-templates` rewrites only what changed."""
    return TEMPLATE_HEADER.format(source=source_name) + dump_yaml(template_of(source))


@dataclass(frozen=True)
class StringStatus:
    """One string of a translation file that is not as fresh as it should be."""

    file: str
    field: str
    key: str
    state: StringState


def _resolved(source: BaseModel, text: BaseModel | None, file: str, problems: list[StringStatus], prefix: str = "") -> dict[str, Any]:
    """The translated value of every translatable field, string by string; English where a
    string has no translation of its current text (a list item) and the outdated translation
    where a single text changed (better than none, and reported)."""
    update: dict[str, Any] = {}
    for name, (kind, _) in translatable_fields(type(source)).items():
        value = getattr(source, name)
        given = getattr(text, name, None) if text is not None else None
        where = f"{prefix}{name}"
        if value is None:
            continue
        if kind == "model":
            update[name] = value.model_copy(update=_resolved(value, given, file, problems, where + "."))
            continue
        given = dict(given or {})
        if kind == "text":
            key = string_key(value)
            if key in given:
                update[name] = given.pop(key)
            elif given:
                old_key, update[name] = given.popitem()
                problems.append(StringStatus(file, where, key, "outdated"))
            else:
                problems.append(StringStatus(file, where, key, "missing"))
            problems.extend(StringStatus(file, where, k, "unused") for k in given)
            continue
        items = []
        for index, item in enumerate(value):
            key = string_key(item)
            if key in given:
                items.append(given.pop(key))
            else:
                items.append(item)
                problems.append(StringStatus(file, f"{where}[{index}]", key, "missing"))
        problems.extend(StringStatus(file, where, k, "outdated") for k in given)  # its English item changed or went
        update[name] = items
    return update


class TranslatedFrontMatter(PageFrontMatter):
    translated_from: Digest


@dataclass
class Translations:
    """What one language has: its texts, the status of every source file, and each string that
    is outdated, missing or unused."""

    language: str
    pages: dict[str, tuple[TranslatedFrontMatter, str]] = field(default_factory=dict)
    status: dict[str, Status] = field(default_factory=dict)
    strings: list[StringStatus] = field(default_factory=list)
    partial: set[str] = field(default_factory=set)  # files that show some English text
    localized: dict[str, Any] = field(default_factory=dict)  # "practices/x.yaml" -> the Practice (or Myth) a reader sees

    def counts(self) -> dict[Status, int]:
        result: dict[Status, int] = {"translated": 0, "outdated": 0, "missing": 0}
        for state in self.status.values():
            result[state] += 1
        return result


def translations_dir(root: Path, language: str) -> Path:
    return root / "translations" / language


def load_translations(root: Path, language: str, content: Content, docs_dir: str, errors: ErrorCollector) -> Translations:
    base = translations_dir(root, language)
    result = Translations(language)
    known = content.references
    for kind_entry in KINDS:
        kind, items, model = kind_entry.folder, content.items[kind_entry.folder], translation_model(kind_entry.model)
        for slug, source in items.items():
            path = base / kind / f"{slug}.yaml"
            key = f"{kind}/{slug}.yaml"
            if not path.is_file():
                result.status[key] = "missing"
                continue
            data = load_yaml(path, errors)
            text = validate(model, data, path, errors) if data is not None else None
            if text is None:
                continue
            check_citations(_texts(text), data, path, known, errors)
            problems: list[StringStatus] = []
            result.localized[key] = source.model_copy(update=_resolved(source, text, key, problems))
            result.strings += problems
            if any(p.state == "missing" for p in problems):
                result.partial.add(key)
            result.status[key] = "outdated" if any(p.state != "unused" for p in problems) else "translated"
        for extra in sorted((base / kind).glob("*.yaml")) if (base / kind).is_dir() else []:
            if extra.stem not in items:
                errors.add(extra, f"translates '{kind}/{extra.name}', which does not exist; remove it or rename it")
    for src_uri, page in content.pages.items():
        key = f"{docs_dir}/{src_uri}"
        path = base / docs_dir / src_uri
        if not path.is_file():
            result.status[key] = "missing"
            continue
        loaded = read_markdown(path, TranslatedFrontMatter, errors)
        if loaded is None:
            continue
        meta, body, first_line = loaded
        check_page_citations(body, first_line, path, known, errors)
        result.pages[src_uri] = (meta, body)
        result.status[key] = "translated" if meta.translated_from == source_digest(page.path) else "outdated"
    return result


def _texts(text: BaseModel) -> dict[str, Any]:
    """Every translated string of a file by field, for the citation check: {field: [texts]}."""
    out: dict[str, Any] = {}
    for name, value in text:
        if isinstance(value, BaseModel):
            out.update({f"{name}.{k}": v for k, v in _texts(value).items()})
        elif isinstance(value, dict):
            out[name] = list(value.values())
    return out


def _overlay_page(source: PageFrontMatter, text: TranslatedFrontMatter) -> PageFrontMatter:
    """The source front matter with every field the translation gives replaced."""
    given = {k: getattr(text, k) for k in type(text).model_fields if k != "translated_from" and getattr(text, k) is not None}
    return source.model_copy(update=given)


def localize(content: Content, translations: Translations | None) -> Content:
    """The content a reader of the translation's language sees: translated text over source facts."""
    if translations is None:
        return content
    done = translations.localized  # resolved string by string when the translations were loaded
    items = {folder: {slug: done.get(f"{folder}/{slug}.yaml", item) for slug, item in found.items()} for folder, found in content.items.items()}
    pages = {}
    for src_uri, page in content.pages.items():
        if src_uri in translations.pages:
            meta, body = translations.pages[src_uri]
            translated_path = translations_dir(content.root, translations.language) / page.path.relative_to(content.root)
            pages[src_uri] = Page(src_uri, translated_path, _overlay_page(page.meta, meta), body, 1)
        else:
            pages[src_uri] = page
    return Content(content.root, items, content.references, pages)


def write_templates(content: Content) -> list[Path]:
    """`make i18n-templates`: the English base file of every item of every kind, rewritten only
    where it changed; templates of items that are gone are removed."""
    written = []
    for kind, items in content.items.items():
        folder = translations_dir(content.root, SOURCE_LANGUAGE) / kind
        folder.mkdir(parents=True, exist_ok=True)
        for slug, source in items.items():
            path = folder / f"{slug}.yaml"
            text = template_text(source, f"{kind}/{slug}.yaml")
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                written.append(path)
        for old in folder.glob("*.yaml"):
            if old.stem not in items:
                old.unlink()
                written.append(old)
    return written
