"""A fork keeps every guarantee: a scripted fork of this site passes the safety and build tests.

The fork is what FORKING.md walks an organisation through: another region, a new name and
brand colours, Spanish (every other edition) removed with its addresses redirected, a new
partial French edition with a region of its own, and its own public address. The same test
files then run against the fork's copy (COMPASSION_SITE_ROOT), with the curriculum group
turned off in the fork's pyproject.toml, exactly as a fork's own `make test` would run them.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import (
    CHECKOUT,
    configured_site,
    copy_project,
    curriculum_tests_enabled,
    run_cli,
)

FIXTURES = Path(__file__).parent / "fixtures" / "fork"
FORK_NAME = "Northbridge Kindness Project"
FORK_URL = "https://kindness.example.org/"
FORK_REGION = "GB"
NEW_LANGUAGE, NEW_LANGUAGE_REGION = "fr", "FR"
# The fork's brand: a purple, checked by the build's own contrast check like any fork's colours.
BRAND = {"--md-primary-fg-color": "#4b2a6e", "--md-primary-fg-color--light": "#5d3a82",
         "--md-primary-fg-color--dark": "#321a4a", "--md-typeset-a-color": "#4b2a6e"}
# A few French words for the new edition's banner (the rest of its locale stays in English for now).
FRENCH_STRINGS = {"banner_lead": "Besoin d'aide ?", "banner_help_link": "Trouver de l'aide maintenant",
                  "banner_call": "Appelez le {call_link}", "banner_emergency": "Urgence : {emergency_link}"}
FRENCH_HELPLINES = {NEW_LANGUAGE_REGION: {"country": "France", "lines": {
    "numero-3114": {"audience": "Les personnes en détresse, les personnes inquiètes pour quelqu'un, et les personnes en deuil après un suicide."},
    "allo-119": {"audience": "Les enfants et les jeunes jusqu'à 21 ans, et les adultes inquiets pour un enfant.",
                 "hours": "Par téléphone, 24 h sur 24 et 7 jours sur 7."},
    "numero-3919": {"audience": "Les femmes qui font face à la violence, leurs proches, et les professionnels."},
}}}
# The safety and build tests the fork runs. Left out: tests that build the site two or three
# times over (their checks do not depend on the site's data) and the per-edition region test,
# whose case the fork's French edition already is.
FORK_TESTS = ["tests/test_build.py", "tests/test_safety.py", "tests/test_verify.py", "tests/test_contrast.py"]
NOT_IN_FORK_RUN = [
    "tests/test_build.py::test_a_failed_build_leaves_the_published_site_untouched",
    "tests/test_build.py::test_a_build_shared_out_between_engines_equals_a_single_engine_build",
    "tests/test_build.py::test_shared_navigation_gives_the_pages_the_theme_renders_without_it",
    "tests/test_safety.py::test_region_per_edition",
]


def edit(path: Path, pattern: str, replacement: str) -> None:
    text, count = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), count=1)
    assert count == 1, (path, pattern)
    path.write_text(text, encoding="utf-8")


def make_fork(dest: Path) -> Path:
    """Apply the fork, step by step as FORKING.md gives them, to a scratch copy of this site."""
    fork = copy_project(dest)
    (fork / "pyproject.toml").write_text("[tool.compassion-site]\ncurriculum_tests = false\n", encoding="utf-8")
    # 1. Rename and rebrand.
    edit(fork / "mkdocs.yml", r"(?m)^site_name: .*$", f"site_name: {FORK_NAME}")
    css = fork / "content" / "assets" / "site.css"
    for variable, colour in BRAND.items():
        edit(css, rf"{re.escape(variable)}: #[0-9a-fA-F]{{3,6}};", f"{variable}: {colour};")
    # 2. Set the region.
    edit(fork / "mkdocs.yml", r"(?m)^  region: \w+$", f"  region: {FORK_REGION}")
    # 3. Remove every edition but the main one; add a French one with a region of its own.
    for edition in configured_site(fork).editions[1:]:
        removed = run_cli("edition", "remove", edition.language, cwd=fork)
        assert removed.returncode == 0, removed.stderr
    added = run_cli("edition", "add", NEW_LANGUAGE, "--region", NEW_LANGUAGE_REGION, cwd=fork)
    assert added.returncode == 0, added.stderr
    for name in ("safe-messaging", "crisis-words"):
        if not (fork / "safety" / f"{name}.{NEW_LANGUAGE}.yaml").exists():
            shutil.copy(FIXTURES / f"{name}.{NEW_LANGUAGE}.yaml", fork / "safety")
    locale = fork / "locales" / f"{NEW_LANGUAGE}.yaml"
    for key, words in FRENCH_STRINGS.items():
        edit(locale, rf"(?m)^  {key}: .*$", f"  {key}: {yaml.safe_dump(words, allow_unicode=True).splitlines()[0]}")
    helplines = fork / "translations" / NEW_LANGUAGE / "safety" / "helplines.yaml"
    helplines.parent.mkdir(parents=True, exist_ok=True)
    helplines.write_text(yaml.safe_dump(FRENCH_HELPLINES, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return fork


@pytest.fixture(scope="module")
def fork(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_fork(tmp_path_factory.mktemp("fork") / "site")


def test_the_fork_is_what_forking_md_describes(fork: Path) -> None:
    site = configured_site(fork)
    assert site.site_name == FORK_NAME
    assert [(e.language, e.region) for e in site.editions] == [(site.main.language, FORK_REGION), (NEW_LANGUAGE, NEW_LANGUAGE_REGION)]
    assert not curriculum_tests_enabled(fork)
    redirects = yaml.safe_load((fork / "redirects.yaml").read_text(encoding="utf-8"))
    for removed in configured_site().editions[1:]:
        assert not (fork / f"mkdocs.{removed.language}.yml").exists() and not (fork / "translations" / removed.language).exists()
        assert redirects[f"{removed.subdir}/"] == ""


def test_the_fork_passes_the_safety_and_build_tests(fork: Path) -> None:
    env = {**os.environ, "COMPASSION_SITE_ROOT": str(fork), "SITE_URL": FORK_URL, "CI": "true", "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x", *FORK_TESTS,
               *(f"--deselect={test}" for test in NOT_IN_FORK_RUN)]
    result = subprocess.run(command, cwd=CHECKOUT, env=env, capture_output=True, text=True, check=False)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    print(f"fork run: {summary}")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in summary and "failed" not in summary and "skipped" not in summary, summary


def test_adding_then_removing_a_language_leaves_the_configs_as_they_were(project: Path) -> None:
    configs = {p.name: p.read_bytes() for p in project.glob("mkdocs*.yml")}
    added = run_cli("edition", "add", "xx", "--name", "Xx language", cwd=project)
    assert added.returncode == 0, added.stderr
    assert "still to do: write safety/safe-messaging.xx.yaml" in added.stdout
    main = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- name: Xx language\n" in main and "link: /xx/\n" in main
    assert (project / "locales" / "xx.yaml").read_text(encoding="utf-8").count("\nlanguage: xx\n") == 1
    again = run_cli("edition", "add", "xx", cwd=project)
    assert again.returncode == 1 and "mkdocs.xx.yml" in again.stderr and "Traceback" not in again.stderr
    removed = run_cli("edition", "remove", "xx", cwd=project)
    assert removed.returncode == 0, removed.stderr
    assert {p.name: p.read_bytes() for p in project.glob("mkdocs*.yml")} == configs
    assert not (project / "locales" / "xx.yaml").exists() and not (project / "translations" / "xx").exists()


def test_the_source_language_cannot_be_removed(project: Path) -> None:
    source = configured_site(project).main.language
    result = run_cli("edition", "remove", source, cwd=project)
    assert result.returncode == 1 and "source language" in result.stderr and "Traceback" not in result.stderr


def test_removing_a_language_redirects_each_published_address_to_the_source_page(tmp_path: Path) -> None:
    from compassion_site.mkdocs_adapter.edition_files import removal_redirects

    (tmp_path / "urls.txt").write_text("# list\n/\n404.html\nlearn/shame/\nxx/\nxx/404.html\nxx/learn/shame/\nxx/only-here/\n")
    assert removal_redirects(tmp_path, "xx") == {"xx/": "", "xx/learn/shame/": "learn/shame/", "xx/only-here/": ""}


def test_a_redirect_from_a_not_found_page_or_to_slash_gets_a_message_not_a_crash(tmp_path: Path) -> None:
    from compassion_site.errors import ErrorCollector
    from compassion_site.gates.urls import load_redirects

    (tmp_path / "redirects.yaml").write_text("es/404.html: 404.html\nes/: /\n")
    errors = ErrorCollector(tmp_path)
    redirects = load_redirects(tmp_path, errors)
    (error,) = errors.errors
    assert error.line == 1 and "not-found page" in error.message and "remove this line" in error.message
    assert redirects["es/"] == ""  # "/" is the home page
