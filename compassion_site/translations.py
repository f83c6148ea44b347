"""Translations: monolingual files that mirror the sources, and how fresh each one is.

`translations/<lang>/practices/<slug>.yaml` and `.../myths/<slug>.yaml` hold the
translated text fields only (numbers, dates and reference ids come from the source);
`translations/<lang>/content/<path>.md` mirrors a hand-written page. Weblate and Crowdin
read the YAML as monolingual files. Each file records `translated_from`, the digest
of the source it was translated from: when the source changes, the translation is
reported outdated (and still published, since it is better than none).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints

from .content import Content, Page, _check_citations, check_page_citations, read_markdown, validate
from .errors import ErrorCollector
from .models import Lesson, PageFrontMatter, Prose, ShortText, Title, _Strict
from .yaml_source import load_yaml

SOURCE_LANGUAGE = "en"


def _quoted(value: object) -> object:
    if isinstance(value, (int, float)):
        raise ValueError("YAML read the digest as a number: put it in quotes, e.g. translated_from: \"849881636664\"")
    return value


Digest = Annotated[str, BeforeValidator(_quoted), StringConstraints(pattern=r"^[0-9a-f]{12}$")]
Status = Literal["translated", "outdated", "missing"]


def source_digest(path: Path) -> str:
    """The digest a translation records: the first 12 hex digits of the source's SHA-256."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


class PracticeText(_Strict):
    """The translatable fields of a practice."""

    translated_from: Digest = Field(description="source_digest of the English file this was translated from")
    title: Title
    summary: ShortText
    suits: Prose
    steps: list[Prose] = Field(min_length=2, max_length=15)
    why: Prose
    evidence: Prose
    cautions: Prose
    gentler_option: Prose | None = None
    variations: list[Prose] = Field(min_length=1, max_length=8)
    lesson: Lesson | None = None


class MythText(_Strict):
    translated_from: Digest
    myth: ShortText
    truth: Prose
    explanation: Prose


class TranslatedFrontMatter(PageFrontMatter):
    translated_from: Digest


@dataclass
class Translations:
    """What one language has, and the status of every source file in it."""

    language: str
    practices: dict[str, PracticeText] = field(default_factory=dict)
    myths: dict[str, MythText] = field(default_factory=dict)
    pages: dict[str, tuple[TranslatedFrontMatter, str]] = field(default_factory=dict)
    status: dict[str, Status] = field(default_factory=dict)

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
    for kind, items, model in (("practices", content.practices, PracticeText), ("myths", content.myths, MythText)):
        for slug in items:
            source = root / kind / f"{slug}.yaml"
            path = base / kind / f"{slug}.yaml"
            key = f"{kind}/{slug}.yaml"
            if not path.is_file():
                result.status[key] = "missing"
                continue
            data = load_yaml(path, errors)
            text = validate(model, data, path, errors) if data is not None else None
            if text is None:
                continue
            prose = {k: v for k, v in text.model_dump().items() if k != "translated_from"}
            _check_citations(prose, data, path, known, errors)
            getattr(result, kind)[slug] = text
            result.status[key] = "translated" if text.translated_from == source_digest(source) else "outdated"
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


def _overlay(source, text):
    """The source model with every field the translation gives replaced by the translated value."""
    if text is None:
        return source
    return source.model_copy(update={k: getattr(text, k) for k in type(text).model_fields if k != "translated_from" and getattr(text, k) is not None})


def localize(content: Content, translations: Translations | None) -> Content:
    """The content a reader of the translation's language sees: translated text over source facts."""
    if translations is None:
        return content
    practices = {slug: _overlay(p, translations.practices.get(slug)) for slug, p in content.practices.items()}
    myths = {slug: _overlay(m, translations.myths.get(slug)) for slug, m in content.myths.items()}
    pages = {}
    for src_uri, page in content.pages.items():
        if src_uri in translations.pages:
            meta, body = translations.pages[src_uri]
            front = _overlay(page.meta, meta)
            translated_path = translations_dir(content.root, translations.language) / page.path.relative_to(content.root)
            pages[src_uri] = Page(src_uri, translated_path, front, body, 1)
        else:
            pages[src_uri] = page
    return Content(content.root, practices, myths, content.references, pages)
