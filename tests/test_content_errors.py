"""A bad content file stops the build with one clear report: file, field, line, never a traceback."""
from __future__ import annotations

from pathlib import Path

import pytest

from compassion_site.content.load import load_content
from compassion_site.errors import ContentErrors

from conftest import run_cli

GOOD_PRACTICE = """\
title: Test practice
summary: A short practice for tests.
time: 5
suits: Anyone who wants a test.
steps:
  - Sit down.
  - Breathe out slowly [@neff2003a].
why: It helps you slow down.
evidence: People who are kind to themselves tend to feel better [@zessin2015].
cautions: Stop if it feels like too much, and get help.
variations:
  - Try it standing up.
references: [neff2003a]
last_reviewed: 2026-11-20
next_review: 2027-11-20
evidence_level: linked_not_tested
"""


def errors_of(root: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_content(root)
    return [str(e) for e in caught.value.errors]


def write_practice(project: Path, text: str, name: str = "test-practice.yaml") -> Path:
    path = project / "practices" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_practice_loads(project: Path) -> None:
    write_practice(project, GOOD_PRACTICE)
    assert "test-practice" in load_content(project).items["practices"]


def test_unknown_citation_names_file_field_line_and_id(project: Path) -> None:
    write_practice(project, GOOD_PRACTICE.replace("[@zessin2015]", "[@nobody2099]"))
    assert errors_of(project) == [
        "practices/test-practice.yaml:9 (field 'evidence'): cites unknown reference id 'nobody2099'"
    ]


def test_unknown_id_in_reference_list(project: Path) -> None:
    write_practice(project, GOOD_PRACTICE.replace("references: [neff2003a]", "references: [neff2003a, ghost1999]"))
    assert errors_of(project) == [
        "practices/test-practice.yaml:13 (field 'references'): lists unknown reference id 'ghost1999'"
    ]


def test_missing_title(project: Path) -> None:
    write_practice(project, GOOD_PRACTICE.replace("title: Test practice\n", ""))
    assert errors_of(project) == ["practices/test-practice.yaml:1 (field 'title'): required field 'title' is missing"]


def test_yaml_syntax_error_names_the_line(project: Path) -> None:
    write_practice(project, GOOD_PRACTICE.replace("time: 5", "time: [5"))
    (message,) = errors_of(project)
    assert message.startswith("practices/test-practice.yaml:")
    assert "YAML syntax error" in message


def test_unknown_key_lists_allowed_fields(project: Path) -> None:
    write_practice(project, GOOD_PRACTICE + "colour: blue\n")
    (message,) = errors_of(project)
    assert message.startswith("practices/test-practice.yaml:17 (field 'colour'): unknown field 'colour'")
    assert "allowed fields:" in message


def test_wrong_type_is_explained(project: Path) -> None:
    write_practice(project, GOOD_PRACTICE.replace("time: 5", 'time: "five"'))
    assert errors_of(project) == [
        "practices/test-practice.yaml:3 (field 'time'): should be a whole number, not str 'five'"
    ]


def test_duplicate_key_and_tab_are_errors(project: Path) -> None:
    write_practice(project, GOOD_PRACTICE.replace("time: 5", "time: 5\ntime: 6"))
    write_practice(project, GOOD_PRACTICE.replace("  - Sit down.", "\t- Sit down."), name="tabbed.yaml")
    messages = errors_of(project)
    assert any("tabbed.yaml:6" in m and "tab character" in m for m in messages), messages
    assert any("test-practice.yaml:4" in m and "appears twice (first on line 3)" in m for m in messages), messages


def test_duplicate_reference_id_across_files(project: Path) -> None:
    (project / "references" / "extra.yaml").write_text(
        "- id: neff2003a\n  type: webpage\n  authors: [A]\n  title: T\n  container: C\n"
        "  url: https://example.org/\n  verification: confirmed\n"
    )
    (message,) = errors_of(project)
    assert message.startswith("references/extra.yaml:1 (field 'id'): duplicate reference id 'neff2003a'")


def test_every_error_in_the_tree_is_reported_at_once(project: Path) -> None:
    write_practice(project, GOOD_PRACTICE.replace("title: Test practice\n", ""), name="one.yaml")
    write_practice(project, GOOD_PRACTICE.replace("[@zessin2015]", "[@nobody2099]"), name="two.yaml")
    write_practice(project, "title: [\n", name="three.yaml")
    messages = errors_of(project)
    assert [m.split(":")[0] for m in messages] == ["practices/one.yaml", "practices/three.yaml", "practices/two.yaml"]


def test_citation_in_markdown_page_names_its_line(project: Path) -> None:
    page = project / "content" / "get-help.md"
    page.write_text(page.read_text() + "\nA claim [@nobody2099].\n")
    line = page.read_text().splitlines().index("A claim [@nobody2099].") + 1
    assert errors_of(project) == [f"content/get-help.md:{line}: cites unknown reference id 'nobody2099'"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("[@zessin2015]", "[@nobody2099]"), ["test-practice.yaml:9", "evidence", "nobody2099"]),
        (lambda t: t.replace("title: Test practice\n", ""), ["test-practice.yaml:1", "'title'", "missing"]),
        (lambda t: t.replace("time: 5", "time: [5"), ["test-practice.yaml:", "YAML syntax error"]),
    ],
    ids=["unknown-citation", "missing-title", "yaml-syntax"],
)
def test_build_command_fails_with_one_clear_report(project: Path, change, expected: list[str]) -> None:
    write_practice(project, change(GOOD_PRACTICE))
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    report = result.stderr
    assert "Traceback" not in report and "Traceback" not in result.stdout
    for fragment in expected:
        assert fragment in report, report
    report = "\n".join(line for line in report.splitlines() if not line.startswith("warning: "))  # e.g. the local address
    assert report.startswith("The content has 1 error; nothing was published:"), report
    assert not (project / "site").exists()


