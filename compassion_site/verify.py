"""Check the built HTML, every file of it, for what a reader must always find.

This reads the output, not the sources, so nothing can slip past it whatever
produced the page: a theme override, a plugin, a hand-made file dropped into the
site folder. It needs only the standard library.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from .parallel import by_shares

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIP_TEXT = {"script", "style", "code", "pre", "textarea"}
LEFTOVER_MARKER = re.compile(r"\[@[A-Za-z0-9_:.-]*")
# Elements whose content a browser reads as text, not markup, up to their end tag; in the
# first group entities stay as written, in the second they are decoded. <plaintext> never ends.
RAW_TEXT = {"script", "style", "xmp", "iframe", "noembed", "noframes"}
ESCAPABLE_RAW_TEXT = {"title", "textarea"}
# A banner or disclaimer inside these does not count: a template is never shown, and what a
# noscript holds is not shown to readers with JavaScript on.
_UNSEEN = {"template", "noscript"}
_SCRIPT_URL_ATTRIBUTES = ("href", "xlink:href", "src", "action", "formaction", "data")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
_URL_IGNORED = re.compile(r"[\t\n\r]")
_CONTROL_AND_SPACE = "".join(map(chr, range(0x21)))  # U+0000 to U+0020, what a URL parser trims

# Written out, not \s: a browser's tokenizer treats only these as space, and Python's \s
# (no-break space and others) would let a quoted value start where a browser sees none.
# Every character class of the patterns below is built from them.
_SPACE_CHARS = r"\t\n\f\r "
_SPACE = rf"[{_SPACE_CHARS}]"
_BETWEEN_ATTRIBUTES = rf"[{_SPACE_CHARS}/]"
_TAG_NAME_CHAR = rf"[^{_SPACE_CHARS}/>]"  # also what an attribute name may start with
_NAME_CHAR = rf"[^{_SPACE_CHARS}/>=]"  # what follows in an attribute name
_UNQUOTED_CHAR = rf"[^{_SPACE_CHARS}>]"  # an unquoted attribute value runs to a space or ">"
_NAME = rf"{_TAG_NAME_CHAR}{_NAME_CHAR}*+"
# One attribute as a browser's tokenizer reads it (WHATWG HTML, "before attribute name" to
# "after attribute value"): a name may start with "=" or hold quotes; an unquoted value runs
# to a space or ">"; a quote left open runs to the end of the page, so the tag never ends.
# Possessive quantifiers and atomic groups keep the regex from reading a tag two ways.
_VALUE = rf"""(?:"[^"]*+"|'[^']*+'|[^{_SPACE_CHARS}>"']{_UNQUOTED_CHAR}*+|(?=>))"""
_ONE_ATTRIBUTE = rf"{_NAME}(?:{_SPACE}*+={_SPACE}*+{_VALUE}|(?!{_SPACE}*+=))"
_ATTRIBUTE_LIST = rf"(?>(?:{_ONE_ATTRIBUTE}|{_BETWEEN_ATTRIBUTES}++)*+)"


def _caseless(*words: str) -> str:
    """`words` as alternatives in either case, spelt out: [oO][nN] is much quicker in Python's
    regex engine than (?i:on), and these run for every attribute of every tag."""
    return "(?:" + "|".join("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word) for word in words) + ")"


# A plain attribute can carry no fact and run no script: its name is none of those the checks
# read, or it is a URL that starts like no script URL can (a path, a fragment, http(s)://), or
# a class without "citation" in it, spelt without entities (a bibliography entry needs an id).
_URL_NAMES = _caseless(*_SCRIPT_URL_ATTRIBUTES)
_FACT_NAMES = rf"{_caseless('on')}|{_caseless('id', 'class', 'http-equiv', *_SCRIPT_URL_ATTRIBUTES)}(?!{_NAME_CHAR})"
_SAFE_URL = r"(?:[#/.?]|https?://)"
_PLAIN_ATTRIBUTE = (  # class first, the most common attribute, its value read in runs up to each "c"
    rf"""{_caseless('class')}{_SPACE}*+={_SPACE}*+(?:"[^"&c]*+(?:c(?!itation)[^"&c]*+)*+"|'[^'&c]*+(?:c(?!itation)[^'&c]*+)*+')"""
    rf"|(?!{_FACT_NAMES}){_ONE_ATTRIBUTE}"
    rf"""|{_URL_NAMES}{_SPACE}*+={_SPACE}*+(?:"{_SAFE_URL}[^"]*+"|'{_SAFE_URL}[^']*+'|{_SAFE_URL}{_UNQUOTED_CHAR}*+)"""
)
_READ_AS_TEXT = RAW_TEXT | ESCAPABLE_RAW_TEXT | {"plaintext"}
# Elements whose start tag always needs a look: their content is not plain markup.
_SPECIAL_CONTENT = SKIP_TEXT | _READ_AS_TEXT


