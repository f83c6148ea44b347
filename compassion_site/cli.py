"""`compassion-site build|verify|check|config|edition|i18n-status|i18n-templates|urls|offline|schemas|settings`: the commands behind the Makefile.

`build` checks every edition (mkdocs.yml, plus a mkdocs.<lang>.yml per translation),
runs the engine for all of them in parallel into a scratch folder, adds the security
policy, verifies every HTML file, and only then swaps the result in for `site/` in one
step (publish.py). A failure, a Ctrl-C or a kill at any step leaves the previous `site/`
as it was; every failure is a message, never a traceback.
"""
from __future__ import annotations

import argparse
import errno
import functools
import os
import posixpath
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .content import load_content
from .engine_report import EngineReport, read_report
from .errors import ContentError, ContentErrors, ErrorCollector, sort_errors
from .harden import (
    PAGE_SUFFIXES,
    ScriptPolicy,
    base_paths,
    harden_site,
    policy_from_headers,
    theme_policy,
)
from .publish import (
    BuildBusy,
    Interrupted,
    build_lock,
    clean_stale,
    die_with_parent,
    raise_if_stopped,
    scratch_prefix,
    signals_held,
    stop_on_signals,
    swap_in,
)
from .safety import load_safety
from .search_index import write_search_script
from .shards import SHARD_ENV, merge_shards
from .site_config import SiteConfig, config_errors, read_site_config, site_dir_problem
from .translations import SOURCE_LANGUAGE, load_translations, source_digest, write_templates
from .urls import (
    MANIFEST,
    REDIRECTS,
    built_redirects,
    load_redirects,
    manifest_errors,
    redirect_target_errors,
    write_manifest,
)
from .verify import Rules, verify_site


@dataclass(frozen=True)
class Edition:
    """One language of the site: its config, and the folder it occupies in the output."""

    config: SiteConfig
    subdir: str


def editions(main: SiteConfig) -> list[Edition]:
    """The main edition and one per mkdocs.<lang>.yml; raises ContentErrors listing every config error."""
    others = sorted(p for p in main.root.glob(f"{main.path.stem}.*.yml") if len(p.suffixes) == 2 and 2 <= len(p.suffixes[0]) - 1 <= 3)
    found, errors = [Edition(main, "")], []
    for path in others:
        try:
            config = read_site_config(path)
        except ContentErrors as exc:
            errors += exc.errors
            continue
        found.append(Edition(config, config.language))
    if errors:
        raise ContentErrors(sort_errors(errors))
    return found


def check_all(all_editions: list[Edition], *, render_pages: bool = True, also: Sequence[ContentError] = ()) -> int:
    """Check every edition, then report their errors (and `also`) once each: an error in a
    source the editions share is the same error, and is listed once."""
    errors: list[ContentError] = list(also)
    for edition in all_editions:
        try:
            check(edition, render_pages=render_pages)
        except ContentErrors as exc:
            errors += exc.errors
    if errors:
        print(ContentErrors(sort_errors(errors)).report(), file=sys.stderr)
        return 1
    return 0


def check(edition: Edition, *, render_pages: bool = True) -> None:
    """Validate an edition and gate its words; `render_pages=False` when the engines render it anyway.
    Raises ContentErrors with every problem found."""
    # Imported here, not at the top: the content pipeline is the slowest import of all, and
    # `verify` (which the benchmark times alone) has no use for it.
    from .pipeline import load_configured_site
    from .readability import metric_for, summary

    config = edition.config
    site = load_configured_site(config, render_pages=render_pages)
    for warning in site.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    c = site.content
    low, median, high = summary(site.grades) if site.grades else (0.0, 0.0, 0.0)
    metric = metric_for(config.language)
    reading = f"{metric.name} min {low:.1f} / median {median:.1f} / max {high:.1f}" if metric else "reading level not graded"
    print(
        f"check [{config.language}]: {len(c.practices)} practices, {len(c.myths)} myths, {len(c.references)} references, "
        f"{len(c.pages)} pages: no errors. {reading}; {site.rule_count} safe-messaging rules."
    )


