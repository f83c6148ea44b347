"""Search in real headless Chromium: help first for a crisis query in every edition, online and
from file://; every result reachable; Enter never navigates; axe clean with search open.

Editions, regions, lines and crisis words come from the configured site, so any fork is tested.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_browser import AXE_TAGS
from test_search import ISSUE_QUERIES, configured_editions, crisis_languages

from compassion_site.errors import ErrorCollector
from compassion_site.output.search_index import answer, entries, query_files
from compassion_site.safety.furniture import load_safety, tel_target
from compassion_site.safety.search_help import fold, is_crisis, load_crisis_words

from conftest import ROOT, run_cli

EDITIONS = configured_editions()
INPUT = "input.md-search__input"


def _phrases(root: Path, language: str) -> list[str]:
    """The crisis phrases as written in the data files (accents and apostrophes kept)."""
    import yaml

    raw = []
    for path in sorted((root / "safety").glob("crisis-words.*.yaml")):
        raw += yaml.safe_load(path.read_text(encoding="utf-8"))["phrases"]
    errors = ErrorCollector(root)
    assert load_crisis_words(root, language, errors) and errors.errors == []
    return raw


def _issue_queries(root: Path) -> list[str]:
    return [q for language in crisis_languages(root) for q in ISSUE_QUERIES.get(language, [])]


def _region_targets(root: Path, edition, *, first_line_only: bool = False) -> list[str]:
    config = edition.config
    safety, errors = load_safety(root, region=config.region, language=config.language, max_age_days=config.helpline_max_age_days)
    assert safety is not None, errors.errors
    targets = [f"tel:{tel_target(safety.region.emergency)}"]
    for line in safety.region.lines[:1] if first_line_only else safety.region.lines:
        targets += [f"{'tel' if c.kind == 'call' else 'sms'}:{tel_target(c.number)}" for c in line.channels if c.kind in ("call", "text") and c.number]
    return targets


def _folder(site: Path, edition) -> Path:
    return site / edition.subdir / "search" if edition.subdir else site / "search"


def _common_word(folder: Path) -> str:
    """The edition's commonest word that is not a crisis word: many results, no card."""
    docs = entries(json.loads((folder / "search_index.json").read_text(encoding="utf-8")))
    phrases = load_crisis_words(ROOT, EDITIONS[0].config.language, ErrorCollector(ROOT))
    counts = Counter(w for d in docs for w in set(fold(d.title + " " + d.text).split()) if len(w) > 3)
    return next(w for w, _ in counts.most_common() if not is_crisis(w, phrases))


def _search(page, query: str) -> None:
    """Type a query and wait until its results are shown (the results say aria-busy while they load)."""
    page.fill(INPUT, query)
    page.wait_for_selector(".md-search-result[aria-busy='false']", state="attached")


def _card_first(page, targets: list[str], query: str) -> None:
    page.wait_for_selector("#search-help:not([hidden])", timeout=3000)
    card = page.locator("#search-help")
    assert card.is_visible(), query
    hrefs = card.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for target in targets:
        assert target in hrefs, (query, target, hrefs)
    assert any(h.rstrip("/").endswith(("get-help", "get-help.html")) for h in hrefs), hrefs
    # above every result, in the page's order and on screen
    first = page.locator(".md-search-result__item").first
    assert page.evaluate(
        "() => { const c = document.getElementById('search-help'), r = document.querySelector('.md-search-result__item');"
        " return !r || !!(c.compareDocumentPosition(r) & Node.DOCUMENT_POSITION_FOLLOWING); }"
    ), query
    if first.count():
        assert card.bounding_box()["y"] < first.bounding_box()["y"], query


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.config.language)
def test_every_crisis_phrase_puts_the_help_card_first(site_url: str, context_factory, edition) -> None:
    page = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(site_url + (edition.subdir + "/" if edition.subdir else ""))
    targets = _region_targets(ROOT, edition)
    phrases = _phrases(ROOT, edition.config.language)
    issue = _issue_queries(ROOT)
    variants = [*phrases, *issue, *(q.upper().replace(" ", "-") + "?" for q in issue), *(f"¿{q.title()}?" for q in issue)]
    for query in variants:
        _search(page, query)
        _card_first(page, targets, query)
    page.fill(INPUT, "")
    assert page.locator("#search-help").is_hidden()


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.config.language)
def test_an_ordinary_search_shows_no_card(built_site: Path, site_url: str, context_factory, edition) -> None:
    page = context_factory().new_page()
    page.goto(site_url + (edition.subdir + "/" if edition.subdir else ""))
    _search(page, _common_word(_folder(built_site, edition)))
    assert page.locator(".md-search-result__item").count() > 0
    assert page.locator("#search-help").is_hidden()


