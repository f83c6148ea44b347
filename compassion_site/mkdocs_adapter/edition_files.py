"""`compassion-site edition add|remove <lang>`: a language edition as a reversible choice.

Adding writes the files an edition needs (mkdocs.<lang>.yml, a locale to translate, the
language menu entry in every config that lists the editions). Removing deletes them and
sends every address the edition published to the same page of the source language, through
redirects.yaml, so urls.txt (every address ever published) stays true without a hand edit.
Config files are edited line by line, so their comments and order stay as the author wrote them.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from compassion_site.errors import ContentError, ContentErrors
from compassion_site.gates.urls import MANIFEST, NOT_FOUND_PAGE, REDIRECTS
from compassion_site.mkdocs_adapter.config_file import read_site_config

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")


def _fail(path: str, message: str) -> ContentErrors:
    return ContentErrors([ContentError(path, None, None, message)])


def edition_configs(root: Path) -> list[Path]:
    """mkdocs.yml and every mkdocs.<lang>.yml of the site."""
    return [root / "mkdocs.yml", *sorted(p for p in root.glob("mkdocs.*.yml") if LANGUAGE_CODE.match(p.name[len("mkdocs."):-len(".yml")]))]


def language_name(language: str) -> str:
    """The language's name in its own words (Babel's data), for the language menu."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(language.replace("-", "_")).get_display_name(language.replace("-", "_"))
    except (ValueError, LookupError, UnknownLocaleError):
        name = None
    return (name[:1].upper() + name[1:]) if name else language


def _alternate_block(lines: list[str]) -> tuple[int, int, str] | None:
    """(first line, end, item indent) of the `alternate:` list under `extra:`, or None."""
    in_extra = False
    for i, line in enumerate(lines):
        if re.match(r"^extra:\s*$", line):
            in_extra = True
            continue
        if in_extra and re.match(r"^\S", line):
            in_extra = False
        found = re.match(r"^(\s+)alternate:\s*$", line) if in_extra else None
        if not found:
            continue
        end, indent = i + 1, None
        while end < len(lines):
            item = re.match(r"^(\s*)(-\s|\S)", lines[end])
            if lines[end].strip() and (item is None or len(item.group(1)) < len(found.group(1))
                                       or (len(item.group(1)) == len(found.group(1)) and not item.group(2).startswith("-"))):
                break
            if indent is None and item and item.group(2).startswith("-"):
                indent = item.group(1)
            end += 1
        while end > i + 1 and not lines[end - 1].strip():
            end -= 1
        return i, end, indent if indent is not None else found.group(1) + "  "
    return None


def _add_alternate(path: Path, name: str, language: str) -> bool:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    block = _alternate_block(lines)
    if block is None:
        return False
    _, end, indent = block
    entry = [f"{indent}- name: {yaml.safe_dump(name, allow_unicode=True).splitlines()[0]}\n",
             f"{indent}  link: /{language}/\n", f"{indent}  lang: {language}\n"]
    path.write_text("".join(lines[:end] + entry + lines[end:]), encoding="utf-8")
    return True


def _remove_alternate(path: Path, language: str) -> bool:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    block = _alternate_block(lines)
    if block is None:
        return False
    start, end, indent = block
    items: list[tuple[int, int]] = []
    for i in range(start + 1, end):
        if lines[i].startswith(indent + "-"):
            items.append((i, i + 1))
        elif items and lines[i].strip():
            items[-1] = (items[-1][0], i + 1)
    for first, last in items:
        if any(re.match(rf"^\s*(-\s+)?link:\s*['\"]?/{re.escape(language)}/['\"]?\s*$", line) for line in lines[first:last]):
            path.write_text("".join(lines[:first] + lines[last:]), encoding="utf-8")
            return True
    return False


