"""Turn validated content into Markdown pages, and finish any page's Markdown.

Generated pages are ordinary Markdown with YAML front matter, so the engine treats
them exactly like hand-written ones. Every text field is HTML-escaped on the way in:
a `<script>` typed into YAML reaches the reader as text.
"""
from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from compassion_site.content.kinds import KINDS
from compassion_site.content.load import FRONT_MATTER, Content
from compassion_site.content.models import Lesson
from compassion_site.content.raw_markup import HELPLINES_PLACEHOLDER
from compassion_site.content.translations import SOURCE_LANGUAGE
from compassion_site.render.bibliography import format_reference, sort_key
from compassion_site.render.citations import link_to, render_citations
from compassion_site.render.qr import page_path, qr_src
from compassion_site.safety.furniture import Safety, helplines_markdown

TEMPLATES = Path(__file__).parent / "templates"
LESSON_LINK = '\n\n!!! info "{title}"\n\n    [{label}]({link})\n'


def _oneline(value: str) -> Markup:
    return escape(" ".join(str(value).split()))


def _paragraphs(value: str) -> Markup:
    parts = [" ".join(p.split()) for p in re.split(r"\n\s*\n", str(value).strip())]
    return Markup("\n\n").join(escape(p) for p in parts if p)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["oneline"] = _oneline
    env.filters["paragraphs"] = _paragraphs
    return env


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def front_matter(**meta: Any) -> Markup:
    """YAML front matter written as JSON values (YAML reads JSON): exact, and far quicker than
    a YAML dumper on sites with thousands of pages."""
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False, default=str)}\n" for key, value in meta.items() if value is not None)
    return Markup("---\n" + lines + "---\n")


def review_line(strings: dict[str, str], last: date, due: date) -> Markup:
    return Markup('{}: <time datetime="{}">{}</time> · {}: <time datetime="{}">{}</time>\n{{: .review-dates }}\n').format(
        strings["last_reviewed"], last.isoformat(), last.isoformat(), strings["next_review"], due.isoformat(), due.isoformat()
    )


def _noticed(markdown: str, notice: str) -> tuple[str, Markup, str]:
    """A page's front matter, the notice paragraph for it, and its body."""
    match = FRONT_MATTER.match(markdown)
    end = match.end() if match else 0
    return markdown[:end], Markup('<p class="fallback-notice" role="note">{}</p>').format(notice), markdown[end:]


def with_fallback_notice(markdown: str, notice: str, source_language: str) -> str:
    """Source-language text in a translated edition: a notice in the reader's language, and the
    text marked with its own language so screen readers pronounce it correctly."""
    front, note, body = _noticed(markdown, notice)
    return f'{front}\n{note}\n\n<div lang="{source_language}" markdown="1">\n\n{body.strip()}\n\n</div>\n'


def with_partial_notice(markdown: str, notice: str) -> str:
    """A translated page some of whose strings are still in the source language (a new or edited
    list item): a notice in the reader's language above the page."""
    front, note, body = _noticed(markdown, notice)
    return f"{front}\n{note}\n\n{body.lstrip()}"


def localized_pages(content: Content, fallback: set[str], docs_dir: str, safety: Safety) -> dict[str, str]:
    """Hand-written pages for a translated edition: the translation, or the source with a notice."""
    pages = {}
    for src_uri, page in content.pages.items():
        meta = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in page.meta.model_dump(exclude_none=True).items()}
        markdown = str(front_matter(**meta)) + page.body
        if f"{docs_dir}/{src_uri}" in fallback:
            markdown = with_fallback_notice(markdown, safety.locale.strings["fallback_notice"], SOURCE_LANGUAGE)
        pages[src_uri] = markdown
    return pages


def redirect_pages(redirects: dict[str, str], title: str, text: str) -> dict[str, str]:
    """A Markdown page at each old address that sends the reader on (with the crisis banner, like any page)."""
    pages = {}
    for old, new in redirects.items():
        src = (old.rstrip("/") or "index") + ".md"
        target = posixpath.relpath(new or ".", old.rstrip("/") or ".") + ("/" if new.endswith("/") else "")
        link = posixpath.relpath((new.rstrip("/") or "index") + ".md", posixpath.dirname(src) or ".")
        meta = front_matter(title=title, description=title, template="redirect-page.html", redirect_to=target)
        pages[src] = f"{meta}\n# {escape(title)}\n\n{escape(text)} [{escape(new or '/')}]({link})\n"
    return pages


