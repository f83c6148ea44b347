"""Shared fixtures: the configured site, scratch copies of it to break, and one real build.

Every expectation about the site (its editions, each edition's region and crisis numbers,
its pages) is read here from the configured site, so the same tests protect any valid
fork. COMPASSION_SITE_ROOT points the tests at another copy of the site (a fork being
tried out); it defaults to this checkout. Checks of this project's own curriculum carry
the `curriculum` marker and are deselected (not skipped) when the site's pyproject.toml
says `[tool.compassion-site] curriculum_tests = false` (see FORKING.md).
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parent.parent
ROOT = Path(os.environ.get("COMPASSION_SITE_ROOT") or CHECKOUT).resolve()
PROJECT_PARTS = ["translations", "urls.txt", "redirects.yaml", "content", "practices", "myths", "references", "hooks", "overrides", "safety", "locales"]
# The test files whose checks are about this project's own curriculum as a whole.
CURRICULUM_FILES = ("test_curriculum.py",)


@dataclass(frozen=True)
class EditionFacts:
    """What every page of one edition must show, read from its config and safety/helplines.yaml."""

    language: str
    subdir: str  # the edition's folder in the built site; "" for the main edition
    region: str
    call: str | None  # tel: target of the region's first line, if it has a phone
    text: str | None  # sms: target of the region's first line, if it takes texts
    emergency: str  # tel: target of the region's emergency number

    def banner_links(self) -> list[str]:
        """The href every banner of this edition must carry."""
        links = [f"tel:{self.call}"] if self.call else []
        links += [f"sms:{self.text}"] if self.text else []
        return [*links, f"tel:{self.emergency}"]

    def folder(self, site: Path) -> Path:
        return site / self.subdir if self.subdir else site

    def pages(self, site: Path) -> list[Path]:
        """This edition's built pages (another edition's folder excluded)."""
        others = {e.subdir for e in configured_site().editions if e.subdir and e.subdir != self.subdir}
        folder = self.folder(site)
        return sorted(p for p in folder.rglob("*.html") if p.relative_to(folder).parts[0] not in others)


@dataclass(frozen=True)
class SiteFacts:
    root: Path
    site_name: str
    editions: tuple[EditionFacts, ...]

    @property
    def main(self) -> EditionFacts:
        return self.editions[0]

    def edition_of(self, site: Path, page: Path) -> EditionFacts:
        """The edition a built page belongs to."""
        first = page.relative_to(site).parts[0]
        return next((e for e in self.editions if e.subdir and e.subdir == first), self.main)


def configured_site(root: Path = ROOT) -> SiteFacts:
    """The site the tests protect: its editions (mkdocs.yml and every mkdocs.<lang>.yml), each
    edition's region and the crisis numbers its banner must carry. Read once per root."""
    return _read_site(root) if root != ROOT else _configured_root()


@functools.cache
def _configured_root() -> SiteFacts:
    return _read_site(ROOT)


def _read_site(root: Path) -> SiteFacts:
    from compassion_site.build import editions
    from compassion_site.mkdocs_adapter.config_file import read_site_config
    from compassion_site.safety.furniture import load_safety, tel_target

    main = read_site_config(root / "mkdocs.yml")
    facts = []
    for edition in editions(main):
        config = edition.config
        safety, errors = load_safety(root, region=config.region, language=config.language, max_age_days=config.helpline_max_age_days)
        assert safety is not None, [str(e) for e in errors.errors]
        channels = safety.crisis_line.channels
        call = next((c.number for c in channels if c.kind == "call" and c.press is None), None) or next((c.number for c in channels if c.kind == "call"), None)
        text = next((c.number for c in channels if c.kind == "text" and c.press is None), None) or next((c.number for c in channels if c.kind == "text"), None)
        facts.append(EditionFacts(config.language, edition.subdir, config.region, tel_target(call) if call else None,
                                  tel_target(text) if text else None, tel_target(safety.region.emergency)))
    return SiteFacts(root, main.settings.site_name, tuple(facts))


def curriculum_tests_enabled(root: Path = ROOT) -> bool:
    """`[tool.compassion-site] curriculum_tests` of the site's pyproject.toml (true when absent)."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return True
    settings = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("compassion-site", {})
    return bool(settings.get("curriculum_tests", True))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the curriculum files' tests `curriculum`, and deselect the group when the site turns it off.
    Deselected tests are not run and not skipped, so CI=true still passes."""
    for item in items:
        if item.path.name in CURRICULUM_FILES:
            item.add_marker(pytest.mark.curriculum)
    if curriculum_tests_enabled():
        return
    kept = [item for item in items if item.get_closest_marker("curriculum") is None]
    deselected = [item for item in items if item.get_closest_marker("curriculum") is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def copy_project(dest: Path) -> Path:
    """The site's content and config (every edition's file) in `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for config in sorted(ROOT.glob("mkdocs*.yml")):
        shutil.copy2(config, dest / config.name)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if not src.exists():
            continue
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    return dest


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "compassion_site", *args], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the project's content and config, free to break."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def site_facts() -> SiteFacts:
    """The configured site's editions, regions and crisis numbers."""
    return configured_site()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project, built once through `compassion-site build`."""
    site = tmp_path_factory.mktemp("built") / "site"
    result = run_cli("build", "--site-dir", str(site), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


# Browser: Debian's Chromium through Playwright; no browser is ever downloaded.

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed; run make browser (CI fails on any skip)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context_factory(browser):
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def page_paths(site: Path) -> list[str]:
    """Every built page as a URL path, 404 included."""
    paths = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        paths.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return paths


_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI=true a skipped test is a failure: CI must run everything."""
    if os.environ.get("CI") == "true" and _skipped:
        print(f"\nCI=true but {len(_skipped)} tests were skipped: " + ", ".join(_skipped), file=sys.stderr)
        session.exitstatus = 1
