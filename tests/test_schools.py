"""Schools and campaigns: lessons, printable handouts with QR codes, stable addresses, share metadata."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from compassion_site.content.load import load_content
from compassion_site.render.pages import lesson_src, lessons_by_source

from conftest import ROOT, configured_site, run_cli


def _practice_without_lesson(root: Path) -> str:
    return next(p.stem for p in sorted((root / "practices").glob("*.yaml")) if "\nlesson:" not in p.read_text())


def _digits(text: str) -> str:
    return re.sub(r"[^0-9+]", "", text)


def _has_crisis_numbers(text: str) -> bool:
    """A printed page shows the main edition's crisis line and emergency number (read from the data)."""
    main = configured_site().main
    printed = _digits(text)
    return all(number in printed for number in (main.call or main.text, main.emergency))

LESSON = """
lesson:
  age_band: 11-13
  duration: 30
  objectives:
    - Name the three steps of the practice.
    - Use one kind sentence after a mistake.
  materials:
    - A quiet room.
  teacher_steps:
    - Explain the idea in two minutes.
    - Lead the practice once, slowly.
    - Ask students to write their own kind sentence.
  discussion_questions:
    - When could this help you?
    - What makes kindness to yourself hard?
  adaptations:
    - Let students draw instead of write.
  safeguarding: If a student says they are not safe, follow your safeguarding policy the same day and give them the crisis line.
"""


def test_lesson_block_becomes_a_stable_lesson_page_listed_for_teachers(project: Path) -> None:
    slug = _practice_without_lesson(project)
    practice = project / "practices" / f"{slug}.yaml"
    practice.write_text(practice.read_text() + LESSON)
    assert run_cli("build", cwd=project).returncode == 0
    html = (project / "site" / "lessons" / slug / "index.html").read_text()
    for anchor in ("lesson-objectives", "lesson-materials", "lesson-steps", "lesson-discussion", "lesson-adaptations", "lesson-safeguarding"):
        assert f'id="{anchor}"' in html
    teachers = (project / "site" / "teachers" / "index.html").read_text()
    assert 'id="ages-11-13"' in teachers and f"lessons/{slug}/" in teachers
    assert f"lessons/{slug}/" in (project / "site" / "practices" / slug / "index.html").read_text()


LESSONS = lessons_by_source(load_content(ROOT))  # page source -> (title, lesson), from the real content

HANDOUTS = (
    [f"practices/{p.stem}/" for p in sorted((ROOT / "practices").glob("*.yaml"))]
    + [f"myths/{p.stem}/" for p in sorted((ROOT / "myths").glob("*.yaml"))]
    + [lesson_src(uri).removesuffix(".md") + "/" for uri in sorted(LESSONS)]
    + [f"learn/{p.stem}/" for p in sorted((ROOT / "content" / "learn").glob("*.md"))[:1]]
)


