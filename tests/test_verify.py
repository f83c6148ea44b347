"""The verifier reads built files as a browser parses them and refuses any page without the
safety furniture SHOWN, or with any script the theme did not write."""
from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compassion_site.build import editions
from compassion_site.errors import ErrorCollector
from compassion_site.gates.urls import built_redirects
from compassion_site.mkdocs_adapter.config_file import read_raw, read_site_config
from compassion_site.output import harden
from compassion_site.output.harden import (
    ScriptPolicy,
    base_paths,
    harden_page,
    script_hash,
    theme_policy,
)
from compassion_site.output.verify import PageFacts, Rules, facts_of, verify_site
from compassion_site.safety.furniture import load_safety

from conftest import ROOT, run_cli

EDITIONS = editions(read_site_config(ROOT / "mkdocs.yml"))
MAIN = EDITIONS[0].config
SAFETY, _ = load_safety(ROOT, region=MAIN.region, language=MAIN.language, max_age_days=MAIN.helpline_max_age_days)
assert SAFETY is not None
TELS = tuple(SAFETY.tel_numbers())


def template_dirs() -> list[Path]:
    """As the engine reports them: the configured overrides, then the theme's own templates."""
    theme = read_raw(ROOT / "mkdocs.yml", ErrorCollector(ROOT))["theme"]
    spec = importlib.util.find_spec(theme["name"])
    assert spec and spec.submodule_search_locations
    custom = [ROOT / theme["custom_dir"]] if theme.get("custom_dir") else []
    return custom + [Path(spec.submodule_search_locations[0]) / "templates"]


@functools.cache
def site_policy(site: Path) -> ScriptPolicy:
    depth = max(len(p.relative_to(site).parts) - 1 for p in site.rglob("*.html"))
    site_paths = ["/"] + [f"/{e.subdir}/" for e in EDITIONS if e.subdir]
    extra = read_raw(ROOT / "mkdocs.yml", ErrorCollector(ROOT)).get("extra_javascript") or []
    return theme_policy(template_dirs(), bases=base_paths(depth, site_paths), extra_javascript=extra)


@pytest.fixture
def site_copy(built_site: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built_site, tmp_path / "site"))


@pytest.fixture
def rules(built_site: Path) -> Rules:
    """The main edition's rules (its pages only: other editions' folders are excluded in `check`)."""
    return Rules(site_policy(built_site), expect_tels=TELS, require_csp=True, redirects=built_redirects(ROOT, built_site))


def check(site: Path, rules: Rules, **kw) -> list:
    return verify_site(site, rules, exclude=[e.subdir for e in EDITIONS if e.subdir], **kw)[1]


def _mutate(site: Path, old: str, new: str, page: str = "index.html") -> None:
    path = site / page
    html = path.read_text()
    assert old in html
    path.write_text(html.replace(old, new, 1))


def test_built_site_passes(site_copy: Path, rules: Rules) -> None:
    count, failures = verify_site(site_copy, rules, exclude=[e.subdir for e in EDITIONS if e.subdir])
    assert count > 10 and failures == []
    for edition in EDITIONS[1:]:
        safety, _ = load_safety(ROOT, region=edition.config.region, language=edition.config.language)
        assert safety is not None
        edition_rules = Rules(rules.policy, expect_tels=tuple(safety.tel_numbers()), require_csp=True, site_path=f"/{edition.subdir}/",
                              redirects=built_redirects(ROOT, site_copy / edition.subdir))
        count, failures = verify_site(site_copy / edition.subdir, edition_rules)
        assert count > 10 and failures == []


def test_page_without_banner_or_disclaimer_fails_and_is_named(site_copy: Path) -> None:
    (site_copy / "stray.html").write_text("<html><body><p>Hello</p></body></html>")
    result = run_cli("verify", "--site-dir", str(site_copy), cwd=ROOT)
    assert result.returncode == 1
    assert "stray.html: no crisis banner" in result.stderr
    assert 'no disclaimer (id="disclaimer")' in result.stderr
    assert result.stderr.count("stray.html") == 1


