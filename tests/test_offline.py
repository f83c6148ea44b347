"""The offline edition: a zip that works opened from the file system, with no other host contacted."""
from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import urlparse

from conftest import run_cli


def test_offline_zip_works_from_file_urls(project: Path, context_factory, tmp_path: Path) -> None:
    result = run_cli("offline", cwd=project)
    assert result.returncode == 0, result.stderr
    archive = project / "build" / "compassion-site-offline.zip"
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(tmp_path / "unzipped")
    root = tmp_path / "unzipped" / "compassion-site"
    page = context_factory().new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((root / "index.html").as_uri())
    assert page.locator("#crisis-banner a[href='tel:988']").is_visible()
    page.click("a.crisis-banner__help")
    assert page.url.endswith("/get-help.html")
    page.go_back()
    page.click("nav.md-nav a[href$='practices/index.html']")
    assert page.url.endswith("/practices/index.html")
    page.fill("input.md-search__input", "kind")
    page.wait_for_selector(".md-search-result__item")
    assert page.locator(".md-search-result__item").count() > 0
    page.goto((root / "index.html").as_uri())
    page.hover(".md-select button")  # the language switch: with no server, the link must name index.html, not a folder
    with page.expect_navigation():
        page.click(".md-select__link[hreflang='es']")
    assert page.url == (root / "es" / "index.html").as_uri()
    assert page.locator("html").get_attribute("lang") == "es"
    practice = min((root / "practices").glob("*.html"), key=lambda p: (p.name == "index.html", p.name))
    page.goto(practice.as_uri())
    page.click("button.guided-start")  # the guided mode is a file of the copy, so it works offline
    assert page.locator("dialog.guided .guided__step").inner_text()
    assert {urlparse(url).scheme for url in requests} == {"file"}, [u for u in requests if not u.startswith("file:")]