def campaign_pages(content: Content, env: Environment, t: dict[str, str], site_url: str) -> dict[str, str]:
    """A one-page poster per practice and topic page, with a QR code to it, and a page listing them."""
    template = env.get_template("poster.md.j2")
    sources = [(kind.page(slug), *kind.poster(item)) for kind in KINDS if kind.poster for slug, item in content.items[kind.folder].items()]
    sources += [(uri, page.meta.title, page.meta.description, []) for uri, page in content.pages.items() if uri.startswith("learn/")]
    pages, posters = {}, []
    for src_uri, title, summary, steps in sorted(sources, key=lambda s: s[1].casefold()):
        target = "campaign/" + src_uri.rsplit("/", 1)[-1]
        pages[target] = template.render(
            t=t, title=title, summary=summary, steps=steps, qr=link_to(qr_src(src_uri), target), url=site_url + page_path(src_uri),
            # The poster repeats its page for printing: searching finds the page, not its copy.
            front_matter=front_matter(title=t["poster_title"].format(title=title), description=summary, page_kind="poster",
                                      hide=["navigation", "toc"], search={"exclude": True}),
        )
        posters.append((title, target))
    for number, chunk, src, pager in paginate("campaign", posters):
        pages[src] = env.get_template("campaign-index.md.j2").render(
            t=t, posters=[(title, link_to(target, src)) for title, target in chunk], pager=pager,
            front_matter=front_matter(title=t["campaign_title"] + (f" ({number})" if number > 1 else ""), description=t["campaign_description"]),
        )
    return pages


def generate_pages(
    content: Content, safety: Safety, fallback: AbstractSet[str] = frozenset(), site_url: str = "", partial: AbstractSet[str] = frozenset()
) -> dict[str, str]:
    """Every page made from YAML: one per item of every kind (content/kinds.py), their indexes, lessons,
    posters and the bibliography."""
    env = _environment()
    t = safety.locale.strings
    env.filters["reference"] = lambda ref: format_reference(ref, no_date=t["no_date"])
    pages: dict[str, str] = {}
    for kind in KINDS:
        template = env.get_template(kind.template)
        for slug, item in content.items[kind.folder].items():
            pages[kind.page(slug)] = template.render(
                {kind.template_var: item, "item": item},
                t=t,
                front_matter=front_matter(
                    title=kind.title(item, t), description=kind.description(item, t), page_kind=kind.name,
                    references=list(getattr(item, "references", [])) or None,
                    last_reviewed=_iso(getattr(item, "last_reviewed", None)), next_review=_iso(getattr(item, "next_review", None)),
                ),
            )
    lesson_page = env.get_template("lesson-page.md.j2")
    for src_uri, (title, lesson) in lessons_by_source(content).items():
        target = lesson_src(src_uri)
        pages[target] = lesson_page.render(
            t=t, title=title, lesson=lesson, source_link=link_to(src_uri, target),
            front_matter=front_matter(title=t["lesson_title"].format(title=title), description=t["lesson_description"].format(title=title),
                                      page_kind="lesson"),
        )
    pages["teachers/index.md"] = env.get_template("teachers-index.md.j2").render(
        t=t, bands=lesson_index(content), front_matter=front_matter(title=t["teachers_title"], description=t["teachers_description"]),
    )
    pages.update(campaign_pages(content, env, t, site_url))
    for kind in KINDS:
        if kind.index is None:
            continue
        order = kind.index.order
        entries = sorted(content.items[kind.folder].items(), key=lambda entry: order(entry[1]))
        for number, chunk, src, pager in paginate(kind.folder, entries):
            title = t[f"{kind.folder}_title"] + (f" ({number})" if number > 1 else "")
            pages[src] = env.get_template(kind.index.template).render(
                t=t, items=chunk, pager=pager, front_matter=front_matter(title=title, description=t[f"{kind.folder}_description"]),
            )
    pages["references.md"] = env.get_template("bibliography.md.j2").render(
        t=t,
        references=sorted(content.references.values(), key=sort_key),
        front_matter=front_matter(title=t["bibliography_title"], description=t["bibliography_description"]),
    )
    _mark_fallbacks(pages, fallback, set(partial) - set(fallback), t)
    return pages


def _mark_fallbacks(pages: dict[str, str], fallback: AbstractSet[str], partial: AbstractSet[str], t: dict[str, str]) -> None:
    """A notice on every generated page that shows source-language text: the item's own page and
    the lesson plan and poster made from it. `fallback` and `partial` hold source files
    (`practices/x.yaml`, `content/learn/y.md`)."""
    for keys, mark in ((fallback, lambda md: with_fallback_notice(md, t["fallback_notice"], SOURCE_LANGUAGE)),
                       (partial, lambda md: with_partial_notice(md, t["partial_notice"]))):
        for key in keys:
            src = key.removesuffix(".yaml") + ".md" if key.endswith(".yaml") else key.split("/", 1)[-1]
            name = src.rsplit("/", 1)[-1]
            for page in (src, lesson_src(src), "campaign/" + name):
                if page in pages and (page == src or page.startswith(("lessons/", "campaign/"))):
                    pages[page] = mark(pages[page])


