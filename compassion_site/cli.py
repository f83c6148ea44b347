"""`compassion-site build|verify|check|i18n-status|schemas`: the commands behind the Makefile.

`build` checks every edition (mkdocs.yml, plus a mkdocs.<lang>.yml per translation),
runs the engine for all of them in parallel into a scratch folder, adds the security
policy, verifies every HTML file, and only then swaps the result in for `site/`. A
failure at any step leaves the previous `site/` as it was.
"""
from __future__ import annotations

import argparse
import os
import posixpath
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .content import load_content
from .engine_report import EngineReport, read_report
from .errors import ContentErrors, ErrorCollector
from .harden import PAGE_SUFFIXES, ScriptPolicy, base_paths, harden_site, policy_from_headers, theme_policy
from .search_index import write_search_script
from .safety import load_safety
from .shards import SHARD_ENV, merge_shards
from .site_config import SiteConfig, read_site_config
from .translations import SOURCE_LANGUAGE, load_translations, source_digest
from .urls import MANIFEST, load_redirects, manifest_errors, write_manifest
from .verify import Rules, verify_site


@dataclass(frozen=True)
class Edition:
    """One language of the site: its config, and the folder it occupies in the output."""

    config: SiteConfig
    subdir: str


def editions(main: SiteConfig) -> list[Edition]:
    others = sorted(p for p in main.root.glob(f"{main.path.stem}.*.yml") if len(p.suffixes) == 2 and 2 <= len(p.suffixes[0]) - 1 <= 3)
    return [Edition(main, "")] + [Edition(read_site_config(path), read_site_config(path).language) for path in others]


