"""Byte budgets of built pages: deterministic, so they can be tested rather than benchmarked.

Readers on slow phones pay for every byte; the crisis banner must arrive in the
first round trip (about 14 KB of HTML on a new connection).
"""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

_ASSET = re.compile(r'<(?:link[^>]+rel="(?:stylesheet|icon)"[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"')


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


@dataclass(frozen=True)
class PageWeight:
    html_raw: int
    html_gzip: int
    assets_gzip: dict[str, int]
    banner_offset: int

    @property
    def total_gzip(self) -> int:
        return self.html_gzip + sum(self.assets_gzip.values())


def _local(site: Path, page: Path, ref: str) -> Path | None:
    if urlparse(ref).netloc:
        return None
    base = "/" + page.relative_to(site).as_posix()
    target = urlparse(urljoin(base, ref)).path.lstrip("/")
    path = site / target
    return path if path.is_file() else None


def page_weight(site: Path, page: Path) -> PageWeight:
    """What a first visit with JavaScript downloads: the HTML and the styles, scripts and images it names.
    (The search index loads only when a reader opens search.)"""
    raw = page.read_bytes()
    html = raw.decode("utf-8")
    refs = _ASSET.findall(html)
    assets = {}
    for ref in refs:
        path = _local(site, page, ref)
        if path is not None:
            assets[path.relative_to(site).as_posix()] = gzip_size(path.read_bytes())
    return PageWeight(len(raw), gzip_size(raw), assets, raw.find(b'id="crisis-banner"'))
