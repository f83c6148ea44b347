"""The offline edition: a zip that works opened from the file system, with no other host contacted."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import urlparse

from compassion_site.cli import site_slug

from conftest import configured_site, run_cli

LIVE_URL = "https://kindness.example.org/"


def test_offline_zip_works_from_file_urls(project: Path, context_factory, tmp_path: Path) -> None:
    result = run_cli("offline", cwd=project, env={"SITE_URL": LIVE_URL})
    assert result.returncode == 0, result.stderr
    name = site_slug(configured_site(project).site_name)  # the copy is named after the site
    archive = project / "build" / f"{name}-offline.zip"
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(tmp_path / "unzipped")
    root = tmp_path / "unzipped" / name
    page = context_factory().new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((root / "index.html").as_uri())
    site = configured_site(project)
    assert page.locator(f"#crisis-banner a[href='{site.main.banner_links()[0]}']").is_visible()
    page.click("a.crisis-banner__help")
    assert page.url.endswith("/get-help.html")
    page.go_back()
    page.click("nav.md-nav a[href$='practices/index.html']")
    assert page.url.endswith("/practices/index.html")
    page.fill("input.md-search__input", "kind")
    page.wait_for_selector(".md-search-result__item")
    assert page.locator(".md-search-result__item").count() > 0
    for other in site.editions[1:2]:  # the language switch: with no server, the link must name index.html, not a folder
        page.goto((root / "index.html").as_uri())
        page.hover(".md-select button")
        with page.expect_navigation():
            page.click(f".md-select__link[hreflang='{other.language}']")
        assert page.url == (root / other.subdir / "index.html").as_uri()
        assert page.locator("html").get_attribute("lang") == other.language
    practice = min((root / "practices").glob("*.html"), key=lambda p: (p.name == "index.html", p.name))
    page.goto(practice.as_uri())
    page.click("button.guided-start")  # the guided mode is a file of the copy, so it works offline
    assert page.locator("dialog.guided .guided__step").inner_text()
    assert {urlparse(url).scheme for url in requests} == {"file"}, [u for u in requests if not u.startswith("file:")]
    # Handouts print where to find the page again: the live address (directory style), not the copy's .html file.
    printed = re.search(r'class="print-only handout-link">.*?<strong>([^<]*)</strong>', (root / "get-help.html").read_text(), re.S)
    assert printed and printed.group(1) == LIVE_URL + "get-help/", printed and printed.group(1)


def test_the_offline_copy_is_named_after_the_site() -> None:
    assert site_slug("Kindly Minds") == "kindly-minds" and site_slug("Ayuda Ñandú!") == "ayuda-nandu" and site_slug("???") == "site"


def test_a_local_address_warns_and_a_deploy_build_refuses_it(project: Path) -> None:
    (project / "practices" / "broken.yaml").write_text("title: [unclosed\n")  # the build stops at the check, after the warning
    warned = run_cli("build", cwd=project, env={"SITE_URL": "http://localhost:8000/"})
    assert "warning: the site's address is http://localhost:8000/, a local address" in warned.stderr
    assert "build --deploy" not in warned.stderr
    refused = run_cli("build", "--deploy", cwd=project, env={"SITE_URL": "http://127.0.0.1:8000/"})
    assert refused.returncode == 1 and "build --deploy: the site's address is http://127.0.0.1:8000/" in refused.stderr
    assert "Traceback" not in refused.stderr
