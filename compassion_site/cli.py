"""`compassion-site <command>`: the one command-line tool behind every Make target.

Each command is a few lines here; the work is in the module it names (build.py for build,
verify and check). Every failure is a message and an exit code, never a traceback.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from compassion_site.build import Edition, build, check_all, editions, verify
from compassion_site.content.load import load_content
from compassion_site.content.translations import SOURCE_LANGUAGE, load_translations, source_digest, write_templates
from compassion_site.errors import ContentError, ContentErrors, ErrorCollector, os_error_message
from compassion_site.gates.urls import MANIFEST, write_manifest
from compassion_site.mkdocs_adapter.config_file import config_errors, read_site_config, site_dir_problem
from compassion_site.output.publish import BuildBusy, Interrupted
from compassion_site.settings import SiteConfig


def site_slug(site_name: str) -> str:
    """The site's name as a file name: `Kindly Minds` -> `kindly-minds` (the offline copy is named after the site)."""
    ascii_name = unicodedata.normalize("NFKD", site_name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "site"


LOCAL_HOSTS = ("127.0.0.1", "localhost", "0.0.0.0", "::1")


def local_address_problem(site_url: str) -> str | None:
    """Handouts, posters and QR codes print the site's address: a local one reaches no reader."""
    from urllib.parse import urlparse

    host = urlparse(site_url).hostname or ""
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return (f"the site's address is {site_url}, a local address: printed handouts, posters and QR codes would send "
                "readers nowhere. Set SITE_URL to the public address (for example SITE_URL=https://example.org/ make build)")
    return None


def warn_or_refuse_local_address(*, deploy: bool) -> int:
    """A warning while trying the site out; an error for a build that is meant to be published (`--deploy`)."""
    problem = local_address_problem(os.environ.get("SITE_URL", "http://127.0.0.1:8000/"))
    if problem is None:
        return 0
    if deploy:
        print(f"build --deploy: {problem}", file=sys.stderr)
        return 1
    print(f"warning: {problem}", file=sys.stderr)
    return 0


def offline(main: SiteConfig) -> int:
    """A zip of the whole site that works opened from the file system, with no request to any other host."""
    os.environ["OFFLINE"] = "true"
    warn_or_refuse_local_address(deploy=False)
    out = main.root / "build" / "offline"
    name = site_slug(main.settings.site_name)
    if build(main, out / name, online=False) != 0:
        return 1
    archive = shutil.make_archive(str(main.root / "build" / f"{name}-offline"), "zip", root_dir=out, base_dir=name)
    print(f"offline: {archive} ({Path(archive).stat().st_size:,} bytes); unzip it and open {name}/index.html")
    return 0


def i18n_status(all_editions: list[Edition]) -> int:
    """Per translated edition: how many source files are translated, outdated or missing."""
    for edition in all_editions:
        config = edition.config
        if config.language == SOURCE_LANGUAGE:
            continue
        errors = ErrorCollector(config.root)
        try:
            content = load_content(config.root, docs_dir=config.docs_dir)
        except ContentErrors as exc:
            print(exc.report(), file=sys.stderr)
            return 1
        translations = load_translations(config.root, config.language, content, config.docs_dir, errors)
        counts = translations.counts()
        print(f"{config.language}: {counts['translated']} translated, {counts['outdated']} outdated, {counts['missing']} missing")
        for key, state in sorted(translations.status.items()):
            if state == "missing" or state == "outdated" and key.endswith(".md"):
                print(f"  {state}: {key} (translated_from: \"{source_digest(config.root / key)}\")")
        for string in translations.strings:  # per string of every item: what to translate again
            print(f"  {string.state}: {string.file} {string.field} (key {string.key})")
        for error in errors.errors:
            print(f"  error: {error}", file=sys.stderr)
    return 0


def i18n_templates(config: SiteConfig) -> int:
    """The English base files translators and Weblate work from, rewritten from the sources."""
    try:
        content = load_content(config.root, docs_dir=config.docs_dir)
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    changed = write_templates(content)
    for path in changed:
        print(f"i18n-templates: wrote {path.relative_to(config.root)}")
    print(f"i18n-templates: {sum(len(items) for items in content.items.values())} templates, {len(changed)} changed")
    return 0


SETTINGS_DOC = "FORKING.md"
SETTINGS_MARKERS = ("<!-- settings table: written by `compassion-site settings` from compassion_site/settings.py -->", "<!-- end of settings table -->")


def settings_doc(root: Path, *, write: bool) -> int:
    """Write (or, with write=False, check) the settings table of FORKING.md from settings.py."""
    from compassion_site.settings import settings_table

    path = root / SETTINGS_DOC
    text = path.read_text(encoding="utf-8")
    start, end = SETTINGS_MARKERS
    if start not in text or end not in text:
        print(f"settings: {SETTINGS_DOC} has no settings table markers ({start} ... {end})", file=sys.stderr)
        return 1
    head, rest = text.split(start, 1)
    updated = head + start + "\n" + settings_table() + end + rest.split(end, 1)[1]
    if updated == text:
        print(f"settings: the table in {SETTINGS_DOC} matches compassion_site/settings.py")
        return 0
    if not write:
        print(f"settings: the table in {SETTINGS_DOC} differs from compassion_site/settings.py; run compassion-site settings", file=sys.stderr)
        return 1
    path.write_text(updated, encoding="utf-8")
    print(f"settings: wrote the table in {SETTINGS_DOC}")
    return 0


def urls(config: SiteConfig, site_dir: Path, *, new: bool) -> int:
    """Record the addresses of the built site in urls.txt; `new` first builds a fork's first list."""
    if new:
        if (config.root / MANIFEST).is_file():
            print(f"urls: {MANIFEST} exists already; `make urls` adds the new addresses to it", file=sys.stderr)
            return 1
        if build(config, site_dir, new_manifest=True) != 0:
            return 1
    if not site_dir.is_dir():
        print(f"urls: {site_dir} does not exist; run make build first", file=sys.stderr)
        return 2
    print(f"urls: {write_manifest(site_dir, config.root)} addresses in {MANIFEST}")
    return 0


def edition(root: Path, action: list[str], *, name: str | None, region: str | None) -> int:
    """`edition add <lang>` or `edition remove <lang>`: see edition_files.py."""
    from compassion_site.mkdocs_adapter.edition_files import add_edition, remove_edition

    if len(action) != 2 or action[0] not in ("add", "remove"):
        print("usage: compassion-site edition add <lang> [--name NAME] [--region XX] | edition remove <lang>", file=sys.stderr)
        return 2
    verb, language = action
    done = add_edition(root, language, name=name, region=region) if verb == "add" else remove_edition(root, language)
    for line in done:
        print(f"edition {verb} {language}: {line}")
    print(f"edition {verb} {language}: done; run make check, then make build")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure is a message and an exit code, never a traceback."""
    try:
        return _run(argv)
    except ContentErrors as exc:
        print(config_errors(exc.errors), file=sys.stderr)
        return 1
    except BuildBusy as exc:
        print(f"build: {exc}", file=sys.stderr)
        return 1
    except (Interrupted, KeyboardInterrupt):
        print("compassion-site: stopped on request; the site was not changed and no engine is left running.", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"compassion-site: {os_error_message(exc)}; the site was not changed.", file=sys.stderr)
        return 1


def new_practice_command(root: Path, action: Sequence[str]) -> int:
    """`make new-practice SLUG=...`: a skeleton whose placeholders `check` names until filled in."""
    from compassion_site.content.scaffold import new_practice

    if len(action) != 1:
        print("new-practice: give one page address, like: compassion-site new-practice my-practice", file=sys.stderr)
        return 2
    try:
        created = new_practice(root, action[0])
    except (ValueError, FileExistsError) as exc:
        print(f"new-practice: {exc}", file=sys.stderr)
        return 1
    print(f"new-practice: wrote {created.relative_to(root)}; replace every FILL IN, then run make check")
    return 0


def _run(argv: Sequence[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="compassion-site", description=__doc__.splitlines()[0])
    commands = ["build", "verify", "check", "config", "i18n-status", "i18n-templates", "urls", "offline", "schemas", "settings", "edition", "new-practice"]
    parser.add_argument("command", choices=commands)
    parser.add_argument("action", nargs="*", help="edition: add <lang> or remove <lang>; new-practice: <slug>")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("-d", "--site-dir", type=Path, help="default: site_dir of the config")
    parser.add_argument("--new", action="store_true", help=f"urls: build a site that has no {MANIFEST} yet and start one")
    parser.add_argument("--check", action="store_true", help=f"settings: only check that the table in {SETTINGS_DOC} is current")
    parser.add_argument("--deploy", action="store_true", help="build: the site is to be published, so a local SITE_URL is an error")
    parser.add_argument("--name", help="edition add: the language's name in its own words (default: from Babel)")
    parser.add_argument("--region", help="edition add: a region for this edition only (default: the main site's)")
    args = parser.parse_args(argv)
    if args.action and args.command not in ("edition", "new-practice"):
        parser.error(f"{args.command} takes no further arguments")
    if not args.config_file.is_file():
        print(f"compassion-site: no config file at {args.config_file}", file=sys.stderr)
        return 2
    config = read_site_config(args.config_file)
    site_dir = (args.site_dir or config.site_dir).resolve()
    if args.site_dir and args.command in ("build", "urls"):
        problem = site_dir_problem(site_dir, config.root, config.docs_dir)
        if problem:
            raise ContentErrors([ContentError("--site-dir", None, None, problem)])
    if args.command == "build":
        if warn_or_refuse_local_address(deploy=args.deploy):
            return 1
        return build(config, site_dir)
    if args.command == "verify":
        return verify(editions(config), site_dir)
    if args.command == "check":
        return check_all(editions(config))
    if args.command == "config":
        print(f"config: {len(editions(config))} editions; every setting is valid")
        return 0
    if args.command == "i18n-status":
        return i18n_status(editions(config))
    if args.command == "i18n-templates":
        return i18n_templates(config)
    if args.command == "offline":
        return offline(config)
    if args.command == "urls":
        return urls(config, site_dir, new=args.new)
    if args.command == "edition":
        return edition(config.root, args.action, name=args.name, region=args.region)
    if args.command == "settings":
        return settings_doc(config.root, write=not args.check)
    if args.command == "new-practice":
        return new_practice_command(config.root, args.action)
    from compassion_site.schemas import write_schemas

    for path in write_schemas(config.root / "schemas"):
        print(f"schemas: wrote {path.relative_to(config.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
