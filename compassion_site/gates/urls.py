"""Stable addresses: every URL ever published keeps working, as the page or as a redirect.

Schools link a class to a lesson and campaigns print QR codes, so a renamed page must
not break them. `urls.txt` lists every published address; the build fails when one
of them disappears without an entry in `redirects.yaml`. `make urls` rewrites the list.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import RootModel

from compassion_site.content.kinds import KINDS
from compassion_site.content.load import validate
from compassion_site.content.yaml_source import line_of, load_yaml
from compassion_site.errors import ContentError, ErrorCollector

MANIFEST = "urls.txt"
REDIRECTS = "redirects.yaml"
NOT_FOUND_PAGE = "404.html"
_HEADER = "# Every address the site has published. Update with `make urls`; never delete a line by hand:\n# a page that moves needs an entry in redirects.yaml instead.\n"


class Redirects(RootModel[dict[str, str]]):
    """old address -> new address, both site paths like `practices/old-slug/`."""


def published_urls(site: Path) -> set[str]:
    """Every page address of a built site: folder/index.html -> folder/, other .html as is."""
    urls = set()
    for html in site.rglob("*.html"):
        rel = html.relative_to(site).as_posix()
        urls.add(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return urls


def load_redirects(root: Path, errors: ErrorCollector) -> dict[str, str]:
    path = root / REDIRECTS
    if not path.is_file():
        return {}
    data = load_yaml(path, errors)
    if data is None:
        return {}
    model = validate(Redirects, data, path, errors) if isinstance(data, dict) else None
    if model is None:
        if not isinstance(data, dict):
            errors.add(path, "should map old addresses to new ones, like 'practices/old/: practices/new/'", line=1)
        return {}
    for old, new in model.root.items():
        if new == "/":  # the home page, as a reader writes it
            model.root[old] = new = ""
        if old.rsplit("/", 1)[-1] == NOT_FOUND_PAGE:
            errors.add(path, f"'{old}' is a not-found page, which no one links to: remove this line. The site's own "
                       f"{NOT_FOUND_PAGE} answers for it once its edition is gone", line=line_of(data, (old,)), field=old)
            continue
        for value in (old, new):
            if value.startswith(("/", "http")) or not (value.endswith("/") or value.endswith(".html") or value == ""):
                errors.add(path, f"'{value}' should be a site path like practices/name/ (or \"\" for the home page)", line=line_of(data, (old,)), field=old)
    for old, problem in redirect_loops(model.root).items():
        errors.add(path, problem, line=line_of(data, (old,)), field=old)
    return model.root


def redirect_loops(redirects: dict[str, str]) -> dict[str, str]:
    """Redirects a browser would follow forever: to themselves, or round a chain back to the start."""
    problems = {}
    for old, new in redirects.items():
        if new == old:
            problems[old] = "redirects to itself; the browser would reload it forever. Point it at the page that replaced it"
            continue
        chain, step = [old], new
        while step in redirects and step not in chain:
            chain.append(step)
            step = redirects[step]
        if step in chain:
            problems[old] = f"is part of a redirect loop ({' -> '.join([*chain, step])}); the browser would never arrive. Point one of them at a page"
    return problems


def redirect_target_errors(site: Path, root: Path, redirects: dict[str, str]) -> list[ContentError]:
    """A redirect must end at a published page; one to an address that was never built leaves the reader nowhere."""
    published = published_urls(site)
    lines = _redirect_lines(root)
    return [ContentError(REDIRECTS, lines.get(old), old, f"redirects to '{new or '/'}', which is not a published page")
            for old, new in redirects.items() if new not in published]


def _redirect_lines(root: Path) -> dict[str, int]:
    data = load_yaml(root / REDIRECTS, ErrorCollector(root)) if (root / REDIRECTS).is_file() else None
    return {old: line for old in data if (line := line_of(data, (old,)))} if isinstance(data, dict) else {}


DERIVED = ("campaign", "lessons")  # folders that hold a page made from another page, under the same slug


# Pages that have a poster or a lesson plan made from them: items of a kind with posters or
# lessons (content/kinds.py), and the topic pages of learn/.
MOVES_DERIVED = (*(f"{kind.folder}/" for kind in KINDS if kind.poster or kind.has_lessons), "learn/")


def with_derived(redirects: dict[str, str], pages: set[str]) -> dict[str, str]:
    """A moved practice or topic takes its poster and lesson plan along: add those redirects too,
    where the new page has one and no explicit redirect says otherwise."""
    result = dict(redirects)
    for old, new in redirects.items():
        old_slug, new_slug = old.rstrip("/").rsplit("/", 1)[-1], new.rstrip("/").rsplit("/", 1)[-1]
        if not old.startswith(MOVES_DERIVED) or old_slug == new_slug:
            continue
        for folder in DERIVED:
            if f"{folder}/{new_slug}.md" in pages:
                result.setdefault(f"{folder}/{old_slug}/", f"{folder}/{new_slug}/")
    return result


def built_redirects(root: Path, site: Path) -> frozenset[str]:
    """The built paths of the redirect pages redirects.yaml asks for in one edition's folder
    (posters and lessons that moved along included), for `verify` run on its own, which has
    no engine report to list them."""
    redirects = load_redirects(root, ErrorCollector(root))
    pages = {p.parent.relative_to(site).as_posix() + ".md" for p in site.rglob("index.html") if p.parent != site}
    return frozenset((old.rstrip("/") + "/index.html").lstrip("/") if not old.endswith(".html") else old for old in with_derived(redirects, pages))


def manifest_errors(site: Path, root: Path, redirects: dict[str, str]) -> list[ContentError]:
    """Every address of urls.txt that the built site no longer serves (the build has checked urls.txt exists)."""
    path = root / MANIFEST
    if not path.is_file():
        return []
    published = published_urls(site)
    errors = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        if url == "/":
            url = ""
        if url.endswith("/" + NOT_FOUND_PAGE) and url[: -len(NOT_FOUND_PAGE)] in redirects and url not in published:
            continue  # the not-found page of a folder redirected away (a removed edition): no one links to it
        if url not in published:
            errors.append(ContentError(MANIFEST, number, None, f"'{url or '/'}' was published before and is gone; add a redirect for it in {REDIRECTS} (old: new)"))
    return errors


def write_manifest(site: Path, root: Path) -> int:
    """The manifest of a built site; addresses listed before are kept (they must stay reachable)."""
    path = root / MANIFEST
    old = {line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")} if path.is_file() else set()
    urls = sorted((old | {u or "/" for u in published_urls(site)}) - {""})
    path.write_text(_HEADER + "\n".join(urls) + "\n", encoding="utf-8")
    return len(urls)
