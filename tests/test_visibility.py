"""The crisis banner's tel: links and the disclaimer are VISIBLE in a real browser on every built page.

The verifier (verify.py) reads markup; only a browser applies the style sheets. Here every
built page of every edition (found in the built site, not listed by hand) is loaded in
Chromium at a phone and a laptop size, and each tel: link of the banner and the disclaimer
must have a box, sit on screen (the banner at load, without scrolling), be the element a
reader's tap reaches, have no ancestor whose display, visibility, opacity, clip or overflow
hides it, and have text with a contrast of at least 4.5:1 against what is painted behind it.
The second half proves the check fails when CSS or a changed template hides the banner.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import _QuietHandler, page_paths

pytestmark = pytest.mark.browser

VIEWPORTS = [{"width": 375, "height": 667}, {"width": 1280, "height": 800}]
MIN_CONTRAST = 4.5

# Returns a list of problems for the banner's tel: links and the disclaimer of the loaded page.
CHECK = r"""
() => {
  const problems = [];
  const canvas = document.createElement('canvas'); canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const rgba = (css) => {  // any CSS colour, as the browser paints it, in sRGB 0-255 and alpha 0-1
    ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = '#000'; ctx.fillStyle = css; ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data; return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, bottom) => {  // top colour composited over an opaque bottom one
    const a = top[3]; return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;

  function hiddenBy(el) {
    const own = getComputedStyle(el);
    if (own.visibility !== 'visible') return 'visibility:' + own.visibility;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true})) return 'not rendered (checkVisibility)';
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return `a ${r.width}x${r.height} box`;
    let opacity = 1;
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.display === 'none') return `${name(n)} has display:none`;
      opacity *= parseFloat(s.opacity);
      if (s.clipPath !== 'none') return `${name(n)} has clip-path:${s.clipPath}`;
      if (s.clip && s.clip !== 'auto' && (s.position === 'absolute' || s.position === 'fixed')) return `${name(n)} has clip:${s.clip}`;
      const clips = (v) => v === 'hidden' || v === 'clip';  // a scrolling box can be scrolled to; html and body scroll the page
      if (n !== el && n !== document.documentElement && n !== document.body && (clips(s.overflowX) || clips(s.overflowY))) {
        const box = n.getBoundingClientRect();
        const w = Math.min(r.right, box.right) - Math.max(r.left, box.left), h = Math.min(r.bottom, box.bottom) - Math.max(r.top, box.top);
        if (w < r.width - 1 || h < r.height - 1) return `${name(n)} (overflow:${s.overflowX}/${s.overflowY}) cuts it off`;
      }
    }
    if (opacity < 0.99) return `seen through an opacity of ${opacity.toFixed(2)}`;
    return null;
  }

  function background(el) {  // what is painted behind el's text: background colours up the tree, over white
    const layers = [];
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.backgroundImage !== 'none') return null;
      const c = rgba(s.backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
  }

  function contrastProblem(el) {
    const bg = background(el);
    if (bg === null) return `${name(el)}: text over a background image, whose contrast cannot be checked`;
    const fg = over(rgba(getComputedStyle(el).color), bg);
    const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    return ratio < MIN_CONTRAST ? `${name(el)}: text contrast ${ratio.toFixed(2)}:1 (needs ${MIN_CONTRAST}:1)` : null;
  }

  function reached(el) {  // a tap at its centre lands on el or inside it (an ancestor there means its ::before/::after covers el)
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit && el.contains(hit) ? null : `covered by ${hit ? name(hit) : 'nothing'}`;
  }

  function textElements(root) {  // root and every element under it with text of its own
    const found = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (t.textContent.trim() && !found.includes(t.parentElement)) found.push(t.parentElement);
    }
    return found;
  }

  window.scrollTo(0, 0);
  const links = [...document.querySelectorAll('#crisis-banner a[href^="tel:"]')];
  if (!links.length) problems.push('the crisis banner has no tel: link');
  for (const link of links) {
    const what = `banner link ${link.getAttribute('href')}`;
    const hidden = hiddenBy(link);
    if (hidden) { problems.push(`${what}: hidden (${hidden})`); continue; }
    const r = link.getBoundingClientRect();
    if (r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5) problems.push(`${what}: not on screen at load (${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)} in ${vw}x${vh})`);
    else { const covered = reached(link); if (covered) problems.push(`${what}: ${covered}`); }
    for (const el of textElements(link)) { const c = contrastProblem(el); if (c) problems.push(`${what}: ${c}`); }
  }
  const disclaimer = document.getElementById('disclaimer');
  if (!disclaimer) problems.push('no disclaimer');
  else {
    const parts = textElements(disclaimer);
    if (!parts.length) problems.push('the disclaimer has no text');
    for (const el of parts) {
      const hidden = hiddenBy(el);
      if (hidden) { problems.push(`disclaimer ${name(el)}: hidden (${hidden})`); continue; }
      el.scrollIntoView({block: 'center'});
      const covered = reached(el);
      if (covered) problems.push(`disclaimer ${name(el)}: ${covered}`);
      const c = contrastProblem(el); if (c) problems.push(`disclaimer ${c}`);
    }
  }
  return problems;
}
""".replace("MIN_CONTRAST", str(MIN_CONTRAST))


def visibility_problems(context, base_url: str, paths: list[str]) -> list[str]:
    """Load each path in one tab of `context` and collect what hides the furniture."""
    page = context.new_page()
    found = []
    for path in paths:
        page.goto(base_url + path, wait_until="load")
        found.extend(f"/{path} at {page.viewport_size['width']}px: {problem}" for problem in page.evaluate(CHECK))
    page.close()
    return found


@contextmanager
def served(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_banner_and_disclaimer_are_visible_on_every_page(built_site: Path, site_url: str, context_factory, viewport: dict) -> None:
    paths = page_paths(built_site)
    assert len(paths) >= 20
    problems = visibility_problems(context_factory(viewport=viewport), site_url, paths)
    assert problems == []


# The check must fail when the banner is hidden by CSS or by a changed template.

HIDING_CSS = {
    "display": "#crisis-banner { display: none !important; }",
    "visibility": "#crisis-banner a { visibility: hidden !important; }",
    "opacity": "#crisis-banner { opacity: 0 !important; }",
    "clip-path": "#crisis-banner { clip-path: inset(50%) !important; }",
    "off-screen": "#crisis-banner { position: absolute !important; left: -9999px !important; }",
    "below the fold": "#crisis-banner { margin-top: 3000px !important; }",
    "no contrast": "#crisis-banner, #crisis-banner * { color: #ffffff !important; background: #ffffff !important; }",
    "covered": "body::after { content: ''; position: fixed; inset: 0; background: #fff; z-index: 99999; }",
    "zero size": "#crisis-banner { height: 0 !important; overflow: hidden !important; padding: 0 !important; border: 0 !important; }",
    "disclaimer": "#disclaimer { display: none !important; }",
}


@pytest.fixture
def site_copy(built_site: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built_site, tmp_path / "site"))


@pytest.mark.parametrize("how", sorted(HIDING_CSS))
def test_css_in_the_site_style_sheet_that_hides_the_furniture_fails(site_copy: Path, context_factory, how: str) -> None:
    sheets = sorted(site_copy.glob("**/assets/site.css"))  # the site's own style sheet, every edition's copy
    assert sheets
    for sheet in sheets:
        sheet.write_text(sheet.read_text() + "\n" + HIDING_CSS[how] + "\n")
    with served(site_copy) as url:
        problems = visibility_problems(context_factory(viewport=VIEWPORTS[0]), url, [""])
    assert problems, how


def test_a_style_sheet_linked_from_a_page_that_hides_the_banner_fails(site_copy: Path, context_factory) -> None:
    """As extra_css or a <link> in a Markdown page would add it."""
    (site_copy / "assets" / "extra.css").write_text(HIDING_CSS["display"])
    page = site_copy / "index.html"
    page.write_text(page.read_text().replace("</head>", '<link rel="stylesheet" href="assets/extra.css"></head>', 1))
    with served(site_copy) as url:
        problems = visibility_problems(context_factory(viewport=VIEWPORTS[1]), url, [""])
    assert any("display:none" in p or "not rendered" in p for p in problems), problems


def test_an_override_that_moves_the_banner_out_of_sight_fails(site_copy: Path, context_factory) -> None:
    """As a changed template in overrides/ would: the banner moved to the end of the page."""
    page = site_copy / "index.html"
    html = page.read_text()
    start = html.index('<div id="crisis-banner"')
    end = html.index("</div>", start) + len("</div>")
    assert html[start:end].count("<div") == 1  # the banner is one element with no inner div
    page.write_text(html[:start] + html[end:].replace("</body>", html[start:end] + "</body>", 1))
    with served(site_copy) as url:
        problems = visibility_problems(context_factory(viewport=VIEWPORTS[1]), url, [""])
    assert any("not on screen at load" in p for p in problems), problems
