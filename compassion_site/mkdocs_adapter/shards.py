"""Build one edition on several cores: each engine run renders a share of the item pages.

MkDocs renders pages one after another in one process. A site of thousands of items
(practices, myths: every kind of content/kinds.py) spends most of its build there, so `compassion-site build` starts one engine
per core, each told its share (`COMPASSION_SITE_SHARD=i/k`). Every engine still reads
every file, so links, navigation and indexes are the same in each; pages outside its
share are excluded from its output, and `merge_shards` puts the outputs together.

Only the per-item pages are shared out. Navigation pages, indexes and hand-written
pages are built by every engine (they are few), so each output is a complete frame.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import zlib
from collections.abc import Mapping
from pathlib import Path

from compassion_site.content.kinds import FOLDERS

SHARD_ENV = "COMPASSION_SITE_SHARD"
_SHARED_OUT = (*(f"{folder}/" for folder in FOLDERS), "campaign/", "lessons/")
_SITEMAP_URL = re.compile(r"<url>.*?</url>", re.S)


def current_shard(environ: Mapping[str, str] | None = None) -> tuple[int, int] | None:
    """(this engine's share, number of shares) from the environment, or None for a whole build."""
    value = (os.environ if environ is None else environ).get(SHARD_ENV, "")
    match = re.fullmatch(r"(\d+)/(\d+)", value)
    if not match:
        return None
    index, count = int(match.group(1)), int(match.group(2))
    return (index, count) if 0 <= index < count and count > 1 else None


def owns(src_uri: str, shard: tuple[int, int] | None) -> bool:
    """Whether the engine with `shard` renders the page made from `src_uri`."""
    if shard is None or not src_uri.startswith(_SHARED_OUT):
        return True
    name = src_uri.rsplit("/", 1)[-1]
    if name == "index.md" or name.startswith("page-"):
        return True  # indexes and their pages: every engine builds them
    index, count = shard
    return zlib.crc32(src_uri.encode("utf-8")) % count == index


def owns_file(src_uri: str, shard: tuple[int, int] | None) -> bool:
    """`owns` for any file of the build; a page's QR code (qr/<page>.svg) goes with its page."""
    if src_uri.startswith("qr/") and src_uri.endswith(".svg"):
        return owns(src_uri.removeprefix("qr/").removesuffix(".svg") + ".md", shard)
    return owns(src_uri, shard)


def merge_shards(target: Path, others: list[Path]) -> None:
    """Move every file of `others` into `target`; search indexes and sitemaps are combined."""
    if not others:
        return  # a one-engine build is already whole; leave its files as MkDocs wrote them
    for other in others:
        _move_into(other, target)
        shutil.rmtree(other, ignore_errors=True)
    for sitemap in target.rglob("sitemap.xml"):
        sitemap.with_suffix(".xml.gz").write_bytes(gzip.compress(sitemap.read_bytes(), mtime=0))


def _move_into(source: Path, dest: Path) -> None:
    """Move what `dest` lacks from `source`, a whole folder in one rename where it can (a page's
    folder is one of those); files both have are the same page, except the indexes merged here."""
    with os.scandir(source) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            there = dest / entry.name
            if not there.exists():
                os.replace(entry.path, there)
            elif entry.is_dir() and there.is_dir():
                _move_into(Path(entry.path), there)
            elif entry.name == "search_index.json":
                _merge_search_index(there, Path(entry.path))
            elif entry.name == "sitemap.xml":
                _merge_sitemap(there, Path(entry.path))


def _merge_search_index(dest: Path, extra: Path) -> None:
    data = json.loads(dest.read_text(encoding="utf-8"))
    seen = {doc["location"] for doc in data["docs"]}
    data["docs"] += [doc for doc in json.loads(extra.read_text(encoding="utf-8"))["docs"] if doc["location"] not in seen]
    dest.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _merge_sitemap(dest: Path, extra: Path) -> None:
    text = dest.read_text(encoding="utf-8")
    have = set(_SITEMAP_URL.findall(text))
    more = [url for url in _SITEMAP_URL.findall(extra.read_text(encoding="utf-8")) if url not in have]
    if more:
        cut = text.rindex("</urlset>")
        dest.write_text(text[:cut] + "\n".join(more) + "\n" + text[cut:], encoding="utf-8")
