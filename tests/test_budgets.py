"""Byte budgets: bytes do not vary between runs, so these are tests, not benchmarks."""
from __future__ import annotations

from pathlib import Path

from budgets import page_weight

MAX_PAGE_RAW = 30_000
MAX_FIRST_VISIT_GZIP = 60_000
BANNER_WITHIN = 14_000


def test_every_html_page_is_at_most_30_kb(built_site: Path) -> None:
    sizes = {p.relative_to(built_site).as_posix(): p.stat().st_size for p in built_site.rglob("*.html")}
    too_big = {page: size for page, size in sizes.items() if size > MAX_PAGE_RAW}
    assert too_big == {}


def test_crisis_banner_arrives_in_the_first_14_kb(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        offset = page.read_bytes().find(b'id="crisis-banner"')
        assert 0 <= offset < BANNER_WITHIN, (page, offset)


def test_practice_page_first_visit_is_at_most_60_kb_gzip(built_site: Path) -> None:
    practices = sorted((built_site / "practices").glob("*/index.html"))
    assert practices
    for page in practices:
        weight = page_weight(built_site, page)
        assert weight.total_gzip <= MAX_FIRST_VISIT_GZIP, (page, weight)
        assert "assets/site.js" in weight.assets_gzip  # the budget counts the script too


def test_budget_counts_every_asset(tmp_path: Path) -> None:
    """The measuring stick itself: a page naming a heavy script goes over budget."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "heavy.js").write_bytes(__import__("os").urandom(70_000))
    page = tmp_path / "index.html"
    page.write_text('<html><body><div id="crisis-banner"></div><script src="assets/heavy.js"></script></body></html>')
    assert page_weight(tmp_path, page).total_gzip > MAX_FIRST_VISIT_GZIP
