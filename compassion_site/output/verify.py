"""Check the built site, every file a browser renders, for what a reader must always find and must never get.

This reads the output, not the sources, so nothing can slip past it whatever produced
the page: a theme override, a plugin, a hand-made file dropped into the content folder.
Each page is parsed by Lexbor (through selectolax), a full HTML5 parser, so the checks see
the tree a browser builds, with its repairs: an unclosed `<b hidden>` in page text that
the parser carries into the footer hides the disclaimer here as it does on screen.

Checked per page (.html, .htm, .xhtml): a crisis banner and a disclaimer that are SHOWN
(neither they nor any ancestor is hidden, template, noscript, a closed details outside its
summary, aria-hidden="true", inert, or styled display:none / visibility:hidden inline),
the banner's tel: links, resolved citations, and the script policy (see harden.py): no
inline script but the theme's, no script file but the theme's and the configured ones, no
event handler, no javascript:/vbscript:/data: URL, no <base>, <object>, <embed> or iframe
srcdoc, no <meta http-equiv="refresh"> except on the build's redirect pages. An .svg file
must hold no script of any kind. Not covered: .xml with an XSLT stylesheet (no such file is
published) and CSS from style sheets, which only a browser can apply: the browser test
(tests/test_visibility.py) checks the furniture is visible there.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from compassion_site.output.harden import (
    BASE_POLICY,
    DATA_BLOCK_TYPES,
    PAGE_SUFFIXES,
    ScriptPolicy,
    script_hash,
)
from compassion_site.output.parallel import by_shares

IMAGE_SUFFIXES = (".svg",)  # rendered by a browser opened on its own, scripts and all
LEFTOVER_MARKER = re.compile(r"\[@[A-Za-z0-9_:.-]*")
SKIP_TEXT = {"script", "style", "code", "pre", "textarea"}  # text that may show a citation marker as written
# Elements whose content is never shown to a reader with JavaScript on (noscript), or never at all.
_UNSEEN = {"template", "noscript", "head", "title", "script", "style", "datalist"}
_URL_ATTRIBUTES = ("href", "xlink:href", "src", "action", "formaction", "data", "poster", "background", "cite", "codebase", "ping")
_ANIMATED_VALUES = ("to", "from", "values", "by")  # SVG <set>/<animate> can write a URL into href
_MEDIA_SRC = ("img", "source", "audio", "video", "track")  # data: there is an image, never script
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
_URL_IGNORED = re.compile(r"[\t\n\r]")
_CONTROL_AND_SPACE = "".join(map(chr, range(0x21)))  # U+0000 to U+0020, what a URL parser trims
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_HIDING_STYLE = {("display", "none"), ("visibility", "hidden"), ("visibility", "collapse"), ("content-visibility", "hidden")}


def _scheme_of(url: str) -> str:
    """The start of `url` as a browser reads its scheme: it drops tabs and line breaks anywhere
    in a URL and spaces or control characters around it."""
    return _URL_IGNORED.sub("", url).strip(_CONTROL_AND_SPACE)[:11].lower()


def _is_script_url(tag: str, name: str, value: str) -> bool:
    """Whether attribute `name` of `tag` holds a URL that can run script (data: in a media
    element's src is an image, never script)."""
    if name not in _URL_ATTRIBUTES and not (name in _ANIMATED_VALUES and tag in ("set", "animate")):
        return False
    scheme = _scheme_of(value)
    if scheme.startswith("data:"):
        return not (name == "src" and tag in _MEDIA_SRC)
    return scheme.startswith(_SCRIPT_SCHEMES)


def _style_hides(style: str) -> bool:
    for declaration in _CSS_COMMENT.sub("", style).split(";"):
        name, _, value = declaration.partition(":")
        if (name.strip().lower(), value.replace("!important", "").strip().lower()) in _HIDING_STYLE:
            return True
    return False


def _hides(node: LexborNode) -> bool:
    """Whether this element keeps its content off the screen whatever the style sheets say."""
    if node.tag in _UNSEEN:
        return True
    a = node.attributes
    if node.tag == "dialog" and "open" not in a:
        return True
    if not a:
        return False
    if "hidden" in a or "inert" in a or (a.get("aria-hidden") or "").strip().lower() == "true":
        return True
    return "style" in a and _style_hides(a["style"] or "")


def shown(node: LexborNode | None, upto: LexborNode | None = None) -> bool:
    """Whether `node` and every ancestor (up to `upto`, excluded) let it be seen: a closed
    details shows only its first summary."""
    child: LexborNode | None = None
    current: LexborNode | None = node
    while current is not None and current.is_element_node and (upto is None or current.mem_id != upto.mem_id):
        if _hides(current):
            return False
        if current.tag == "details" and "open" not in current.attributes:
            summary = next((c for c in current.iter() if c.tag == "summary"), None)
            if child is None or summary is None or child.mem_id != summary.mem_id:
                return False
        child, current = current, current.parent
    return True


def shown_text(node: LexborNode) -> str:
    """The text of `node` a reader can see: text under a hidden descendant does not count."""
    return "".join(t.text_content or "" for t in node.traverse(include_text=True) if t.is_text_node and shown(t.parent, upto=node))


@dataclass
class PageFacts:
    """What one built file contains that the checks care about."""

    ids: set[str] = field(default_factory=set)
    banner: bool = False  # a banner that is shown
    hidden_banner: bool = False  # an element with the banner's id that no reader sees
    banner_tels: list[str] = field(default_factory=list)  # shown tel: links of shown banners
    disclaimer_text: str = ""  # shown text of shown disclaimers
    citations: list[tuple[str, str]] = field(default_factory=list)
    bibliography_ids: set[str] = field(default_factory=set)
    leftover_markers: list[str] = field(default_factory=list)
    script_urls: list[str] = field(default_factory=list)  # event handlers and script URLs
    active: list[str] = field(default_factory=list)  # other markup that can load or run something
    inline_scripts: list[str] = field(default_factory=list)
    script_srcs: list[str] = field(default_factory=list)
    refresh: list[str] = field(default_factory=list)  # content of each <meta http-equiv="refresh">
    csp: list[str] = field(default_factory=list)  # each policy <meta> in <head>
    csp_outside_head: int = 0


def _furniture(facts: PageFacts, banners: list[LexborNode], disclaimers: list[LexborNode]) -> None:
    for node in banners:
        if shown(node):
            facts.banner = True
            facts.banner_tels.extend((link.attributes.get("href") or "")[4:] for link in node.css('a[href^="tel:"]') if shown(link))
        else:
            facts.hidden_banner = True
    facts.disclaimer_text = "".join(shown_text(node) for node in disclaimers if shown(node))


def facts_of(html: str) -> PageFacts:
    """Parse `html` as a browser with scripting on does and collect its facts in one walk over
    the elements. Where the page has a <noscript>, the furniture must also be shown to a
    reader with scripting off, whose browser builds a different tree from the same text."""
    facts = PageFacts()
    tree = LexborHTMLParser(html, scripting=True)
    root = tree.root
    if root is None:
        return facts
    banners, disclaimers = [], []
    for node in root.traverse():
        a = node.attributes
        tag = node.tag or ""
        if a:
            ident = a.get("id")
            if ident:
                facts.ids.add(ident)
                if ident == "crisis-banner":
                    banners.append(node)
                elif ident == "disclaimer":
                    disclaimers.append(node)
            for name, value in a.items():
                if name.startswith("on"):
                    facts.script_urls.append(f"<{tag} {name}=...>")
                elif value and _is_script_url(tag, name, value):
                    facts.script_urls.append(value[:60])
        if tag == "script":
            if a and "src" in a:
                facts.script_srcs.append(a.get("src") or "")
            elif (a.get("type") or "").strip().lower() not in DATA_BLOCK_TYPES:
                facts.inline_scripts.append(node.text(deep=True))
        elif tag == "a":
            if "citation" in (a.get("class") or "").split():
                facts.citations.append((a.get("data-ref") or "", a.get("href") or ""))
        elif tag == "meta":
            equiv = (a.get("http-equiv") or "").strip().lower()
            if equiv == "content-security-policy":
                if node.parent is not None and node.parent.tag == "head":
                    facts.csp.append(a.get("content") or "")
                else:
                    facts.csp_outside_head += 1
            elif equiv == "refresh":
                facts.refresh.append(a.get("content") or "")
        elif tag == "li":
            if "bib-entry" in (a.get("class") or "").split() and a.get("id"):
                facts.bibliography_ids.add(a["id"] or "")
        elif tag in ("base", "object", "embed"):
            facts.active.append(f"<{tag}>")
        elif tag == "iframe" and "srcdoc" in a:
            facts.active.append("<iframe srcdoc>")
    _furniture(facts, banners, disclaimers)
    if "<noscript" in html.lower():
        without = LexborHTMLParser(html, scripting=False)
        seen_without = PageFacts()
        _furniture(seen_without, without.css('[id="crisis-banner"]'), without.css('[id="disclaimer"]'))
        facts.hidden_banner = facts.hidden_banner or (facts.banner and not seen_without.banner)
        facts.banner = facts.banner and seen_without.banner
        facts.banner_tels = [tel for tel in facts.banner_tels if tel in seen_without.banner_tels]
        facts.disclaimer_text = facts.disclaimer_text if seen_without.disclaimer_text.strip() else ""
    if "[@" in html:
        for text in root.traverse(include_text=True):
            if text.is_text_node and "[@" in (text.text_content or "") and not _inside(text, SKIP_TEXT):
                facts.leftover_markers.extend(LEFTOVER_MARKER.findall(text.text_content or ""))
    return facts


def _inside(node: LexborNode, tags: set[str]) -> bool:
    parent = node.parent
    while parent is not None and parent.is_element_node:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def page_facts(path: Path) -> PageFacts:
    return facts_of(path.read_text(encoding="utf-8", errors="replace"))


@dataclass(frozen=True)
class Failure:
    path: str  # the built file
    problems: tuple[str, ...]
    source: str | None = None  # the source file it was built from, when the engine said

    def __str__(self) -> str:
        where = f"{self.source} (built as {self.path})" if self.source and self.source != self.path else self.path
        return f"{where}: " + "; ".join(self.problems)


@dataclass(frozen=True)
class Rules:
    """What a site's pages are checked against."""

    policy: ScriptPolicy
    expect_tels: tuple[str, ...] = ()
    require_csp: bool = False
    redirects: frozenset[str] | None = frozenset()  # built paths allowed a <meta http-equiv="refresh">; None: unknown, any page may send readers on within the site
    site_path: str = "/"  # the edition's path on its host, for absolute script addresses
    check_files: bool = True  # False when the script files are unknown (`verify` run on its own)


def _csp_problems(facts: PageFacts, policy: ScriptPolicy) -> list[str]:
    if facts.csp_outside_head:
        return ["a Content-Security-Policy meta tag outside <head>, where a browser ignores it"]
    if len(facts.csp) != 1:
        return ["no Content-Security-Policy meta tag" if not facts.csp else "more than one Content-Security-Policy meta tag"]
    directives = {part.split()[0]: part.split()[1:] for part in facts.csp[0].split(";") if part.split()}
    allowed = directives.get("script-src", [])
    if "'unsafe-inline'" in allowed or "*" in allowed:
        return ["the Content-Security-Policy allows any inline script"]
    problems = []
    extra = [source for source in allowed if source != "'self'" and source not in policy.inline]
    if extra:
        problems.append(f"the Content-Security-Policy allows scripts the theme does not have: {' '.join(extra)}")
    if {name: values for name, values in directives.items() if name != "script-src"} != {k: v for k, v in BASE_POLICY.items() if k != "script-src"}:
        problems.append("the Content-Security-Policy is not the site's policy")
    for body in facts.inline_scripts:
        if script_hash(body) in policy.inline and script_hash(body) not in allowed:
            problems.append(f"an inline script is not allowed by the page's policy ({body.strip()[:40]!r})")
    return problems


def _script_file(src: str, page: str, site_path: str) -> str | None:
    """The site-relative path a <script src> loads, or None when it leaves the site."""
    src = src.split("#")[0].split("?")[0].strip()
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//", src):
        return None
    if src.startswith("/"):
        prefix = "/" + site_path.strip("/") + "/" if site_path.strip("/") else "/"
        return posixpath.normpath(src[len(prefix):]) if src.startswith(prefix) else None
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), src))


