"""Read the few settings the pipeline needs from mkdocs.yml, without importing MkDocs.

Only plain keys are read (docs_dir, site_dir, theme.language, extra.region, ...);
engine-specific tags such as !ENV or !!python/name are tolerated and ignored.
`INHERIT:` is followed, so a per-locale config that inherits a base one works.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import os

import yaml


class _TolerantLoader(yaml.SafeLoader):
    pass


def _unknown_tag(loader: _TolerantLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


def _env_tag(loader: _TolerantLoader, node: yaml.Node) -> Any:
    """MkDocs' `!ENV [NAME, default]`: the first variable that is set, else the default."""
    values = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    for name in values[:-1] if len(values) > 1 else values:
        if isinstance(name, str) and name in os.environ:
            return os.environ[name]
    return values[-1] if len(values) > 1 else None


_TolerantLoader.add_constructor("!ENV", _env_tag)
_TolerantLoader.add_multi_constructor("!", _unknown_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _unknown_tag)


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def read_raw(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}  # noqa: S506 - safe subclass
    parent = data.pop("INHERIT", None)
    if parent:
        data = _merge(read_raw((path.parent / parent).resolve()), data)
    return data


@dataclass(frozen=True)
class SiteConfig:
    path: Path
    root: Path
    docs_dir: str
    site_dir: Path
    language: str
    region: str
    helpline_max_age_days: int
    max_grade: float
    max_median_grade: float
    site_url: str


def read_site_config(path: Path) -> SiteConfig:
    path = path.resolve()
    raw = read_raw(path)
    theme = raw.get("theme") or {}
    extra = raw.get("extra") or {}
    root = path.parent
    return SiteConfig(
        path=path,
        root=root,
        docs_dir=str(raw.get("docs_dir", "docs")),
        site_dir=(root / str(raw.get("site_dir", "site"))).resolve(),
        language=str(theme.get("language", "en")) if isinstance(theme, dict) else "en",
        region=str(extra.get("region", "US")),
        helpline_max_age_days=int(extra.get("helpline_max_age_days", 365)),
        max_grade=float((extra.get("reading_level") or {}).get("max_grade", 8.0)),
        max_median_grade=float((extra.get("reading_level") or {}).get("max_median_grade", 7.0)),
        site_url=str(raw.get("site_url") or ""),
    )
