"""The registry of content kinds: one entry says everything the pipeline needs to know of a kind.

A kind is a folder of YAML files, one item per file, each validated by the kind's model and
published as a page at `<folder>/<slug>/`. Loading, citation checks, reading-level grades,
translation files and their models, JSON Schemas, the safe-language scan and the rendered
pages all read this table, so adding a kind is its model (content/models.py),
its page template (render/templates/) and one entry below.

Derived from the model, not declared twice: the fields a reader reads (every text field, in
the model's order, graded for reading level), the fields that may cite (`Prose` fields), the
translation model (content/translations.py), and the lesson plan (a `lesson` field).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from compassion_site.content.models import Myth, Practice, Prose

Strings = dict[str, str]


@dataclass(frozen=True)
class Index:
    """The kind's index pages at `<folder>/`: a template, and the order of its entries. Its title and
    introduction are the locale strings `<folder>_title`, `<folder>_description` and `<folder>_intro`."""

    template: str
    order: Callable[[Any], Any]


@dataclass(frozen=True)
class Kind:
    folder: str  # practices/<slug>.yaml is published at practices/<slug>/
    name: str  # one item: the page_kind of its front matter, the name of its JSON Schema
    model: type[BaseModel]
    template: str  # renders one item, which it sees as `item` and as `template_var`
    title: Callable[[Any, Strings], str]
    description: Callable[[Any, Strings], str]
    template_var: str = "item"
    index: Index | None = None
    poster: Callable[[Any], tuple[str, str, list[str]]] | None = None  # title, summary, first steps of its printable poster

    @cached_property
    def _text_fields(self) -> dict[str, Any]:
        """Each top-level text field (or list of texts) and the type of one text, in the model's order:
        the same reading of the model's types that derives its translation model."""
        from compassion_site.content.translations import translatable_fields

        return {name: inner for name, (kind, inner) in translatable_fields(self.model).items() if kind != "model"}

    @cached_property
    def reading_fields(self) -> tuple[str, ...]:
        """Every text field a reader reads, in the model's order: graded for reading level, translated."""
        return tuple(self._text_fields)

    @cached_property
    def cited_fields(self) -> tuple[str, ...]:
        """The `Prose` fields, where a `[@id]` citation may stand (titles and summaries cite nothing)."""
        return tuple(name for name, inner in self._text_fields.items() if inner == Prose)

    @property
    def has_lessons(self) -> bool:
        return "lesson" in self.model.model_fields

    def source(self, slug: str) -> str:
        return f"{self.folder}/{slug}.yaml"

    def page(self, slug: str) -> str:
        return f"{self.folder}/{slug}.md"


POSTER_STEPS = 3  # a poster shows the first steps only; the QR code leads to the rest

KINDS: tuple[Kind, ...] = (
    Kind(
        "practices", "practice", Practice, "practice.md.j2", template_var="p",
        title=lambda p, t: p.title, description=lambda p, t: p.summary,
        index=Index("practices-index.md.j2", order=lambda p: (not p.start_here, p.title.casefold())),
        poster=lambda p: (p.title, p.summary, p.steps[:POSTER_STEPS]),
    ),
    Kind(
        "myths", "myth", Myth, "myth.md.j2", template_var="m",
        title=lambda m, t: f"{t['myth_label']}: {m.myth}", description=lambda m, t: f"{m.myth} {' '.join(m.truth.split())}"[:200],
        index=Index("myths-index.md.j2", order=lambda m: m.myth.casefold()),
    ),
)
FOLDERS: tuple[str, ...] = tuple(kind.folder for kind in KINDS)
BY_FOLDER: dict[str, Kind] = {kind.folder: kind for kind in KINDS}