def lessons_by_source(content: Content) -> dict[str, tuple[str, Lesson]]:
    """Every lesson, keyed by the page it lives on: (page title, lesson)."""
    found = {kind.page(slug): (getattr(item, "title", slug), item.lesson) for kind in KINDS if kind.has_lessons
             for slug, item in content.items[kind.folder].items() if item.lesson}
    found.update({uri: (page.meta.title, page.meta.lesson) for uri, page in content.pages.items() if page.meta.lesson})
    return found


INDEX_PAGE_SIZE = 60  # entries per index page, so an index stays far under the 30 KB page budget at any size


def paginate(kind: str, items: list) -> list[tuple[int, list, str, list[tuple[int, str]]]]:
    """(number, entries, source path, links to every page of the index) for each page of an index."""
    chunks = [items[i : i + INDEX_PAGE_SIZE] for i in range(0, len(items), INDEX_PAGE_SIZE)] or [[]]
    sources = [f"{kind}/index.md" if n == 1 else f"{kind}/page-{n}.md" for n in range(1, len(chunks) + 1)]
    result = []
    for number, (chunk, src) in enumerate(zip(chunks, sources, strict=True), start=1):
        pager = [(n, link_to(other, src)) for n, other in enumerate(sources, start=1)] if len(chunks) > 1 else []
        result.append((number, chunk, src, pager))
    return result


def lesson_src(src_uri: str) -> str:
    """Where the lesson plan of a page lives: lessons/<the page's slug>.md, a stable address for a class."""
    return "lessons/" + src_uri.rsplit("/", 1)[-1]


def lesson_index(content: Content) -> list[tuple[str, list[tuple[str, str, int]]]]:
    """Lessons grouped by age band (youngest first), shortest first within a band, linked from teachers/."""
    bands: dict[str, list[tuple[str, str, int]]] = {}
    for src_uri, (title, lesson) in lessons_by_source(content).items():
        bands.setdefault(lesson.age_band, []).append((title, link_to(lesson_src(src_uri), "teachers/index.md"), lesson.duration))
    return [(band, sorted(items, key=lambda item: (item[2], item[0]))) for band, items in sorted(bands.items())]


def finish_markdown(
    markdown: str, *, src_uri: str, meta: dict[str, Any], content: Content, safety: Safety, has_lesson: bool = False
) -> str:
    """The last Markdown step for any page: help list, lesson plan, citations, reference list, review dates.

    `has_lesson`: the page carries a lesson plan (a key of `lessons_by_source`), so it links to it."""
    t = safety.locale.strings
    if has_lesson:
        link = link_to(lesson_src(src_uri), src_uri)
        markdown = markdown.rstrip("\n") + LESSON_LINK.format(title=escape(t["teachers_title"]), label=escape(t["lesson_link"]), link=link)
    if HELPLINES_PLACEHOLDER in markdown:
        markdown = markdown.replace(HELPLINES_PLACEHOLDER, helplines_markdown(safety))
    markdown = render_citations(
        markdown,
        src_uri=src_uri,
        references=content.references,
        extra_ids=meta.get("references") or (),
        heading=t["references_heading"],
        full_list_label=t["references_full_list"],
        cite_label=lambda n: t["cite_label"].format(n=n),
        no_date=t["no_date"],
    )
    last, due = meta.get("last_reviewed"), meta.get("next_review")
    if last and due:
        markdown += "\n" + str(review_line(t, date.fromisoformat(str(last)), date.fromisoformat(str(due))))
    return markdown


def escaped_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    """Title and description as escaped Markup: themes print them into attributes without escaping."""
    return {k: escape(v) if k in ("title", "description") and isinstance(v, str) else v for k, v in meta.items()}


def edition_links(site_url: str, language: str) -> dict[str, str]:
    """Where this edition sits: the whole site's absolute root, and the relative step up to it."""
    subdir = "" if language == SOURCE_LANGUAGE else f"{language}/"
    root = site_url[: -len(subdir)] if subdir and site_url.endswith(subdir) else site_url
    return {"site_root_url": root if root.endswith("/") else root + "/", "edition_root": "../" if subdir else ""}
