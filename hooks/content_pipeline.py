"""MkDocs adapter for the content pipeline: every decision lives in `compassion_site`.

Kept thin on purpose: mkdocs-material and MkDocs 1.x plugins have a limited future,
and the pipeline and verifier must move to the next engine unchanged.
"""
from __future__ import annotations

import logging
import os
import posixpath
import re
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from compassion_site.engine_report import EngineReport
from compassion_site.errors import ContentErrors
from compassion_site.harden import base_paths, theme_policy
from compassion_site.pipeline import WORDS_CHECKED, Site, load_configured_site
from compassion_site.qr import QrWriter, page_path, qr_src, wants_qr
from compassion_site.render import edition_links, escaped_meta
from compassion_site.safety import HELP_PATH_TOKEN
from compassion_site.search_help import SEARCH_HELP_SCRIPT, SearchHelp, load_search_help
from compassion_site.shards import current_shard, owns, owns_file
from compassion_site.site_config import read_site_config
from compassion_site.structured_data import json_ld, structured_data
from compassion_site.verify import Rules, verify_site

log = logging.getLogger("mkdocs.hooks.content_pipeline")
_site: Site | None = None
_qr: QrWriter | None = None
_in_nav: set[str] = set()
_files: Files | None = None
_REDIRECT_TEMPLATE = re.compile(r'^template: "?redirect-page\.html"?$', re.MULTILINE)  # in the front matter urls.redirect_pages writes
_search_help: SearchHelp | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _site, _search_help
    try:
        already_checked = os.environ.get(WORDS_CHECKED) == "1"  # set by `compassion-site build`
        _site = load_configured_site(read_site_config(Path(config.config_file_path)), check_words=not already_checked)
        _search_help = load_search_help(Path(config.config_file_path).parent, _site.safety)
    except ContentErrors as exc:
        raise PluginError(exc.report()) from None
    help_path = "get-help/" if config.use_directory_urls else "get-help.html"
    config.extra["safety"] = {"banner": _site.banner_html.replace(HELP_PATH_TOKEN, help_path), "disclaimer": _site.disclaimer_html}
    config.extra["help_path"] = help_path
    config.extra["strings"] = {key: escape(text) for key, text in _site.safety.locale.strings.items()}
    _escape_config_text(config)
    config.theme["direction"] = _site.safety.locale.direction
    config.extra.update(edition_links(config.site_url or "", _site.safety.locale.language))
    return config


def _escape_config_text(config: MkDocsConfig) -> None:
    """Settings are plain text (compassion_site/settings.py), but Material's templates print
    site_name, copyright and the language names as HTML: escape them once here, for every template."""
    for key in ("site_name", "site_description", "site_author", "copyright"):
        if config.get(key):
            config[key] = escape(config[key])
    config.extra["alternate"] = [{**alt, "name": escape(alt["name"])} for alt in config.extra.get("alternate") or []]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _site is not None
    for src_uri, markdown in _site.pages.items():
        hand_written = files.get_file_from_path(src_uri)
        if hand_written is not None:  # a translated edition replaces the page with its translation
            files.remove(hand_written)
        files.append(File.generated(config, src_uri, content=markdown))
    assert _search_help is not None
    files.append(File.generated(config, SEARCH_HELP_SCRIPT, content=_search_help.script(config.extra["help_path"])))
    global _qr
    site_url = config.site_url or ""
    _end_qr()
    shard = current_shard()
    wanted = [f.src_uri for f in files if f.src_uri.endswith(".md") and wants_qr(f.src_uri)]
    _qr = QrWriter({qr_src(uri): site_url + page_path(uri) for uri in wanted if owns(uri, shard)})  # made while pages render
    for uri in wanted:  # registered now so that links to them resolve; their bytes arrive in on_env
        files.append(File.generated(config, qr_src(uri), content=b""))
    for f in files:  # another engine renders these; links to them still resolve
        if not owns_file(f.src_uri, shard):
            f.inclusion = InclusionLevel.EXCLUDED
    return files


def on_nav(nav, config: MkDocsConfig, files: Files):
    global _in_nav
    _in_nav = {page.file.src_uri for page in nav.pages}
    return nav


