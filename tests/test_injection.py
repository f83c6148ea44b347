"""Each injection class an attacker tried: the build refuses it naming the source file, and the
hardened output runs no script in Chromium and does not leave the site.

The build half puts every class into a scratch copy of the project at once (one file each,
so the report must name each file). The browser half puts the same markup into built
pages, hardens them with the site's fixed policy as the build does, and loads them: what a
source-side sanitiser might let through must still be inert.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from test_verify import MAIN, TELS, site_policy
from test_visibility import served, visibility_problems

from compassion_site.output.harden import harden_page

from conftest import run_cli

pytestmark = pytest.mark.browser

FRONT = "---\ntitle: A test page\ndescription: A page for a test.\n{extra}---\n\n# A test page\n\nYou can rest here.\n\n{body}\n"
DOCS = MAIN.docs_dir

# source file (under the docs folder) -> its text; each is one class of injection
SOURCES = {
    "inj-script.md": FRONT.format(extra="", body="<script>window.__pwned = 1</script>"),
    "inj-onerror.md": FRONT.format(extra="", body='<p><img src="missing.png" alt="" onerror="window.__pwned = 1"></p>'),
    "inj-javascript.md": FRONT.format(extra="", body='<p><a href="javascript:window.__pwned=1">Tap here</a></p>'),
    "inj-refresh.md": FRONT.format(extra="", body='<meta http-equiv="refresh" content="0; url=https://example.org/">'),
    "inj-base.md": FRONT.format(extra="", body='<base href="https://example.org/">'),
    "inj-hidden-banner.md": FRONT.format(
        extra="template: base.html\n",
        body=f'<div id="crisis-banner" hidden><a href="tel:{TELS[0]}">call</a></div>\n\n<aside id="disclaimer" hidden><p>Not advice.</p></aside>',
    ),
    "inj-unclosed.md": FRONT.format(extra="", body="<p><b hidden>Thank you</p>"),
    "inj-image.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>window.__pwned = 1</script></svg>\n',
    "inj-page.htm": "<!doctype html><html><head><title>x</title></head><body><script>window.__pwned = 1</script></body></html>\n",
}


def test_every_injection_class_stops_the_build_naming_its_source(project: Path) -> None:
    for name, text in SOURCES.items():
        (project / DOCS / name).write_text(text)
    result = run_cli("build", cwd=project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for name in SOURCES:
        assert f"{DOCS}/{name}" in result.stderr, name
    assert not (project / "site").exists()  # nothing was published


# Markup a sanitiser might pass through, placed in built pages and hardened as the build does.
PAYLOADS = {
    "inline script": "<script>window.__pwned = 1; alert(1)</script>",
    "module script": '<script type="module">window.__pwned = 1</script>',
    "event handler": '<img src="missing.png" alt="" onerror="window.__pwned = 1; alert(1)">',
    "svg handler": '<svg onload="window.__pwned = 1"><rect width="1" height="1"/></svg>',
    "svg script": "<svg><script>window.__pwned = 1</script></svg>",
    "javascript link": '<a id="bait" href="javascript:window.__pwned=1;alert(1)">Tap here</a>',
    "data link": '<a id="bait" href="data:text/html,<script>alert(1)</script>">Tap here</a>',
    "base": '<base href="https://example.org/"><a id="bait" href="practices/">Practices</a>',
    "iframe srcdoc": '<iframe srcdoc="<script>parent.__pwned = 1</script>"></iframe>',
    "script file": '<script src="assets/evil.js"></script>',  # 'self' would allow it: only the verifier refuses it
    "svg image": '<img src="assets/evil.svg" alt="">',
}
NOT_RUN_BY_POLICY = {"script file"}  # refused by the verifier before publishing, not by the policy
HIDING = {
    "hidden fake banner": ('id="crisis-banner"', 'id="crisis-banner" hidden'),
    "unclosed b hidden": ("</article>", "<p><b hidden>Thank you</p></article>"),
}


def _page(site: Path, name: str, html: str) -> str:
    """Write `html`, hardened with the site's fixed policy, as a new page beside the home page."""
    plain = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    (site / f"{name}.html").write_text(harden_page(plain, site_policy(site)))
    return f"{name}.html"


@pytest.fixture
def injected(built_site: Path, tmp_path: Path) -> Path:
    site = Path(shutil.copytree(built_site, tmp_path / "site"))
    (site / "assets" / "evil.js").write_text("window.__pwned = 1")
    (site / "assets" / "evil.svg").write_text(SOURCES["inj-image.svg"])
    return site


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_hardened_pages_run_no_injected_script_and_stay_on_the_site(injected: Path, context_factory, payload: str) -> None:
    home = (injected / "index.html").read_text()
    path = _page(injected, "injected", home.replace("</article>", PAYLOADS[payload] + "</article>", 1))
    page = context_factory().new_page()
    dialogs, hosts, frames = [], set(), []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
    page.on("framenavigated", lambda f: frames.append(f.url))
    with served(injected) as url:
        page.goto(url + path, wait_until="load")
        if page.locator("#bait").count():
            page.locator("#bait").click(no_wait_after=True)
        page.wait_for_timeout(400)
        pwned = page.evaluate("window.__pwned === 1")
        own = urlparse(url).netloc
    if payload in NOT_RUN_BY_POLICY:
        assert pwned  # the browser would run it: this is why the verifier refuses such a page
        return
    assert not pwned and dialogs == [], payload
    assert hosts <= {own}, hosts
    assert all(urlparse(u).netloc in (own, "") for u in frames), frames


@pytest.mark.parametrize("how", sorted(HIDING))
def test_hidden_furniture_is_also_caught_in_the_browser(injected: Path, context_factory, how: str) -> None:
    old, new = HIDING[how]
    home = (injected / "index.html").read_text()
    path = _page(injected, "hidden", home.replace(old, new, 1))
    with served(injected) as url:
        assert visibility_problems(context_factory(viewport={"width": 375, "height": 667}), url, [path])
