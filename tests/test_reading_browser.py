"""Reading in a real browser: keyboard at every width, help always one tap away, dark mode, print.

Editions and pages are read from the configured site (mkdocs*.yml, practices/), so a fork with
other languages or other practices is tested the same way.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe

from conftest import ROOT

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
WIDTHS = [320, 375, 1024, 1280]


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def edition_languages() -> dict[str, str]:
    """Each edition's folder from the site root ("" for the first) and its language, from mkdocs.yml."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)
    return {(alt["link"].strip("/") + "/" if alt["link"].strip("/") else ""): alt["lang"] for alt in config["extra"]["alternate"]}


def editions() -> list[str]:
    return list(edition_languages())


def a_practice() -> str:
    return "practices/" + min(ROOT.glob("practices/*.yaml")).stem + "/"


def a_page_in_a_menu_section() -> str:
    """The first page inside a nested section of the navigation (its menu opens as a sub-panel)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)
    for entry in config["nav"]:
        for value in entry.values():
            if isinstance(value, list):
                first = next(iter(value[0].values()))
                return first.removesuffix(".md").removesuffix("index") + ("/" if not first.endswith("index.md") else "")
    return ""


EDITION_PAGES = [edition + path for edition in editions() for path in ("", a_practice())]
FOCUS_PAGES = EDITION_PAGES + [a_page_in_a_menu_section()]

FOCUS_STATE = """async () => {
  await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  let opacity = 1;
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) opacity *= Number(getComputedStyle(node).opacity);
  const style = getComputedStyle(el);
  const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('title') || el.value || el.placeholder || '').trim();
  const ringed = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
  const line = el.getClientRects()[0] || r;  /* a link that wraps: its first line */
  const cx = Math.min(Math.max(line.left + Math.min(line.width / 2, 12), 0), innerWidth - 1);
  const cy = Math.min(Math.max(line.top + Math.min(line.height / 2, 8), 0), innerHeight - 1);
  const top = document.elementFromPoint(cx, cy);
  const covered = !!top && !el.contains(top) && !top.contains(el) ? (top.className || top.tagName) : null;
  return {covered, tag: el.tagName + '.' + (el.className || '') + ' ' + name.slice(0, 30), x: r.left, y: r.top, right: r.right, bottom: r.bottom,
          width: r.width, height: r.height, w: innerWidth, h: innerHeight, visible: style.visibility === 'visible',
          opacity, named: name.length > 0, ringed};
}"""


def focus_problems(page, stops: int = 200) -> tuple[list[str], int]:
    """Tab through the page once; every stop must be on screen, visible, named and ringed."""
    problems, seen, count = [], set(), 0
    for _ in range(stops):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            break
        key = (state["tag"], round(state["x"]), round(state["y"] + page.evaluate("scrollY")))
        if key in seen:
            break
        seen.add(key)
        count += 1
        where = f"stop {count} {state['tag']} at ({state['x']:.0f}, {state['y']:.0f}) {state['width']:.0f}x{state['height']:.0f}"
        if state["width"] < 1 or state["height"] < 1:
            problems.append(where + ": empty")
        elif state["x"] < -1 or state["right"] > state["w"] + 1 or state["y"] < -1 or state["bottom"] > state["h"] + 1:
            problems.append(where + ": off screen")
        if not state["visible"] or state["opacity"] < 0.5:
            problems.append(where + f": hidden (opacity {state['opacity']:.2f})")
        if state["covered"]:
            problems.append(where + f": under {state['covered']}")
        if not state["named"]:
            problems.append(where + ": no name")
        if not state["ringed"]:
            problems.append(where + ": no focus indicator")
    return problems, count


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", FOCUS_PAGES)
def test_focus_never_lands_off_screen_hidden_or_unmarked(site_url: str, context_factory, path: str, width: int) -> None:
    page = context_factory(viewport={"width": width, "height": 700}).new_page()
    page.goto(site_url + path)
    problems, count = focus_problems(page)
    assert count >= 10, f"/{path} at {width}px: only {count} tab stops"
    assert problems == [], f"/{path} at {width}px"


def test_focus_stays_on_screen_at_200_percent_zoom(site_url: str, context_factory) -> None:
    """1280 px at 200% zoom is a 640 CSS px screen with twice the pixels."""
    page = context_factory(viewport={"width": 640, "height": 400}, device_scale_factor=2).new_page()
    page.goto(site_url + a_practice())
    problems, _ = focus_problems(page)
    assert problems == []


def tab_to(page, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("width", [375, 1024])
def test_menu_opens_and_closes_from_the_keyboard(site_url: str, context_factory, width: int) -> None:
    page = context_factory(viewport={"width": width, "height": 700}).new_page()
    page.goto(site_url + a_practice())
    tab_to(page, ".md-header label[for='__drawer'] > button")
    assert page.get_attribute(".md-header label[for='__drawer'] > button", "aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('__drawer').checked")
    page.wait_for_timeout(400)
    inside = page.evaluate("document.querySelector('.md-sidebar--primary').contains(document.activeElement)")
    assert inside, "focus moves into the opened menu"
    box = page.evaluate("document.activeElement.getBoundingClientRect().left")
    assert box >= 0
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__drawer').checked")
    assert page.evaluate("document.activeElement.matches(\".md-header label[for='__drawer'] > button\")")


def test_open_menu_section_is_walked_by_keyboard_without_hidden_stops(site_url: str, context_factory) -> None:
    """On a phone the current page's menu section opens as a panel over the top level: focus
    goes through the panel only, and its back button returns to the top level."""
    page = context_factory(viewport={"width": 375, "height": 700}).new_page()
    page.goto(site_url + a_page_in_a_menu_section())
    tab_to(page, ".md-header label[for='__drawer'] > button")
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    problems, stops = [], 0
    while page.evaluate("document.querySelector('.md-sidebar--primary').contains(document.activeElement)") and stops < 60:
        state = page.evaluate(FOCUS_STATE)
        stops += 1
        if state["covered"] or not state["visible"] or state["opacity"] < 0.5 or state["x"] < -1 or state["right"] > state["w"] + 1:
            problems.append(state)
        page.keyboard.press("Tab")
    assert stops >= 3 and problems == []
    page.locator(".md-header label[for='__drawer'] > button").focus()  # open again, then step back a level
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    back = page.locator(".md-sidebar--primary .md-nav__title .site-toggle").filter(visible=True).first
    back.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    top_level = page.locator(".md-sidebar--primary .md-nav--primary > .md-nav__list > .md-nav__item > a.md-nav__link").first
    assert top_level.is_visible() and page.evaluate("(el) => getComputedStyle(el).visibility", top_level.element_handle()) == "visible"


@pytest.mark.parametrize("width", [375, 1280])
def test_search_opens_and_closes_from_the_keyboard(site_url: str, context_factory, width: int) -> None:
    page = context_factory(viewport={"width": width, "height": 700}).new_page()
    page.goto(site_url + a_practice())
    if width < 960:
        tab_to(page, ".md-header label[for='__search'] > button")
        page.keyboard.press("Enter")
    else:
        tab_to(page, "input.md-search__input")
    page.wait_for_timeout(400)
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    assert page.locator("input.md-search__input").is_visible()
    page.keyboard.type("kind")
    page.wait_for_selector(".md-search-result__item")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    if width < 960:
        page.wait_for_timeout(50)
        assert page.evaluate("document.activeElement.matches(\".md-header label[for='__search'] > button\")")


def test_language_list_opens_and_closes_from_the_keyboard(site_url: str, context_factory) -> None:
    page = context_factory(viewport={"width": 375, "height": 700}).new_page()
    page.goto(site_url + a_practice())
    tab_to(page, ".md-select button")
    links = page.locator(".md-select__link")
    page.keyboard.press("Tab")
    page.wait_for_timeout(400)
    assert page.evaluate("document.activeElement.classList.contains('md-select__link')")
    assert links.first.is_visible()
    page.keyboard.press("Escape")
    page.wait_for_timeout(600)
    assert page.evaluate("document.activeElement.matches('.md-select button')")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-select__inner')).visibility") == "hidden"
    page.keyboard.press("Tab")
    assert not page.evaluate("document.activeElement.classList.contains('md-select__link')"), "a closed list is skipped"


@pytest.mark.parametrize("script", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("path", EDITION_PAGES)
def test_nothing_scrolls_sideways_at_320px(site_url: str, context_factory, path: str, script: bool) -> None:
    page = context_factory(viewport={"width": 320, "height": 568}, java_script_enabled=script).new_page()
    page.goto(site_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"/{path} is {overflow}px wider than the screen"


@pytest.mark.parametrize("path", EDITION_PAGES + [editions()[0] + "get-help/", "404.html"])
def test_dark_mode_follows_the_system_with_no_axe_violations(site_url: str, context_factory, path: str) -> None:
    page = context_factory(color_scheme="dark").new_page()
    page.goto(site_url + path)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in background[background.index("(") + 1:background.index(")")].split(",")[:3]]
    assert max(channels) < 60, f"/{path}: the page is {background} with a dark system theme"
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    problems = [f"{v['id']} at {[n['target'] for n in v['nodes']][:3]}" for v in result.response["violations"]]
    assert problems == [], f"/{path}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_axe_finds_no_violations_with_search_open(site_url: str, context_factory, width: int, scheme: str) -> None:
    page = context_factory(viewport={"width": width, "height": 800}, color_scheme=scheme).new_page()
    page.goto(site_url + a_practice())
    page.evaluate("document.getElementById('__search').checked = true; document.getElementById('__search').dispatchEvent(new Event('change'))")
    page.fill("input.md-search__input", "kind")
    page.wait_for_selector(".md-search-result__item")
    page.wait_for_timeout(500)
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    assert [f"{v['id']} at {[n['target'] for n in v['nodes']][:3]}" for v in result.response["violations"]] == []


@pytest.mark.parametrize("path", EDITION_PAGES)
def test_help_link_stays_one_tap_away_after_scrolling(site_url: str, context_factory, path: str) -> None:
    page = context_factory(viewport={"width": 320, "height": 568}).new_page()
    page.goto(site_url + path)
    banner_help = page.get_attribute("#crisis-banner a.crisis-banner__help", "href")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(300)
    link = page.locator(".md-header a.site-help")
    box = link.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 568, box
    assert box["width"] >= 24 and box["height"] >= 24, box
    on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('a.site-help') !== null",
                           [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert on_top, "nothing covers the help link"
    assert link.get_attribute("href") == banner_help, "it goes where the banner's help link goes"
    header = page.locator(".md-header").bounding_box()
    assert header["height"] <= 0.1 * 568, f"the sticky header takes {header['height']}px of a 568px screen"


def test_citation_links_are_24px_targets(site_url: str, context_factory) -> None:
    page = context_factory(viewport={"width": 375, "height": 700}).new_page()
    page.goto(site_url + a_practice())
    boxes = [page.locator("a.citation").nth(i).bounding_box() for i in range(page.locator("a.citation").count())]
    assert boxes
    small = [b for b in boxes if b["width"] < 24 or b["height"] < 24]
    assert small == []


def test_printed_practice_has_no_space_before_punctuation_and_names_the_help_address(site_url: str, context_factory, tmp_path: Path) -> None:
    page = context_factory().new_page()
    checked = 0
    for edition in editions():
        for practice in sorted(ROOT.glob("practices/*.yaml"))[:4]:
            path = edition + "practices/" + practice.stem + "/"
            page.goto(site_url + path)
            pdf = tmp_path / (path.replace("/", "_") + ".pdf")
            page.pdf(path=str(pdf))
            text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            flat = " ".join(text.split())
            assert " ." not in flat and " ," not in flat, (path, [flat[max(0, i - 30):i + 5] for i in range(len(flat)) if flat.startswith((" .", " ,"), i)][:3])
            address = (page.text_content(".site-help-address strong") or "").strip()
            assert address and address in flat.replace(" ", ""), (path, address)
            checked += 1
    assert checked >= 2
