"""A corpus of malformed content: each case must stop `build` with a message naming the
file, the line and the field where there is one, listing every error, and no traceback.

Each case starts from a minimal valid tree (the real config, safety data and
references, one practice and one myth) and breaks it in one way.
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from compassion_site.cli import main as cli_main
from conftest import copy_project

PRACTICE = """\
# yaml-language-server: $schema=../schemas/practice.schema.json
title: Corpus practice
summary: A short practice used by the bad-input tests.
time: 5
suits: Anyone who wants to test.
steps:
  - Sit down and rest.
  - Breathe out slowly.
why: It helps you slow down.
evidence: People who are kind to themselves tend to feel better [@zessin2015].
cautions: Stop if it feels like too much. Talk to someone you trust.
variations:
  - Try it standing up.
references: [zessin2015]
last_reviewed: 2026-11-20
next_review: 2027-11-20
evidence_level: linked_not_tested
"""
MYTH = """\
# yaml-language-server: $schema=../schemas/myth.schema.json
myth: Being kind to yourself is lazy.
truth: It can help you try again.
explanation: People who treat a mistake kindly often work harder to fix it [@breines2012].
references: [breines2012]
last_reviewed: 2026-11-20
next_review: 2027-11-20
"""
P = "practices/corpus-practice.yaml"
M = "myths/corpus-myth.yaml"
HARD = ("Notwithstanding considerable methodological heterogeneity, contemporary epidemiological investigations "
        "substantiate multidimensional associations between dispositional characteristics and manifestations. ") * 4


@dataclass
class Case:
    name: str
    files: dict[str, str | bytes | None] = field(default_factory=dict)
    expect: list[str] = field(default_factory=list)
    setup: str | None = None


def practice(old: str, new: str) -> dict[str, str]:
    assert old in PRACTICE, old
    return {P: PRACTICE.replace(old, new, 1)}


def myth(old: str, new: str) -> dict[str, str]:
    assert old in MYTH, old
    return {M: MYTH.replace(old, new, 1)}


REF = "- id: {id}\n  type: {type}\n  authors: [Someone, A.]\n  title: A title\n  container: A journal\n{extra}  verification: confirmed\n"


def ref(id: str = "corpus2020", type: str = "article", extra: str = "  url: https://example.org/\n") -> dict[str, str]:
    return {"references/corpus.yaml": REF.format(id=id, type=type, extra=extra)}


CASES = [
    Case("yaml-unclosed-bracket", practice("time: 5", "time: [5"), [P + ":", "YAML syntax error"]),
    Case("yaml-bad-indent", practice("  - Breathe out slowly.", "    - Breathe out slowly.\n  bad"), [P + ":", "YAML syntax error"]),
    Case("tab-indentation", practice("  - Sit down and rest.", "\t- Sit down and rest."), [P + ":7:", "tab character"]),
    Case("duplicate-key", practice("time: 5", "time: 5\ntime: 6"), [P + ":5:", "'time' appears twice (first on line 4)"]),
    Case("time-as-text", practice("time: 5", 'time: "five"'), [P + ":4", "field 'time'", "whole number"]),
    Case("time-zero", practice("time: 5", "time: 0"), [P + ":4", "field 'time'", "greater than or equal to 1"]),
    Case("steps-not-a-list", practice("steps:\n  - Sit down and rest.\n  - Breathe out slowly.", "steps: Sit down."), [P + ":6", "field 'steps'", "should be a list"]),
    Case("one-step-only", practice("  - Breathe out slowly.\n", ""), [P + ":6", "field 'steps'", "at least 2"]),
    Case("missing-title", practice("title: Corpus practice\n", ""), [P + ":", "field 'title'", "required field 'title' is missing"]),
    Case("missing-references", practice("references: [zessin2015]\n", ""), [P + ":", "required field 'references'"]),
    Case("empty-reference-list", practice("references: [zessin2015]", "references: []"), [P + ":14", "field 'references'", "at least 1"]),
    Case("unknown-key", practice("time: 5", "time: 5\ncolour: blue"), [P + ":5", "field 'colour'", "unknown field 'colour'", "allowed fields"]),
    Case("null-text-field", practice("why: It helps you slow down.", "why:"), [P + ":9", "field 'why'", "should be text"]),
    Case("empty-title", practice("title: Corpus practice", 'title: ""'), [P + ":2", "field 'title'", "at least 1 character"]),
    Case("overlong-title", practice("title: Corpus practice", "title: " + "Very long title " * 8), [P + ":2", "field 'title'", "at most 80 characters"]),
    Case("empty-file", {P: ""}, [P + ":1", "is empty"]),
    Case("only-a-comment", {P: "# nothing here\n"}, [P + ":1", "has no content"]),
    Case("list-instead-of-mapping", {P: "- title: x\n"}, [P + ":1", "should hold a mapping"]),
    Case("non-utf8-bytes", {P: PRACTICE.encode().replace(b"Sit down", b"Sit d\xe9own")}, [P + ":7", "not valid UTF-8"]),
    Case("byte-order-mark", {P: b"\xef\xbb\xbf" + PRACTICE.encode()}, [P + ":1", "byte-order mark"]),
    Case("unknown-citation", practice("[@zessin2015]", "[@nobody2099]"), [P + ":10", "field 'evidence'", "unknown reference id 'nobody2099'"]),
    Case("unknown-listed-reference", practice("references: [zessin2015]", "references: [zessin2015, ghost1999]"), [P + ":14", "lists unknown reference id 'ghost1999'"]),
    Case("citation-in-myth-unknown", myth("[@breines2012]", "[@breines2013]"), [M + ":4", "field 'explanation'", "'breines2013'"]),
    Case("markdown-link-in-prose", practice("It helps you slow down.", "See [this](https://example.org)."), [P + ":9", "field 'why'", "plain text"]),
    Case("html-in-prose", practice("It helps you slow down.", "It <b>helps</b>."), [P + ":9", "field 'why'", "HTML tags"]),
    Case("script-in-title", practice("title: Corpus practice", "title: <script>alert(1)</script>"), [P + ":2", "field 'title'", "plain text"]),
    Case("attribute-list-in-prose", practice("It helps you slow down.", '"It helps. {: onclick=x }"'), [P + ":9", "field 'why'", "attribute lists"]),
    Case("future-review-date", practice("last_reviewed: 2026-11-20", "last_reviewed: 2999-01-01"), [P + ":", "in the future"]),
    Case("impossible-date", practice("last_reviewed: 2026-11-20", "last_reviewed: 2026-02-30"), [P + ":15", "dates are real"]),
    Case("date-as-words", practice("last_reviewed: 2026-11-20", "last_reviewed: last week"), [P + ":15", "field 'last_reviewed'", "YYYY-MM-DD"]),
    Case("review-order", practice("next_review: 2027-11-20", "next_review: 2025-01-01"), [P + ":", "next_review must come after last_reviewed"]),
    Case("unsafe-phrase-yaml", practice("It helps you slow down.", "It helps if you feel crazy."), [P + ":9", "'crazy'", "use:"]),
    Case("unsafe-phrase-markdown", {"content/extra.md": "---\ntitle: Extra\ndescription: An extra page.\n---\n\n# Extra\n\nShe committed suicide.\n"}, ["content/extra.md:8", "'committed suicide'", "died by suicide"]),
    Case("grade-14-prose", practice("It helps you slow down.", HARD.strip()), [P, "reading grade", "above the maximum"]),
    Case("malformed-doi", ref(extra="  doi: doi.org/10.1000/x\n"), ["references/corpus.yaml:6", "field '0.doi'", "is not a DOI"]),
    Case("bad-isbn-checksum", ref(type="book", extra="  isbn: 978-0-06-173351-3\n"), ["references/corpus.yaml:6", "field '0.isbn'", "ISBN"]),
    Case("non-http-url", ref(extra="  url: ftp://example.org/file\n"), ["references/corpus.yaml:6", "field '0.url'", "http"]),
    Case("javascript-url", ref(extra="  url: javascript:alert(1)\n"), ["references/corpus.yaml:6", "field '0.url'", "http"]),
    Case("reference-without-locator", ref(extra=""), ["references/corpus.yaml:1", "needs a doi, an isbn or a url"]),
    Case("reference-unknown-type", ref(type="blog"), ["references/corpus.yaml:2", "field '0.type'", "'article'"]),
    Case("reference-future-year", {"references/corpus.yaml": REF.format(id="corpus2020", type="article", extra="  url: https://example.org/\n").replace("  title:", "  year: 2099\n  title:")}, ["references/corpus.yaml:1", "year 2099 is in the future"]),
    Case("duplicate-id-across-files", ref(id="zessin2015"), ["references/corpus.yaml:1", "field 'id'", "duplicate reference id 'zessin2015'", "first defined at references/articles.yaml"]),
    Case("references-file-not-a-list", {"references/corpus.yaml": "id: x\n"}, ["references/corpus.yaml:1", "should hold a list of references"]),
    Case("bad-file-name", {"practices/Corpus Practice.yaml": PRACTICE}, ["practices/Corpus Practice.yaml", "lower-case letters, digits and hyphens"]),
    Case("reserved-file-name", {"practices/page-2.yaml": PRACTICE}, ["practices/page-2.yaml", "reserved for the pages of the index"]),
    Case("yml-extension", {"practices/other.yml": PRACTICE}, ["practices/other.yml", "rename it to .yaml"]),
    Case("page-without-front-matter", {"content/extra.md": "# Extra\n\nHello.\n"}, ["content/extra.md:1", "needs front matter"]),
    Case("page-front-matter-unknown-key", {"content/extra.md": "---\ntitle: Extra\ndescription: An extra page.\nauthor: Me\n---\n# Extra\n"}, ["content/extra.md:4", "field 'author'", "unknown field"]),
    Case("page-front-matter-bad-yaml", {"content/extra.md": "---\ntitle: [Extra\n---\n# Extra\n"}, ["content/extra.md:", "YAML syntax error"]),
    Case("page-citation-unknown", {"content/extra.md": "---\ntitle: Extra\ndescription: An extra page.\n---\n\n# Extra\n\nA claim [@ghost].\n"}, ["content/extra.md:8", "unknown reference id 'ghost'"]),
    Case("page-clashes-with-generated", {"content/practices/index.md": "---\ntitle: Mine\ndescription: Mine.\n---\n# Mine\n"}, ["content/practices/index.md", "generated from YAML"]),
    Case("missing-locale-string", {"locales/en.yaml": None}, ["locales/en.yaml:", "missing UI strings: banner_lead"], setup="drop-banner-lead"),
    Case("locale-placeholder-dropped", {"locales/en.yaml": None}, ["locales/en.yaml:", "'banner_call_or_text' must contain {call_link} {text_link}"], setup="drop-call-link"),
    Case("helpline-without-verified-on", {"safety/helplines.yaml": None}, ["safety/helplines.yaml:", "field 'US.verified_on'", "required field"], setup="drop-verified-on"),
    Case("helpline-bad-phone", {"safety/helplines.yaml": None}, ["safety/helplines.yaml:", "US.lines.0.phone", "should match pattern"], setup="bad-phone"),
    Case("unknown-region", {"mkdocs.yml": None}, ["safety/helplines.yaml", "no entry for region 'ZZ'"], setup="region-zz"),
    Case("bad-safe-messaging-regex", {"safety/safe-messaging.en.yaml": None}, ["safety/safe-messaging.en.yaml:", "not a valid regular expression"], setup="bad-regex"),
    Case("complex-key", {P: PRACTICE + "? [a, b]\n: c\n"}, [P + ":18", "a key must be a plain word"]),
    Case("symlink-outside-repository", {}, ["practices/outside.yaml", "symbolic link to a file outside the project"], setup="symlink"),
]

SETUPS = {
    "drop-banner-lead": ("locales/en.yaml", r"(?m)^  banner_lead: .*\n", ""),
    "drop-call-link": ("locales/en.yaml", r"Call \{call_link\} or text", "Call or text"),
    "drop-verified-on": ("safety/helplines.yaml", r"(?m)^  verified_on: .*\n", ""),
    "bad-phone": ("safety/helplines.yaml", r'phone: "988"', 'phone: "call us"'),
    "region-zz": ("mkdocs.yml", r"(?m)^  region: US$", "  region: ZZ"),
    "bad-regex": ("safety/safe-messaging.en.yaml", r"(?m)^  - phrase: committed suicide$", "  - pattern: committed (suicide"),
}


def minimal_project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project")
    (root / "mkdocs.es.yml").unlink()
    (root / "urls.txt").unlink()
    for folder in ("practices", "myths"):
        shutil.rmtree(root / folder)
        (root / folder).mkdir()
    for page in (root / "content").rglob("*.md"):
        if page.relative_to(root / "content").as_posix() not in ("index.md", "get-help.md"):
            page.unlink()
    (root / P).write_text(PRACTICE)
    (root / M).write_text(MYTH)
    return root


def apply(root: Path, case: Case, tmp_path: Path) -> None:
    if case.setup == "symlink":
        outside = tmp_path / "outside.yaml"
        outside.write_text(PRACTICE)
        os.symlink(outside, root / "practices" / "outside.yaml")
    elif case.setup:
        path, pattern, replacement = SETUPS[case.setup]
        text = (root / path).read_text()
        new, count = re.subn(pattern, replacement, text, count=1)
        assert count == 1, case.setup
        (root / path).write_text(new)
    for rel, content in case.files.items():
        if content is None:
            continue
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())


def build_output(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli_main(["build", "--config-file", str(root / "mkdocs.yml")])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40 and len({c.name for c in CASES}) == len(CASES)


def test_minimal_tree_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = minimal_project(tmp_path)
    assert cli_main(["check", "--config-file", str(root / "mkdocs.yml")]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_fails_cleanly(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = minimal_project(tmp_path)
    apply(root, case, tmp_path)
    code, output = build_output(root, capsys)
    assert code != 0, output
    assert "Traceback" not in output
    assert "nothing was published" in output
    for fragment in case.expect:
        assert fragment in output, f"{fragment!r} not in:\n{output}"
    assert not (root / "site").exists()


def test_every_error_in_the_tree_is_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = minimal_project(tmp_path)
    for case in (CASES[0], CASES[20], CASES[34]):
        apply(root, Case(case.name, {k.replace("corpus-", f"corpus-{case.name}-"): v for k, v in case.files.items()}), tmp_path)
    (root / P).unlink()
    code, output = build_output(root, capsys)
    assert code == 1
    assert "The content has 3 errors" in output, output
