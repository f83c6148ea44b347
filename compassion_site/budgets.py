"""Byte budgets of built pages: deterministic, so they can be tested rather than benchmarked.

Readers on slow phones pay for every byte; the crisis banner must arrive in the
first round trip (about 14 KB of HTML on a new connection).
"""
from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

_ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


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
    """What a first visit with JavaScript downloads: the HTML, its styles and scripts, the search worker."""
    raw = page.read_bytes()
    html = raw.decode("utf-8")
    refs = _ASSET.findall(html)
    config = _CONFIG.search(html)
    if config:
        worker = json.loads(config.group(1)).get("search")
        if worker:
            refs.append(worker)
    assets = {}
    for ref in refs:
        path = _local(site, page, ref)
        if path is not None:
            assets[path.relative_to(site).as_posix()] = gzip_size(path.read_bytes())
    return PageWeight(len(raw), gzip_size(raw), assets, raw.find(b'id="crisis-banner"'))