def verify(all_editions: list[Edition], site_dir: Path, *, require_csp: bool = True,
           policy: ScriptPolicy | None = None, reports: dict[str, EngineReport] | None = None) -> int:
    """Check every edition. Run on its own (no `policy`, no `reports`), `verify` checks against the policy the
    build recorded in `_headers`, and cannot tell the theme's script files or the redirect pages from others."""
    if not site_dir.is_dir():
        print(f"verify: {site_dir} does not exist; run make build first", file=sys.stderr)
        return 2
    started = time.perf_counter()
    policy = policy or policy_from_headers(site_dir)
    if policy is None:
        print(f"verify: {site_dir}/_headers is missing, so the script policy is unknown; run make build", file=sys.stderr)
        return 1
    total, failed = 0, 0
    subdirs = [e.subdir for e in all_editions if e.subdir]
    for edition in all_editions:
        config = edition.config
        safety, errors = load_safety(config.root, region=config.region, language=config.language, max_age_days=config.helpline_max_age_days)
        if safety is None:
            print(ContentErrors(errors.errors).report(), file=sys.stderr)
            return 1
        folder = site_dir / edition.subdir if edition.subdir else site_dir
        report = (reports or {}).get(edition.subdir)
        rules = Rules(
            policy, expect_tels=tuple(safety.tel_numbers()), require_csp=require_csp, check_files=report is not None,
            redirects=frozenset(report.redirects) if report else built_redirects(config.root, folder), site_path=report.site_path if report else "/",
        )
        count, failures = verify_site(
            folder, rules, workers=os.cpu_count() or 1, exclude=() if edition.subdir else subdirs, sources=report.sources if report else None,
        )
        for failure in failures:
            print(f"  - {replace(failure, path=posixpath.join(edition.subdir, failure.path))}", file=sys.stderr)
        total, failed = total + count, failed + len(failures)
    if failed:
        print(f"verify: {failed} of {total} files in {site_dir} fail the safety checks.", file=sys.stderr)
        return 1
    print(f"verify: {total} files in {site_dir} have the crisis banner, the disclaimer, resolved citations and only the theme's scripts ({time.perf_counter() - started:.2f} s).")
    return 0


def _site_policy(site: Path, reports: dict[str, EngineReport]) -> ScriptPolicy:
    """The fixed script policy of the merged site, from the templates the engines reported (see harden.py)."""
    any_report = next(iter(reports.values()))
    depth = max((len(p.relative_to(site).parts) - 1 for p in site.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES), default=0)
    bases = base_paths(depth, [r.site_path for r in reports.values()])
    return theme_policy([Path(d) for d in any_report.template_dirs], bases=bases, extra_javascript=any_report.extra_javascript)


def _engine(edition: Edition, out: Path, site_url: str, log: Path, share: tuple[int, int]) -> subprocess.Popen[bytes]:
    """Start MkDocs for one share of one edition in its own process group, its output kept in `log`;
    it dies with this process, even when this one is killed outright."""
    from .pipeline import WORDS_CHECKED

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", WORDS_CHECKED: "1", "LOCALE_SITE_URL": site_url + (edition.subdir + "/" if edition.subdir else "")}
    env[SHARD_ENV] = f"{share[0]}/{share[1]}"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file", str(edition.config.path), "--site-dir", str(out)]
    with log.open("wb") as sink:
        return subprocess.Popen(command, cwd=edition.config.root, env=env, stdout=sink, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=functools.partial(die_with_parent, os.getpid()))  # noqa: PLW1509 - started before the build runs any thread