def test_banner_without_tel_link_fails(site_copy: Path, rules: Rules) -> None:
    for tel in TELS:
        _mutate(site_copy, f'href="tel:{tel}"', 'href="#"')
    failures = check(site_copy, Rules(rules.policy, redirects=rules.redirects))
    assert [(f.path, f.problems) for f in failures] == [("index.html", ("the crisis banner has no working tel: link",))]


def test_banner_with_wrong_region_number_fails(site_copy: Path, rules: Rules) -> None:
    wrong = "1" + "".join(TELS)  # a number no region of ours has
    failures = check(site_copy, Rules(rules.policy, expect_tels=(wrong,), redirects=rules.redirects))
    assert failures and all(f"lacks tel:{wrong}" in " ".join(f.problems) for f in failures)


def test_empty_disclaimer_fails(site_copy: Path, rules: Rules) -> None:
    html = (site_copy / "index.html").read_text()
    start = html.index('<aside id="disclaimer"')
    end = html.index("</aside>", start) + len("</aside>")
    (site_copy / "index.html").write_text(html[:start] + '<aside id="disclaimer"></aside>' + html[end:])
    assert [f.path for f in check(site_copy, rules)] == ["index.html"]


def test_unresolved_citation_and_leftover_marker_fail(site_copy: Path, rules: Rules) -> None:
    page = next(p for p in sorted(site_copy.rglob("*.html")) if 'class="citation"' in p.read_text() and p.relative_to(site_copy).parts[0] not in [e.subdir for e in EDITIONS])
    html = page.read_text()
    html = html.replace('data-ref="', 'data-ref="ghost', 1)
    html = html.replace("</article>", "<p>See [@neff2099].</p></article>", 1)
    page.write_text(html)
    (failure,) = check(site_copy, rules)
    text = " ".join(failure.problems)
    assert "has no entry in the bibliography" in text
    assert "unrendered citation marker '[@neff2099'" in text


def test_marker_inside_code_is_allowed(site_copy: Path, rules: Rules) -> None:
    _mutate(site_copy, "</article>", "<pre><code>Cite with [@id]</code></pre></article>")
    assert check(site_copy, rules) == []


def test_javascript_link_fails(site_copy: Path, rules: Rules) -> None:
    _mutate(site_copy, "</article>", '<a href="javascript:alert(1)">x</a></article>')
    (failure,) = check(site_copy, rules)
    assert "markup that runs script: javascript:alert(1)" in failure.problems[0]


def test_event_handler_attribute_fails(site_copy: Path, rules: Rules) -> None:
    _mutate(site_copy, "</article>", '<meta content="x" onmouseover="alert(1)"></article>')
    (failure,) = check(site_copy, rules)
    assert "markup that runs script: <meta onmouseover=...>" in failure.problems[0]


def test_empty_site_fails(tmp_path: Path, rules: Rules) -> None:
    count, failures = verify_site(tmp_path, rules)
    assert count == 0 and failures


def test_engine_hook_refuses_to_publish(project: Path, tmp_path: Path) -> None:
    """Even plain `mkdocs build` (no wrapper) stops when a page lacks the banner, naming its source."""
    (project / "overrides" / "main.html").write_text('{% extends "base.html" %}\n')
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "out")],
        cwd=project, capture_output=True, text=True, check=False, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode != 0
    assert "fail the safety checks" in result.stderr
    assert "404.html: no crisis banner" in result.stderr
    assert f"{MAIN.docs_dir}/index.md (built as index.html): no crisis banner" in result.stderr


# The script policy: fixed by the theme, never by the page.

def test_every_built_page_carries_a_policy_covering_its_inline_scripts(site_copy: Path, rules: Rules) -> None:
    assert check(site_copy, rules) == []
    headers = (site_copy / "_headers").read_text()
    for header in ("Content-Security-Policy: default-src 'self'", "X-Content-Type-Options: nosniff",
                   "Referrer-Policy:", "Permissions-Policy:", "frame-ancestors 'none'", "immutable"):
        assert header in headers
    assert harden.policy_from_headers(site_copy) == ScriptPolicy(rules.policy.inline, frozenset())


def test_the_policy_comes_from_the_templates_not_from_pages(built_site: Path) -> None:
    """Every inline script of every built page is one the theme's templates wrote, and the
    policy has no hash that no template script gives."""
    policy = site_policy(built_site)
    seen = set()
    for page in built_site.rglob("*.html"):
        seen.update(script_hash(body) for body in facts_of(page.read_text()).inline_scripts)
    assert seen and seen <= policy.inline
    assert "assets/site.js" in policy.files or any(f.endswith("site.js") for f in policy.files)