def check(edition: Edition, *, render_pages: bool = True) -> int:
    """Validate an edition and gate its words; `render_pages=False` when the engines render it anyway."""
    # Imported here, not at the top: the content pipeline is the slowest import of all, and
    # `verify` (which the benchmark times alone) has no use for it.
    from .pipeline import load_configured_site
    from .readability import metric_for, summary

    config = edition.config
    try:
        site = load_configured_site(config, render_pages=render_pages)
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    for warning in site.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    c = site.content
    low, median, high = summary(site.grades) if site.grades else (0.0, 0.0, 0.0)
    print(
        f"check [{config.language}]: {len(c.practices)} practices, {len(c.myths)} myths, {len(c.references)} references, "
        f"{len(c.pages)} pages: no errors. {metric_for(config.language).name} min {low:.1f} / median {median:.1f} / "
        f"max {high:.1f}; {site.rule_count} safe-messaging rules."
    )
    return 0


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
            redirects=frozenset(report.redirects) if report else None, site_path=report.site_path if report else "/",
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
    """Start MkDocs for one share of one edition in its own process group, its output kept in `log`."""
    from .pipeline import WORDS_CHECKED

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", WORDS_CHECKED: "1", "LOCALE_SITE_URL": site_url + (edition.subdir + "/" if edition.subdir else "")}
    env[SHARD_ENV] = f"{share[0]}/{share[1]}"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file", str(edition.config.path), "--site-dir", str(out)]
    with log.open("wb") as sink:
        return subprocess.Popen(command, cwd=edition.config.root, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(engines: list[subprocess.Popen[bytes]]) -> None:
    for engine in engines:
        if engine.poll() is None:
            try:
                os.killpg(engine.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        engine.wait()


def build(main: SiteConfig, site_dir: Path, *, online: bool = True, shares: int | None = None) -> int:
    """Publish every edition to `site_dir`; `online=False` makes the file-system edition, whose
    addresses end in .html, so the URL manifest does not apply to it.

    Each edition is rendered by `shares` engines at once (by default the cores left per
    edition), each taking a share of the item pages; see shards.py.
    """
    all_editions = editions(main)
    if shares is None:
        shares = max(1, (os.cpu_count() or 1) // len(all_editions)) if online else 1
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
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
        engines = [_engine(e, out(e, i), site_url, log, (i, shares)) for (e, i), log in zip(runs, logs)]
        if any([check(edition, render_pages=False) for edition in all_editions]):
            _stop(engines)
            print("build: stopped; the site was not changed.", file=sys.stderr)
            return 1
        failed = [engine.wait() != 0 for engine in engines]
        for log in logs:
            sys.stderr.write(log.read_text(encoding="utf-8", errors="replace"))
        if any(failed):
            print("build: the engine failed; the site was not changed.", file=sys.stderr)
            return 1
        for edition in all_editions:
            merge_shards(outputs[edition.subdir], [out(edition, i) for i in range(1, shares)])
        published = outputs[""]
        for edition in all_editions[1:]:
            os.rename(outputs[edition.subdir], published / edition.subdir)
        moved = manifest_errors(published, main.root, load_redirects(main.root, ErrorCollector(main.root))) if online else []
        if moved:
            print(ContentErrors(moved).report(), file=sys.stderr)
            print(f"build: an address in {MANIFEST} is gone; the site was not changed.", file=sys.stderr)
            return 1
        write_search_script(published, workers=os.cpu_count() or 1)
        reports = {e.subdir: read_report([outputs[e.subdir], *(out(e, i) for i in range(1, shares))]) for e in all_editions}
        policy = _site_policy(published, reports)
        harden_site(published, policy, workers=os.cpu_count() or 1)
        if verify(all_editions, published, require_csp=True, policy=policy, reports=reports) != 0:
            print("build: verification failed; the site was not changed.", file=sys.stderr)
            return 1
        _swap_in(published, site_dir)
    finally:
        _stop(engines)
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"build: published {site_dir}")
    return 0


def _swap_in(new: Path, target: Path) -> None:
    """Replace `target` with `new` by two renames, so readers never see a half-written folder."""
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    if target.exists():
        os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def offline(main: SiteConfig) -> int:
    """A zip of the whole site that works opened from the file system, with no request to any other host."""
    os.environ["OFFLINE"] = "true"
    out = main.root / "build" / "offline"
    if build(main, out / "compassion-site", online=False) != 0:
        return 1
    archive = shutil.make_archive(str(main.root / "build" / "compassion-site-offline"), "zip", root_dir=out, base_dir="compassion-site")
    print(f"offline: {archive} ({Path(archive).stat().st_size:,} bytes); unzip it and open compassion-site/index.html")
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
            if state != "translated":
                print(f"  {state}: {key} (translated_from: \"{source_digest(config.root / key)}\")")
        for error in errors.errors:
            print(f"  error: {error}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="compassion-site", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build", "verify", "check", "i18n-status", "urls", "offline", "schemas"])
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("-d", "--site-dir", type=Path, help="default: site_dir of the config")
    parser.add_argument("--shares", type=int, help="build: engines per edition (default: the cores per edition)")
    args = parser.parse_args(argv)
    if not args.config_file.is_file():
        print(f"compassion-site: no config file at {args.config_file}", file=sys.stderr)
        return 2
    config = read_site_config(args.config_file)
    site_dir = (args.site_dir or config.site_dir).resolve()
    if args.command == "build":
        return build(config, site_dir, shares=args.shares)
    if args.command == "verify":
        return verify(editions(config), site_dir)
    if args.command == "check":
        return 1 if any([check(edition) for edition in editions(config)]) else 0
    if args.command == "i18n-status":
        return i18n_status(editions(config))
    if args.command == "offline":
        return offline(config)
    if args.command == "urls":
        if not site_dir.is_dir():
            print(f"urls: {site_dir} does not exist; run make build first", file=sys.stderr)
            return 2
        print(f"urls: {write_manifest(site_dir, config.root)} addresses in {MANIFEST}")
        return 0
    from .schemas import write_schemas

    for path in write_schemas(config.root / "schemas"):
        print(f"schemas: wrote {path.relative_to(config.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
