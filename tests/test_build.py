"""The happy path: the real project builds, and every built page carries the safety furniture."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, SiteFacts, run_cli


def test_build_publishes_every_page_with_banner_and_disclaimer(built_site: Path, site_facts: SiteFacts) -> None:
    """Each edition's pages carry its own region's first line (call and text) and emergency number."""
    for edition in site_facts.editions:
        pages = edition.pages(built_site)
        assert len(pages) >= 10, edition
        assert edition.folder(built_site) / "404.html" in pages
        for page in pages:
            html = page.read_text(encoding="utf-8")
            banner = re.search(r'<div id="crisis-banner".*?</div>', html, re.S)
            assert banner, f"{page} has no crisis banner"
            for link in edition.banner_links():
                assert f'href="{link}"' in banner.group(0), (page, link)
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


def test_shared_navigation_gives_the_pages_the_theme_renders_without_it(project: Path) -> None:
    """overrides/main.html reuses one rendered navigation per folder for pages outside the
    navigation; the site must be byte for byte what the theme makes when every page renders its own."""
    main = project / "overrides" / "main.html"
    cached = "{%- set nav_key = nav_cache_key(page) if nav_cache_key is defined else none -%}"
    assert cached in main.read_text()
    sites = {}
    for name, template in (("shared", main.read_text()), ("own", main.read_text().replace(cached, "{%- set nav_key = none -%}"))):
        main.write_text(template)
        result = run_cli("build", "--site-dir", str(project / name), cwd=project)
        assert result.returncode == 0, result.stderr
        sites[name] = project / name
    pages = sorted(p.relative_to(sites["own"]) for p in sites["own"].rglob("*.html"))
    assert len(pages) > 100
    assert pages == sorted(p.relative_to(sites["shared"]) for p in sites["shared"].rglob("*.html"))
    for rel in pages:
        assert (sites["shared"] / rel).read_bytes() == (sites["own"] / rel).read_bytes(), rel


def test_the_site_name_comes_from_the_config_once_per_title(built_site: Path, site_facts: SiteFacts) -> None:
    """site_name is the one place the name lives: every title ends with it once, and no page hard-codes it."""
    from html import unescape

    for edition in site_facts.editions:
        for page in (edition.folder(built_site) / "index.html", edition.folder(built_site) / "get-help" / "index.html"):
            title = unescape(re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S).group(1)).strip()
            assert title.endswith(site_facts.site_name) and title.count(site_facts.site_name) == 1, (page, title)
    for source in [*(ROOT / "content").rglob("*.md"), *(ROOT / "translations").glob("*/content/**/*.md")]:
        front_matter = source.read_text(encoding="utf-8").split("\n---", 1)[0]
        assert site_facts.site_name not in front_matter, f"{source}: take the name from site_name in mkdocs.yml"
