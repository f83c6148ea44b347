"""The search index as a plain script, so search works over HTTP and from the file system alike.

Material's search plugin writes search/search_index.json; this rewrites it, without
markup and with one entry per section, as search/search_index.js for assets/site.js.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from .parallel import by_shares

_TAG = re.compile(r"<[^>]+>")


def _plain(markup: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def write_search_script(site: Path, *, workers: int = 1) -> list[Path]:
    """Write search_index.js beside every search_index.json under `site` (one per edition);
    with several editions, their indexes are shared among `workers` processes."""
    indexes = sorted(site.rglob("search/search_index.json"))
    return sorted(script for _, scripts in by_shares(_write_scripts, indexes, workers, minimum=2) for script in scripts)


def _write_scripts(indexes: list[Path]) -> list[Path]:
    written = []
    for index in indexes:
        data = json.loads(index.read_text(encoding="utf-8"))
        titles = {d["location"]: _plain(d["title"]) for d in data.get("docs", []) if "#" not in d["location"]}
        docs = []
        for d in data.get("docs", []):
            page, _, anchor = d["location"].partition("#")
            title = _plain(d["title"])
            if anchor and titles.get(page) and titles[page] != title:
                title = f"{titles[page]} › {title}"  # a section: say which page it is on
            docs.append({"location": d["location"], "title": title, "text": _plain(d["text"])})
        script = index.with_name("search_index.js")
        script.write_text("var __index = " + json.dumps({"docs": docs}, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/") + ";\n", encoding="utf-8")
        written.append(script)
    return written
