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

import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

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

    @property
    def reading_fields(self) -> tuple[str, ...]:
        """Every text field a reader reads, in the model's order: graded for reading level, translated."""
        from compassion_site.content.translations import translatable_fields

        return tuple(name for name, (kind, _) in translatable_fields(self.model).items() if kind != "model")

    @property
    def cited_fields(self) -> tuple[str, ...]:
        """The `Prose` fields, where a `[@id]` citation may stand (titles and summaries cite nothing)."""
        return tuple(name for name, info in self.model.model_fields.items() if _is_prose(info))

    @property
    def has_lessons(self) -> bool:
        return "lesson" in self.model.model_fields

    def source(self, slug: str) -> str:
        return f"{self.folder}/{slug}.yaml"

    def page(self, slug: str) -> str:
        return f"{self.folder}/{slug}.md"


def _is_prose(info: FieldInfo) -> bool:
    """Prose, Prose | None or list[Prose] (pydantic keeps a plain field's limits in `metadata`)."""
    limits = typing.get_args(Prose)[1]
    return any(m is limits for m in info.metadata) or any(arg == Prose for arg in typing.get_args(info.annotation))


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