def on_env(env, config: MkDocsConfig, files: Files):
    assert _qr is not None
    global _files
    _files = files
    cache: dict[tuple[str, bool], Markup] = {}

    def put(key: tuple[str, bool], html: str) -> Markup:
        cache[key] = Markup(html)
        return cache[key]

    # Without toc.integrate the block also holds the page's own table of contents: nothing to share.
    shared = "toc.integrate" in (config.theme["features"] or [])
    env.globals.update(nav_cache=cache, nav_cache_put=put, nav_cache_key=_nav_cache_key if shared else lambda page: None)
    for path, svg in _qr.results().items():  # MkDocs writes static files, the codes among them, right after this event
        qr_file = files.get_file_from_path(path)
        if qr_file is None:
            raise PluginError(f"the QR code {path} was made for a page the engine no longer lists")
        qr_file.content_bytes = svg
    return env


def _nav_cache_key(page: Page) -> tuple[str, bool] | None:
    """Pages outside the navigation have no active item and the same relative links as the other
    pages of their folder, so they share its rendered navigation; None for pages in it."""
    if page is None or page.file.src_uri in _in_nav:
        return None
    hide = (page.meta or {}).get("hide") or ()
    return posixpath.dirname(page.url.rstrip("/")), "navigation" in hide


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _site is not None
    page.meta = escaped_meta(page.meta)
    if wants_qr(page.file.src_uri):
        page.meta["qr_src"] = qr_src(page.file.src_uri)
        # The live site's address, the one its QR code holds: the offline copy's own links end in .html.
        page.meta["printed_url"] = (config.site_url or "") + page_path(page.file.src_uri)
    return _site.finish(markdown, src_uri=page.file.src_uri, meta=page.meta)


def _engine_report(config: MkDocsConfig, files: Files) -> EngineReport:
    """What the build's hardening and verification need from the engine (see engine_report.py)."""
    assert _site is not None
    root = Path(config.config_file_path).parent
    generated = set(_site.pages)
    sources, redirects = {}, []
    for f in files:
        if f.abs_src_path and f.src_uri not in generated:
            sources[f.dest_uri] = Path(os.path.relpath(f.abs_src_path, root)).as_posix()
        elif f.src_uri in generated:
            sources[f.dest_uri] = _generated_source(root, f.src_uri)
            if f.src_uri not in _site.content.pages and _REDIRECT_TEMPLATE.search(_site.pages[f.src_uri].split("\n---", 1)[0]):
                redirects.append(f.dest_uri)
    site_path = posixpath.join("/", (config.site_url or "/").split("://", 1)[-1].partition("/")[2])
    return EngineReport([str(d) for d in config.theme.dirs], [str(s) for s in config.extra_javascript], site_path, sources, redirects)


def _generated_source(root: Path, src_uri: str) -> str:
    """The YAML file a generated page was made from, where one has its name; else the page's own address."""
    stem = src_uri.removesuffix(".md")
    language = _site.safety.locale.language if _site is not None else ""
    for candidate in (f"translations/{language}/{stem}.yaml", f"{stem}.yaml", f"translations/{language}/content/{src_uri}"):
        if (root / candidate).is_file():
            return candidate
    return f"{src_uri} (generated; see redirects.yaml, practices/ and myths/)"


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    assert _site is not None
    data = structured_data(page.file.src_uri, dict(page.meta), page.canonical_url or "", _site.safety.locale.language, _site.content)
    context["structured_data"] = json_ld(data)
    return context


def on_post_build(config: MkDocsConfig) -> None:
    assert _site is not None and _files is not None
    _end_qr()
    report = _engine_report(config, _files)
    if os.environ.get(WORDS_CHECKED) == "1":
        report.write(Path(config.site_dir))  # `compassion-site build` hardens and verifies the merged editions itself
        return
    site = Path(config.site_dir)
    depth = max((len(Path(f).parts) - 1 for f in report.sources), default=0)
    policy = theme_policy([Path(d) for d in report.template_dirs], bases=base_paths(depth, [report.site_path]), extra_javascript=report.extra_javascript)
    rules = Rules(policy, expect_tels=tuple(_site.safety.tel_numbers()), redirects=frozenset(report.redirects), site_path=report.site_path)
    count, failures = verify_site(site, rules, sources=report.sources)
    if failures:
        listing = "\n".join(f"  - {f}" for f in failures)
        raise PluginError(f"{len(failures)} of {count} built pages fail the safety checks:\n{listing}")
    log.info(f"Verified {count} HTML files: crisis banner, disclaimer and citations present.")


def on_build_error(error: Exception) -> None:
    _end_qr()  # do not leave a background process making codes for a build that failed


def _end_qr() -> None:
    global _qr
    if _qr is not None:
        _qr.close()
        _qr = None
