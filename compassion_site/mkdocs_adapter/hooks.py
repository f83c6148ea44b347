"""The MkDocs hook events: every decision lives in the rest of `compassion_site`.

Kept thin on purpose: mkdocs-material and MkDocs 1.x plugins have a limited future,
and the pipeline and verifier must move to the next engine unchanged.
"""
from __future__ import annotations

import logging
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from compassion_site.errors import ContentErrors
from compassion_site.mkdocs_adapter.config_file import read_site_config
from compassion_site.output.engine_report import EngineReport
from compassion_site.output.harden import base_paths, theme_policy
from compassion_site.output.verify import Rules, verify_site
from compassion_site.pipeline import WORDS_CHECKED, Site, load_configured_site
from compassion_site.render.pages import edition_links, escaped_meta
from compassion_site.render.qr import QrWriter, page_path, qr_src, wants_qr
from compassion_site.render.structured_data import json_ld, structured_data
from compassion_site.safety.furniture import HELP_PATH_TOKEN
from compassion_site.safety.search_help import SEARCH_HELP_SCRIPT, SearchHelp, load_search_help

log = logging.getLogger("mkdocs.hooks.content_pipeline")
_REDIRECT_TEMPLATE = re.compile(r'^template: "?redirect-page\.html"?$', re.MULTILINE)  # in the front matter render.pages.redirect_pages writes


@dataclass
class Build:
    """One MkDocs build's state, made by `on_config` (so `mkdocs serve` starts afresh on every
    rebuild) and filled in by the events that follow it."""

    site: Site
    search_help: SearchHelp
    qr: QrWriter | None = None
    in_nav: set[str] = field(default_factory=set)
    files: Files | None = None

    def end_qr(self) -> None:
        if self.qr is not None:
            self.qr.close()
            self.qr = None


class _Adapter:
    """The hook functions MkDocs calls, around the one `Build` in progress."""

    def __init__(self) -> None:
        self._build: Build | None = None

    @property
    def build(self) -> Build:
        if self._build is None:
            raise PluginError("the content pipeline's on_config did not run: list hooks/content_pipeline.py under hooks: in the config file")
        return self._build

    def start(self, build: Build) -> None:
        self.end()
        self._build = build

    def end(self) -> None:
        if self._build is not None:
            self._build.end_qr()


_adapter = _Adapter()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        already_checked = os.environ.get(WORDS_CHECKED) == "1"  # set by `compassion-site build`
        site = load_configured_site(read_site_config(Path(config.config_file_path)), check_words=not already_checked)
        search_help = load_search_help(Path(config.config_file_path).parent, site.safety)
    except ContentErrors as exc:
        raise PluginError(exc.report()) from None
    _adapter.start(Build(site, search_help))
    help_path = "get-help/" if config.use_directory_urls else "get-help.html"
    config.extra["safety"] = {"banner": site.banner_html.replace(HELP_PATH_TOKEN, help_path), "disclaimer": site.disclaimer_html}
    config.extra["help_path"] = help_path
    config.extra["strings"] = {key: escape(text) for key, text in site.safety.locale.strings.items()}
    _escape_config_text(config)
    config.theme["direction"] = site.safety.locale.direction
    config.extra.update(edition_links(config.site_url or "", site.safety.locale.language))
    return config


def _escape_config_text(config: MkDocsConfig) -> None:
    """Settings are plain text (compassion_site/settings.py), but Material's templates print
    site_name, copyright and the language names as HTML: escape them once here, for every template."""
    for key in ("site_name", "site_description", "site_author", "copyright"):
        if config.get(key):
            config[key] = escape(config[key])
    config.extra["alternate"] = [{**alt, "name": escape(alt["name"])} for alt in config.extra.get("alternate") or []]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = _adapter.build
    for src_uri, markdown in build.site.pages.items():
        hand_written = files.get_file_from_path(src_uri)
        if hand_written is not None:  # a translated edition replaces the page with its translation
            files.remove(hand_written)
        files.append(File.generated(config, src_uri, content=markdown))
    files.append(File.generated(config, SEARCH_HELP_SCRIPT, content=build.search_help.script(config.extra["help_path"])))
    site_url = config.site_url or ""
    build.end_qr()
    wanted = [f.src_uri for f in files if f.src_uri.endswith(".md") and wants_qr(f.src_uri)]
    build.qr = QrWriter({qr_src(uri): site_url + page_path(uri) for uri in wanted})  # made while pages render
    for uri in wanted:  # registered now so that links to them resolve; their bytes arrive in on_env
        files.append(File.generated(config, qr_src(uri), content=b""))
    return files


def on_nav(nav, config: MkDocsConfig, files: Files):
    _adapter.build.in_nav = {page.file.src_uri for page in nav.pages}
    return nav