def test_hardening_never_allows_a_script_the_theme_did_not_write(site_copy: Path, rules: Rules) -> None:
    html = (site_copy / "index.html").read_text()
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    injected = html.replace("</article>", "<script>window.pwned = 1</script></article>", 1)
    hardened = harden_page(injected, rules.policy)
    assert script_hash("window.pwned = 1") not in hardened
    assert re.search(r"script-src 'self' 'sha256-", hardened)  # the theme's own scripts are still allowed


def test_smuggled_inline_script_fails(site_copy: Path, rules: Rules) -> None:
    _mutate(site_copy, "</article>", "<script>window.pwned = 1</script></article>")
    (failure,) = check(site_copy, rules)
    assert failure.path == "index.html"
    assert "an inline script that is not one of the theme's ('window.pwned = 1')" in failure.problems


def test_a_policy_listing_a_smuggled_script_fails(site_copy: Path, rules: Rules) -> None:
    """Were hardening to hash the page's own scripts again, the verifier would still refuse."""
    digest = script_hash("window.pwned = 1")
    _mutate(site_copy, "script-src 'self'", f"script-src 'self' {digest}")
    _mutate(site_copy, "</article>", "<script>window.pwned = 1</script></article>")
    (failure,) = check(site_copy, rules)
    assert f"allows scripts the theme does not have: {digest}" in " ".join(failure.problems)


def test_policy_that_allows_any_inline_script_fails(site_copy: Path, rules: Rules) -> None:
    _mutate(site_copy, "script-src 'self'", "script-src 'self' 'unsafe-inline'")
    (failure,) = check(site_copy, rules)
    assert "allows any inline script" in " ".join(failure.problems)


def test_page_without_policy_fails_when_required(site_copy: Path, rules: Rules) -> None:
    html = (site_copy / "index.html").read_text()
    (site_copy / "index.html").write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html))
    (failure,) = check(site_copy, rules)
    assert failure.problems == ("no Content-Security-Policy meta tag",)


def test_a_script_file_the_theme_does_not_ship_fails(site_copy: Path, rules: Rules) -> None:
    (site_copy / "assets" / "evil.js").write_text("window.pwned = 1")
    _mutate(site_copy, "</article>", '<script src="assets/evil.js"></script><script src="https://example.org/x.js"></script></article>')
    (failure,) = check(site_copy, rules)
    text = " ".join(failure.problems)
    assert "not one of the theme's or the configured ones: assets/evil.js" in text
    assert "configured ones: https://example.org/x.js" in text


@pytest.mark.parametrize("markup, problem", [
    ('<meta http-equiv="refresh" content="0; url=https://example.org/">', "not one of the build's redirects"),
    ('<base href="https://example.org/">', "<base>"),
    ('<object data="x.swf"></object>', "<object>"),
    ('<embed src="x.svg">', "<embed>"),
    ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "<iframe srcdoc>"),
    ('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', "javascript:alert(1)"),
])
def test_markup_that_loads_or_navigates_fails(site_copy: Path, rules: Rules, markup: str, problem: str) -> None:
    _mutate(site_copy, "</article>", markup + "</article>")
    (failure,) = check(site_copy, rules)
    assert problem in " ".join(failure.problems)


def test_a_redirect_page_may_send_readers_on_inside_the_site_only(site_copy: Path, rules: Rules) -> None:
    _mutate(site_copy, "</article>", '<meta http-equiv="refresh" content="0; url=../practices/">', page="practices/index.html")
    assert check(site_copy, Rules(rules.policy, expect_tels=TELS, redirects=rules.redirects | {"practices/index.html"})) == []
    _mutate(site_copy, "url=../practices/", "url=//example.org/", page="practices/index.html")
    (failure,) = check(site_copy, Rules(rules.policy, redirects=rules.redirects | {"practices/index.html"}))
    assert "a redirect that leaves the site" in failure.problems[0]
    (failure,) = check(site_copy, Rules(rules.policy, redirects=None))  # `verify` on its own: redirect pages unknown
    assert "a redirect that leaves the site" in failure.problems[0]


