"""`compassion-site build`: every edition checked, rendered by its engines in a scratch folder,
hardened and verified, and only then published.

`build` checks every edition (mkdocs.yml, plus a mkdocs.<lang>.yml per translation), runs the
engine for all of them in parallel into a scratch folder (mkdocs_adapter/engine.py), adds the
security policy, verifies every HTML file, and only then swaps the result in for `site/` in one
step (output/publish.py). A failure, a Ctrl-C or a kill at any step leaves the previous `site/`
as it was; every failure is a message, never a traceback.
"""
from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from compassion_site.content.kinds import KINDS
from compassion_site.errors import ContentError, ContentErrors, ErrorCollector, sort_errors
from compassion_site.gates.urls import (
    MANIFEST,
    REDIRECTS,
    built_redirects,
    load_redirects,
    manifest_errors,
    redirect_target_errors,
)
from compassion_site.mkdocs_adapter.config_file import read_site_config
from compassion_site.mkdocs_adapter.engine import readable_log, start_engine, stop_engines
from compassion_site.output.engine_report import EngineReport, read_report
from compassion_site.output.harden import (
    PAGE_SUFFIXES,
    ScriptPolicy,
    base_paths,
    harden_site,
    policy_from_headers,
    theme_policy,
)
from compassion_site.output.publish import (
    build_lock,
    clean_stale,
    raise_if_stopped,
    scratch_prefix,
    signals_held,
    stop_on_signals,
    swap_in,
)
from compassion_site.output.search_index import write_search_script
from compassion_site.output.verify import Rules, verify_site
from compassion_site.safety.furniture import load_safety
from compassion_site.settings import SiteConfig


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
    from compassion_site.gates.readability import metric_for, summary
    from compassion_site.pipeline import load_configured_site

    config = edition.config
    site = load_configured_site(config, render_pages=render_pages)
    for warning in site.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    c = site.content
    low, median, high = summary(site.grades) if site.grades else (0.0, 0.0, 0.0)
    metric = metric_for(config.language)
    reading = f"{metric.name} min {low:.1f} / median {median:.1f} / max {high:.1f}" if metric else "reading level not graded"
    print(
        f"check [{config.language}]: {''.join(f'{len(c.items[kind.folder])} {kind.folder}, ' for kind in KINDS)}{len(c.references)} references, "
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


def build(main: SiteConfig, site_dir: Path, *, online: bool = True, new_manifest: bool = False) -> int:
    """Publish every edition to `site_dir`; `online=False` makes the file-system edition, whose
    addresses end in .html, so the URL manifest does not apply to it. `new_manifest` builds a
    site that has no urls.txt yet (`compassion-site urls --new`).

    Each edition is rendered by one engine, the editions at once. Sharing one edition out
    between several engines was measured and gained nothing on two cores (benchmarks/README.md).
    """
    all_editions = editions(main)
    missing: list[ContentError] = []
    if online and not new_manifest and not (main.root / MANIFEST).is_file():
        missing.append(ContentError(MANIFEST, None, None, "is missing, so moved or removed addresses could not be caught. Restore it "
                                    "from git, or start a new list with `make urls-new` (see FORKING.md)"))
    with build_lock(site_dir), stop_on_signals():
        for stale in clean_stale(site_dir):
            print(f"build: removed {stale.name}, left by an earlier build that was stopped", file=sys.stderr)
        return _build_locked(main, all_editions, site_dir, online=online, missing=missing)


def _build_locked(main: SiteConfig, all_editions: list[Edition], site_dir: Path, *, online: bool, missing: list[ContentError]) -> int:
    scratch = Path(tempfile.mkdtemp(prefix=scratch_prefix(site_dir), dir=site_dir.parent))
    site_url = os.environ.get("SITE_URL", "http://127.0.0.1:8000/").rstrip("/") + "/"
    engines: list[subprocess.Popen[bytes]] = []
    try:
        # The engines render into the scratch folder while this process checks the words;
        # nothing is published unless both succeed, so the order does not matter to readers.
        outputs = {e.subdir: (scratch / "main" if not e.subdir else scratch / e.subdir) for e in all_editions}
        logs = [scratch / f"engine-{e.subdir or 'main'}.log" for e in all_editions]
        for edition, log in zip(all_editions, logs, strict=True):
            with signals_held():
                engines.append(start_engine(edition.config, outputs[edition.subdir], site_url + (edition.subdir + "/" if edition.subdir else ""), log))
        if check_all(all_editions, render_pages=False, also=missing):
            raise_if_stopped()
            stop_engines(engines)
            print("build: stopped; the site was not changed.", file=sys.stderr)
            return 1
        failed = [engine.wait() != 0 for engine in engines]
        raise_if_stopped()
        messages = dict.fromkeys(readable_log(log.read_text(encoding="utf-8", errors="replace")) for log in logs)
        for message in messages:  # the same message from several editions (a shared source) is shown once
            sys.stderr.write(message)
        if any(failed):
            print("build: the engine failed; the site was not changed.", file=sys.stderr)
            return 1
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
        reports: dict[str, EngineReport] = {e.subdir: read_report(outputs[e.subdir]) for e in all_editions}
        policy = _site_policy(published, reports)
        harden_site(published, policy, workers=os.cpu_count() or 1)
        if verify(all_editions, published, require_csp=True, policy=policy, reports=reports) != 0:
            print("build: verification failed; the site was not changed.", file=sys.stderr)
            return 1
        raise_if_stopped()
        swap_in(published, site_dir)
    finally:
        stop_engines(engines)
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"build: published {site_dir}")
    return 0