def on_env(env, config: MkDocsConfig, files: Files):
    build = _adapter.build
    if build.qr is None:
        raise PluginError("on_env ran before on_files: the QR codes were never started")
    build.files = files
    cache: dict[tuple[str, bool], Markup] = {}

    def put(key: tuple[str, bool], html: str) -> Markup:
        cache[key] = Markup(html)
        return cache[key]

    def nav_cache_key(page: Page) -> tuple[str, bool] | None:
        """Pages outside the navigation have no active item and the same relative links as the other
        pages of their folder, so they share its rendered navigation; None for pages in it."""
        if page is None or page.file.src_uri in build.in_nav:
            return None
        hide = (page.meta or {}).get("hide") or ()
        return posixpath.dirname(page.url.rstrip("/")), "navigation" in hide

    # Without toc.integrate the block also holds the page's own table of contents: nothing to share.
    shared = "toc.integrate" in (config.theme["features"] or [])
    env.globals.update(nav_cache=cache, nav_cache_put=put, nav_cache_key=nav_cache_key if shared else lambda page: None)
    for path, svg in build.qr.results().items():  # MkDocs writes static files, the codes among them, right after this event
        qr_file = files.get_file_from_path(path)
        if qr_file is None:
            raise PluginError(f"the QR code {path} was made for a page the engine no longer lists")
        qr_file.content_bytes = svg
    return env


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    site = _adapter.build.site
    page.meta = escaped_meta(page.meta)
    if wants_qr(page.file.src_uri):
        page.meta["qr_src"] = qr_src(page.file.src_uri)
        # The live site's address, the one its QR code holds: the offline copy's own links end in .html.
        page.meta["printed_url"] = (config.site_url or "") + page_path(page.file.src_uri)
    return site.finish(markdown, src_uri=page.file.src_uri, meta=page.meta)


def _engine_report(site: Site, config: MkDocsConfig, files: Files) -> EngineReport:
    """What the build's hardening and verification need from the engine (see output/engine_report.py)."""
    root = Path(config.config_file_path).parent
    generated = set(site.pages)
    sources, redirects = {}, []
    for f in files:
        if f.abs_src_path and f.src_uri not in generated:
            sources[f.dest_uri] = Path(os.path.relpath(f.abs_src_path, root)).as_posix()
        elif f.src_uri in generated:
            sources[f.dest_uri] = _generated_source(root, f.src_uri, site.safety.locale.language)
            if f.src_uri not in site.content.pages and _REDIRECT_TEMPLATE.search(site.pages[f.src_uri].split("\n---", 1)[0]):
                redirects.append(f.dest_uri)
    site_path = posixpath.join("/", (config.site_url or "/").split("://", 1)[-1].partition("/")[2])
    return EngineReport([str(d) for d in config.theme.dirs], [str(s) for s in config.extra_javascript], site_path, sources, redirects)


def _generated_source(root: Path, src_uri: str, language: str) -> str:
    """The YAML file a generated page was made from, where one has its name; else the page's own address."""
    stem = src_uri.removesuffix(".md")
    for candidate in (f"translations/{language}/{stem}.yaml", f"{stem}.yaml", f"translations/{language}/content/{src_uri}"):
        if (root / candidate).is_file():
            return candidate
    return f"{src_uri} (generated; see redirects.yaml, practices/ and myths/)"


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    site = _adapter.build.site
    data = structured_data(page.file.src_uri, dict(page.meta), page.canonical_url or "", site.safety.locale.language, site.content)
    context["structured_data"] = json_ld(data)
    return context


def on_post_build(config: MkDocsConfig) -> None:
    build = _adapter.build
    build.end_qr()
    if build.files is None:
        raise PluginError("on_post_build ran before on_env: the engine listed no files")
    report = _engine_report(build.site, config, build.files)
    if os.environ.get(WORDS_CHECKED) == "1":
        report.write(Path(config.site_dir))  # `compassion-site build` hardens and verifies the merged editions itself
        return
    site = Path(config.site_dir)
    depth = max((len(Path(f).parts) - 1 for f in report.sources), default=0)
    policy = theme_policy([Path(d) for d in report.template_dirs], bases=base_paths(depth, [report.site_path]), extra_javascript=report.extra_javascript)
    rules = Rules(policy, expect_tels=tuple(build.site.safety.tel_numbers()), redirects=frozenset(report.redirects), site_path=report.site_path)
    count, failures = verify_site(site, rules, sources=report.sources)
    if failures:
        listing = "\n".join(f"  - {f}" for f in failures)
        raise PluginError(f"{len(failures)} of {count} built pages fail the safety checks:\n{listing}")
    log.info(f"Verified {count} HTML files: crisis banner, disclaimer and citations present.")


def on_build_error(error: Exception) -> None:
    _adapter.end()  # do not leave a background process making codes for a build that failed
