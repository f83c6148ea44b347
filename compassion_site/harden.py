"""Security furniture for the built site: a Content-Security-Policy on every page and a `_headers` file.

The policy allows only the site's own scripts and styles. The theme's few inline
scripts are allowed by their SHA-256 hashes, computed from the built pages, so a
script that a text field smuggled in would have no hash and would not run.
Plain Python over the output folder: it works whatever engine made the pages.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from .parallel import by_shares

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>(.*?)</script>", re.S)
_META_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)
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


def script_hashes(html: str) -> list[str]:
    """CSP source expressions for every inline script of a page."""
    return sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    })


def policy(hashes: list[str]) -> str:
    directives = {**BASE_POLICY, "script-src": ["'self'", *hashes]}
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


_KEEP_AS_IS = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)", re.S | re.I)
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


def harden_page(html: str) -> tuple[str, list[str]]:
    """The page with its policy in a <meta> tag right after the charset, and the hashes it allowed.
    A page that has a policy already (the engine hardens pages as it writes them) is left as it is."""
    if CSP_MARKER in html:
        return html, script_hashes(html)
    html = drop_indentation(html)
    hashes = script_hashes(html)
    tag = f'<meta {CSP_MARKER} content="{policy(hashes)}">'
    match = _META_CHARSET.search(html)
    if match:
        return html[: match.end()] + "\n    " + tag + html[match.end():], hashes
    return html.replace("<head>", "<head>\n    " + tag, 1), hashes


def _harden_files(paths: list[Path]) -> set[str]:
    """Harden each file in place (rewriting only those that change); the hashes the pages allow."""
    hashes: set[str] = set()
    for path in paths:
        before = path.read_text(encoding="utf-8")
        html, allowed = harden_page(before)
        if html != before:
            path.write_text(html, encoding="utf-8")
        hashes.update(allowed)
    return hashes


def harden_site(site: Path, *, workers: int = 1) -> int:
    """Add the policy to every HTML file that lacks one and write `_headers` with every hash
    any page allows; returns the number of pages. Pages are shared among `workers` processes."""
    pages = sorted(site.rglob("*.html"))
    all_hashes = set().union(*(hashes for _, hashes in by_shares(_harden_files, pages, workers)))
    (site / "_headers").write_text(HEADERS_TEMPLATE.format(policy=policy(sorted(all_hashes))), encoding="utf-8")
    return len(pages)
