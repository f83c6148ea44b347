"""QR codes for printed handouts and posters, made at build time (no service, no network)."""
from __future__ import annotations

import io

import segno


def page_path(src_uri: str) -> str:
    """The directory-style address of a Markdown source: learn/x.md -> learn/x/, index.md -> ''."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def qr_src(src_uri: str) -> str:
    """Where a page's QR code is published."""
    return "qr/" + src_uri.removesuffix(".md") + ".svg"


def qr_svg(url: str) -> bytes:
    """A compact SVG QR code; medium error correction survives a creased poster."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=url)
    return out.getvalue()
