"""Clinical safeguards every practice and lesson carries, in every configured edition.

Each practice page names how far research has tested it and links its "Take care" to the
When kindness hurts page; each lesson plan tells a teacher to act at once on a risk. The
checks read the editions, practices, lessons and words of the configured site, so a fork
that adds a practice, a lesson or a language keeps them.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape

from compassion_site.content.load import load_content
from compassion_site.content.models import EVIDENCE_LEVELS
from compassion_site.errors import ContentErrors
from compassion_site.mkdocs_adapter.config_file import read_site_config
from compassion_site.pipeline import Site, load_configured_site
from compassion_site.render.pages import lesson_src, lessons_by_source

from conftest import ROOT

KINDNESS_HURTS = "learn/when-kindness-hurts.md"
EDITIONS = sorted(ROOT.glob("mkdocs*.yml"))


@pytest.fixture(scope="module", params=EDITIONS, ids=lambda path: path.name)
def site(request: pytest.FixtureRequest) -> Site:
    return load_configured_site(read_site_config(request.param), check_words=False)


def _section(markdown: str, heading: str, level: str = "##") -> str:
    """The Markdown under one heading, up to the next heading of the same level or higher."""
    start = re.search(rf"(?m)^{level} {re.escape(heading)}\b.*$", markdown)
    assert start, f"no '{level} {heading}' heading"
    rest = markdown[start.end():]
    end = re.search(rf"(?m)^#{{1,{len(level)}}} ", rest)
    return rest[: end.start()] if end else rest


def _flat(text: str) -> str:
    return " ".join(text.split())


def _shown(text: str) -> str:
    """A locale string as the page's Markdown carries it: one line, HTML-escaped."""
    return str(escape(_flat(text)))


def test_every_practice_page_shows_its_evidence_label_before_the_steps(site: Site) -> None:
    t = site.safety.locale.strings
    assert site.content.items["practices"]
    for slug, practice in site.content.items["practices"].items():
        page = site.pages[f"practices/{slug}.md"]
        top = page.split(f"## {t['steps_heading']}", 1)[0]
        assert f"**{t['evidence_level_label']}:** {t['evidence_' + practice.evidence_level]}" in top, slug


def test_every_evidence_level_has_a_distinct_label(site: Site) -> None:
    t = site.safety.locale.strings
    labels = [t[f"evidence_{level}"].strip() for level in EVIDENCE_LEVELS]
    assert all(labels) and len(set(labels)) == len(labels), labels


def test_practices_index_shows_every_practice_with_its_label_and_lists_start_here_first(site: Site) -> None:
    t = site.safety.locale.strings
    index = site.pages["practices/index.md"]
    entries = re.findall(r"(?m)^- \[.*?\]\(([a-z0-9-]+)\.md\) \((.*?)\):", index)
    practices = site.content.items["practices"]
    assert entries
    for slug, facts in entries:  # the first index page; a large fork's index goes on over more pages
        assert t["evidence_" + practices[slug].evidence_level] in facts, slug
    expected = sorted(practices, key=lambda slug: (not practices[slug].start_here, practices[slug].title.casefold()))
    assert [slug for slug, _ in entries] == expected[: len(entries)], "start_here practices come first, then by title"


def test_every_practice_links_take_care_to_when_kindness_hurts(site: Site) -> None:
    t = site.safety.locale.strings
    for slug in site.content.items["practices"]:
        take_care = _section(site.pages[f"practices/{slug}.md"], t["cautions_heading"])
        link = re.search(rf"\[([^\]]+)\]\(\.\./{re.escape(KINDNESS_HURTS)}\)", take_care)
        assert link and link.group(1).strip(), slug


def test_every_lesson_tells_the_teacher_to_act_at_once(site: Site) -> None:
    t = site.safety.locale.strings
    steps = [_shown(step) for step in t["lesson_act_now_text"].split("\n\n") if step.strip()]
    assert len(steps) >= 3, "the act-at-once steps must be separate paragraphs"
    lessons = lessons_by_source(site.content)
    assert lessons
    for src_uri in lessons:
        page = site.pages[lesson_src(src_uri)]
        safeguarding = _section(page, t["lesson_safeguarding"])
        lead = f"**{escape(t['lesson_act_now'])}**"
        assert lead in safeguarding, src_uri
        act_now = _flat(safeguarding.split(lead, 1)[1])
        for step in steps:
            assert step in act_now, (src_uri, step)


def test_every_lesson_warns_sets_ground_rules_names_an_adult_and_writes_home(site: Site) -> None:
    t = site.safety.locale.strings
    for src_uri, (title, _) in lessons_by_source(site.content).items():
        page = _flat(site.pages[lesson_src(src_uri)])
        for key in ("lesson_before_text", "lesson_after_text"):
            for part in t[key].split("\n\n"):
                assert _shown(part) in page, (src_uri, key)
        for rule in t["lesson_ground_rules_text"].split("\n\n"):
            assert _shown(rule) in page, (src_uri, rule)
        assert _shown(t["lesson_parents_text"].format(title=title).split("\n\n")[-1]) in page, src_uri


def test_a_practice_without_an_evidence_level_is_refused_by_name(project: Path) -> None:
    path = next(iter(sorted((project / "practices").glob("*.yaml"))))
    text = path.read_text(encoding="utf-8")
    assert re.search(r"(?m)^evidence_level: \w+\n", text)
    path.write_text(re.sub(r"(?m)^evidence_level: \w+\n", "", text), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_content(project)
    messages = [str(e) for e in caught.value.errors]
    assert any(f"practices/{path.name}" in m and "evidence_level" in m for m in messages), messages


def test_an_unknown_evidence_level_is_refused_by_name(project: Path) -> None:
    path = next(iter(sorted((project / "practices").glob("*.yaml"))))
    path.write_text(re.sub(r"(?m)^evidence_level: \w+$", "evidence_level: proven", path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_content(project)
    messages = [str(e) for e in caught.value.errors]
    assert any(f"practices/{path.name}" in m and "evidence_level" in m for m in messages), messages
