"""QR codes for printed handouts and posters, made at build time (no service, no network)."""
from __future__ import annotations

import io
from concurrent.futures import Executor, Future, ProcessPoolExecutor

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
    """QR codes for many addresses, made here and now by segno's public API."""
    return [qr_svg(url) for url in urls]


class QrWriter:
    """Makes the QR codes of a build in a background process while the engine renders pages:
    on two cores this takes them off the critical path. Small sites (fewer than
    `background_from` codes) are made in-process when asked for.
    """

    def __init__(self, codes: dict[str, str], *, background_from: int = 200) -> None:
        self.codes = codes  # published path ("qr/x.svg") -> address the code points at
        self._pool: Executor | None = None
        self._futures: list[Future[list[bytes]]] = []
        if len(codes) >= background_from:
            self._pool = ProcessPoolExecutor(max_workers=1)
            urls = list(codes.values())
            self._futures = [self._pool.submit(qr_svgs, urls[i : i + 256]) for i in range(0, len(urls), 256)]

    def results(self) -> dict[str, bytes]:
        """Wait for the codes: published path -> SVG."""
        svgs = [svg for future in self._futures for svg in future.result()] if self._pool else qr_svgs(list(self.codes.values()))
        self.close()
        return dict(zip(self.codes, svgs, strict=True))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def qr_src(src_uri: str) -> str:
    """Where a page's QR code is published."""
    return "qr/" + src_uri.removesuffix(".md") + ".svg"


_SCALE, _BORDER = 4, 2


def _code(url: str) -> segno.QRCode:
    """Medium error correction survives a creased poster."""
    return segno.make(url, error="m", micro=False)


def _save(code: segno.QRCode, url: str) -> bytes:
    out = io.BytesIO()
    code.save(out, kind="svg", scale=_SCALE, border=_BORDER, xmldecl=False, svgns=True, title=url)
    return out.getvalue()


def qr_svg(url: str) -> bytes:
    """A compact SVG QR code, made by segno alone (the reference `qr_svgs` must match)."""
    return _save(_code(url), url)
