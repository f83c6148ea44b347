"""Publish the content models as JSON Schema, so editors complete and check YAML as it is typed."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from .models import Locale, Myth, Practice, Reference, Region, RegionTranslation
from .safe_language import LanguageRules
from .translations import MythText, PracticeText
from .urls import Redirects

SCHEMAS: dict[str, TypeAdapter[Any]] = {
    "practice": TypeAdapter(Practice),
    "myth": TypeAdapter(Myth),
    "reference": TypeAdapter(list[Reference]),
    "helplines": TypeAdapter(dict[str, Region]),
    "helplines-translation": TypeAdapter(dict[str, RegionTranslation]),
    "locale": TypeAdapter(Locale),
    "safe-messaging": TypeAdapter(LanguageRules),
    "redirects": TypeAdapter(Redirects),
    "practice-translation": TypeAdapter(PracticeText),
    "myth-translation": TypeAdapter(MythText),
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
