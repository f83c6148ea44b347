"""A corpus of bad configuration: mkdocs.yml, mkdocs.<lang>.yml, locale strings, region keys and
redirects. Each case must stop `build` with exit code 1, a message naming the file and line,
no traceback, and leave an existing site/ byte for byte as it was.

Settings are read from the project's own config files, so a fork's values work as well.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from test_bad_inputs import minimal_project

from compassion_site.cli import SETTINGS_DOC, SETTINGS_MARKERS
from compassion_site.cli import main as cli_main
from compassion_site.content.locale_strings import placeholder_problems
from compassion_site.content.models import REQUIRED_STRINGS
from compassion_site.mkdocs_adapter.config_file import read_site_config
from compassion_site.settings import documented_settings, settings_table

from conftest import ROOT

SITE_FILES = {"index.html": "<p>the site readers have now</p>", "es/index.html": "<p>el sitio</p>"}


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def edition_file(root: Path) -> str:
    """A second edition's config, as a translator writes it: it inherits the main one."""
    language = next(p for p in (ROOT / "locales").glob("*.yaml") if p.stem != read_site_config(ROOT / "mkdocs.yml").language).stem
    return f"INHERIT: mkdocs.yml\nsite_dir: site/{language}\ntheme:\n  language: {language}\n"


@dataclass
class Case:
    name: str
    file: str
    pattern: str  # regex on the file's text, replaced once by `replacement`; "" appends
    replacement: str
    expect: list[str]


