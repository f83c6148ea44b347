"""Which files may sit in the source folders.

The engine publishes whatever lies in the docs folder, so an `.html`, `.svg` or stray `.js`
file dropped there would reach readers without passing any check. Only the kinds of file the
project ships are allowed there. Symbolic links are refused in every source folder: the checks
and the engine would otherwise disagree on what a link holds (and a link loop never ends).
"""
from __future__ import annotations

import os
from pathlib import Path

from compassion_site.content.kinds import FOLDERS
from compassion_site.errors import ErrorCollector

# Files anywhere in the docs folder, by ending: pages and style sheets.
TEXT_ENDINGS = frozenset({".md", ".css"})
# Pictures, by ending, with the bytes every such file starts with: a file that only has the
# name of a picture (say, HTML renamed to .png) is refused, so no browser can sniff it as a page.
PICTURE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".webp": (b"RIFF",),
}
# Scripts run on every page, so each one is named here (paths inside the docs folder); the
# security policy and the verifier are built around exactly these.
SHIPPED_SCRIPTS = frozenset({"assets/site.js", "assets/search.js", "assets/guided.js"})
SOURCE_FOLDERS = (*FOLDERS, "references", "safety", "locales", "translations")


def check_source_tree(root: Path, docs_dir: str, errors: ErrorCollector) -> None:
    """Record every symbolic link in the source folders and every file in the docs folder that
    the project does not ship."""
    for name in SOURCE_FOLDERS:
        for _ in _files(root / name, errors):
            pass
    docs = root / docs_dir
    for path in _files(docs, errors):
        problem = _unshipped(path, path.relative_to(docs).as_posix())
        if problem:
            errors.add(path, problem)


def _files(folder: Path, errors: ErrorCollector):
    """The files under `folder`, never following a link; each link is recorded instead. Names
    starting with a dot are left out, as the engine leaves them out."""
    if folder.is_symlink():
        errors.add(folder, "is a symbolic link; put the real folder here instead")
        return
    if not folder.is_dir():
        return
    for parent, folders, files in os.walk(folder, onerror=lambda exc: errors.add(exc.filename, f"cannot be read: {exc.strerror}")):
        base = Path(parent)
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in [*folders]:
            if (base / name).is_symlink():
                errors.add(base / name, "is a symbolic link to a folder; put the real folder here instead (the checks do not follow links)")
                folders.remove(name)
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = base / name
            if path.is_symlink():
                errors.add(path, "is a symbolic link; copy the file in instead (the checks do not follow links)")
                continue
            yield path


def _unshipped(path: Path, src: str) -> str | None:
    """Why the docs folder may not hold this file, or None when it may."""
    ending = path.suffix.lower()
    if ending in TEXT_ENDINGS:
        return None if path.suffix == ending else f"ends in {path.suffix}; rename it to end in {ending}"
    if src in SHIPPED_SCRIPTS:
        return None
    if ending == ".js":
        return ("is a script the project does not ship; scripts run on every page, so each one must be listed "
                "in SHIPPED_SCRIPTS (compassion_site/content/source_tree.py) and reviewed")
    if ending in PICTURE_SIGNATURES:
        try:
            with path.open("rb") as picture:
                start = picture.read(16)
        except OSError as exc:
            return f"cannot be read: {exc.strerror or exc}"
        if any(start.startswith(signature) for signature in PICTURE_SIGNATURES[ending]) and (ending != ".webp" or start[8:12] == b"WEBP"):
            return None
        return f"is named like a {ending} picture but does not hold one; save it again as a real {ending} file"
    allowed = ", ".join(sorted({*TEXT_ENDINGS, *PICTURE_SIGNATURES}))
    return (f"this kind of file ({ending or 'no ending'}) is not published from the docs folder; "
            f"pages are Markdown (.md), and only these endings are allowed: {allowed}")