# Every file a browser renders, not only *.html.

def test_htm_xhtml_and_svg_files_are_checked(site_copy: Path, rules: Rules) -> None:
    (site_copy / "page.htm").write_text("<p>x</p><script>alert(1)</script>")
    (site_copy / "page.xhtml").write_text('<html xmlns="http://www.w3.org/1999/xhtml"><body><a href="javascript:x">x</a></body></html>')
    (site_copy / "image.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script><![CDATA[alert(1)]]></script></svg>')
    (site_copy / "handler.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>')
    failures = {f.path: " ".join(f.problems) for f in check(site_copy, rules)}
    assert set(failures) == {"page.htm", "page.xhtml", "image.svg", "handler.svg"}
    assert "no crisis banner" in failures["page.htm"] and "not one of the theme's" in failures["page.htm"]
    assert "javascript:x" in failures["page.xhtml"]
    assert "an SVG file may hold no script" in failures["image.svg"]
    assert "<svg onload=...>" in failures["handler.svg"]


def test_failures_name_the_source_file_when_the_engine_said(site_copy: Path, rules: Rules) -> None:
    _mutate(site_copy, "</article>", "<script>alert(1)</script></article>")
    (failure,) = check(site_copy, rules, sources={"index.html": f"{MAIN.docs_dir}/index.md"})
    assert str(failure).startswith(f"{MAIN.docs_dir}/index.md (built as index.html): ")


# Shown, not merely present: the banner and the disclaimer as a browser builds the page.

BANNER = '<div id="crisis-banner"><a href="tel:{tel}">call</a></div>'
DISCLAIMER = '<aside id="disclaimer"><p>Not medical advice.</p></aside>'


def _facts(html: str) -> PageFacts:
    return facts_of(html)


@pytest.mark.parametrize("wrap", [
    "<div hidden>{}</div>", '<div hidden="until-found">{}</div>', "<template>{}</template>", "<noscript><div>{}</div></noscript>",
    '<div aria-hidden="true">{}</div>', '<div aria-hidden=" TRUE ">{}</div>', "<div inert>{}</div>",
    '<div style="display:none">{}</div>', '<div style="color: red; DISPLAY : none !important">{}</div>',
    '<div style="visibility:hidden">{}</div>', '<div style="/* x */visibility: collapse">{}</div>',
    '<div style="content-visibility:hidden">{}</div>', "<details><summary>More</summary>{}</details>", "<dialog>{}</dialog>",
    "<xmp>{}</xmp>", "<iframe>{}</iframe>", "<noembed>{}</noembed>", "<textarea>{}</textarea>",
    "<p><b hidden>unclosed text</p><footer>{}</footer>",  # the parser carries the open <b hidden> into the footer
])
def test_furniture_a_reader_cannot_see_does_not_count(wrap: str) -> None:
    tel = TELS[0]
    facts = _facts(wrap.format(BANNER.format(tel=tel) + DISCLAIMER))
    assert facts.banner_tels == [], wrap  # with no tel: link shown, the page fails (see problems_of)
    assert facts.disclaimer_text.strip() == "", wrap


@pytest.mark.parametrize("wrap", [
    "<div>{}</div>", '<div hidden-not="1" aria-hidden="false" style="display:block">{}</div>',
    "<details open><summary>More</summary>{}</details>", "<details><summary>{}</summary></details>", "<dialog open>{}</dialog>",
    "<p><b hidden>closed</b></p><footer>{}</footer>",
])
def test_furniture_a_reader_can_see_counts(wrap: str) -> None:
    tel = TELS[0]
    facts = _facts(wrap.format(BANNER.format(tel=tel) + DISCLAIMER))
    assert facts.banner and facts.banner_tels == [tel], wrap
    assert facts.disclaimer_text.strip() == "Not medical advice.", wrap


def test_a_hidden_fake_banner_is_named_as_hidden(site_copy: Path, rules: Rules) -> None:
    html = (site_copy / "index.html").read_text()
    html = html.replace('id="crisis-banner"', 'id="crisis-banner" hidden', 1)
    (site_copy / "index.html").write_text(html)
    (failure,) = check(site_copy, rules)
    assert failure.problems[0] == 'no crisis banner (id="crisis-banner") (one is there, but hidden from readers)'


def test_an_unclosed_hidden_element_in_page_text_hides_the_disclaimer(site_copy: Path, rules: Rules) -> None:
    _mutate(site_copy, "</article>", "<p><b hidden>Thanks</p></article>")
    (failure,) = check(site_copy, rules)
    assert 'no disclaimer (id="disclaimer") that readers can see' in failure.problems


def test_a_hidden_tel_link_in_a_shown_banner_does_not_count() -> None:
    facts = _facts(f'<div id="crisis-banner"><a hidden href="tel:{TELS[0]}">call</a></div>')
    assert facts.banner and facts.banner_tels == []


@pytest.mark.parametrize("html", [
    '<!--><a href="javascript:alert(1)">x</a>',  # "<!-->" is a whole (empty) comment
    '<!-- a --!><a href="javascript:alert(1)">x</a>',  # and "--!>" ends one
    '<script type="application/json">{}</script foo><a href="javascript:alert(1)">x</a>',  # an end tag may carry attributes
    '<a href="javascript:alert(1)" href="#ok">x</a>',  # the first of two values is the one used
    '<a href="java&#9;script:alert(1)">x</a>',  # tabs and line breaks inside a URL are dropped
    '<a href=" &#10;javascript:alert(1)">x</a>',
    '<a title=x\u00a0"y onclick=alert(1) z="w">x</a>',  # a no-break space is not a space: the quote starts no value
    '<DIV ONCLICK="alert(1)">x</DIV>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<svg><title><a href="javascript:alert(1)">x</a></title></svg>',  # an SVG title holds markup
    '<img src="javascript:alert(1)">',
    '<a href="x"onclick="alert(1)">x</a>',  # no space is needed after a quoted value
])
def test_script_urls_are_found_as_a_browser_reads_the_markup(html: str) -> None:
    assert _facts(html).script_urls, html


def test_what_a_browser_reads_as_text_or_drops_is_read_so() -> None:
    assert _facts("<script/>alert(1)</script>").inline_scripts == ["alert(1)"]  # "/>" does not close a script
    assert _facts('<svg><script/></svg><p>text</p>').inline_scripts == [""]  # but does in SVG
    assert _facts('<aside id="disclaimer"><b title="never closed>Not medical advice.').disclaimer_text == ""  # a tag left open hides the rest
    facts = _facts('<p>See <a class="cit&#97;tion" data-ref="neff2003a" href="#ref-neff2003a">1</a></p>')
    assert facts.citations == [("neff2003a", "#ref-neff2003a")]
    assert _facts('<img src="data:image/png;base64,AAAA" alt="">').script_urls == []
    assert _facts('<script type="application/ld+json">{"a": 1}</script>').inline_scripts == []


_piece = st.sampled_from([
    "<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<b hidden>", "<template>", "</template>", "<noscript>", "</noscript>",
    "<script>", "</script>", "<svg>", "</svg>", "<table>", "<td>", "<!--", "-->", "<a href='#x'>", "</a>", "hello", "<",
    "<script src='x.js'>", "<style>", "</style>", "<xmp>", "</xmp>", "<textarea>", "<select>", "alert(1)",
])


@functools.cache
def _home_without_policy(site: Path) -> str:
    return re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", (site / "index.html").read_text())


@settings(max_examples=300, deadline=None, derandomize=True)
@given(pieces=st.lists(_piece, max_size=12))
def test_no_page_text_makes_the_hardened_page_allow_a_script_of_its_own(built_site: Path, pieces: list[str]) -> None:
    """Whatever a page's text does to the tree, every inline script a browser would run is
    either one of the theme's (and allowed) or refused by the verifier: hardening adds nothing else."""
    policy = site_policy(built_site)
    html = _home_without_policy(built_site)
    page = harden_page(html.replace("</article>", "".join(pieces) + "</article>", 1), policy)
    facts = facts_of(page)
    allowed = facts.csp[0].split("script-src", 1)[1].split(";")[0].split()
    assert set(allowed) - {"'self'"} <= policy.inline
    for body in facts.inline_scripts:
        assert script_hash(body) in policy.inline or script_hash(body) not in allowed