MAIN, EDITION = "mkdocs.yml", "mkdocs.xx.yml"
CASES = [
    Case("python-tag-apply", MAIN, r"(?m)^site_dir: .*$", "site_dir: !!python/object/apply:os.system ['touch PWNED']",
         [f"{MAIN}:", "!!python/object/apply:os.system is not allowed"]),
    Case("python-tag-name-nested", MAIN, r"(?m)^markdown_extensions:\n", "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:os.system\n",
         [f"{MAIN}:", "!!python/name:os.system is not allowed"]),
    Case("python-tag-in-edition", EDITION, "", "extra:\n  region: !!python/object/new:os.system [touch PWNED]\n",
         [f"{EDITION}:", "!!python/object/new:os.system is not allowed"]),
    Case("unknown-tag", MAIN, r"(?m)^docs_dir: (.*)$", r"docs_dir: !include \1", [f"{MAIN}:", "the tag !include is not allowed"]),
    Case("syntax-error-main", MAIN, r"(?m)^site_dir: (.*)$", r"site_dir: [\1", [f"{MAIN}:", "YAML syntax error"]),
    Case("syntax-error-edition", EDITION, "", "theme: {language: \n", [f"{EDITION}:", "YAML syntax error"]),
    Case("tab-indent-edition", EDITION, r"(?m)^  language", "\tlanguage", [f"{EDITION}:"]),
    Case("config-is-a-list", MAIN, r"(?s)^.*$", "- site_name: x\n", [f"{MAIN}:1", "should hold settings"]),
    Case("inherit-missing", EDITION, r"(?m)^INHERIT: .*$", "INHERIT: mkdocs.base.yml", [f"{EDITION}:1", "INHERIT names mkdocs.base.yml, which does not exist"]),
    Case("inherit-itself", EDITION, r"(?m)^INHERIT: .*$", f"INHERIT: {EDITION}", [f"{EDITION}:1", "cannot inherit from itself"]),
    Case("inherit-not-text", EDITION, r"(?m)^INHERIT: .*$", "INHERIT: [mkdocs.yml]", [f"{EDITION}:1", "INHERIT should name the config file"]),
    Case("max-age-not-a-number", MAIN, r"(?m)^  helpline_max_age_days: .*$", "  helpline_max_age_days: a year",
         [f"{MAIN}:", "(field 'extra.helpline_max_age_days'): should be a whole number, not str 'a year'"]),
    Case("max-age-zero", MAIN, r"(?m)^  helpline_max_age_days: .*$", "  helpline_max_age_days: 0", [f"{MAIN}:", "extra.helpline_max_age_days", "more than zero"]),
    Case("max-grade-a-list", MAIN, r"(?m)^    max_grade: .*$", "    max_grade: [8]", [f"{MAIN}:", "(field 'extra.reading_level.max_grade'): should be a number, not a list"]),
    Case("extra-typo", MAIN, r"(?m)^  helpline_max_age_days:", "  helpline_max_age_day:", [f"{MAIN}:", "extra.helpline_max_age_day", "not a setting this site reads"]),
    Case("reading-level-typo", MAIN, r"(?m)^    max_grade:", "    max_grades:", [f"{MAIN}:", "extra.reading_level.max_grades", "max_grade, max_median_grade, min_ease"]),
    Case("region-no-unquoted", MAIN, r"(?m)^  region: .*$", "  region: NO", [f"{MAIN}:", "extra.region", "put the code in quotes"]),
    Case("region-lowercase", MAIN, r"(?m)^  region: .*$", "  region: gb", [f"{MAIN}:", "extra.region", "does not have the expected form"]),
    Case("region-in-edition-wrong-type", EDITION, "", "extra:\n  region: 44\n", [f"{EDITION}:", "(field 'extra.region'): should be text, not int 44"]),
    Case("language-a-number", EDITION, r"(?m)^  language: .*$", "  language: 7", [f"{EDITION}:4", "theme.language", "should be text"]),
    Case("alternate-no-name", MAIN, r"(?m)^    - name: [^\n]*\n      link", "    - link", [f"{MAIN}:", "extra.alternate.0.name", "is required"]),
    Case("alternate-script-link", MAIN, r"(?m)^      link: /$", "      link: javascript:alert(1)", [f"{MAIN}:", "extra.alternate.0.link"]),
    Case("site-name-missing", MAIN, r"(?m)^site_name: .*\n", "", [f"{MAIN}", "site_name", "is required"]),
    Case("nav-title-markup", MAIN, r"(?m)^  - ([^:\n]+): index.md$", r"  - \1<img src=x onerror=alert(1)>: index.md", [f"{MAIN}:", "holds < or >"]),
    Case("site-dir-dot", MAIN, r"(?m)^site_dir: .*$", "site_dir: .", [f"{MAIN}:", "(field 'site_dir')", "the project folder or a folder around it"]),
    Case("site-dir-parent", MAIN, r"(?m)^site_dir: .*$", "site_dir: ..", [f"{MAIN}:", "(field 'site_dir')", "a folder around it"]),
    Case("site-dir-root", MAIN, r"(?m)^site_dir: .*$", "site_dir: /", [f"{MAIN}:", "(field 'site_dir')", "a folder around it"]),
    *[Case(f"site-dir-{folder.strip('.')}", MAIN, r"(?m)^site_dir: .*$", f"site_dir: {folder}", [f"{MAIN}:", "(field 'site_dir')", f"source folder {folder}/"])
      for folder in ("content", "practices", "myths", "references", "safety", "locales", "translations", "overrides", "hooks", ".git")],
    Case("site-dir-inside-sources", MAIN, r"(?m)^site_dir: .*$", "site_dir: practices/built", [f"{MAIN}:", "source folder practices/"]),
    Case("site-dir-holds-a-source", MAIN, r"(?m)^site_dir: .*$", "site_dir: notes", [f"{MAIN}:", "holds the source file plan.md"]),
    Case("site-dir-in-edition", EDITION, r"(?m)^site_dir: .*$", "site_dir: content", [f"{EDITION}:2", "source folder content/"]),
]

LOCALE = "locales/{language}.yaml"
LOCALE_CASES = [
    ("numbered", "{0}", "numbered placeholder {0}"),
    ("empty", "{}", "numbered placeholder {}"),
    ("stray-open", "{", "does not belong to a placeholder"),
    ("stray-close", "}", "does not belong to a placeholder"),
    ("attribute", "{n.__class__}", "reaches inside a value"),
    ("index", "{n[0]}", "reaches inside a value"),
    ("unknown", "{crisis_number}", "unknown placeholder {crisis_number}"),
    ("conversion", "{n!r}", "has {n!r}; write the placeholder as {n}"),
    ("format-spec", "{n:>99}", "has {n:>99}"),
    ("doubled", "{{", "doubled braces"),
]