# One pass over the page finds, in order: comments (which a browser also ends at "--!>", and
# takes "<!-->" as empty), declarations and other bogus comments; end tags (group 1); start
# tags with only plain attributes (group 2), which need only go on the stack; other start
# tags (groups 3 and 4); and a "<" that starts a tag never closed (group 5), after which a
# browser shows nothing. Everything between matches is text. Most tags of a page are plain,
# so sorting them here, in the regex engine, leaves little for Python to do per tag.
def _token_regex(plain_start_tags: bool = True) -> re.Pattern[str]:
    """The page's tokens (see above); without the plain kind, every start tag takes the long
    way, which is slower and must find the same facts (the tests compare the two)."""
    plain = (
        rf"<(?!{_caseless(*sorted(_SPECIAL_CONTENT))}(?!{_TAG_NAME_CHAR}))([A-Za-z]{_TAG_NAME_CHAR}*+)"
        rf"(?>(?:{_PLAIN_ATTRIBUTE}|{_BETWEEN_ATTRIBUTES}++)*+)>"
    ) if plain_start_tags else "(?!)()"
    return re.compile(
        r"<!--(?:-?>|.*?(?:--!?>|\Z))|<[!?][^>]*+(?:>|\Z)|</(?:[^A-Za-z][^>]*+)?(?:>|\Z)"
        rf"|</([A-Za-z]{_TAG_NAME_CHAR}*+){_ATTRIBUTE_LIST}>"
        rf"|{plain}"
        rf"|<([A-Za-z]{_TAG_NAME_CHAR}*+)({_ATTRIBUTE_LIST})>"
        r"|<(/?)[A-Za-z]",
        re.S,
    )


_TOKEN = _token_regex()
_RAW_TEXT_END = {tag: re.compile(rf"</{tag}(?!{_TAG_NAME_CHAR}){_ATTRIBUTE_LIST}>|\Z", re.I) for tag in RAW_TEXT | ESCAPABLE_RAW_TEXT}
# _ONE_ATTRIBUTE again, with groups: name, and the value double-quoted, single-quoted or bare.
_ATTRIBUTES = re.compile(
    rf"""{_BETWEEN_ATTRIBUTES}*+({_NAME})(?:{_SPACE}*+={_SPACE}*+(?:"([^"]*+)"|'([^']*+)'|([^{_SPACE_CHARS}>"']{_UNQUOTED_CHAR}*+)|(?=>|\Z)))?"""
)


def _attrs(raw: str) -> dict[str, str]:
    """Attribute names (lower case) and values (entities decoded; "" when absent); as in a
    browser, the first of a repeated name wins."""
    found: dict[str, str] = {}
    for name, double, single, bare in _ATTRIBUTES.findall(raw):
        name = name.lower()
        if name not in found:
            value = double or single or bare
            found[name] = unescape(value) if "&" in value else value
    return found


def _runs_script(url: str) -> bool:
    """Whether a browser would run `url` as script: it drops tabs and line breaks anywhere in
    a URL and spaces or control characters around it before reading the scheme."""
    return _URL_IGNORED.sub("", url).strip(_CONTROL_AND_SPACE).lower().startswith(_SCRIPT_SCHEMES)


@dataclass
class PageFacts:
    """What one HTML file contains that the checks care about."""

    ids: set[str] = field(default_factory=set)
    banner: bool = False
    banner_tels: list[str] = field(default_factory=list)
    disclaimer_text: str = ""
    citations: list[tuple[str, str]] = field(default_factory=list)
    bibliography_ids: set[str] = field(default_factory=set)
    leftover_markers: list[str] = field(default_factory=list)
    script_urls: list[str] = field(default_factory=list)
    csp: str | None = None
    inline_scripts: list[str] = field(default_factory=list)


