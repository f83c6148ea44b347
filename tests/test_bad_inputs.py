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

from conftest import ROOT, copy_project

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
X = "content/extra.md"
PAGE = "---\ntitle: Extra\ndescription: An extra page.\n---\n\n# Extra\n\nHello.\n"
# Half a kilobyte that holds 10**9 strings once its aliases are followed (the classic "billion laughs").
def _bomb() -> str:
    rows = ['  - &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    rows += [f"  - &{new} [{', '.join([f'*{old}'] * 10)}]" for old, new in zip("abcdefgh", "bcdefghi", strict=True)]
    return "bomb:\n" + "\n".join(rows) + "\n"


BOMB = _bomb()
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


def page(line: str) -> dict[str, str]:
    """An extra Markdown page whose line 8 is `line`."""
    return {X: PAGE.replace("Hello.", line)}


def myth(old: str, new: str) -> dict[str, str]:
    assert old in MYTH, old
    return {M: MYTH.replace(old, new, 1)}


REF = "- id: {id}\n  type: {type}\n  authors: [Someone, A.]\n  title: A title\n  container: A journal\n{extra}  verification: confirmed\n"


def ref(id: str = "corpus2020", type: str = "article", extra: str = "  url: https://example.org/\n") -> dict[str, str]:
    return {"references/corpus.yaml": REF.format(id=id, type=type, extra=extra)}



def _first_number_field() -> str:
    """The field of the first `number:` in safety/helplines.yaml, the one the bad-phone case breaks."""
    import yaml

    for code, region in yaml.safe_load((ROOT / "safety" / "helplines.yaml").read_text()).items():
        for i, line in enumerate(region["lines"]):
            for j, channel in enumerate(line["channels"]):
                if "number" in channel:
                    return f"{code}.lines.{i}.channels.{j}.number"
    raise AssertionError("safety/helplines.yaml has no phone number")


FIRST_NUMBER_FIELD = _first_number_field()

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
    Case("page-front-matter-bad-yaml", {"content/extra.md": "---\ntitle: [Extra\n---\n# Extra\n"}, ["content/extra.md:3", "YAML syntax error"]),
    Case("page-citation-unknown", {"content/extra.md": "---\ntitle: Extra\ndescription: An extra page.\n---\n\n# Extra\n\nA claim [@ghost].\n"}, ["content/extra.md:8", "unknown reference id 'ghost'"]),
    Case("page-clashes-with-generated", {"content/practices/index.md": "---\ntitle: Mine\ndescription: Mine.\n---\n# Mine\n"}, ["content/practices/index.md", "generated from YAML"]),
    Case("missing-locale-string", {"locales/en.yaml": None}, ["locales/en.yaml:", "missing UI strings: banner_lead"], setup="drop-banner-lead"),
    Case("locale-placeholder-dropped", {"locales/en.yaml": None}, ["locales/en.yaml:", "'banner_call_or_text' must contain {call_link} {text_link}"], setup="drop-call-link"),
    Case("helpline-without-verified-on", {"safety/helplines.yaml": None}, ["safety/helplines.yaml:", "field 'US.lines.0.verified_on'", "required field"], setup="drop-verified-on"),
    Case("helpline-bad-phone", {"safety/helplines.yaml": None}, ["safety/helplines.yaml:", FIRST_NUMBER_FIELD, "should match pattern"], setup="bad-phone"),
    Case("unknown-region", {"mkdocs.yml": None}, ["safety/helplines.yaml", "no entry for region 'ZZ'"], setup="region-zz"),
    Case("bad-safe-messaging-regex", {"safety/safe-messaging.en.yaml": None}, ["safety/safe-messaging.en.yaml:", "not a valid regular expression"], setup="bad-regex"),
    Case("complex-key", {P: PRACTICE + "? [a, b]\n: c\n"}, [P + ":18", "a key must be a plain word"]),
    Case("symlink-outside-repository", {}, ["practices/outside.yaml", "is a symbolic link; copy the file in instead"], setup="symlink"),
    # Raw HTML and attribute lists in Markdown pages (raw_markup.py).
    Case("script-in-page", page("<script>alert(1)</script>"), [X + ":8", "raw HTML ('<script>', '</script>')"]),
    Case("unclosed-hidden-bold-in-page", page("Some <b hidden>hidden words."), [X + ":8", "raw HTML ('<b hidden>"]),
    Case("meta-refresh-in-page", page('<meta http-equiv="refresh" content="0; url=https://example.org/">'), [X + ":8", "raw HTML ('<meta"]),
    Case("stylesheet-link-in-page", page('<link rel="stylesheet" href="https://example.org/x.css">'), [X + ":8", "raw HTML ('<link"]),
    Case("style-block-in-page", page("<style>.md-banner { display: none }</style>"), [X + ":8", "raw HTML ('<style>"]),
    Case("html-comment-in-page", page("<!-- <script>x</script> -->"), [X + ":8", "raw HTML ('<!--"]),
    Case("attribute-list-in-page", page('A kind word.\n{: onclick="alert(1)" }'), [X + ":9", "attribute lists"]),
    Case("heading-attribute-list-in-page", page('## Hello { style="display:none" }'), [X + ":8", "attribute lists"]),
    Case("javascript-link-in-page", page("[Help](javascript:alert(1))"), [X + ":8", "a link to a 'javascript:' address"]),
    Case("entity-spelt-javascript-link", page("[Help](java&#115;cript&colon;alert(1))"), [X + ":8", "'javascript:'"]),
    Case("entity-spelt-javascript-definition", page("[Help][1]\n\n[1]: &#x6A;avascript:alert(1)"), [X + ":10", "'javascript:'"]),
    Case("data-image-in-page", page("![A picture](data:image/svg+xml,x)"), [X + ":8", "a link to a 'data:' address"]),
    Case("html-in-crlf-page", {X: PAGE.replace("Hello.", "<script>x</script>").replace("\n", "\r\n").encode()}, [X + ":8", "raw HTML"]),
    Case("unsafe-phrase-in-dotted-page", {"content/extra.v2.md": PAGE.replace("Hello.", "She committed suicide.")}, ["content/extra.v2.md:8", "'committed suicide'"]),
    Case("unsafe-phrase-in-bom-page", {X: b"\xef\xbb\xbf" + PAGE.replace("Hello.", "She committed suicide.").encode()}, [X + ":8", "'committed suicide'"]),
    # Link definitions and attribute lists in prose fields (models.py).
    Case("reference-definition-in-prose", practice("why: It helps you slow down.", "why: '[1]: https://example.org/'"), [P + ":9", "field 'why'", "definitions"]),
    Case("reference-definition-in-step", practice("  - Breathe out slowly.", "  - \"Breathe [out][1].\\n\\n[1]: https://example.org/\""), [P + ":8", "field 'steps.1'", "definitions"]),
    Case("curly-attribute-list-in-prose", practice("It helps you slow down.", '"It helps. { onclick=x }"'), [P + ":9", "field 'why'", "attribute lists"]),
    # Files the project does not ship, and links (source_tree.py).
    Case("html-file-in-content", {"content/evil.html": "<p hidden>x</p>"}, ["content/evil.html", "not published from the docs folder"]),
    Case("htm-file-in-content", {"content/learn/evil.htm": "<p>x</p>"}, ["content/learn/evil.htm", "not published from the docs folder"]),
    Case("svg-file-in-content", {"content/assets/logo.svg": "<svg onload='alert(1)'/>"}, ["content/assets/logo.svg", "(.svg)"]),
    Case("xhtml-file-in-content", {"content/evil.xhtml": "<p/>"}, ["content/evil.xhtml", "(.xhtml)"]),
    Case("unknown-script-in-content", {"content/assets/extra.js": "alert(1)"}, ["content/assets/extra.js", "script the project does not ship"]),
    Case("page-named-like-a-picture", {"content/assets/photo.png": "<html><script>alert(1)</script>"}, ["content/assets/photo.png", "does not hold one"]),
    Case("upper-case-markdown-ending", {"content/extra.MD": PAGE}, ["content/extra.MD", "rename it to end in .md"]),
    Case("symlinked-folder-in-content", {}, ["content/more", "symbolic link to a folder"], setup="symlink-folder"),
    Case("symlink-loop-in-content", {}, ["content/loop", "symbolic link to a folder"], setup="symlink-loop"),
    Case("dangling-symlink-loop-page", {}, ["content/a.md", "content/b.md", "is a symbolic link"], setup="symlink-file-loop"),
    Case("symlink-inside-project", {}, ["practices/alias.yaml", "is a symbolic link"], setup="symlink-inside"),
    # Bounded YAML (yaml_source.py).
    Case("deep-nesting", {P: PRACTICE + "deep: " + "[" * 600 + "]" * 600 + "\n"}, [P + ":18", "more than 20 levels"]),
    Case("alias-bomb", {P: PRACTICE + BOMB}, [P + ":19", "anchor or alias 'a'"]),
    Case("scalar-alias-in-content", practice("title: Corpus practice", "title: &t Corpus practice"), [P + ":2", "anchor or alias 't'"]),
    Case("alias-in-front-matter", {X: PAGE.replace("title: Extra", "title: &t Extra")}, [X + ":2", "anchor or alias 't'"]),
    Case("block-anchor-in-rules", {"safety/safe-messaging.en.yaml": None}, ["safety/safe-messaging.en.yaml:", "anchor or alias 'block'"], setup="rules-block-anchor"),
    # Rules RE2 cannot run (safe_language.py).
    Case("lookahead-in-rule", {"safety/safe-messaging.en.yaml": None}, ["safety/safe-messaging.en.yaml:", "not a valid regular expression for RE2"], setup="lookahead-regex"),
    Case("backreference-in-rule", {"safety/safe-messaging.en.yaml": None}, ["safety/safe-messaging.en.yaml:", "invalid escape sequence"], setup="backreference-regex"),
    # File names in the YAML folders (content.py).
    Case("dotted-file-name", {"practices/corpus-practice.v2.yaml": PRACTICE}, ["practices/corpus-practice.v2.yaml", "rename it to corpus-practice-v2.yaml"]),
    Case("upper-case-yaml-ending", {"practices/other.YAML": PRACTICE}, ["practices/other.YAML", "uses the .YAML ending; rename it to .yaml"]),
    Case("other-file-in-yaml-folder", {"myths/notes.txt": "notes"}, ["myths/notes.txt", "is not a .yaml file"]),
]