def add_edition(root: Path, language: str, *, name: str | None = None, region: str | None = None) -> list[str]:
    """Write a new edition's files; returns what was done, line by line. Raises ContentErrors."""
    main = read_site_config(root / "mkdocs.yml")
    config = root / f"mkdocs.{language}.yml"
    if not LANGUAGE_CODE.match(language):
        raise _fail(language, "is not a language code; use two or three small letters, like fr")
    if language == main.language:
        raise _fail("mkdocs.yml", f"'{language}' is the source language of the site already")
    if config.exists():
        raise _fail(config.name, "exists already: this edition is there. Remove it first to start again")
    name = name or language_name(language)
    done = []
    region_line = f"extra:\n  region: {region}\n" if region else ""
    config.write_text(
        f"# The {name} ({language}) edition: everything inherits from mkdocs.yml; this file changes only what differs.\n"
        f"# Built by `make build` into site/{language}/. Texts come from translations/{language}/ and locales/{language}.yaml.\n"
        "# Add `nav:` here (the same pages as mkdocs.yml) to translate the menu titles.\n"
        "INHERIT: mkdocs.yml\n"
        f'site_url: !ENV [LOCALE_SITE_URL, "http://127.0.0.1:8000/{language}/"]\n'
        f"site_dir: site/{language}\n"
        f"theme:\n  language: {language}\n" + region_line,
        encoding="utf-8")
    done.append(f"wrote {config.name}")
    locale = root / "locales" / f"{language}.yaml"
    if not locale.exists():
        source = (root / "locales" / f"{main.language}.yaml").read_text(encoding="utf-8")
        locale.write_text(re.sub(rf"(?m)^language: {re.escape(main.language)}$", f"language: {language}", source), encoding="utf-8")
        done.append(f"wrote locales/{language}.yaml from locales/{main.language}.yaml: translate its values")
    (root / "translations" / language).mkdir(parents=True, exist_ok=True)
    for path in edition_configs(root):
        if path != config and _add_alternate(path, name, language):
            done.append(f"added {name} (/{language}/) to extra.alternate in {path.name}")
    for kind in ("safe-messaging", "crisis-words"):
        if not (root / "safety" / f"{kind}.{language}.yaml").exists():
            done.append(f"still to do: write safety/{kind}.{language}.yaml (see safety/{kind}.{main.language}.yaml and FORKING.md)")
    return done


def _published(root: Path) -> list[str]:
    path = root / MANIFEST
    if not path.is_file():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


def removal_redirects(root: Path, language: str) -> dict[str, str]:
    """Every address urls.txt lists under /<language>/, sent to the same page of the source
    language, or to the home page where the source has no such page. The edition's not-found
    page needs none: no one links to it, and the host serves the site's own 404.html instead."""
    published = set(_published(root))
    prefix = f"{language}/"
    redirects = {}
    for url in sorted(published):
        if not url.startswith(prefix) or url == prefix + NOT_FOUND_PAGE:
            continue
        rest = url[len(prefix):]
        redirects[url] = rest if rest and rest in published else ""
    return redirects


def _append_redirects(root: Path, redirects: dict[str, str]) -> int:
    path = root / REDIRECTS
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    data = yaml.safe_load(text) if text.strip() else {}
    existing = data if isinstance(data, dict) else {}
    new = {old: target for old, target in redirects.items() if old not in existing}
    if not new:
        return 0
    text = re.sub(r"(?m)^\{\}\s*$", "", text).rstrip("\n")
    body = "".join(f"{yaml.safe_dump({old: target}, allow_unicode=True, width=1000)}" for old, target in new.items())
    path.write_text((text + "\n" if text else "") + body, encoding="utf-8")
    return len(new)


def remove_edition(root: Path, language: str) -> list[str]:
    """Delete an edition's files and redirect its published addresses; returns what was done."""
    main = read_site_config(root / "mkdocs.yml")
    config = root / f"mkdocs.{language}.yml"
    if language == main.language:
        raise _fail("mkdocs.yml", f"'{language}' is the source language; the site cannot be built without it")
    if not config.is_file():
        raise _fail(config.name, "does not exist, so there is no such edition to remove")
    done = [f"added {_append_redirects(root, removal_redirects(root, language))} redirects from /{language}/ to the "
            f"{main.language} pages in {REDIRECTS}"]
    config.unlink()
    done.append(f"deleted {config.name}")
    for folder in (root / "translations" / language,):
        if folder.is_dir():
            shutil.rmtree(folder)
            done.append(f"deleted translations/{language}/")
    locale = root / "locales" / f"{language}.yaml"
    if locale.is_file():
        locale.unlink()
        done.append(f"deleted locales/{language}.yaml")
    for path in edition_configs(root):
        if _remove_alternate(path, language):
            done.append(f"removed /{language}/ from extra.alternate in {path.name}")
    return done