def _refresh_problem(content: str) -> str | None:
    """A redirect page may send the reader on within the site only."""
    target = content.partition(";")[2].strip()
    target = re.sub(r"^url\s*=\s*", "", target, flags=re.IGNORECASE).strip("'\" ")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//|^[\\/]{2}", target) or "\\" in target:
        return f"a redirect that leaves the site ({target[:60]})"
    return None


def problems_of(facts: PageFacts, bibliography: set[str], rules: Rules, page: str = "", kind: str = "page") -> list[str]:
    problems: list[str] = []
    if kind == "page":
        if not facts.banner:
            hidden = " (one is there, but hidden from readers)" if facts.hidden_banner else ""
            problems.append(f"no crisis banner (id=\"crisis-banner\"){hidden}")
        elif not any(re.search(r"\d", tel) for tel in facts.banner_tels):
            problems.append("the crisis banner has no working tel: link")
        else:
            missing = [tel for tel in rules.expect_tels if tel not in facts.banner_tels]
            if missing:
                problems.append("the crisis banner lacks tel:" + ", tel:".join(missing))
        if not facts.disclaimer_text.strip():
            problems.append("no disclaimer (id=\"disclaimer\") that readers can see")
    for ref_id, href in facts.citations:
        if ref_id not in bibliography:
            problems.append(f"citation '{ref_id}' has no entry in the bibliography")
        if not href.startswith("#") or href[1:] not in facts.ids:
            problems.append(f"citation '{ref_id}' links to {href!r}, which is not on the page")
    for marker in sorted(set(facts.leftover_markers)):
        problems.append(f"unrendered citation marker '{marker}'")
    for url in facts.script_urls:
        problems.append(f"markup that runs script: {url}")
    for element in facts.active:
        problems.append(f"markup that can load or run other content: {element}")
    if kind != "page":
        problems.extend(f"an SVG file may hold no script ({body.strip()[:40]!r})" for body in facts.inline_scripts)
        problems.extend(f"an SVG file may hold no script (src {src[:60]!r})" for src in facts.script_srcs)
        return problems
    for body in facts.inline_scripts:
        if script_hash(body) not in rules.policy.inline:
            problems.append(f"an inline script that is not one of the theme's ({body.strip()[:40]!r})")
    if rules.check_files:
        for src in facts.script_srcs:
            if _script_file(src, page, rules.site_path) not in rules.policy.files:
                problems.append(f"a script file that is not one of the theme's or the configured ones: {src[:80]}")
    for content in facts.refresh:
        if rules.redirects is not None and page not in rules.redirects:
            problems.append('<meta http-equiv="refresh"> on a page that is not one of the build\'s redirects')
        else:
            problem = _refresh_problem(content)
            if problem:
                problems.append(problem)
    if rules.require_csp:
        problems.extend(_csp_problems(facts, rules.policy))
    return problems