def test_raw_html_in_a_translated_page_is_refused_with_its_line(project: Path) -> None:
    """Translators' pages pass the same source check as the source pages."""
    from compassion_site.mkdocs_adapter.config_file import read_site_config
    from compassion_site.pipeline import load_site

    edition = next(read_site_config(p) for p in sorted(project.glob("mkdocs.*.yml")))
    page = next(p for p in sorted((project / "translations" / edition.language / edition.docs_dir).rglob("*.md")))
    page.write_text(page.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", encoding="utf-8")
    line = page.read_text(encoding="utf-8").count("\n")
    with pytest.raises(ContentErrors) as caught:
        load_site(project, language=edition.language, docs_dir=edition.docs_dir, region=edition.region)
    where = f"{page.relative_to(project).as_posix()}:{line}: raw HTML ('<script>', '</script>') is not allowed"
    assert [str(e)[: len(where)] for e in caught.value.errors] == [where]


def test_crlf_and_bom_pages_read_as_the_same_page(project: Path) -> None:
    """Windows editors save CRLF line endings and sometimes a byte-order mark; MkDocs reads both."""
    plain = load_content(project).pages
    for page in (project / "content").rglob("*.md"):
        page.write_bytes(b"\xef\xbb\xbf" + page.read_bytes().replace(b"\n", b"\r\n"))
    windows = load_content(project).pages
    assert {uri: (p.meta, p.body, p.body_first_line) for uri, p in windows.items()} == {
        uri: (p.meta, p.body, p.body_first_line) for uri, p in plain.items()
    }


def test_symlinked_translation_folder_is_refused(project: Path, tmp_path: Path) -> None:
    import os
    import shutil

    learn = next(project.glob("translations/*/content/learn"))
    shutil.move(learn, tmp_path / "elsewhere")
    os.symlink(tmp_path / "elsewhere", learn)
    messages = errors_of(project)
    assert any(m.startswith(f"{learn.relative_to(project).as_posix()}: is a symbolic link to a folder") for m in messages), messages


def test_an_error_every_edition_reads_is_reported_once(project: Path) -> None:
    """Each edition checks the shared source files; the merged report lists their errors once."""
    from compassion_site.mkdocs_adapter.config_file import read_site_config
    from compassion_site.pipeline import load_configured_site

    write_practice(project, GOOD_PRACTICE.replace("time: 5", "time: [5"))
    reports = []
    for config in sorted(project.glob("mkdocs*.yml")):
        with pytest.raises(ContentErrors) as caught:
            load_configured_site(read_site_config(config), render_pages=False)
        reports.append(caught.value)
    assert len(reports) >= 2
    merged = ContentErrors.merged(reports)
    assert [str(e) for e in merged.errors].count(str(reports[0].errors[0])) == 1
    assert merged.report().count("practices/test-practice.yaml") == 1