@pytest.mark.curriculum  # our own lesson plans
def test_enough_lessons_across_ages_11_to_18() -> None:
    bands: dict[str, list[str]] = {}
    for uri, (_, lesson) in LESSONS.items():
        bands.setdefault(lesson.age_band, []).append(uri)
    assert sum(len(v) for v in bands.values()) >= 8, bands
    assert {"11-13", "14-16", "16-18"} <= set(bands), bands


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("path", HANDOUTS)
def test_printed_handout_fits_two_pages_with_crisis_line_and_qr(site_url: str, context_factory, tmp_path: Path, paper: str, path: str) -> None:
    page = context_factory().new_page()
    page.goto(site_url + path, wait_until="load")
    pdf = tmp_path / "handout.pdf"
    page.pdf(path=str(pdf), format=paper, print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages <= 2, f"{path} prints on {pages} {paper} pages"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert _has_crisis_numbers(text) and "not medical advice" in text
    assert "Read this page online" in text and path in text
    page.emulate_media(media="print")
    assert page.locator(".handout-link img").is_visible()
    assert not page.locator(".md-header").is_visible() and not page.locator(".md-sidebar--primary").is_visible()


def test_qr_codes_are_svg_and_encode_the_page_address(built_site: Path) -> None:
    slug = sorted((ROOT / "practices").glob("*.yaml"))[0].stem
    svg = (built_site / "qr" / "practices" / f"{slug}.svg").read_text()
    site_url = os.environ.get("SITE_URL", "http://127.0.0.1:8000/").rstrip("/") + "/"
    assert svg.startswith("<svg") and f"{site_url}practices/{slug}/" in svg


def test_renamed_practice_fails_until_a_redirect_is_added(project: Path) -> None:
    assert run_cli("build", cwd=project).returncode == 0
    assert run_cli("urls", cwd=project).returncode == 0
    old = sorted((project / "practices").glob("*.yaml"))[0].stem
    (project / "practices" / f"{old}.yaml").rename(project / "practices" / "kind-friend.yaml")
    for translation in (project / "translations").glob(f"*/practices/{old}.yaml"):
        translation.rename(translation.with_name("kind-friend.yaml"))
    failed = run_cli("build", cwd=project)
    assert failed.returncode == 1
    assert f"'practices/{old}/' was published before and is gone" in failed.stderr
    (project / "redirects.yaml").write_text(f"practices/{old}/: practices/kind-friend/\n")
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    moved = (project / "site" / "practices" / old / "index.html").read_text()
    assert 'http-equiv="refresh" content="0; url=../kind-friend/"' in moved and 'id="crisis-banner"' in moved


def test_committed_manifest_matches_the_site(built_site: Path) -> None:
    from compassion_site.gates.urls import published_urls

    from conftest import ROOT

    listed = {line for line in (ROOT / "urls.txt").read_text().splitlines() if line and not line.startswith("#")}
    published = {u or "/" for u in published_urls(built_site)}
    assert published <= listed, f"run make urls to record: {sorted(published - listed)[:5]}"


def _json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


@pytest.mark.curriculum  # one of our practices by name
def test_share_metadata_and_json_ld(built_site: Path) -> None:
    practice = (built_site / "practices" / "self-compassion-break" / "index.html").read_text()
    for tag in ('property="og:title"', 'property="og:description"', 'property="og:url"', 'name="twitter:card"', 'rel="canonical"'):
        assert tag in practice
    data = _json_ld(practice)
    assert data["@type"] == "HowTo" and data["step"] and data["totalTime"].startswith("PT")
    assert data["name"] == "The self-compassion break" and data["lastReviewed"]
    for page in built_site.rglob("*.html"):
        html = page.read_text()
        if "application/ld+json" in html:
            data = _json_ld(html)
            assert data["@context"] == "https://schema.org" and data["name"] and data["url"].startswith("http")
    assert (built_site / "sitemap.xml").is_file()


@pytest.mark.curriculum  # our questions page
def test_faq_page_is_marked_up_as_faq(built_site: Path) -> None:
    data = _json_ld((built_site / "learn" / "faq" / "index.html").read_text())
    assert data["@type"] == "FAQPage" and len(data["mainEntity"]) >= 3


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_campaign_poster_prints_on_one_page_with_qr_and_crisis_line(built_site: Path, site_url: str, context_factory, tmp_path: Path, paper: str) -> None:
    posters = sorted(p.parent.name for p in (built_site / "campaign").glob("*/index.html"))
    assert posters
    index = (built_site / "campaign" / "index.html").read_text()
    assert all(f"{name}/" in index for name in posters)
    page = context_factory().new_page()
    for name in posters:
        page.goto(f"{site_url}campaign/{name}/", wait_until="load")
        pdf = tmp_path / f"{name}.pdf"
        page.pdf(path=str(pdf), format=paper, print_background=True)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"Pages:\s+1\b", info), f"{name} poster prints on more than one {paper} page"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert _has_crisis_numbers(text) and "Scan the code" in text
        assert page.locator("img.poster-qr").is_visible()


def test_posters_stay_out_of_search_so_results_point_at_the_page(built_site: Path) -> None:
    practice = sorted((ROOT / "practices").glob("*.yaml"))[0].stem
    for edition in configured_site().editions:
        index = edition.folder(built_site) / "search" / "search_index.json"
        locations = [d["location"] for d in json.loads(index.read_text())["docs"]]
        assert any(loc.startswith(f"practices/{practice}/") for loc in locations)
        assert not [loc for loc in locations if loc.startswith("campaign/") and loc != "campaign/"], index
