"""A new kind of content is its model, its page template and one entry in the registry
(compassion_site/content/kinds.py): nothing else in the pipeline names a kind."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from compassion_site.content.kinds import KINDS
from compassion_site.output.verify import page_facts

from conftest import CHECKOUT, copy_project, run_cli

QUOTE_MODEL = '''

class Quote(_Reviewed):
    """A short saying about kindness, with where the idea comes from: `quotes/<slug>.yaml`."""

    title: Title
    saying: Prose = Field(description="The saying, with a [@id] citation for the idea behind it.")
    references: list[ReferenceId] = Field(min_length=1)
'''
QUOTE_TEMPLATE = """{{ front_matter }}
# {{ item.title }}

{{ item.saying | paragraphs }}
"""
QUOTE_ENTRY = """    Kind(
        "quotes", "quote", Quote, "quote.md.j2",
        title=lambda q, t: q.title, description=lambda q, t: " ".join(q.saying.split())[:200],
    ),
"""


def _code_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def _add_quotes_kind(code: Path) -> None:
    """The three edits a maintainer makes, and nothing more."""
    models = code / "compassion_site" / "content" / "models.py"
    models.write_text(models.read_text(encoding="utf-8") + QUOTE_MODEL, encoding="utf-8")
    (code / "compassion_site" / "render" / "templates" / "quote.md.j2").write_text(QUOTE_TEMPLATE, encoding="utf-8")
    registry = code / "compassion_site" / "content" / "kinds.py"
    text = registry.read_text(encoding="utf-8")
    text = text.replace("from compassion_site.content.models import Myth, Practice, Prose\n",
                        "from compassion_site.content.models import Myth, Practice, Prose, Quote\n")
    text = text.replace("\n)\nFOLDERS", "\n" + QUOTE_ENTRY + ")\nFOLDERS")
    registry.write_text(text, encoding="utf-8")


def test_a_new_kind_is_three_files_and_publishes_pages_with_the_furniture_and_citations(tmp_path: Path) -> None:
    assert "quotes" not in {kind.folder for kind in KINDS}
    code = tmp_path / "code"
    shutil.copytree(CHECKOUT / "compassion_site", code / "compassion_site", ignore=shutil.ignore_patterns("__pycache__"))
    project = copy_project(tmp_path / "project")
    before = _code_files(code)
    _add_quotes_kind(code)
    after = _code_files(code)
    touched = sorted(name for name in after.keys() | before.keys() if before.get(name) != after.get(name))
    assert len(touched) <= 3, touched
    assert "quotes" in (code / "compassion_site" / "content" / "kinds.py").read_text(encoding="utf-8")

    # The content itself: a data folder, as a volunteer would add it, citing one of the site's own references.
    ref_id = next(entry["id"] for path in sorted((project / "references").glob("*.yaml")) for entry in yaml.safe_load(path.read_text(encoding="utf-8")))
    (project / "quotes").mkdir()
    (project / "quotes" / "be-a-friend.yaml").write_text(
        "title: Be a friend to yourself\n"
        f"saying: Speak to yourself as you would to a good friend on a hard day [@{ref_id}].\n"
        f"references: [{ref_id}]\nlast_reviewed: 2026-11-01\nnext_review: 2027-11-01\n",
        encoding="utf-8",
    )
    result = run_cli("build", cwd=project, env={"PYTHONPATH": str(code)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verify: " in result.stdout

    page = project / "site" / "quotes" / "be-a-friend" / "index.html"
    assert page.is_file(), sorted(p.name for p in (project / "site").iterdir())
    facts = page_facts(page)
    assert facts.banner and not facts.hidden_banner
    assert facts.banner_tels
    assert facts.disclaimer_text.strip()
    assert facts.citations == [(ref_id, f"#ref-{ref_id}")]  # the marker became a link to the page's own reference list
    assert f'id="ref-{ref_id}"' in page.read_text(encoding="utf-8")
    assert "Be a friend to yourself" in page.read_text(encoding="utf-8")

    # A bad item of the new kind is refused like any other, with its file, field and line.
    (project / "quotes" / "be-a-friend.yaml").write_text("title: Be a friend\nsaying: 12\nreferences: [" + ref_id + "]\n"
                                                       "last_reviewed: 2026-11-01\nnext_review: 2027-11-01\n", encoding="utf-8")
    (project / "quotes" / "unknown-source.yaml").write_text("title: Be kind\nsaying: Be kind to yourself [@nobody].\nreferences: [nobody]\n"
                                                          "last_reviewed: 2026-11-01\nnext_review: 2027-11-01\n", encoding="utf-8")
    result = run_cli("check", cwd=project, env={"PYTHONPATH": str(code)})
    assert result.returncode == 1
    assert "quotes/be-a-friend.yaml:2 (field 'saying'): should be text" in result.stderr, result.stderr
    assert "quotes/unknown-source.yaml:2 (field 'saying'): cites unknown reference id 'nobody'" in result.stderr, result.stderr
    assert "quotes/unknown-source.yaml:3 (field 'references'): lists unknown reference id 'nobody'" in result.stderr, result.stderr
