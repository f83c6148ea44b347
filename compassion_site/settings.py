"""Every setting the pipeline reads from mkdocs.yml, declared once: name, type, default, meaning.

Modelled on mkdocs-material's `src/plugins/*/config.py`: the typed settings sit beside the
code that reads them. `site_config.py` validates a config file against `Settings`, and the
settings table in FORKING.md is generated from these declarations (`compassion-site
settings`), so the docs cannot promise a setting the code does not read.
"""
from __future__ import annotations

import types
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

# The YAML 1.1 words PyYAML reads as true/false when they are not quoted.
_YAML_BOOLEANS = "yes, no, on, off, true, false"


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _not_a_yaml_boolean(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"YAML reads an unquoted {_YAML_BOOLEANS} as true or false; put the code in quotes, like \"NO\"")  # noqa: TRY004 - pydantic reports ValueError
    return value


class ReadingLevel(_Settings):
    max_grade: float = Field(default=8.0, description="Highest Flesch-Kincaid grade a page may have (languages scored by grade, like English).")
    max_median_grade: float = Field(default=7.0, description="Highest median Flesch-Kincaid grade of all pages.")
    min_ease: float = Field(default=65.0, description="Lowest Fernandez-Huerta ease score a page may have (languages scored by ease, like Spanish).")
    min_median_ease: float = Field(default=70.0, description="Lowest median Fernandez-Huerta ease score of all pages.")


class Alternate(_Settings):
    name: Annotated[str, StringConstraints(min_length=1)] = Field(description="The language's name in its own words, shown in the language menu.")
    link: Annotated[str, StringConstraints(pattern=r"^/([a-z]{2,3}(-[A-Z]{2})?/)?$")] = Field(
        description="The edition's folder from the site root: / for the source language, /es/ for Spanish."
    )
    lang: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")] = Field(description="The language code, like es.")


class Extra(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    region: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = Field(
        default="US", description="Two-letter country code (ISO 3166-1) of the entry in safety/helplines.yaml every banner shows."
    )
    alternate: list[Alternate] = Field(default_factory=list, description="One entry per edition for the language menu: name, link, lang.")
    helpline_max_age_days: Annotated[int, Field(gt=0)] = Field(
        default=365, description="The build fails when the region's crisis lines were verified longer ago than this many days."
    )
    reading_level: ReadingLevel = Field(default=ReadingLevel(), description="Reading-level limits (the fields below).")
    # Keys mkdocs-material reads itself; a fork may set them, the pipeline does not read them.
    analytics: Any = None
    consent: Any = None
    generator: Any = None
    homepage: Any = None
    social: Any = None
    status: Any = None
    tags: Any = None
    version: Any = None

    _region_is_text = field_validator("region", mode="before")(_not_a_yaml_boolean)


class Theme(BaseModel):
    """Only the theme settings the pipeline reads; mkdocs-material checks the rest."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)

    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")] = Field(
        default="en", description="The edition's language; its words come from locales/<language>.yaml."
    )


class Settings(BaseModel):
    """A site config file (mkdocs.yml or mkdocs.<lang>.yml) after INHERIT is followed.

    Keys the pipeline does not read are left to MkDocs, which checks them itself.
    """

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)

    site_name: Annotated[str, StringConstraints(min_length=1)] = Field(description="The site's name in every page title and header; plain text.")
    site_description: str | None = Field(default="", description="The description search engines show for pages that have none; plain text.")
    site_author: str | None = Field(default="", description="The author named in every page's metadata; plain text.")
    copyright: str | None = Field(default="", description="The notice in every page's footer; plain text (HTML is shown as written).")
    site_url: str | None = Field(default="", description="The public address; the SITE_URL environment variable sets it with !ENV.")
    docs_dir: Annotated[str, StringConstraints(min_length=1)] = Field(default="docs", description="The folder of hand-written Markdown pages.")
    site_dir: Annotated[str, StringConstraints(min_length=1)] = Field(
        default="site", description="Where the built site is published: a folder of its own that holds no source file."
    )
    theme: Theme = Field(default=Theme(), description="Theme settings; the pipeline reads theme.language.")
    extra: Extra = Field(default=Extra(), description="Settings of this project (the fields below).")
    nav: list[Any] = Field(default_factory=list, description="The navigation; titles are plain text.")

    _name_is_text = field_validator("site_name", mode="before")(_not_a_yaml_boolean)


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, types.UnionType):
        return " or ".join(_type_name(part) for part in annotation.__args__ if part is not type(None))
    origin = getattr(annotation, "__origin__", None)
    if origin is Annotated or hasattr(annotation, "__metadata__"):
        return _type_name(annotation.__args__[0] if hasattr(annotation, "__args__") else annotation.__origin__)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    if origin is list:
        return "list"
    return getattr(annotation, "__name__", str(annotation))


def documented_settings() -> list[tuple[str, str, str, str]]:
    """(name, type, default, meaning) of every documented setting, nested ones by dotted name."""
    rows: list[tuple[str, str, str, str]] = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            if not info.description:
                continue  # a key kept for the theme, not read here
            dotted = prefix + name
            default = info.get_default(call_default_factory=True)
            nested = info.annotation if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel) else None
            shown = "" if nested or isinstance(default, list) or info.is_required() else (f"'{default}'" if default == "" else str(default))
            rows.append((dotted, _type_name(info.annotation), shown, info.description))
            if nested is not None:
                walk(nested, dotted + ".")

    walk(Settings, "")
    return rows


def settings_table() -> str:
    """The Markdown table of settings in FORKING.md, between its two settings markers."""
    lines = ["| Setting | Type | Default | What it does |", "| --- | --- | --- | --- |"]
    lines += [f"| `{name}` | {kind} | {f'`{default}`' if default else 'required' if name == 'site_name' else ''} | {meaning} |"
              for name, kind, default, meaning in documented_settings()]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class SiteConfig:
    """The settings one edition is built with, validated; `settings` holds every declared one."""

    path: Path
    root: Path
    settings: Settings

    @property
    def docs_dir(self) -> str:
        return self.settings.docs_dir

    @property
    def site_dir(self) -> Path:
        return (self.root / self.settings.site_dir).resolve()

    @property
    def language(self) -> str:
        return self.settings.theme.language

    @property
    def region(self) -> str:
        return self.settings.extra.region

    @property
    def helpline_max_age_days(self) -> int:
        return self.settings.extra.helpline_max_age_days

    @property
    def site_url(self) -> str:
        return self.settings.site_url or ""
