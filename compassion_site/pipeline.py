"""The whole content pipeline behind one call, for whichever engine renders the site.

An engine adapter (today `compassion_site/mkdocs_adapter/` for MkDocs) calls `load_site`
once per build, adds `site.pages` as files, passes each page's Markdown through
`site.finish`, pastes `site.banner_html` and `site.disclaimer_html` into its theme,
and runs `verify.verify_site` on the output.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from compassion_site.content.kinds import KINDS
from compassion_site.content.load import Content, load_content, markdown_files
from compassion_site.content.translations import SOURCE_LANGUAGE, Translations, load_translations, localize, translations_dir
from compassion_site.errors import ContentError, ContentErrors, ErrorCollector, sort_errors
from compassion_site.gates.contrast import check_contrast
from compassion_site.gates.readability import Grade, grade_content, metric_for, summary
from compassion_site.gates.safe_language import check_files, load_rules
from compassion_site.gates.urls import REDIRECTS, load_redirects, with_derived
from compassion_site.render.pages import finish_markdown, generate_pages, lessons_by_source, localized_pages, redirect_pages
from compassion_site.safety.furniture import DEFAULT_MAX_AGE_DAYS, Safety, crisis_banner_html, disclaimer_html, load_safety
from compassion_site.settings import SiteConfig

# Set by `compassion-site build` for the engine runs it starts: it has checked the words and
# verifies the output itself, so the hook need not do either again.
WORDS_CHECKED = "COMPASSION_SITE_WORDS_CHECKED"


@dataclass(frozen=True)
class Gates:
    """Quality limits a fork may tune in mkdocs.yml under `extra.reading_level`.

    English pages are held to a Flesch-Kincaid grade (lower is easier); Spanish pages
    to a Fernandez-Huerta ease score (higher is easier; 70-80 reads as fairly easy).
    """

    max_grade: float = 8.0
    max_median_grade: float = 7.0
    min_ease: float = 65.0
    min_median_ease: float = 70.0


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
    translations: Translations | None = None

    @cached_property
    def lesson_sources(self) -> frozenset[str]:
        """Pages that carry a lesson plan, worked out once rather than for every page."""
        return frozenset(lessons_by_source(self.content))

    def finish(self, markdown: str, *, src_uri: str, meta: dict[str, Any]) -> str:
        return finish_markdown(
            markdown, src_uri=src_uri, meta=meta, content=self.content, safety=self.safety, has_lesson=src_uri in self.lesson_sources
        )


def _source_files(root: Path, docs_dir: str, language: str) -> list[Path]:
    """The files whose words a reader of `language` sees."""
    base = root if language == SOURCE_LANGUAGE else translations_dir(root, language)
    files = [path for kind in KINDS for path in sorted((base / kind.folder).glob("*.yaml"))]
    files += markdown_files(base / docs_dir)  # every page the engine publishes, whatever its name
    files.append(root / "locales" / f"{language}.yaml")
    return [f for f in files if f.is_file()]


def _reading_gate(grades: list[Grade], gates: Gates, language: str, errors: ErrorCollector) -> None:
    metric = metric_for(language)
    if metric is None:
        return
    limit, median_limit = (gates.max_grade, gates.max_median_grade) if metric.higher_is_harder else (gates.min_ease, gates.min_median_ease)
    word = "above the maximum" if metric.higher_is_harder else "below the minimum"

    def too_hard(value: float, bound: float) -> bool:
        return value > bound if metric.higher_is_harder else value < bound

    for g in grades:
        if too_hard(g.grade, limit):
            worst = "; ".join(f"({grade:.1f}) \"{text[:120]}\"" for grade, text in g.hardest)
            label = "reading grade" if metric.higher_is_harder else "reading ease"
            errors.add(g.page, f"{label} {g.grade:.1f} ({metric.name}) is {word} {limit}; shorten these sentences first: {worst}")
    if grades:
        _, median, _ = summary(grades)
        if too_hard(median, median_limit):
            errors.add("mkdocs.yml", f"the median {metric.name} of all pages is {median:.1f}, {word} {median_limit}")


def _overdue(content: Content, today: date) -> list[str]:
    dated: list[tuple[str, date | None]] = [(kind.source(slug), getattr(item, "next_review", None))
                                            for kind in KINDS for slug, item in content.items[kind.folder].items()]
    dated += [(p.path.relative_to(content.root).as_posix(), p.meta.next_review) for p in content.pages.values()]
    return [f"{path}: review was due on {due}; check its facts and sources, then update last_reviewed and next_review"
            for path, due in dated if due and due < today]


def load_site(
    root: Path,
    *,
    region: str = "US",
    language: str = SOURCE_LANGUAGE,
    docs_dir: str = "content",
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    gates: Gates = Gates(),
    today: date | None = None,
    check_words: bool = True,
    site_url: str = "",
    render_pages: bool = True,
) -> Site:
    """Load, validate, check and render everything; raise ContentErrors listing every problem found.

    For a language other than the source language, translations replace the source
    text where they exist; the rest is published in the source language with a notice.
    """
    root = root.resolve()
    today = today or date.today()
    safety, errors = load_safety(root, region=region, language=language, max_age_days=max_age_days, today=today)
    rules = load_rules(root, language, errors)
    check_contrast(root / docs_dir / "assets" / "site.css", errors)
    redirects = load_redirects(root, errors)
    warnings = [str(w) for w in check_files(_source_files(root, docs_dir, language), rules, errors)] if check_words else []
    try:
        content = load_content(root, docs_dir=docs_dir)
    except ContentErrors as exc:
        raise ContentErrors(sort_errors(exc.errors + errors.errors)) from None
    translations = None
    if language != SOURCE_LANGUAGE:
        translations = load_translations(root, language, content, docs_dir, errors)
    localized = localize(content, translations)
    names = {key: f"{translations_dir(root, language).relative_to(root).as_posix()}/{key}" for key in (translations.status if translations else {})}
    gradable = localized if translations is None else _without(localized, translations, docs_dir)
    grades = grade_content(gradable, language=language, names=names) if check_words else []
    if check_words and metric_for(language) is None:
        warnings.append(f"locales/{language}.yaml: no readability formula for language '{language}'; its pages are not graded")
    _reading_gate(grades, gates, language, errors)
    errors.raise_if_any()
    assert safety is not None
    fallback = {key for key, state in translations.status.items() if state == "missing"} if translations else set()
    pages = _rendered(localized, safety, fallback, site_url, docs_dir, translations, redirects) if render_pages else {}
    return Site(
        localized, safety, pages, crisis_banner_html(safety), disclaimer_html(safety),
        grades=grades, warnings=warnings + list(safety.warnings) + _overdue(content, today), rule_count=len(rules), translations=translations,
    )


def _rendered(
    content: Content, safety: Safety, fallback: set[str], site_url: str, docs_dir: str, translations: Translations | None, redirects: dict[str, str]
) -> dict[str, str]:
    """Every page the engine adds: generated from YAML, translated hand-written pages, redirects."""
    partial = translations.partial if translations is not None else set()
    pages = generate_pages(content, safety, fallback=fallback, site_url=site_url, partial=partial)
    clashes = sorted(set(pages) & set(content.pages))
    if clashes:
        raise ContentErrors([ContentError(f"{docs_dir}/{uri}", None, None, "this page is generated from YAML; remove the hand-written file") for uri in clashes])
    if translations is not None:
        pages.update(localized_pages(content, fallback, docs_dir, safety))
    moved = redirect_pages(with_derived(redirects, set(pages)), safety.locale.strings["moved_title"], safety.locale.strings["moved_text"])
    taken = sorted(set(moved) & (set(pages) | set(content.pages)))
    if taken:
        raise ContentErrors([ContentError(REDIRECTS, None, uri, "a redirect starts at an address that is still a page") for uri in taken])
    pages.update(moved)
    return pages


def _without(content: Content, translations: Translations, docs_dir: str) -> Content:
    """Only the translated part: source text shown as a fallback is graded in its own language."""
    def kept(key: str) -> bool:
        return translations.status.get(key) != "missing"

    return Content(
        content.root,
        items={folder: {s: item for s, item in found.items() if kept(f"{folder}/{s}.yaml")} for folder, found in content.items.items()},
        references=content.references,
        pages={u: p for u, p in content.pages.items() if kept(f"{docs_dir}/{u}")},
    )


def load_configured_site(config: SiteConfig, *, check_words: bool = True, render_pages: bool = True) -> Site:
    """`load_site` with the settings of a site config file (mkdocs.yml).

    `check_words=False` skips the safe-messaging and reading-level gates, for an engine run
    that `compassion-site build` starts only after it has checked them itself.
    `render_pages=False` leaves `pages` empty, for that build's own check of the words
    while its engines render.
    """
    return load_site(
        config.root,
        region=config.region,
        language=config.language,
        docs_dir=config.docs_dir,
        max_age_days=config.helpline_max_age_days,
        gates=Gates(**config.settings.extra.reading_level.model_dump()),
        check_words=check_words,
        site_url=config.site_url,
        render_pages=render_pages,
    )