SETUPS = {
    "drop-banner-lead": ("locales/en.yaml", r"(?m)^  banner_lead: .*\n", ""),
    "drop-call-link": ("locales/en.yaml", r"Call \{call_link\} or text", "Call or text"),
    "drop-verified-on": ("safety/helplines.yaml", r"(?m)^      verified_on: .*\n", ""),
    "bad-phone": ("safety/helplines.yaml", r'number: "[^"]*"', 'number: "call us"'),  # the file's first number
    "region-zz": ("mkdocs.yml", r"(?m)^  region: \w+$", "  region: ZZ"),
    "bad-regex": ("safety/safe-messaging.en.yaml", r"(?m)^  - phrase: committed suicide$", "  - pattern: committed (suicide"),
    "lookahead-regex": ("safety/safe-messaging.en.yaml", r"(?m)^  - phrase: committed suicide$", "  - pattern: committed(?= suicide)"),
    "backreference-regex": ("safety/safe-messaging.en.yaml", r"(?m)^  - phrase: committed suicide$", r"  - pattern: (\\w+) \\1"),
    "rules-block-anchor": ("safety/safe-messaging.en.yaml", r"(?m)^rules:$", "rules: &block"),
}


def minimal_project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project")
    for edition in root.glob("mkdocs.*.yml"):  # one edition: the source language's
        edition.unlink()
    (root / "urls.txt").write_text("# No address published yet.\n")  # a build without urls.txt stops (see FORKING.md)
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
    elif case.setup == "symlink-folder":
        (tmp_path / "more").mkdir()
        (tmp_path / "more" / "page.md").write_text(PAGE.replace("Hello.", "She committed suicide. <script>alert(1)</script>"))
        os.symlink(tmp_path / "more", root / "content" / "more")
    elif case.setup == "symlink-loop":
        os.symlink(root / "content", root / "content" / "loop")
    elif case.setup == "symlink-file-loop":
        os.symlink(root / "content" / "b.md", root / "content" / "a.md")
        os.symlink(root / "content" / "a.md", root / "content" / "b.md")
    elif case.setup == "symlink-inside":
        os.symlink(root / P, root / "practices" / "alias.yaml")
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


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every file's bytes and every link's target under `folder`."""
    return {p.relative_to(folder).as_posix(): (os.readlink(p) if p.is_symlink() else p.read_bytes() if p.is_file() else "dir")
            for p in sorted(folder.rglob("*"))}


def published_before(root: Path) -> dict[str, bytes | str]:
    """A site published by an earlier build (made up: only its bytes matter), to prove a failed build leaves it alone."""
    site = root / "site"
    (site / "es").mkdir(parents=True)
    (site / "index.html").write_bytes(b"<!doctype html><title>Earlier build</title>\n")
    (site / "es" / "index.html").write_bytes(b"<!doctype html><title>Edici\xc3\xb3n anterior</title>\n")
    os.symlink("index.html", site / "latest.html")
    return snapshot(site)


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
    before = published_before(root)
    apply(root, case, tmp_path)
    code, output = build_output(root, capsys)
    assert code != 0, output
    assert "Traceback" not in output
    assert "nothing was published" in output
    for fragment in case.expect:
        assert fragment in output, f"{fragment!r} not in:\n{output}"
    assert snapshot(root / "site") == before, "a failed build changed site/"


def test_every_error_in_the_tree_is_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = minimal_project(tmp_path)
    for case in (CASES[0], CASES[20], CASES[34]):
        apply(root, Case(case.name, {k.replace("corpus-", f"corpus-{case.name}-"): v for k, v in case.files.items()}), tmp_path)
    (root / P).unlink()
    code, output = build_output(root, capsys)
    assert code == 1
    assert "The content has 3 errors" in output, output