def _facts_of_many(paths: list[Path]) -> list[PageFacts]:
    return [page_facts(p) for p in paths]


def collect_facts(paths: list[Path], workers: int = 1) -> list[PageFacts]:
    by_path = {p: f for share, facts in by_shares(_facts_of_many, paths, workers) for p, f in zip(share, facts, strict=True)}
    return [by_path[p] for p in paths]


def checked_files(site: Path, exclude: Sequence[str] = ()) -> list[Path]:
    """Every file of the site a browser renders with markup: pages and SVG images."""
    return sorted(p for p in site.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES + IMAGE_SUFFIXES
                  and p.relative_to(site).parts[0] not in exclude and p.is_file())


def verify_site(
    site: Path, rules: Rules, *, workers: int = 1, exclude: Sequence[str] = (), sources: Mapping[str, str] | None = None,
) -> tuple[int, list[Failure]]:
    """(number of files checked, failures). An empty site is itself a failure.

    `exclude` names top-level folders that hold another edition, checked on its own terms;
    `sources` maps built paths to the source files they came from, for the messages.
    """
    paths = checked_files(site, exclude)
    if not any(p.suffix.lower() in PAGE_SUFFIXES for p in paths):
        return 0, [Failure(str(site), ("no HTML files to check",))]
    facts = collect_facts(paths, workers)
    bibliography = set().union(*(f.bibliography_ids for f in facts))
    failures = []
    for path, page in zip(paths, facts, strict=True):
        built = path.relative_to(site).as_posix()
        kind = "page" if path.suffix.lower() in PAGE_SUFFIXES else "image"
        problems = problems_of(page, bibliography, rules, built, kind)
        if problems:
            failures.append(Failure(built, tuple(problems), (sources or {}).get(built)))
    return len(paths), failures
