"""The verifier reads built HTML and refuses any page without the safety furniture."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compassion_site import verify
from compassion_site.verify import PageFacts, _FactParser, verify_site
from conftest import ROOT, run_cli


@pytest.fixture
def site_copy(built_site: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built_site, tmp_path / "site"))


def test_built_site_passes(site_copy: Path) -> None:
    count, failures = verify_site(site_copy, expect_tels=["988", "911"])
    assert count > 10 and failures == []


def test_page_without_banner_or_disclaimer_fails_and_is_named(site_copy: Path) -> None:
    (site_copy / "stray.html").write_text("<html><body><p>Hello</p></body></html>")
    result = run_cli("verify", "--site-dir", str(site_copy), cwd=ROOT)
    assert result.returncode == 1
    assert "stray.html: no crisis banner" in result.stderr
    assert 'no disclaimer (id="disclaimer")' in result.stderr
    assert result.stderr.count("stray.html") == 1


def _mutate(site: Path, old: str, new: str, page: str = "index.html") -> None:
    path = site / page
    html = path.read_text()
    assert old in html
    path.write_text(html.replace(old, new, 1))


def test_banner_without_tel_link_fails(site_copy: Path) -> None:
    _mutate(site_copy, 'href="tel:988"', 'href="#"')
    _mutate(site_copy, 'href="tel:911"', 'href="#"')
    _, failures = verify_site(site_copy)
    assert [(f.path, f.problems) for f in failures] == [("index.html", ("the crisis banner has no working tel: link",))]


def test_banner_with_wrong_region_number_fails(site_copy: Path) -> None:
    _, failures = verify_site(site_copy, expect_tels=["116123"])
    assert failures and all("lacks tel:116123" in " ".join(f.problems) for f in failures)


def test_empty_disclaimer_fails(site_copy: Path) -> None:
    html = (site_copy / "index.html").read_text()
    start = html.index('<aside id="disclaimer"')
    end = html.index("</aside>", start) + len("</aside>")
    (site_copy / "index.html").write_text(html[:start] + '<aside id="disclaimer"></aside>' + html[end:])
    _, failures = verify_site(site_copy)
    assert [f.path for f in failures] == ["index.html"]


def test_unresolved_citation_and_leftover_marker_fail(site_copy: Path) -> None:
    page = next(p for p in site_copy.rglob("*.html") if 'class="citation"' in p.read_text())
    html = page.read_text()
    html = html.replace('data-ref="', 'data-ref="ghost', 1)
    html = html.replace("</article>", "<p>See [@neff2099].</p></article>", 1)
    page.write_text(html)
    _, failures = verify_site(site_copy)
    (failure,) = failures
    text = " ".join(failure.problems)
    assert "has no entry in the bibliography" in text
    assert "unrendered citation marker '[@neff2099'" in text


def test_marker_inside_code_is_allowed(site_copy: Path) -> None:
    _mutate(site_copy, "</article>", "<pre><code>Cite with [@id]</code></pre></article>")
    assert verify_site(site_copy)[1] == []


def test_javascript_link_fails(site_copy: Path) -> None:
    _mutate(site_copy, "</article>", '<a href="javascript:alert(1)">x</a></article>')
    (failure,) = verify_site(site_copy)[1]
    assert "markup that runs script: javascript:alert(1)" in failure.problems[0]


def test_event_handler_attribute_fails(site_copy: Path) -> None:
    _mutate(site_copy, "</article>", '<meta content="x" onmouseover="alert(1)"></article>')
    (failure,) = verify_site(site_copy)[1]
    assert "markup that runs script: <meta onmouseover=...>" in failure.problems[0]


def test_empty_site_fails(tmp_path: Path) -> None:
    count, failures = verify_site(tmp_path)
    assert count == 0 and failures


def test_engine_hook_refuses_to_publish(project: Path, tmp_path: Path) -> None:
    """Even plain `mkdocs build` (no wrapper) stops when a page lacks the banner."""
    import os
    import subprocess
    import sys

    (project / "overrides" / "main.html").write_text('{% extends "base.html" %}\n')
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "out")],
        cwd=project, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode != 0
    assert "fail the safety checks" in result.stderr
    assert "404.html: no crisis banner" in result.stderr


def test_every_built_page_carries_a_policy_covering_its_inline_scripts(site_copy: Path) -> None:
    assert verify_site(site_copy, require_csp=True)[1] == []
    headers = (site_copy / "_headers").read_text()
    for header in ("Content-Security-Policy: default-src 'self'", "X-Content-Type-Options: nosniff",
                   "Referrer-Policy:", "Permissions-Policy:", "frame-ancestors 'none'", "immutable"):
        assert header in headers


def test_smuggled_inline_script_is_not_covered_by_the_policy(site_copy: Path) -> None:
    _mutate(site_copy, "</article>", "<script>window.pwned = 1</script></article>")
    (failure,) = verify_site(site_copy, require_csp=True)[1]
    assert failure.path == "index.html"
    assert "an inline script is not allowed by the page's policy ('window.pwned = 1')" in failure.problems


def test_policy_that_allows_any_inline_script_fails(site_copy: Path) -> None:
    _mutate(site_copy, "script-src 'self'", "script-src 'self' 'unsafe-inline'")
    (failure,) = verify_site(site_copy, require_csp=True)[1]
    assert "allows any inline script" in " ".join(failure.problems)


def test_page_without_policy_fails_when_required(site_copy: Path) -> None:
    html = (site_copy / "index.html").read_text()
    (site_copy / "index.html").write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html))
    (failure,) = verify_site(site_copy, require_csp=True)[1]
    assert failure.problems == ("no Content-Security-Policy meta tag",)


def test_dropping_indentation_keeps_every_word_and_leaves_code_and_scripts_alone() -> None:
    from compassion_site.harden import drop_indentation

    page = "<main>\n    <p>One  two</p>\n\n  \t\n<pre>\n    kept\n\n  as is\n</pre>\n  <SCRIPT>\n  var a = 1;\n\n</SCRIPT>\n   <p>end</p>  \n"
    assert drop_indentation(page) == (
        "<main>\n<p>One  two</p>\n<pre>\n    kept\n\n  as is\n</pre>\n<SCRIPT>\n  var a = 1;\n\n</SCRIPT>\n<p>end</p>  \n"
    )


def _facts(html: str) -> PageFacts:
    parser = _FactParser()
    parser.feed(html)
    return parser.facts


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
])
def test_script_urls_are_found_as_a_browser_reads_the_markup(html: str) -> None:
    assert _facts(html).script_urls, html


@pytest.mark.parametrize("html", [
    '<xmp><div id="crisis-banner"><a href="tel:988">988</a></div></xmp>',  # shown as text, not as a banner
    '<iframe><div id="crisis-banner"><a href="tel:988">988</a></div></iframe>',
    '<noembed><div id="crisis-banner"><a href="tel:988">988</a></div></noembed>',
    '<template><div id="crisis-banner"><a href="tel:988">988</a></div></template>',  # never shown
    '<noscript><div><div id="crisis-banner"><a href="tel:988">988</a></div></div></noscript>',  # not shown with JavaScript on
])
def test_markup_a_browser_shows_as_text_or_hides_is_no_banner(html: str) -> None:
    facts = _facts(html)
    assert not facts.banner and facts.banner_tels == []


def test_a_disclaimer_some_readers_never_see_is_no_disclaimer() -> None:
    assert _facts('<noscript><aside id="disclaimer">Not medical advice.</aside></noscript>').disclaimer_text == ""
    assert _facts('<template><aside id="disclaimer">Not medical advice.</aside></template>').disclaimer_text == ""
    assert _facts('<main><aside id="disclaimer">Not medical advice.</aside></main>').disclaimer_text == "Not medical advice."


def test_what_a_browser_reads_as_text_or_drops_is_read_so() -> None:
    assert _facts("<script/>alert(1)</script>").inline_scripts == ["alert(1)"]  # "/>" does not close a script
    assert _facts('<svg><script/></svg><p>text</p>').inline_scripts == [""]  # but does in SVG
    assert _facts('<aside id="disclaimer"><b title="never closed>Not medical advice.').disclaimer_text == ""  # a tag left open hides the rest
    facts = _facts('<p>See <a class="cit&#97;tion" data-ref="neff2003a" href="#ref-neff2003a">1</a></p>')
    assert facts.citations == [("neff2003a", "#ref-neff2003a")]
    assert _facts('<img src="data:image/png;base64,AAAA" alt="">').script_urls == []


_tag = st.sampled_from(["a", "A", "div", "li", "meta", "span", "svg", "path", "script", "style", "code", "pre", "title",
                        "textarea", "xmp", "br", "img", "input", "link", "aside", "form", "b"])
_name = st.sampled_from(["id", "ID", "class", "Class", "href", "HREF", "src", "xlink:href", "action", "formaction", "data",
                         "onclick", "ONload", "on", "http-equiv", "data-ref", "type", "title", "aria-label", "x", "=x", '"q', "content"])
_value = st.sampled_from(["", "crisis-banner", "disclaimer", "citation", "md-nav citation", "bib-entry", "cit&#97;tion", "#ref-a",
                          "/path/", "./x", "../y", "https://example.org/", "tel:988", "javascript:alert(1)", "java&#9;script:x",
                          " javascript:x", "JAVASCRIPT:x", "data:text/html,x", "vbscript:x", "?q=1", ".", "neff2003a",
                          "Content-Security-Policy", "default-src 'self'", "application/json", "a b", 'say "hi"', "it's", "x>y"])


@st.composite
def _attribute(draw: st.DrawFn) -> str:
    name, value = draw(_name), draw(_value)
    quote = draw(st.sampled_from(['"', "'", "", None]))
    gap = draw(st.sampled_from(["", " ", "\n ", "\u00a0"]))  # a no-break space is not a space to a browser
    if quote is None:
        return name
    return f"{name}{gap}={gap}{quote}{value}{quote}"


_end_tag_rest = st.sampled_from(["", " x=1", ' y="a>b"'])


@st.composite
def _markup(draw: st.DrawFn) -> str:
    pieces = []
    for _ in range(draw(st.integers(0, 30))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            separators = st.sampled_from([" ", "\t", "/", "\u00a0", "\n"])
            attributes = "".join(draw(separators) + draw(_attribute()) for _ in range(draw(st.integers(0, 4))))
            pieces.append(f"<{draw(_tag)}{attributes}{draw(st.sampled_from(['', ' ', '/']))}>")
        elif kind == 1:
            pieces.append(f"</{draw(_tag)}{draw(_end_tag_rest)}>")
        else:
            pieces.append(draw(st.sampled_from(["hello", "[@neff2003a]", "&amp;", "<", ">", "<!-->", "<!-- c -->", "--!>", "</ x>",
                                                "<!doctype html>", "&#9;", "Not medical advice.", "'", '"'])))
    return "".join(pieces)


_EVERY_TAG_THE_LONG_WAY = verify._token_regex(plain_start_tags=False)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(html=_markup())
def test_the_shortcut_for_plain_tags_finds_the_same_facts_as_the_long_way(html: str) -> None:
    """Start tags whose attributes can carry no fact skip the Python code; reading every tag
    there instead must find exactly the same facts."""
    quick = _facts(html)
    with mock.patch.object(verify, "_TOKEN", _EVERY_TAG_THE_LONG_WAY):
        assert vars(_facts(html)) == vars(quick)


_ONE_ATTRIBUTE_AT_A_TIME = re.compile(rf"({verify._ONE_ATTRIBUTE})|{verify._BETWEEN_ATTRIBUTES}++")
_separator = st.sampled_from([" ", "\t", "/", "\n", " / ", "\u00a0", "\f"])


@settings(max_examples=400, deadline=None, derandomize=True)
@given(attributes=st.lists(st.tuples(_separator, _attribute()), max_size=5))
def test_attributes_are_cut_where_the_token_regex_cuts_them(attributes: list[tuple[str, str]]) -> None:
    """`_attrs` reads names and values with a regex of its own (the token regex's, with groups);
    the two must agree on where each attribute of a tag starts and ends."""
    raw = "".join(separator + attribute for separator, attribute in attributes)
    if not re.fullmatch(rf"{verify._ATTRIBUTE_LIST}>", raw + ">"):
        return  # not a tag a browser would close here (a quote left open): nothing to compare
    by_token_regex = [m.span(1) for m in _ONE_ATTRIBUTE_AT_A_TIME.finditer(raw + ">") if m.group(1)]
    by_attrs = [(m.start(1), m.end()) for m in verify._ATTRIBUTES.finditer(raw)]
    assert by_attrs == by_token_regex
    names = [re.match(verify._NAME, raw[start:end]).group().lower() for start, end in by_token_regex]
    assert list(verify._attrs(raw)) == list(dict.fromkeys(names))
