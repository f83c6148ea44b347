"""The happy path: the real project builds, and every built page carries the safety furniture."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, run_cli


def test_build_publishes_every_page_with_banner_and_disclaimer(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 10
    assert (built_site / "404.html") in pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        banner = re.search(r'<div id="crisis-banner".*?</div>', html, re.S)
        assert banner, f"{page} has no crisis banner"
        assert 'href="tel:988"' in banner.group(0), page
        assert 'href="tel:911"' in banner.group(0), page
        assert 'href="sms:988"' in banner.group(0), page
        assert 'id="disclaimer"' in html, page


def test_banner_help_link_resolves_from_every_depth(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        href = re.search(r'href="([^"]*)" class="crisis-banner__help"', page.read_text()).group(1)
        if page.name == "404.html":  # served at any depth, so it links from its edition's root
            edition = page.parent.relative_to(built_site).as_posix()
            assert href == ("/" if edition == "." else f"/{edition}/") + "get-help/"
        else:
            assert (page.parent / href / "index.html").resolve().is_file(), f"{page}: {href}"


def test_generated_pages_exist_for_every_practice_and_myth(built_site: Path) -> None:
    for kind in ("practices", "myths"):
        for source in (ROOT / kind).glob("*.yaml"):
            if "." in source.stem:
                continue
            assert (built_site / kind / source.stem / "index.html").is_file(), source


def test_citations_link_to_page_list_and_bibliography(built_site: Path) -> None:
    bibliography = (built_site / "references" / "index.html").read_text()
    cited = 0
    for page in built_site.rglob("*.html"):
        html = page.read_text()
        for ref_id in re.findall(r'class="citation" data-ref="([^"]+)"', html):
            cited += 1
            assert f'id="ref-{ref_id}"' in html, (page, ref_id)
            assert f'id="{ref_id}"' in bibliography, ref_id
            assert f'references/#{ref_id}"' in html, (page, ref_id)
    assert cited > 0


def test_a_failed_build_leaves_the_published_site_untouched(project: Path, built_site: Path) -> None:
    site = project / "site"
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (project / "practices" / "broken.yaml").write_text("title: [unclosed\n")
    result = run_cli("build", cwd=project)
    assert result.returncode != 0
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not list(project.glob(".site-*")), "scratch folders must be cleaned up"
