"""Citation markers become numbered links, numbered by first use, with a page reference list."""
from __future__ import annotations

from compassion_site.content.citations import cited_ids
from compassion_site.content.models import Reference
from compassion_site.render.citations import link_to, render_citations

REFS = {
    rid: Reference(id=rid, type="webpage", authors=["Org"], title=f"Title {rid}", container="Site",
                   url=f"https://example.org/{rid}", verification="confirmed")
    for rid in ("alpha", "beta", "gamma")
}


def test_cited_ids_in_order_with_groups() -> None:
    assert cited_ids("a [@beta] b [@alpha; @beta] c") == ["beta", "alpha", "beta"]


def test_numbering_follows_first_use_and_repeats_reuse_numbers() -> None:
    out = render_citations("x [@beta]. y [@alpha; @beta].", src_uri="learn/page.md", references=REFS)
    assert out.count('data-ref="beta" aria-label="Reference 1">1</a>') == 2
    assert 'data-ref="alpha" aria-label="Reference 2">2</a>' in out
    assert "1. <span id=\"ref-beta\"></span>" in out and "2. <span id=\"ref-alpha\"></span>" in out
    assert "](../references.md#beta)" in out


def test_listed_but_uncited_references_are_appended() -> None:
    out = render_citations("No markers.", src_uri="index.md", references=REFS, extra_ids=["gamma"])
    assert "1. <span id=\"ref-gamma\"></span>" in out and "](references.md#gamma)" in out


def test_unknown_ids_are_left_for_the_checks_to_catch() -> None:
    assert render_citations("x [@nobody].", src_uri="index.md", references=REFS) == "x [@nobody]."


def test_page_without_citations_is_unchanged() -> None:
    assert render_citations("Plain.", src_uri="index.md", references=REFS) == "Plain."


def test_link_to_is_relative_to_the_page_folder() -> None:
    assert link_to("references.md", "practices/x.md") == "../references.md"
    assert link_to("references.md", "index.md") == "references.md"


def test_reference_text_is_escaped() -> None:
    refs = {"evil": Reference(id="evil", type="webpage", authors=["<b>A</b>"], title="<script>x</script>",
                              container="C", url="https://example.org/", verification="confirmed")}
    out = render_citations("[@evil]", src_uri="index.md", references=refs)
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_unconfirmed_co_authors_show_as_et_al_not_guessed() -> None:
    from compassion_site.render.bibliography import format_reference

    ref = Reference(id="w", type="article", authors=["Winders, S.-J."], more_authors=True, year=2020,
                    title="A review", container="Journal", doi="10.1002/cpp.2429", verification="partly-confirmed")
    assert str(format_reference(ref)).startswith("Winders, S.-J., et al. (2020).")
    solo = ref.model_copy(update={"more_authors": False})
    assert str(format_reference(solo)).startswith("Winders, S.-J. (2020).")