def test_on_a_phone_the_card_shows_the_numbers_on_screen(site_url: str, context_factory) -> None:
    """The emergency number and the region's crisis line on the first screen; the other lines below."""
    edition = EDITIONS[0]
    page = context_factory(viewport={"width": 375, "height": 667}, has_touch=True).new_page()
    page.goto(site_url)
    page.click("label.md-header__button[for='__search']")
    _search(page, _issue_queries(ROOT)[0] if _issue_queries(ROOT) else _phrases(ROOT, edition.config.language)[0])
    for target in _region_targets(ROOT, edition, first_line_only=True):
        box = page.locator(f"#search-help a[href='{target}']").first.bounding_box()
        assert box and 0 <= box["y"] and box["y"] + box["height"] <= 667 and box["width"] >= 24 and box["height"] >= 24, (target, box)


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.config.language)
def test_more_results_reaches_every_result_in_order(built_site: Path, site_url: str, context_factory, edition) -> None:
    folder = _folder(built_site, edition)
    query = _common_word(folder)
    expected = answer(folder, query).ranked
    assert len(expected) > 20  # several pages of results
    page = context_factory().new_page()
    page.goto(site_url + (edition.subdir + "/" if edition.subdir else ""))
    _search(page, query)
    assert str(len(expected)) in page.inner_text(".md-search-result__meta")
    for _ in range(len(expected)):
        if page.locator(".search-more").is_hidden():
            break
        shown = page.locator(".md-search-result__item").count()
        page.locator(".search-more").focus()
        page.keyboard.press("Enter")
        page.wait_for_selector(f".md-search-result__item:nth-child({shown + 1})")
        assert page.evaluate("document.activeElement.className") == "md-search-result__link"  # focus on the first new result
    hrefs = page.locator(".md-search-result__link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    docs = entries(json.loads((folder / "search_index.json").read_text(encoding="utf-8")))
    assert len(hrefs) == len(expected)
    for href, i in zip(hrefs, expected, strict=True):
        assert href.endswith(docs[i].location), (href, docs[i].location)


def test_enter_moves_to_the_results_and_opens_nothing(built_site: Path, site_url: str, context_factory) -> None:
    page = context_factory().new_page()
    page.goto(site_url + "practices/")
    before = page.url
    _search(page, _common_word(_folder(built_site, EDITIONS[0])))
    page.press(INPUT, "Enter")
    page.wait_for_timeout(300)
    assert page.url == before
    assert page.evaluate("document.activeElement.className") == "md-search-result__meta"
    crisis = _phrases(ROOT, EDITIONS[0].config.language)[0]
    page.focus(INPUT)
    _search(page, crisis)
    page.press(INPUT, "Enter")
    page.wait_for_timeout(300)
    assert page.url == before
    assert page.evaluate("document.activeElement.id") == "search-help-title"


def test_a_search_loads_only_the_shards_it_needs(built_site: Path, site_url: str, context_factory) -> None:
    """The search script loads what search_index.query_files says (which the benchmark counts), no more."""
    folder = _folder(built_site, EDITIONS[0])
    query = _common_word(folder)
    page = context_factory().new_page()
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(urlparse(r.url).path.rsplit("/", 1)[-1]) if "/search/" in r.url else None)
    page.goto(site_url)
    _search(page, query)
    assert sorted(loaded) == sorted(query_files(folder, query))
    assert len(loaded) < len(list(folder.glob("*.js")))


@pytest.mark.parametrize("width", [375, 1280])
def test_axe_finds_no_violations_with_search_open(built_site: Path, site_url: str, context_factory, width: int) -> None:
    page = context_factory(viewport={"width": width, "height": 800}).new_page()
    page.goto(site_url)
    if width < 960:
        page.click("label.md-header__button[for='__search']")
    axe = Axe()
    for query in [_phrases(ROOT, EDITIONS[0].config.language)[0], _common_word(_folder(built_site, EDITIONS[0]))]:
        _search(page, query)
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
        problems = [f"{v['id']} at {[n['target'] for n in v['nodes']][:3]}" for v in result.response["violations"]]
        assert problems == [], (query, problems)


@pytest.fixture(scope="module")
def offline_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("offline") / "project")
    result = run_cli("offline", cwd=project)
    assert result.returncode == 0, result.stderr
    [root] = [p for p in (project / "build" / "offline").iterdir() if p.is_dir()]  # named after the site
    return root


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.config.language)
def test_offline_the_card_and_results_work_from_file_urls(offline_copy: Path, context_factory, edition) -> None:
    page = context_factory().new_page()
    schemes: set[str] = set()
    page.on("request", lambda r: schemes.add(urlparse(r.url).scheme))
    page.goto((offline_copy / edition.subdir / "index.html" if edition.subdir else offline_copy / "index.html").as_uri())
    targets = _region_targets(ROOT, edition)
    for query in _issue_queries(ROOT) or _phrases(ROOT, edition.config.language)[:3]:
        _search(page, query)
        _card_first(page, targets, query)
        help_link = page.locator("#search-help a.search-help__more").get_attribute("href")
        assert help_link.endswith("get-help.html"), help_link
    _search(page, _common_word(_folder(offline_copy, edition)))
    assert page.locator(".md-search-result__item").count() > 0
    assert page.locator("#search-help").is_hidden()
    assert schemes == {"file"}
