"""Publish the content models as JSON Schema, so editors complete and check YAML as it is typed."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from compassion_site.content.kinds import KINDS
from compassion_site.content.models import Locale, Reference, Region, RegionTranslation
from compassion_site.content.translations import translation_model
from compassion_site.gates.safe_language import LanguageRules
from compassion_site.gates.urls import Redirects

SCHEMAS: dict[str, TypeAdapter[Any]] = {
    **{kind.name: TypeAdapter(kind.model) for kind in KINDS},
    "reference": TypeAdapter(list[Reference]),
    "helplines": TypeAdapter(dict[str, Region]),
    "helplines-translation": TypeAdapter(dict[str, RegionTranslation]),
    "locale": TypeAdapter(Locale),
    "safe-messaging": TypeAdapter(LanguageRules),
    "redirects": TypeAdapter(Redirects),
    **{f"{kind.name}-translation": TypeAdapter(translation_model(kind.model)) for kind in KINDS},
}


def schema_text(name: str) -> str:
    schema = SCHEMAS[name].json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema.setdefault("title", name)
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / f"{name}.schema.json"
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written
