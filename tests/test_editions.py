"""Editions: the Spanish site, fallbacks, translation freshness, a right-to-left locale.

The tests of our own Spanish edition are in the `curriculum` group (see FORKING.md)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from compassion_site.content.load import load_content
from compassion_site.content.translations import load_translations
from compassion_site.errors import ErrorCollector

from conftest import configured_site, run_cli

FIXTURES = Path(__file__).parent / "fixtures"


def english_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in ("es", "ar")}


@pytest.mark.curriculum  # our Spanish edition and its pages
def test_spanish_edition_has_every_page_translated(built_site: Path) -> None:
    spanish = {p.relative_to(built_site / "es").as_posix() for p in (built_site / "es").rglob("*.html")}
    assert english_pages(built_site) <= spanish
    for page in (built_site / "es").rglob("*.html"):
        html = page.read_text()
        assert '<html lang="es"' in html, page
        assert "Llama o" in html and "Busca ayuda ahora" in html, page
        assert "(24 h, en español)" in html, page
        assert "Este sitio sirve para aprender" in html, page
        assert "fallback-notice" not in html, page


@pytest.mark.curriculum  # our Spanish edition and its pages
def test_hreflang_and_switcher_point_at_the_same_page(built_site: Path) -> None:
    html = (built_site / "es" / "practices" / "self-compassion-break" / "index.html").read_text()
    assert 'href="http://127.0.0.1:8000/practices/self-compassion-break/" hreflang="en"' in html
    assert 'href="http://127.0.0.1:8000/es/practices/self-compassion-break/" hreflang="es"' in html
    assert re.search(r'<a href="(\.\./)+practices/self-compassion-break/" hreflang="en"', html)


@pytest.mark.curriculum  # our Spanish edition and its pages
def test_missing_translation_shows_the_notice_on_that_page_only(project: Path) -> None:
    (project / "translations" / "es" / "practices" / "friend-reframe.yaml").unlink()
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    noticed = [p.relative_to(project / "site").as_posix() for p in (project / "site" / "es").rglob("*.html") if "fallback-notice" in p.read_text()]
    # the page, and the poster made from it (friend-reframe has no lesson)
    assert sorted(noticed) == ["es/campaign/friend-reframe/index.html", "es/practices/friend-reframe/index.html"]
    html = (project / "site" / "es" / "practices" / "friend-reframe" / "index.html").read_text()
    assert "Esta página aún no está traducida" in html and '<div lang="en">' in html


@pytest.mark.curriculum  # our Spanish edition and its pages
def test_editing_one_source_string_marks_that_string_outdated_not_the_file(project: Path) -> None:
    import yaml

    source = project / "practices" / "self-compassion-break.yaml"
    source.write_text(source.read_text() + "# an editor's note changes no string: the translation stays fresh\n")
    assert "0 outdated" in run_cli("i18n-status", cwd=project).stdout
    steps = yaml.safe_load(source.read_text())["steps"]
    source.write_text(source.read_text().replace(steps[1], steps[1] + " Take your time."))
    result = run_cli("i18n-status", cwd=project)
    assert result.returncode == 0
    assert "missing: practices/self-compassion-break.yaml steps[1]" in result.stdout, result.stdout
    assert "outdated: practices/self-compassion-break.yaml steps" in result.stdout
    content = load_content(project)
    status = load_translations(project, "es", content, "content", ErrorCollector(project)).status
    assert status["practices/self-compassion-break.yaml"] == "outdated"
    assert list(status.values()).count("outdated") == 1


@pytest.mark.curriculum  # our Spanish edition and its pages
def test_i18n_status_counts(project: Path) -> None:
    result = run_cli("i18n-status", cwd=project)
    assert re.match(r"es: \d+ translated, 0 outdated, 0 missing", result.stdout), result.stdout


@pytest.fixture
def rtl_project(project: Path) -> Path:
    for path in (FIXTURES / "rtl").rglob("*"):
        if path.is_file():
            target = project / path.relative_to(FIXTURES / "rtl")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    # Strings the fixture has not translated fall back to English, so new UI strings do not break it.
    import yaml

    arabic = project / "locales" / "ar.yaml"
    doc = yaml.safe_load(arabic.read_text())
    english = yaml.safe_load((project / "locales" / "en.yaml").read_text())["strings"]
    doc["strings"] = {**english, **doc["strings"]}
    arabic.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    return project


def test_right_to_left_locale_builds_mirrored(rtl_project: Path, context_factory) -> None:
    result = run_cli("build", cwd=rtl_project)
    assert result.returncode == 0, result.stderr
    html = (rtl_project / "site" / "ar" / "index.html").read_text()
    assert '<html lang="ar"' in html and 'dir="rtl"' in html
    assert "اطلب المساعدة الآن" in html and f'href="{configured_site().main.banner_links()[0]}"' in html
    page = context_factory(viewport={"width": 1280, "height": 800}).new_page()
    page.goto((rtl_project / "site" / "ar" / "index.html").as_uri())
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    banner = page.locator("#crisis-banner .crisis-banner__lead").bounding_box()
    assert banner["x"] > 600, "the banner's first words start at the right in a right-to-left page"
    page.screenshot(path=str(rtl_project / "rtl.png"))


def test_unquoted_digest_gets_a_message_that_says_to_quote_it() -> None:
    from pydantic import TypeAdapter, ValidationError

    from compassion_site.content.translations import Digest

    with pytest.raises(ValidationError, match="put it in quotes"):
        TypeAdapter(Digest).validate_python(849881636664)
    assert TypeAdapter(Digest).validate_python("849881636664") == "849881636664"
