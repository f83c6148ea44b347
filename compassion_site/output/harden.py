"""Security furniture for the built site: a fixed script policy, a Content-Security-Policy on every page, a `_headers` file.

Which scripts may run is decided before any page is read, from the theme alone:

- Inline scripts: every `<script>` block (no `src`, not a JSON data block) written in the
  theme's template folders (the engine adapter names them: `overrides/` first, then the
  theme's own). A block that is plain text is hashed as it stands. A block with a Jinja
  hole is hashed once for every value the hole can take, when the hole is the page's
  `base_url` (Material's `base.html` and `outdated.html` scripts): the relative paths
  ".", "..", "../.." ... down to the deepest folder of the site, and each edition's
  absolute site path (the 404 page uses it). A block with any other hole (Material's
  `redirect.html`, which this site does not use) is not allowed at all.
- Script files: every `.js` file shipped inside a template folder (the theme's bundle),
  every literal `'x.js' | url` a template loads (our `assets/site.js`), and
  `extra_javascript` from the configuration. Nothing else, even from the site's own origin:
  a `.js` file dropped into `content/assets/` is not on the list.

These sets are the site's `ScriptPolicy`. A page's own markup never adds to them: a page
gets a Content-Security-Policy listing the hashes of those of its inline scripts that are
in the set (so each page stays small), and any other inline script stays unlisted, which
the browser blocks and the verifier refuses. Hashing the template text works because the
theme writes these blocks verbatim; if a theme update changes one, the verifier names the
page and the script, and the fix is in the theme, not in the policy.
Plain Python over the output folder: it works whatever engine made the pages.
"""
from __future__ import annotations

import base64
import hashlib
import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from compassion_site.output.parallel import by_shares

PAGE_SUFFIXES = (".html", ".htm", ".xhtml")  # what harden gives a policy and verify reads as a page
DATA_BLOCK_TYPES = ("application/json", "application/ld+json")  # <script> types a browser never runs
_TEMPLATE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_HOLE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_LOADED_FILE = re.compile(r"""\{\{\s*['"]([^'"{}]+\.m?js)['"]\s*\|\s*url\s*\}\}""")
_META_CHARSET = re.compile(r"<meta charset=[^>]*>", re.IGNORECASE)
CSP_MARKER = 'http-equiv="Content-Security-Policy"'

BASE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}

HEADERS_TEMPLATE = """\
# Security and caching headers for hosts that read a _headers file (Netlify, Cloudflare Pages).
# GitHub Pages ignores this file; every page also carries its policy in a <meta> tag.
/*
  Content-Security-Policy: {policy}; frame-ancestors 'none'
  X-Content-Type-Options: nosniff
  Referrer-Policy: strict-origin-when-cross-origin
  Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()
  X-Frame-Options: DENY
/assets/javascripts/*
  Cache-Control: public, max-age=31536000, immutable
/assets/stylesheets/*
  Cache-Control: public, max-age=31536000, immutable
"""


def script_hash(body: str) -> str:
    """The CSP source expression a browser compares an inline script's text with."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


@dataclass(frozen=True)
class ScriptPolicy:
    """The scripts the theme may run: inline script hashes and site-relative script file paths."""

    inline: frozenset[str]
    files: frozenset[str]

    def csp(self, hashes: Iterable[str] | None = None) -> str:
        """The policy text; `hashes` (default: all) must be a subset of the allowed ones."""
        chosen = sorted(self.inline if hashes is None else set(hashes) & self.inline)
        directives = {**BASE_POLICY, "script-src": ["'self'", *chosen]}
        return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def _template_files(template_dirs: Sequence[Path]) -> list[tuple[str, str]]:
    """(relative path, text) of every template the theme can render; an earlier folder
    shadows a later one, as in the engine's template loader."""
    seen: dict[str, str] = {}
    for folder in template_dirs:
        for path in sorted(Path(folder).rglob("*.html")):
            seen.setdefault(path.relative_to(folder).as_posix(), path.read_text(encoding="utf-8"))
    return sorted(seen.items())


def base_paths(depth: int, site_paths: Iterable[str]) -> list[str]:
    """Every value a page's `base_url` can take in a site whose deepest page sits `depth` folders down."""
    relative = ["."] + ["/".join([".."] * n) for n in range(1, depth + 1)]
    return relative + sorted(set(site_paths))


