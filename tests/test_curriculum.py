"""The published curriculum: enough of it, and every page backed by a source a reader can check."""
from __future__ import annotations

from compassion_site.content.citations import cited_ids
from compassion_site.content.load import load_content

from conftest import ROOT

TOPICS = ROOT / "content" / "learn"


def _cited_by_file() -> dict[str, set[str]]:
    content = load_content(ROOT)
    cited: dict[str, set[str]] = {}
    for slug, p in content.items["practices"].items():
        cited[f"practices/{slug}.yaml"] = set(cited_ids(" ".join([p.why, p.evidence, p.cautions, p.gentler_option or ""])))
    for slug, m in content.items["myths"].items():
        cited[f"myths/{slug}.yaml"] = set(cited_ids(" ".join([m.truth, m.explanation])))
    for uri, page in content.pages.items():
        cited[f"content/{uri}"] = set(cited_ids(page.body))
    return cited


def test_curriculum_counts() -> None:
    content = load_content(ROOT)
    assert len(content.items["practices"]) >= 16
    assert len(content.items["myths"]) >= 11
    assert len(content.references) >= 20
    assert len(list(TOPICS.glob("*.md"))) >= 9


def test_every_practice_myth_and_topic_page_cites_a_source() -> None:
    uncited = [path for path, ids in _cited_by_file().items()
               if (path.startswith(("practices/", "myths/", "content/learn/"))) and not ids]
    assert uncited == []


def test_every_reference_is_cited_somewhere() -> None:
    used = set().union(*_cited_by_file().values())
    unused = sorted(set(load_content(ROOT).references) - used)
    assert unused == [], f"references listed but never cited: {unused}"
