"""The search index as small plain scripts loaded on demand, so search stays light at any size
and works over HTTP and from the file system alike.

Material's search plugin writes search/search_index.json, the whole site in one file (about
3.8 KB a page: too much for a phone on a site of thousands of pages). This rewrites it, per
edition, into scripts that call `__searchShard(name, data)` (a plain script, not JSON
fetched, so the offline copy opened from file:// can load them):

- `search_index.js`, the entry: the keys of each term shard and which entries are whole pages;
- `t<i>.js`, term shards: every word of the site starting with one of its keys (its first
  two letters, or more where a key would hold too much), and the entries whose title and
  whose text hold it (entry numbers as gaps in base 36, which compress well);
- `d<j>.js`, entry shards of `DOCS_PER_SHARD` entries: address, title, and the start of the text.

A query loads the term shards its words need and the entry shards of the results it shows,
nothing else. `query_files` says which, with the same steps as content/assets/search.js, so
the benchmark can count the bytes of a first query.
"""
from __future__ import annotations

import functools
import gzip
import heapq
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from compassion_site.output.parallel import by_shares
from compassion_site.safety.search_help import SEARCH_HELP_SCRIPT, fold

_TAG = re.compile(r"<[^>]+>")
ENTRY = "search_index.js"
DOCS_PER_SHARD = 16  # results of a large site lie far apart: small shards, so ten results cost little
SNIPPET_CHARS = 160
MAX_SHARD_BYTES = 16_000  # a term shard bigger than this is split by one more letter of its words
MAX_KEY_LENGTH = 4
RESULTS_PER_PAGE = 10  # the search script shows this many results, then a "more" button
PREFIX_FROM = 3  # a term this long or longer also matches longer words ("kin" finds "kindness")