def theme_policy(template_dirs: Sequence[Path], *, bases: Sequence[str], extra_javascript: Iterable[str] = ()) -> ScriptPolicy:
    """The fixed policy (see the module docstring), from the templates and nothing else."""
    inline: set[str] = set()
    files = {posixpath.normpath(src.split("?")[0]) for src in extra_javascript}
    for _, text in _template_files(template_dirs):
        files.update(posixpath.normpath(name) for name in _LOADED_FILE.findall(text))
        for match in _TEMPLATE_SCRIPT.finditer(text):
            attrs, body = match["attrs"], match["body"]
            if "src=" in attrs or any(kind in attrs for kind in DATA_BLOCK_TYPES) or "{%" in body:
                continue
            holes = _HOLE.findall(body)
            if not holes:
                inline.add(script_hash(body))
            elif all("base_url" in hole for hole in holes):
                inline.update(script_hash(_HOLE.sub(base, body)) for base in bases)
    for folder in template_dirs:
        files.update(path.relative_to(folder).as_posix() for path in Path(folder).rglob("*.js") if path.parts[len(Path(folder).parts)] == "assets")
    return ScriptPolicy(frozenset(inline), frozenset(files))


def inline_scripts(tree: LexborHTMLParser) -> list[str]:
    """The text of every inline script a browser would run on a parsed page."""
    return [node.text(deep=True) for node in tree.css("script")
            if "src" not in node.attributes and (node.attributes.get("type") or "").strip().lower() not in DATA_BLOCK_TYPES]


_KEEP_AS_IS = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)
_INDENT_AND_BLANK_LINES = re.compile(r"\n[ \t\n]+")  # a line break, then only spaces, tabs and line breaks


def drop_indentation(html: str) -> str:
    """Remove the theme's indentation and blank lines (about a quarter of a page's bytes), leaving
    <pre>, <textarea>, <script> and <style> exactly as they are."""
    parts = _KEEP_AS_IS.split(html)
    out = []
    for index, part in enumerate(parts):
        kind = index % 3
        if kind == 0:
            out.append(_INDENT_AND_BLANK_LINES.sub("\n", part))
        elif kind == 1:
            out.append(part)
    return "".join(out)


def harden_page(html: str, policy: ScriptPolicy) -> str:
    """The page with its policy in a <meta> tag right after the charset: the allowed hashes of the
    inline scripts it carries, never a hash of a script the policy does not know."""
    html = drop_indentation(html)
    hashes = {script_hash(body) for body in inline_scripts(LexborHTMLParser(html))}
    tag = f'<meta {CSP_MARKER} content="{policy.csp(hashes)}">'
    match = _META_CHARSET.search(html)
    if match:
        return html[: match.end()] + "\n    " + tag + html[match.end():]
    return html.replace("<head>", "<head>\n    " + tag, 1)


def _harden_files(work: list[tuple[Path, ScriptPolicy]]) -> int:
    for path, policy in work:
        path.write_text(harden_page(path.read_text(encoding="utf-8"), policy), encoding="utf-8")
    return len(work)


def page_files(site: Path) -> list[Path]:
    """Every file of the site a browser renders as an HTML page."""
    return sorted(p for p in site.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES and p.is_file())


def harden_site(site: Path, policy: ScriptPolicy, *, workers: int = 1) -> int:
    """Add the policy to every page and write `_headers` with the whole fixed policy; returns the
    number of pages. Pages are shared among `workers` processes."""
    pages = page_files(site)
    by_shares(_harden_files, [(p, policy) for p in pages], workers)
    (site / "_headers").write_text(HEADERS_TEMPLATE.format(policy=policy.csp()), encoding="utf-8")
    return len(pages)


def policy_from_headers(site: Path) -> ScriptPolicy | None:
    """The inline hashes a build recorded in `_headers`, for `verify` run on its own after a build
    (script files are then not checked: only the build knows the theme)."""
    headers = site / "_headers"
    if not headers.is_file():
        return None
    found = re.search(r"script-src ([^;]*)", headers.read_text(encoding="utf-8"))
    hashes = [part for part in (found[1].split() if found else []) if part.startswith("'sha256-")]
    return ScriptPolicy(frozenset(hashes), frozenset())