def project_with_edition(tmp_path: Path) -> Path:
    root = minimal_project(tmp_path)
    shutil.rmtree(root / "translations")  # the edition shows the source pages, each with its notice
    (root / EDITION).write_text(edition_file(root))
    for rel, text in SITE_FILES.items():
        (root / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "site" / rel).write_text(text)
    (root / "notes").mkdir()
    (root / "notes" / "plan.md").write_text("# Plan\n")
    return root


def edit(root: Path, rel: str, pattern: str, replacement: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    if not pattern:
        path.write_text(text + replacement, encoding="utf-8")
        return
    new, count = re.subn(pattern, replacement, text, count=1)
    assert count == 1, (rel, pattern)
    path.write_text(new, encoding="utf-8")


def fails_cleanly(root: Path, capsys: pytest.CaptureFixture[str], expect: list[str], *, command: str = "build", located: bool = True) -> str:
    before = tree_digest(root / "site")
    code = cli_main([command, "--config-file", str(root / MAIN)])
    out = capsys.readouterr()
    output = out.out + out.err
    assert code == 1, output
    assert "Traceback" not in output
    assert "nothing was published" in output, output
    for fragment in expect:
        assert fragment in output, f"{fragment!r} not in:\n{output}"
    assert not located or re.search(r"- [\w./-]+:\d+", output), f"no file:line in:\n{output}"
    assert tree_digest(root / "site") == before, "site/ must stay byte for byte as it was"
    return output


def test_project_with_an_edition_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project_with_edition(tmp_path)
    assert cli_main(["check", "--config-file", str(root / MAIN)]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_config_fails_cleanly(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project_with_edition(tmp_path)
    edit(root, EDITION if case.file == EDITION else case.file, case.pattern, case.replacement)
    fails_cleanly(root, capsys, case.expect)
    assert not (root / "PWNED").exists(), "a tag in a config file ran a command"
    assert not list(root.glob(".site-building-*"))


def test_config_commands_read_config_safely(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every command, not only build, refuses a Python tag before anything reads the config."""
    root = project_with_edition(tmp_path)
    edit(root, MAIN, r"(?m)^site_dir: .*$", "site_dir: !!python/object/apply:os.system ['touch PWNED']")
    for command in ("check", "verify", "config", "i18n-status", "urls", "offline"):
        fails_cleanly(root, capsys, [f"{MAIN}:", "!!python/object/apply:os.system is not allowed"], command=command)
    assert not (root / "PWNED").exists()


def test_site_dir_option_is_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project_with_edition(tmp_path)
    before = tree_digest(root / "practices")
    code = cli_main(["build", "--config-file", str(root / MAIN), "--site-dir", str(root / "practices")])
    output = capsys.readouterr().err
    assert code == 1 and "--site-dir" in output and "source folder practices/" in output and "Traceback" not in output, output
    assert tree_digest(root / "practices") == before


@pytest.mark.parametrize("name,text,expect", LOCALE_CASES, ids=[c[0] for c in LOCALE_CASES])
def test_bad_locale_placeholder_fails_cleanly(name: str, text: str, expect: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every string of the locale, whether the build formats it or a template prints it, is checked."""
    root = project_with_edition(tmp_path)
    language = read_site_config(root / MAIN).language
    rel = LOCALE.format(language=language)
    key = "cite_label" if name in ("unknown", "conversion", "format-spec") else "banner_label"
    edit(root, rel, rf"(?m)^  {key}: (.*)$", rf"  {key}: '\1 {text}'")
    line = next(n for n, row in enumerate((root / rel).read_text().splitlines(), 1) if row.startswith(f"  {key}:"))
    fails_cleanly(root, capsys, [f"{rel}:{line} (field 'strings.{key}')", expect])


def test_helplines_region_key_read_as_boolean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project_with_edition(tmp_path)
    region = read_site_config(root / MAIN).region
    edit(root, "safety/helplines.yaml", "", "\nNO:\n  emergency: '112'\n")
    line = len((root / "safety/helplines.yaml").read_text().splitlines()) - 1
    fails_cleanly(root, capsys, [f"safety/helplines.yaml:{line}", "put it in quotes"])
    assert region  # the configured region is still read


def test_quoted_boolean_region_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = minimal_project(tmp_path)
    region = read_site_config(root / MAIN).region
    entry = yaml.safe_load((root / "safety/helplines.yaml").read_text())[region]
    edit(root, "safety/helplines.yaml", "", "\n" + yaml.safe_dump({"NO": entry}, allow_unicode=True))
    edit(root, MAIN, r"(?m)^  region: .*$", '  region: "NO"')
    assert cli_main(["check", "--config-file", str(root / MAIN)]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("redirects,expect", [
    ("practices/a/: practices/a/\n", "redirects to itself"),
    ("practices/a/: practices/b/\npractices/b/: practices/a/\n", "redirect loop (practices/a/ -> practices/b/ -> practices/a/)"),
    ("practices/a/: practices/b/\npractices/b/: practices/c/\npractices/c/: practices/b/\n", "redirect loop"),
], ids=["self", "two-step-loop", "loop-after-a-step"])
def test_redirect_loops_are_refused(redirects: str, expect: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project_with_edition(tmp_path)
    (root / "redirects.yaml").write_text("# test\n" + redirects)
    fails_cleanly(root, capsys, ["redirects.yaml:2 (field 'practices/a/')", expect])


def test_missing_url_manifest_stops_the_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project_with_edition(tmp_path)
    (root / "urls.txt").unlink()
    fails_cleanly(root, capsys, ["urls.txt: is missing", "make urls-new"], located=False)


def test_errors_of_shared_sources_are_listed_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Both editions read practices/: a broken practice is one error, not one per edition."""
    root = project_with_edition(tmp_path)
    edit(root, "practices/corpus-practice.yaml", r"(?m)^time: 5$", "time: five")
    output = fails_cleanly(root, capsys, ["practices/corpus-practice.yaml:"])
    assert output.count("practices/corpus-practice.yaml:") == 1, output


def test_settings_of_the_project_validate() -> None:
    for path in sorted(ROOT.glob("mkdocs*.yml")):
        config = read_site_config(path)
        assert config.settings.extra.reading_level.min_ease == config.settings.extra.reading_level.model_dump()["min_ease"]


def test_reading_level_settings_reach_the_gate(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every reading_level setting is read: max_grade fails the English pages of a build, and each
    setting, min_ease included, is what the gates get."""
    from compassion_site import pipeline

    root = project_with_edition(tmp_path)
    edit(root, EDITION, "", "extra:\n  reading_level:\n    min_ease: 200\n    min_median_ease: 201\n")
    edit(root, MAIN, r"(?m)^    max_grade: .*$", "    max_grade: -5.0")
    edit(root, MAIN, r"(?m)^    max_median_grade: .*$", "    max_median_grade: -6.0")
    fails_cleanly(root, capsys, ["is above the maximum -5.0", "above the maximum -6.0"], located=False)
    seen = []
    monkeypatch.setattr(pipeline, "load_site", lambda root, **settings: seen.append(settings["gates"]))
    pipeline.load_configured_site(read_site_config(root / EDITION))
    assert seen == [pipeline.Gates(max_grade=-5.0, max_median_grade=-6.0, min_ease=200, min_median_ease=201)]


def test_settings_docs_match_the_declaration() -> None:
    """FORKING.md's table is the one settings.py generates: a setting added, renamed or re-described
    there without `compassion-site settings` fails here."""
    text = (ROOT / SETTINGS_DOC).read_text(encoding="utf-8")
    start, end = SETTINGS_MARKERS
    assert text.split(start, 1)[1].split(end, 1)[0].strip("\n") == settings_table().strip("\n")
    documented = {name for name, *_ in documented_settings()}
    assert {"extra.region", "extra.alternate", "extra.helpline_max_age_days", "extra.reading_level.min_ease", "site_dir", "docs_dir",
            "theme.language"} <= documented


def test_every_placeholder_of_the_project_locales_passes() -> None:
    for path in sorted((ROOT / "locales").glob("*.yaml")):
        strings = yaml.safe_load(path.read_text(encoding="utf-8"))["strings"]
        for key, text in strings.items():
            assert placeholder_problems(key, text, REQUIRED_STRINGS[key]) == [], (path.name, key)