def _plain(markup: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def _script(name: str, data: object) -> str:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'__searchShard("{name}",{body});\n'


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def _gaps(ids: list[int]) -> str:
    """Sorted entry numbers as base-36 gaps: 3, 4, 9 -> "3,1,5"."""
    out, last = [], 0
    for i in ids:
        out.append(_base36(i - last))
        last = i
    return ",".join(out)


def _words(text: str) -> set[str]:
    return {w for w in fold(text).split() if len(w) > 1}


@dataclass(frozen=True)
class Entry:
    location: str
    title: str
    text: str


def entries(index: dict) -> list[Entry]:
    """One entry per page and per section, without markup; a section's title says its page.
    Pages in address order, each followed by its sections in page order: the same numbering
    however many engines built the site (their indexes are merged in any order), and a
    page's sections share an entry shard."""
    docs = index.get("docs", [])
    titles = {d["location"]: _plain(d["title"]) for d in docs if "#" not in d["location"]}
    out = []
    for d in docs:
        page, _, anchor = d["location"].partition("#")
        title = _plain(d["title"])
        if anchor and titles.get(page) and titles[page] != title:
            title = f"{titles[page]} › {title}"
        out.append(Entry(d["location"], title, _plain(d["text"])))
    order = {page: i for i, page in enumerate(sorted({e.location.partition("#")[0] for e in out}))}
    return sorted(out, key=lambda e: order[e.location.partition("#")[0]])  # stable: sections keep their order


def _snippet(text: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text.rfind(" ", 0, SNIPPET_CHARS)
    return text[: cut if cut > SNIPPET_CHARS // 2 else SNIPPET_CHARS] + " …"


def _postings(docs: list[Entry]) -> dict[str, tuple[list[int], list[int]]]:
    """word -> (entries whose title holds it, entries whose text only holds it)."""
    postings: dict[str, tuple[list[int], list[int]]] = {}
    for i, doc in enumerate(docs):
        in_title = _words(doc.title)
        for word in in_title:
            postings.setdefault(word, ([], []))[0].append(i)
        for word in _words(doc.text) - in_title:
            postings.setdefault(word, ([], []))[1].append(i)
    return postings


def _encoded(words: list[str], postings: dict[str, tuple[list[int], list[int]]]) -> dict[str, str]:
    return {w: _gaps(postings[w][0]) + "|" + _gaps(postings[w][1]) for w in sorted(words)}


def _group(words: list[str], postings: dict, length: int) -> list[tuple[str, list[str]]]:
    """Words by their first `length` letters; a group too big is split by one more letter,
    its shorter words keeping the shorter key."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[:length], []).append(w)
    out: list[tuple[str, list[str]]] = []
    for key, members in sorted(groups.items()):
        size = len(json.dumps(_encoded(members, postings)))
        if size <= MAX_SHARD_BYTES or length >= MAX_KEY_LENGTH or len(members) == 1:
            out.append((key, members))
            continue
        short = [w for w in members if len(w) <= length]
        if short:
            out.append((key, short))
        out.extend(_group([w for w in members if len(w) > length], postings, length + 1))
    return out


def _packed(groups: list[tuple[str, list[str]]], postings: dict) -> list[list[tuple[str, list[str]]]]:
    """Neighbouring small groups share one shard file, up to MAX_SHARD_BYTES, so a small site has few files."""
    shards: list[list[tuple[str, list[str]]]] = []
    size = MAX_SHARD_BYTES
    for key, members in groups:
        grown = len(json.dumps(_encoded(members, postings)))
        if size + grown > MAX_SHARD_BYTES:
            shards.append([])
            size = 0
        shards[-1].append((key, members))
        size += grown
    return shards


def write_shards(folder: Path, docs: list[Entry]) -> list[Path]:
    """The entry script and its shards for one edition's entries, into `folder` (its search/)."""
    for old in folder.glob("[td][0-9]*.js"):
        old.unlink()
    postings = _postings(docs)
    shards = _packed(_group(sorted(postings), postings, 2), postings)
    written = []
    for i, groups in enumerate(shards):
        path = folder / f"t{i}.js"
        path.write_text(_script(f"t{i}", _encoded([w for _, members in groups for w in members], postings)), encoding="utf-8")
        written.append(path)
    for j in range(0, len(docs), DOCS_PER_SHARD):
        path = folder / f"d{j // DOCS_PER_SHARD}.js"
        rows = [[d.location, d.title, _snippet(d.text)] for d in docs[j : j + DOCS_PER_SHARD]]
        path.write_text(_script(f"d{j // DOCS_PER_SHARD}", rows), encoding="utf-8")
        written.append(path)
    entry = {
        "per": DOCS_PER_SHARD,
        "shards": [" ".join(key for key, _ in groups) for groups in shards],  # the keys of t0.js, t1.js, ...
        "pages": _gaps([i for i, d in enumerate(docs) if "#" not in d.location]),
    }
    path = folder / ENTRY
    path.write_text(_script("index", entry), encoding="utf-8")
    return [path, *written]


def write_search_script(site: Path, *, workers: int = 1) -> list[Path]:
    """Write the search scripts beside every search_index.json under `site` (one per edition);
    with several editions, their indexes are shared among `workers` processes."""
    indexes = sorted(site.rglob("search/search_index.json"))
    return sorted(script for _, scripts in by_shares(_write_scripts, indexes, workers, minimum=2) for script in scripts)


def _write_scripts(indexes: list[Path]) -> list[Path]:
    written = []
    for index in indexes:
        docs = entries(json.loads(index.read_text(encoding="utf-8")))
        written.extend(write_shards(index.parent, docs))
    return written


# What a query costs: the same choices as content/assets/search.js, for the benchmark and tests.

def _read_shard(path: Path) -> object:
    return _parsed(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4096)
def _parsed(path: Path, _mtime: int) -> object:
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index(",") + 1 : text.rindex(")")])


@functools.lru_cache(maxsize=4096)
def _gzip_size(path: Path, _mtime: int) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


@functools.lru_cache(maxsize=65536)
def _ungaps(text: str) -> tuple[int, ...]:
    out, last = [], 0
    for part in filter(None, text.split(",")):
        last += int(part, 36)
        out.append(last)
    return tuple(out)


@dataclass(frozen=True)
class Answer:
    """A query as the search script answers it: the entries matched, best first, and the term shards read."""

    ranked: list[int]
    term_shards: list[str]
    per: int


def answer(folder: Path, query: str, *, limit: int | None = None) -> Answer:
    """Every entry of `folder` (an edition's search/) matching all words of `query` as word
    starts (a word shorter than PREFIX_FROM letters as a whole word), best first (title 10, text 1, a whole page 2 more; ties by entry number);
    `limit` keeps only the best ones."""
    entry = _read_shard(folder / ENTRY)
    assert isinstance(entry, dict)
    shards: list[list[str]] = [keys.split(" ") for keys in entry["shards"]]
    pages = frozenset(_ungaps(entry["pages"]))
    terms = [t for t in fold(query).split() if len(t) > 1]
    read: list[str] = []
    scores: dict[int, int] = {}
    for n, term in enumerate(terms):
        whole = len(term) < PREFIX_FROM  # a short term matches only itself: "se" would load every word in "se…"
        wanted = [i for i, keys in enumerate(shards) if any(term.startswith(key) or (not whole and key.startswith(term)) for key in keys)]
        read.extend(f"t{i}.js" for i in wanted if f"t{i}.js" not in read)
        best: dict[int, int] = {}
        for i in wanted:
            shard = _read_shard(folder / f"t{i}.js")
            assert isinstance(shard, dict)
            for word, lists in shard.items():
                if word != term if whole else not word.startswith(term):
                    continue
                title, text = lists.split("|")
                best.update({doc: 1 for doc in _ungaps(text) if doc not in best})
                best.update(dict.fromkeys(_ungaps(title), 10))
        scores = best if n == 0 else {d: s + best[d] for d, s in scores.items() if d in best}

    def order(d: int) -> tuple[int, int]:
        return -(scores[d] + (2 if d in pages else 0)), d

    ranked = heapq.nsmallest(limit, scores, key=order) if limit is not None else sorted(scores, key=order)
    return Answer(ranked, read, entry["per"])


def query_files(folder: Path, query: str) -> list[str]:
    """The search scripts (names under `folder`) that the search script loads to show the
    first page of results for `query`, in the order it needs them."""
    found = answer(folder, query, limit=RESULTS_PER_PAGE)
    files = [ENTRY, *([Path(SEARCH_HELP_SCRIPT).name] if (folder / Path(SEARCH_HELP_SCRIPT).name).is_file() else []), *found.term_shards]
    for doc in found.ranked:
        name = f"d{doc // found.per}.js"
        if name not in files:
            files.append(name)
    return files


def typed_query_files(folder: Path, query: str) -> list[str]:
    """The scripts loaded while `query` is typed one letter at a time (each prefix searched), once each."""
    files: list[str] = []
    for end in range(1, len(query) + 1):
        files.extend(name for name in query_files(folder, query[:end]) if name not in files)
    return files


def gzip_bytes(folder: Path, names: list[str]) -> int:
    """What `names` under `folder` weigh compressed, as a server sends them."""
    return sum(_gzip_size(folder / name, (folder / name).stat().st_mtime_ns) for name in names)
