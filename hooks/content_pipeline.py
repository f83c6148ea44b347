"""MkDocs adapter for the content pipeline: every decision lives in `compassion_site`.

Kept thin on purpose: mkdocs-material and MkDocs 1.x plugins have a limited future,
and the pipeline and verifier must move to the next engine unchanged.
"""
from __future__ import annotations

import logging
import os
import posixpath
from pathlib import Path

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from compassion_site.errors import ContentErrors
from compassion_site.harden import harden_page
from compassion_site.render import edition_links, escaped_meta
from compassion_site.search_help import SEARCH_HELP_SCRIPT, SearchHelp, load_search_help
from compassion_site.safety import HELP_PATH_TOKEN
from compassion_site.pipeline import WORDS_CHECKED, Site, load_configured_site
from compassion_site.structured_data import json_ld, structured_data
from compassion_site.qr import QrWriter, page_path, qr_src, wants_qr
from compassion_site.shards import current_shard, owns, owns_file
from compassion_site.site_config import read_site_config
from compassion_site.verify import verify_site

log = logging.getLogger("mkdocs.hooks.content_pipeline")
_site: Site | None = None
_qr: QrWriter | None = None
_in_nav: set[str] = set()
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
    config.extra["strings"] = dict(_site.safety.locale.strings)
    config.theme["direction"] = _site.safety.locale.direction
    config.extra.update(edition_links(config.site_url or "", _site.safety.locale.language))
    return config


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
    cache: dict[tuple[str, bool], Markup] = {}

    def put(key: tuple[str, bool], html: str) -> Markup:
        cache[key] = Markup(html)
        return cache[key]

    # Without toc.integrate the block also holds the page's own table of contents: nothing to share.
    shared = "toc.integrate" in (config.theme["features"] or [])
    env.globals.update(nav_cache=cache, nav_cache_put=put, nav_cache_key=_nav_cache_key if shared else lambda page: None)
    for path, svg in _qr.results().items():  # MkDocs writes static files, the codes among them, right after this event
        files.get_file_from_path(path).content_bytes = svg
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
    return _site.finish(markdown, src_uri=page.file.src_uri, meta=page.meta)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _hardened(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return _hardened(output_content) if template_name.endswith(".html") else output_content


def _hardened(html: str) -> str:
    """Under `compassion-site build`, each page gets its security policy as it is written, on every
    engine at once; the build's own pass then only collects the hashes. `mkdocs serve` is left
    without one: its live-reload script is injected later and would be blocked."""
    return harden_page(html)[0] if os.environ.get(WORDS_CHECKED) == "1" else html


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    assert _site is not None
    data = structured_data(page.file.src_uri, dict(page.meta), page.canonical_url or "", _site.safety.locale.language, _site.content)
    context["structured_data"] = json_ld(data)
    return context


def on_post_build(config: MkDocsConfig) -> None:
    assert _site is not None
    _end_qr()
    if os.environ.get(WORDS_CHECKED) == "1":
        return  # `compassion-site build` verifies the merged editions itself, after adding the security policy
    count, failures = verify_site(Path(config.site_dir), expect_tels=_site.safety.tel_numbers())
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
