"""`compassion-site build|verify|check|schemas`: the commands behind the Makefile.

`build` validates the content, runs the engine into a scratch folder, verifies every
HTML file there, and only then swaps it in for `site/`. A failure at any step leaves
the previous `site/` as it was, so a half-made site is never published.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from .errors import ContentErrors
from .harden import harden_site
from .pipeline import load_configured_site
from .readability import summary
from .safety import load_safety
from .site_config import SiteConfig, read_site_config
from .verify import verify_site


def check(config: SiteConfig) -> int:
    try:
        site = load_configured_site(config)
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    for warning in site.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    c = site.content
    low, median, high = summary(site.grades) if site.grades else (0.0, 0.0, 0.0)
    print(
        f"check: {len(c.practices)} practices, {len(c.myths)} myths, {len(c.references)} references, {len(c.pages)} pages: "
        f"no errors. Reading grade min {low:.1f} / median {median:.1f} / max {high:.1f}; {site.rule_count} safe-messaging rules."
    )
    return 0


def verify(config: SiteConfig, site_dir: Path, *, require_csp: bool = True) -> int:
    safety, errors = load_safety(config.root, region=config.region, language=config.language, max_age_days=config.helpline_max_age_days)
    if safety is None:
        print(ContentErrors(errors.errors).report(), file=sys.stderr)
        return 1
    if not site_dir.is_dir():
        print(f"verify: {site_dir} does not exist; run make build first", file=sys.stderr)
        return 2
    started = time.perf_counter()
    count, failures = verify_site(site_dir, expect_tels=safety.tel_numbers(), require_csp=require_csp, workers=os.cpu_count() or 1)
    for failure in failures:
        print(f"  - {failure}", file=sys.stderr)
    if failures:
        print(f"verify: {len(failures)} of {count} HTML files in {site_dir} fail the safety checks.", file=sys.stderr)
        return 1
    print(f"verify: {count} HTML files in {site_dir} have the crisis banner, the disclaimer and resolved citations ({time.perf_counter() - started:.2f} s).")
    return 0


def build(config: SiteConfig, site_dir: Path) -> int:
    if check(config) != 0:
        print("build: stopped before rendering; the site was not changed.", file=sys.stderr)
        return 1
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file", str(config.path), "--site-dir", str(scratch)],
            cwd=config.root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        if result.returncode != 0:
            print("build: the engine failed; the site was not changed.", file=sys.stderr)
            return 1
        harden_site(scratch)
        if verify(config, scratch, require_csp=True) != 0:
            print("build: verification failed; the site was not changed.", file=sys.stderr)
            return 1
        _swap_in(scratch, site_dir)
    finally:
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="compassion-site", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build", "verify", "check", "schemas"])
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("-d", "--site-dir", type=Path, help="default: site_dir of the config")
    args = parser.parse_args(argv)
    if not args.config_file.is_file():
        print(f"compassion-site: no config file at {args.config_file}", file=sys.stderr)
        return 2
    config = read_site_config(args.config_file)
    site_dir = (args.site_dir or config.site_dir).resolve()
    if args.command == "build":
        return build(config, site_dir)
    if args.command == "verify":
        return verify(config, site_dir)
    if args.command == "check":
        return check(config)
    from .schemas import write_schemas

    for path in write_schemas(config.root / "schemas"):
        print(f"schemas: wrote {path.relative_to(config.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