class _FactParser:
    """Collects PageFacts from one page's tags and text (see `feed`).

    The open elements are a stack of tag names; the banner, the disclaimer, code (whose text
    may show a citation marker) and inline scripts are remembered by the depth they opened at,
    and end when the element at that depth is closed.
    """

    def __init__(self) -> None:
        self.facts = PageFacts()
        self.stack: list[str] = []
        self.banner_depth: int | None = None
        self.disclaimer_depth: int | None = None
        self.skip_depth: int | None = None
        self.script_depth: int | None = None
        self.marked = 0  # the deepest of those four depths, 0 when none is open

    def start(self, tag: str, a: dict[str, str]) -> None:
        facts = self.facts
        if "id" in a:
            facts.ids.add(a["id"])
        for name, value in a.items():
            if name.startswith("on"):
                facts.script_urls.append(f"<{tag} {name}=...>")
            elif name in _SCRIPT_URL_ATTRIBUTES and _runs_script(value) and not (name == "src" and tag in ("img", "source", "audio", "video", "track")):
                facts.script_urls.append(value[:60])
        if tag == "a":
            href = a.get("href", "")
            if self.banner_depth is not None and href.startswith("tel:"):
                facts.banner_tels.append(href[4:])
            if "citation" in a.get("class", "").split():
                facts.citations.append((a.get("data-ref", ""), href))
        elif tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            facts.csp = a.get("content", "")
        elif tag == "li" and "bib-entry" in a.get("class", "").split() and a.get("id"):
            facts.bibliography_ids.add(a["id"])
        if tag in VOID:
            return
        self.stack.append(tag)
        depth = len(self.stack)
        if a.get("id") in ("crisis-banner", "disclaimer") and not _UNSEEN.intersection(self.stack):
            if a["id"] == "crisis-banner":
                facts.banner = True
                self.banner_depth = self.marked = depth
            else:
                self.disclaimer_depth = self.marked = depth
        if tag in SKIP_TEXT and self.skip_depth is None:
            self.skip_depth = self.marked = depth
        if tag == "script" and "src" not in a and a.get("type") not in ("application/json", "application/ld+json"):
            self.script_depth = self.marked = depth
            facts.inline_scripts.append("")

    def end(self, tag: str) -> None:
        """Close `tag` and every element opened inside it; an end tag with nothing to close is ignored."""
        stack = self.stack
        if tag in VOID or tag not in stack:
            return
        while stack:
            depth = len(stack)
            if depth <= self.marked:
                if self.banner_depth == depth:
                    self.banner_depth = None
                if self.disclaimer_depth == depth:
                    self.disclaimer_depth = None
                if self.skip_depth == depth:
                    self.skip_depth = None
                if self.script_depth == depth:
                    self.script_depth = None
                self.marked = max(self.banner_depth or 0, self.disclaimer_depth or 0, self.skip_depth or 0, self.script_depth or 0)
            if stack.pop() == tag:
                break

    def wants_text(self, markers: bool) -> bool:
        """Text outside scripts matters only inside the disclaimer, and for leftover citation
        markers where the page has "[@" at all (`markers`). Asked again only after a tag that
        can open or close the disclaimer, so never on the hot path of `feed`."""
        return markers or self.disclaimer_depth is not None

    def feed(self, html: str) -> None:
        # Where no text is wanted (see wants_text) the loop does not even ask where a token
        # starts and ends, as most tokens of most pages need nothing else from Python.
        markers = "[@" in html
        stack = self.stack
        at, end = 0, len(html)
        while at < end:
            want_text = self.wants_text(markers)
            for m in _TOKEN.finditer(html, at):
                if want_text:
                    start = m.start()
                    if start > at:
                        text = html[at:start]
                        self.text(unescape(text) if "&" in text else text)
                    at = m.end()
                kind = m.lastindex
                if kind == 2:
                    tag = m[2].lower()
                    if tag not in VOID:
                        stack.append(tag)
                elif kind == 1:
                    tag = m[1].lower()
                    if stack and stack[-1] == tag and len(stack) > self.marked:
                        stack.pop()  # the usual case: the innermost element ends, and it is not a marked one
                    else:
                        self.end(tag)
                        want_text, at = self.wants_text(markers), m.end()
                elif kind == 4:
                    tag, raw = m[3].lower(), m[4]
                    self.start(tag, _attrs(raw) if raw else {})
                    if tag in _READ_AS_TEXT:
                        at = self.raw_text(html, m.end(), tag, raw)
                        break  # go on after the element's text
                    want_text, at = self.wants_text(markers), m.end()
                elif kind == 5:
                    return  # a tag that never closes: a browser shows nothing after it
                # no group: a comment, doctype or processing instruction
            else:
                if want_text and at < end:
                    text = html[at:]
                    self.text(unescape(text) if "&" in text else text)
                return

    def raw_text(self, html: str, at: int, tag: str, raw: str) -> int:
        """Read the text content of a script, style, title and the like; return where it ends."""
        if "svg" in self.stack or "math" in self.stack:
            if raw.endswith("/"):
                self.end(tag)  # in SVG and MathML, "/>" does close an element
            return at  # and their script, style and title hold markup
        close = _RAW_TEXT_END[tag].search(html, at) if tag != "plaintext" else None
        stop = close.start() if close else len(html)
        if stop > at:
            text = html[at:stop]
            self.text(text if tag in RAW_TEXT else unescape(text))
        self.end(tag)
        return close.end() if close else len(html)

    def text(self, data: str) -> None:
        if self.script_depth is not None:
            self.facts.inline_scripts[-1] += data
        if self.disclaimer_depth is not None:
            self.facts.disclaimer_text += data
        if self.skip_depth is None and "[@" in data:
            self.facts.leftover_markers.extend(LEFTOVER_MARKER.findall(data))