def _stop(engines: list[subprocess.Popen[bytes]]) -> None:
    """End every engine and whatever it started (each runs in a process group of its own)."""
    for engine in engines:
        if engine.poll() is None:
            try:
                os.killpg(engine.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    for engine in engines:
        try:
            engine.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(engine.pid, signal.SIGKILL)
            engine.wait()


_OS_REASONS = {errno.ENOSPC: "the disk is full; free some space and build again",
               errno.EDQUOT: "the disk quota is used up; free some space and build again",
               errno.EACCES: "permission denied; check who owns the folder and that it may be written",
               errno.EPERM: "permission denied; check who owns the folder and that it may be written",
               errno.EROFS: "the file system is read-only; build in a folder that may be written"}
_ENGINE_OS_ERROR = re.compile(r"^(?:\w+\.)*(\w*Error): \[Errno (\d+)\] ([^:\n]*)(?:: '([^'\n]*)')?", re.MULTILINE)


def os_error_message(exc: OSError) -> str:
    """Which path, and why, in words: never a traceback."""
    where = exc.filename or "a file"
    reason = _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    return f"cannot write or read {where}: {reason}"


def engine_report(log: str) -> str:
    """An engine's output for a reader: a Python traceback is cut to the error it ends with,
    and an error of the file system is said in words with its path."""
    if "Traceback (most recent call last)" not in log:
        return log
    before = log.split("Traceback (most recent call last)")[0]
    found = _ENGINE_OS_ERROR.search(log)
    if found:
        code = int(found.group(2))
        return before + f"engine: {os_error_message(OSError(code, found.group(3), found.group(4)))}\n"
    last = [line for line in log.strip().splitlines() if line and not line.startswith(" ")][-1:]
    return before + f"engine: stopped with an error: {last[0] if last else 'unknown'}\n"


def build(main: SiteConfig, site_dir: Path, *, online: bool = True, shares: int | None = None, new_manifest: bool = False) -> int:
    """Publish every edition to `site_dir`; `online=False` makes the file-system edition, whose
    addresses end in .html, so the URL manifest does not apply to it. `new_manifest` builds a
    site that has no urls.txt yet (`compassion-site urls --new`).

    Each edition is rendered by `shares` engines at once (by default the cores left per
    edition), each taking a share of the item pages; see shards.py.
    """
    all_editions = editions(main)
    missing: list[ContentError] = []
    if online and not new_manifest and not (main.root / MANIFEST).is_file():
        missing.append(ContentError(MANIFEST, None, None, "is missing, so moved or removed addresses could not be caught. Restore it "
                                    "from git, or start a new list with `make urls-new` (see FORKING.md)"))
    if shares is None:
        shares = max(1, (os.cpu_count() or 1) // len(all_editions)) if online else 1
    with build_lock(site_dir), stop_on_signals():
        for stale in clean_stale(site_dir):
            print(f"build: removed {stale.name}, left by an earlier build that was stopped", file=sys.stderr)
        return _build_locked(main, all_editions, site_dir, online=online, shares=shares, missing=missing)


def _build_locked(main: SiteConfig, all_editions: list[Edition], site_dir: Path, *, online: bool, shares: int, missing: list[ContentError]) -> int:
    scratch = Path(tempfile.mkdtemp(prefix=scratch_prefix(site_dir), dir=site_dir.parent))
    site_url = os.environ.get("SITE_URL", "http://127.0.0.1:8000/").rstrip("/") + "/"
    engines: list[subprocess.Popen[bytes]] = []
    try:
        # The engines render into the scratch folder while this process checks the words;
        # nothing is published unless both succeed, so the order does not matter to readers.
        outputs = {e.subdir: (scratch / "main" if not e.subdir else scratch / e.subdir) for e in all_editions}
        runs = [(e, i) for e in all_editions for i in range(shares)]

        def out(edition: Edition, share: int) -> Path:
            return outputs[edition.subdir] if share == 0 else scratch / f"{edition.subdir or 'main'}-share-{share}"

        logs = [scratch / f"engine-{e.subdir or 'main'}-{i}.log" for e, i in runs]
        for (edition, share), log in zip(runs, logs, strict=True):
            with signals_held():
                engines.append(_engine(edition, out(edition, share), site_url, log, (share, shares)))
        if check_all(all_editions, render_pages=False, also=missing):
            raise_if_stopped()
            _stop(engines)
            print("build: stopped; the site was not changed.", file=sys.stderr)
            return 1
        failed = [engine.wait() != 0 for engine in engines]
        raise_if_stopped()
        messages = dict.fromkeys(engine_report(log.read_text(encoding="utf-8", errors="replace")) for log in logs)
        for message in messages:  # the same message from several shares is shown once
            sys.stderr.write(message)
        if any(failed):
            print("build: the engine failed; the site was not changed.", file=sys.stderr)
            return 1
        for edition in all_editions:
            merge_shards(outputs[edition.subdir], [out(edition, i) for i in range(1, shares)])
        published = outputs[""]
        for edition in all_editions[1:]:
            os.rename(outputs[edition.subdir], published / edition.subdir)
        if online:
            redirects = load_redirects(main.root, ErrorCollector(main.root))
            moved = redirect_target_errors(published, main.root, redirects) + manifest_errors(published, main.root, redirects)
            if moved:
                print(ContentErrors(sort_errors(moved)).report(), file=sys.stderr)
                print(f"build: an address in {MANIFEST} or {REDIRECTS} does not lead to a page; the site was not changed.", file=sys.stderr)
                return 1
        write_search_script(published, workers=os.cpu_count() or 1)
        reports: dict[str, EngineReport] = {e.subdir: read_report([outputs[e.subdir], *(out(e, i) for i in range(1, shares))]) for e in all_editions}
        policy = _site_policy(published, reports)
        harden_site(published, policy, workers=os.cpu_count() or 1)
        if verify(all_editions, published, require_csp=True, policy=policy, reports=reports) != 0:
            print("build: verification failed; the site was not changed.", file=sys.stderr)
            return 1
        raise_if_stopped()
        swap_in(published, site_dir)
    finally:
        _stop(engines)
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"build: published {site_dir}")
    return 0


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
        for string in translations.strings:  # per string in practices and myths: what to translate again
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
    print(f"i18n-templates: {len(content.practices) + len(content.myths)} templates, {len(changed)} changed")
    return 0


SETTINGS_DOC = "FORKING.md"
SETTINGS_MARKERS = ("<!-- settings table: written by `compassion-site settings` from compassion_site/settings.py -->", "<!-- end of settings table -->")


def settings_doc(root: Path, *, write: bool) -> int:
    """Write (or, with write=False, check) the settings table of FORKING.md from settings.py."""
    from .settings import settings_table

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
    from .edition_files import add_edition, remove_edition

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
    from .scaffold import new_practice

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
    parser.add_argument("--shares", type=int, help="build: engines per edition (default: the cores per edition)")
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
        return build(config, site_dir, shares=args.shares)
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
    from .schemas import write_schemas

    for path in write_schemas(config.root / "schemas"):
        print(f"schemas: wrote {path.relative_to(config.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
