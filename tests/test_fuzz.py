"""Property-based fuzzing: any content tree either builds safely or fails with a clean report.

Hypothesis writes practices and myths whose fields hold Unicode, right-to-left marks,
emoji, very long strings, and Markdown or HTML syntax. Every example must either be
refused with ContentErrors, or render to HTML in which no text became markup that
runs script. Examples are derandomised so CI is repeatable.
"""
from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_bad_inputs import MYTH, PRACTICE, minimal_project

from compassion_site.errors import ContentErrors
from compassion_site.output.verify import facts_of
from compassion_site.pipeline import load_site

PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "[x](javascript:alert(1))",
    "{: onclick=alert(1) }", "javascript:alert(1)", "<!-- hidden -->", "&lt;script&gt;", "**bold** and _it_",
    "# Heading", "```\ncode\n```", "!!! note", "[@zessin2015]", "[@unknown_id]", "[@", "| a | b |", "\u202eevil\u202c",
    "\u200fمرحبا\u200f", "🧘‍♀️ breathe 💛", "\x00", "\x02wzxhdk:0\x03", "---", "    indented code", "<?php ?>",
    "' onmouseover='alert(1)", "%3Cscript%3E", "\\<b\\>", "a" * 5000, "word " * 400, "",
]
calm = st.sampled_from(["You can rest.", "Be kind to yourself today.", "Take a slow breath.", "It is OK to stop."])
text = st.one_of(
    calm,
    calm,
    st.tuples(calm, st.sampled_from(PAYLOADS), calm).map(" ".join),
    st.sampled_from(PAYLOADS),
    st.text(min_size=0, max_size=80),
    st.lists(st.sampled_from(["You", "can", "rest.", "Be", "kind", "to", "yourself.", "<b>", "[@zessin2015]"]), max_size=30).map(" ".join),
    st.tuples(st.sampled_from(PAYLOADS), st.text(max_size=20)).map("".join),
)
FIELDS = ["title", "summary", "suits", "why", "evidence", "cautions", "gentler_option"]


@st.composite
def one_odd_field(draw: st.DrawFn) -> dict[str, str]:
    """Calm text everywhere but one field, so most examples get far enough to render."""
    values = {name: draw(calm) for name in FIELDS}
    values[draw(st.sampled_from(FIELDS))] = draw(text)
    return values
MARKDOWN = markdown.Markdown(extensions=["admonition", "attr_list", "md_in_html", "toc"])


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return minimal_project(tmp_path_factory.mktemp("fuzz"))


def _assert_safe_html(html: str) -> None:
    facts = facts_of(html)
    assert facts.script_urls == [] and facts.inline_scripts == [] and facts.active == [], (facts.script_urls, facts.active)
    template_images = re.compile(r'<img alt="[^"<>]*" class="poster-qr" height="260" src="[./]*qr/[a-z0-9/-]+\.svg" width="260" />')
    assert not re.search(r"<(script|iframe|object|embed|svg|img)\b", template_images.sub("", html), re.I), html[:500]


def _check(tree: Path, practice: dict, myth_text: str) -> None:
    (tree / "practices" / "corpus-practice.yaml").write_text(yaml.safe_dump(practice, allow_unicode=True), encoding="utf-8")
    (tree / "myths" / "corpus-myth.yaml").write_text(myth_text, encoding="utf-8")
    try:
        site = load_site(tree)
    except ContentErrors as exc:
        report = exc.report()
        assert report.startswith("The content has") and all(e.path for e in exc.errors)
        event("refused with a clean report")
        return
    event("built")
    for src_uri, page in site.pages.items():
        meta = yaml.safe_load(page.split("---\n")[1]) if page.startswith("---\n") else {}
        body = page.split("---\n", 2)[2] if page.startswith("---\n") else page
        html = MARKDOWN.reset().convert(site.finish(body, src_uri=src_uri, meta=meta))
        _assert_safe_html(html)
        assert "[@zessin2015]" not in html


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(values=st.one_of(st.fixed_dictionaries({name: text for name in FIELDS}), one_odd_field(), one_odd_field()), steps=st.lists(st.one_of(calm, text), min_size=0, max_size=4),
       time=st.one_of(st.integers(1, 30), st.integers(1, 30), st.integers(-5, 500), st.text(max_size=3)))
def test_fuzzed_practices_build_safely_or_fail_cleanly(tree: Path, values: dict, steps: list, time) -> None:
    practice = yaml.safe_load(PRACTICE)
    practice.update({k: v for k, v in values.items() if v != ""})
    practice["steps"] = steps or practice["steps"]
    practice["time"] = time
    _check(tree, practice, MYTH)


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_fuzzed_raw_bytes_fail_cleanly(tree: Path, raw: bytes) -> None:
    (tree / "myths" / "corpus-myth.yaml").write_bytes(MYTH.encode() + raw)
    try:
        load_site(tree)
    except ContentErrors as exc:
        assert all(e.path for e in exc.errors)
    finally:
        (tree / "myths" / "corpus-myth.yaml").write_text(MYTH)


def test_fuzz_keeps_the_tree_valid(tree: Path) -> None:
    """The module's tree is shared: the valid starting point must still load after the runs above."""
    (tree / "practices" / "corpus-practice.yaml").write_text(PRACTICE)
    load_site(tree)