def page_facts(path: Path) -> PageFacts:
    parser = _FactParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser.facts


@dataclass(frozen=True)
class Failure:
    path: str
    problems: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.path}: " + "; ".join(self.problems)


def _csp_problems(facts: PageFacts) -> list[str]:
    if facts.csp is None:
        return ["no Content-Security-Policy meta tag"]
    directives = {part.split()[0]: part.split()[1:] for part in facts.csp.split(";") if part.split()}
    allowed = directives.get("script-src", directives.get("default-src", []))
    problems = []
    if "'unsafe-inline'" in allowed or "*" in allowed:
        problems.append("the Content-Security-Policy allows any inline script")
    for body in facts.inline_scripts:
        digest = "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        if digest not in allowed:
            problems.append(f"an inline script is not allowed by the page's policy ({body.strip()[:40]!r})")
    return problems


def problems_of(facts: PageFacts, bibliography: set[str], expect_tels: Sequence[str], require_csp: bool = False) -> list[str]:
    problems: list[str] = []
    if not facts.banner:
        problems.append("no crisis banner (id=\"crisis-banner\")")
    elif not any(re.search(r"\d", tel) for tel in facts.banner_tels):
        problems.append("the crisis banner has no working tel: link")
    else:
        missing = [tel for tel in expect_tels if tel not in facts.banner_tels]
        if missing:
            problems.append("the crisis banner lacks tel:" + ", tel:".join(missing))
    if not facts.disclaimer_text.strip():
        problems.append("no disclaimer (id=\"disclaimer\")")
    for ref_id, href in facts.citations:
        if ref_id not in bibliography:
            problems.append(f"citation '{ref_id}' has no entry in the bibliography")
        if not href.startswith("#") or href[1:] not in facts.ids:
            problems.append(f"citation '{ref_id}' links to {href!r}, which is not on the page")
    for marker in sorted(set(facts.leftover_markers)):
        problems.append(f"unrendered citation marker '{marker}'")
    for url in facts.script_urls:
        problems.append(f"markup that runs script: {url}")
    if require_csp:
        problems.extend(_csp_problems(facts))
    return problems


def _facts_of_many(paths: list[Path]) -> list[PageFacts]:
    return [page_facts(p) for p in paths]


def collect_facts(paths: list[Path], workers: int = 1) -> list[PageFacts]:
    by_path = {p: f for share, facts in by_shares(_facts_of_many, paths, workers) for p, f in zip(share, facts)}
    return [by_path[p] for p in paths]


def verify_site(
    site: Path, *, expect_tels: Iterable[str] = (), require_csp: bool = False, workers: int = 1, exclude: Sequence[str] = ()
) -> tuple[int, list[Failure]]:
    """(number of HTML files checked, failures). An empty site is itself a failure.

    `exclude` names top-level folders that hold another edition, checked on its own terms.
    """
    paths = sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in exclude)
    if not paths:
        return 0, [Failure(str(site), ("no HTML files to check",))]
    facts = collect_facts(paths, workers)
    bibliography = set().union(*(f.bibliography_ids for f in facts))
    expect = list(expect_tels)
    failures = []
    for path, page in zip(paths, facts):
        problems = problems_of(page, bibliography, expect, require_csp)
        if problems:
            failures.append(Failure(path.relative_to(site).as_posix(), tuple(problems)))
    return len(paths), failures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check every HTML file of a built site for the safety furniture and citations.")
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("--expect-tel", action="append", default=[], help="a tel: number every banner must carry")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--require-csp", action="store_true", help="every page must carry a policy covering its inline scripts")
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        print(f"verify: {args.site} is not a folder; build the site first (make build)", file=sys.stderr)
        return 2
    count, failures = verify_site(args.site, expect_tels=args.expect_tel, require_csp=args.require_csp, workers=args.workers)
    for failure in failures:
        print(f"  - {failure}", file=sys.stderr)
    if failures:
        print(f"verify: {len(failures)} of {count} HTML files fail the safety checks; nothing may be published.", file=sys.stderr)
        return 1
    print(f"verify: {count} HTML files checked: every one has the crisis banner, the disclaimer and resolved citations.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
