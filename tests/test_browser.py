"""Every built page in real headless Chromium: axe-core, no JavaScript, small screens, no third parties."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import page_paths

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
PAGE_TYPES = ["", "practices/", "practices/self-compassion-break/", "myths/self-compassion-is-self-pity/", "references/",
              "learn/what-is-self-compassion/", "get-help/", "404.html", "es/practices/self-compassion-break/"]


def test_axe_finds_no_violations_on_any_page(built_site: Path, site_url: str, context_factory) -> None:
    page = context_factory().new_page()
    axe = Axe()
    problems = []
    paths = page_paths(built_site)
    for path in paths:
        page.goto(site_url + path)
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
        for violation in result.response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"/{path}: {violation['id']} ({violation['impact']}) at {targets}")
    assert problems == []
    assert len(paths) >= 20


def test_without_javascript_content_banner_and_disclaimer_render(built_site: Path, site_url: str, context_factory) -> None:
    page = context_factory(java_script_enabled=False, viewport={"width": 375, "height": 800}).new_page()
    for path in page_paths(built_site):
        page.goto(site_url + path)
        assert page.locator("#crisis-banner").is_visible(), path
        assert page.locator("#disclaimer").is_visible(), path
        assert page.locator("h1").first.is_visible(), path
        for link in page.locator("#crisis-banner a[href^='tel:']").all():
            box = link.bounding_box()
            assert box and box["width"] >= 24 and box["height"] >= 24, (path, box)


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_nothing_scrolls_sideways_at_320px(site_url: str, context_factory, path: str) -> None:
    page = context_factory(viewport={"width": 320, "height": 700}).new_page()
    page.goto(site_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"/{path} is {overflow}px wider than the screen"


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_no_request_leaves_the_site(site_url: str, context_factory, path: str) -> None:
    page = context_factory().new_page()
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlparse(request.url).netloc))
    page.goto(site_url + path, wait_until="networkidle")
    page.fill("input.md-search__input", "kind") if path == "" else None
    page.wait_for_timeout(300)
    own = urlparse(site_url).netloc
    assert hosts and set(hosts) == {own}, hosts


def test_skip_link_moves_focus_to_main_content(site_url: str, context_factory) -> None:
    page = context_factory().new_page()
    page.goto(site_url + "practices/self-compassion-break/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "site-skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_banner_and_help_link_sit_in_the_same_place_on_every_page_type(site_url: str, context_factory) -> None:
    page = context_factory(viewport={"width": 1280, "height": 800}).new_page()
    boxes = set()
    for path in [p for p in PAGE_TYPES if not p.startswith("es/")]:  # one edition's pages: same words, same place
        page.goto(site_url + path)
        banner = page.locator("#crisis-banner").bounding_box()
        help_link = page.locator(".crisis-banner__help").bounding_box()
        boxes.add((round(banner["y"]), round(banner["height"]), round(help_link["x"]), round(help_link["y"])))
    assert len(boxes) == 1, boxes


def test_nothing_covers_the_focused_element(site_url: str, context_factory) -> None:
    """WCAG 2.4.11: as a keyboard user tabs through a page, neither the banner nor the sticky
    header sits on top of the element that has focus."""
    page = context_factory(viewport={"width": 375, "height": 600}).new_page()
    page.goto(site_url + "practices/self-compassion-break/")
    assert page.evaluate("getComputedStyle(document.getElementById('crisis-banner')).position") in ("static", "relative")
    covered = []
    for _ in range(60):
        page.keyboard.press("Tab")
        hit = page.evaluate(
            """() => { const el = document.activeElement; if (!el || el === document.body) return null;
                      const r = el.getClientRects()[0]; if (!r || !r.width || !r.height) return null;
                      const top = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 8));
                      if (!top || el.contains(top) || top.contains(el)) return null;
                      return (el.className || el.tagName) + ' under ' + (top.className || top.tagName); }"""
        )
        if hit:
            covered.append(hit)
    assert covered == []


PAYLOAD_REFERENCE = """\
- id: payload2020
  type: article
  authors: ["<img src=x onerror=\\"window.__pwned=1\\">", "Evil, E."]
  year: 2020
  title: "<script>window.__pwned = 1; alert(1)</script>"
  container: "\\"><svg onload=window.__pwned=1>"
  url: "https://example.org/?q=\\"><script>alert(1)</script>"
  verification: confirmed
"""
PAYLOAD_PAGE = """\
---
title: 'Injected x" onmouseover="window.__pwned=1'
description: 'Quote breakout x" autofocus onfocus="window.__pwned=1" y="'
---

# A test page

This page is for a test. It has *short* words. It has a source [@payload2020]. You can read it.
"""


def test_text_fields_never_run_as_script(project: Path, context_factory) -> None:
    """Fields holding script, event handlers and attribute breakouts reach the reader as text."""
    import functools
    import http.server
    import threading

    from conftest import _QuietHandler, run_cli

    (project / "references" / "payloads.yaml").write_text(PAYLOAD_REFERENCE)
    (project / "content" / "injection.md").write_text(PAYLOAD_PAGE)
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(project / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = context_factory().new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        for path in ("injection/", "references/"):
            page.goto(base + path, wait_until="networkidle")
            page.mouse.move(10, 10)
            page.keyboard.press("Tab")
            assert page.evaluate("window.__pwned") is None, path
            assert "<script>window.__pwned = 1; alert(1)</script>" in page.inner_text("body"), path
        assert dialogs == []
    finally:
        server.shutdown()


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_contrast_holds_with_reduced_motion_and_a_dark_system_theme(site_url: str, context_factory, path: str) -> None:
    """Neither prefers-reduced-motion nor a dark system theme may swap in colours that fail
    contrast. (Dark mode itself is tested in test_reading_browser.py.)"""
    page = context_factory(reduced_motion="reduce", color_scheme="dark").new_page()
    page.goto(site_url + path)
    result = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}})
    assert result.response["violations"] == []
