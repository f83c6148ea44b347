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


def wants_qr(src_uri: str) -> bool:
    """Pages a reader prints and comes back to; posters point at their page's code, indexes need none."""
    name = src_uri.rsplit("/", 1)[-1]
    return not (src_uri.startswith("campaign/") or name == "index.md" and src_uri != "index.md" or name.startswith("page-")
                or src_uri in ("references.md",))


def qr_svgs(urls: list[str]) -> list[bytes]:
    """QR codes for many addresses, on every core when there are enough to be worth it."""
    if len(urls) < 200:
        return [qr_svg(url) for url in urls]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor() as pool:
        return list(pool.map(qr_svg, urls, chunksize=64))


def qr_src(src_uri: str) -> str:
    """Where a page's QR code is published."""
    return "qr/" + src_uri.removesuffix(".md") + ".svg"


def qr_svg(url: str) -> bytes:
    """A compact SVG QR code; medium error correction survives a creased poster."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=url)
    return out.getvalue()
