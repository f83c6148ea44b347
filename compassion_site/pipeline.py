"""The whole content pipeline behind one call, for whichever engine renders the site.

An engine adapter (today `hooks/content_pipeline.py` for MkDocs) calls `load_site`
once per build, adds `site.pages` as files, passes each page's Markdown through
`site.finish`, pastes `site.banner_html` and `site.disclaimer_html` into its theme,
and runs `verify.verify_site` on the output.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .content import Content, load_content
from .errors import ContentError, ContentErrors, ErrorCollector, sort_errors
from .readability import Grade, grade_content, summary
from .render import finish_markdown, generate_pages
from .safe_language import check_files, load_rules
from .site_config import SiteConfig
from .safety import DEFAULT_MAX_AGE_DAYS, Safety, crisis_banner_html, disclaimer_html, load_safety


@dataclass(frozen=True)
class Gates:
    """Quality limits a fork may tune in mkdocs.yml under `extra.reading_level`."""

    max_grade: float = 8.0
    max_median_grade: float = 7.0


@dataclass(frozen=True)
class Site:
    content: Content
    safety: Safety
    pages: dict[str, str]
    banner_html: str
    disclaimer_html: str
    grades: list[Grade] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rule_count: int = 0

    def finish(self, markdown: str, *, src_uri: str, meta: dict[str, Any]) -> str:
        return finish_markdown(markdown, src_uri=src_uri, meta=meta, content=self.content, safety=self.safety)


def _source_files(root: Path, docs_dir: str, language: str) -> list[Path]:
    files = [*sorted((root / "practices").glob("*.yaml")), *sorted((root / "myths").glob("*.yaml"))]
    files += sorted((root / docs_dir).rglob("*.md"))
    files.append(root / "locales" / f"{language}.yaml")
    return [f for f in files if f.is_file() and "." not in f.stem]


def _reading_gate(grades: list[Grade], gates: Gates, errors: ErrorCollector) -> None:
    for g in grades:
        if g.grade > gates.max_grade:
            worst = "; ".join(f"({grade:.1f}) \"{text[:120]}\"" for grade, text in g.hardest)
            errors.add(g.page, f"reading grade {g.grade:.1f} is above the maximum {gates.max_grade}; shorten these sentences first: {worst}")
    if grades:
        _, median, _ = summary(grades)
        if median > gates.max_median_grade:
            errors.add("mkdocs.yml", f"the median reading grade of all pages is {median:.1f}, above the maximum {gates.max_median_grade}")


def _overdue(content: Content, today: date) -> list[str]:
    dated = [(f"practices/{s}.yaml", p.next_review) for s, p in content.practices.items()]
    dated += [(f"myths/{s}.yaml", m.next_review) for s, m in content.myths.items()]
    dated += [(p.path.relative_to(content.root).as_posix(), p.meta.next_review) for p in content.pages.values()]
    return [f"{path}: review was due on {due}; check its facts and sources, then update last_reviewed and next_review"
            for path, due in dated if due and due < today]


def load_site(
    root: Path,
    *,
    region: str = "US",
    language: str = "en",
    docs_dir: str = "content",
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    gates: Gates = Gates(),
    today: date | None = None,
) -> Site:
    """Load, validate, check and render everything; raise ContentErrors listing every problem found."""
    root = root.resolve()
    today = today or date.today()
    safety, errors = load_safety(root, region=region, language=language, max_age_days=max_age_days, today=today)
    rules = load_rules(root, language, errors)
    warnings = [str(w) for w in check_files(_source_files(root, docs_dir, language), rules, errors)]
    try:
        content = load_content(root, docs_dir=docs_dir)
    except ContentErrors as exc:
        raise ContentErrors(sort_errors(exc.errors + errors.errors)) from None
    grades = grade_content(content, language=language)
    _reading_gate(grades, gates, errors)
    errors.raise_if_any()
    assert safety is not None
    pages = generate_pages(content, safety)
    clashes = sorted(set(pages) & set(content.pages))
    if clashes:
        raise ContentErrors([ContentError(f"{docs_dir}/{uri}", None, None, "this page is generated from YAML; remove the hand-written file") for uri in clashes])
    return Site(
        content, safety, pages, crisis_banner_html(safety), disclaimer_html(safety),
        grades=grades, warnings=warnings + _overdue(content, today), rule_count=len(rules),
    )


def load_configured_site(config: SiteConfig) -> Site:
    """`load_site` with the settings of a site config file (mkdocs.yml)."""
    return load_site(
        config.root,
        region=config.region,
        language=config.language,
        docs_dir=config.docs_dir,
        max_age_days=config.helpline_max_age_days,
        gates=Gates(config.max_grade, config.max_median_grade),
    )
