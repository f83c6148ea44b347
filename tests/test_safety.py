"""Region-aware crisis lines: the right numbers, recently verified, or no build."""
from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from compassion_site.errors import ContentErrors
from compassion_site.pipeline import load_site
from compassion_site.safety import crisis_banner_html, load_safety
from conftest import ROOT, run_cli


def set_region(project: Path, region: str) -> None:
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^  region: \w+$", f"  region: {region}", config.read_text()))


def test_every_region_loads_and_is_verified_within_a_year() -> None:
    import yaml

    for region in yaml.safe_load((ROOT / "safety" / "helplines.yaml").read_text()):
        safety, errors = load_safety(ROOT, region=region)
        assert safety is not None, [str(e) for e in errors.errors]
        assert safety.tel_numbers()[1] == re.sub(r"\D", "", safety.region.emergency)


def test_unknown_region_fails_naming_it(project: Path) -> None:
    set_region(project, "ZZ")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "no entry for region 'ZZ'" in result.stderr
    assert "Traceback" not in result.stderr


def test_stale_helpline_fails_the_build(project: Path) -> None:
    helplines = project / "safety" / "helplines.yaml"
    old = (date.today() - timedelta(days=730)).isoformat()
    text = helplines.read_text()
    helplines.write_text(re.sub(r"(?m)^  verified_on: .*$", f"  verified_on: {old}", text, count=1))
    line = helplines.read_text().splitlines().index(f"  verified_on: {old}") + 1
    with pytest.raises(ContentErrors) as caught:
        load_site(project)
    (error,) = caught.value.errors
    assert str(error).startswith(f"safety/helplines.yaml:{line} (field 'US.verified_on'): the US crisis lines were last verified on {old}")


def test_helpline_without_source_fails(project: Path) -> None:
    helplines = project / "safety" / "helplines.yaml"
    helplines.write_text(re.sub(r"(?m)^  source: .*\n", "", helplines.read_text(), count=1))
    with pytest.raises(ContentErrors, match=r"field 'US.source'.*required field"):
        load_site(project)


def test_region_gb_shows_samaritans_on_every_page(project: Path) -> None:
    set_region(project, "GB")
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    for page in (project / "site").rglob("*.html"):
        html = page.read_text()
        assert 'href="tel:116123"' in html and 'href="tel:999"' in html, page
        assert 'href="tel:988"' not in html, page


def test_banner_text_is_escaped() -> None:
    safety, _ = load_safety(ROOT, region="US")
    assert safety is not None
    html = crisis_banner_html(safety)
    assert html.count("<a ") == 4  # call, text, emergency, get help
    assert "&amp;" in html  # "Suicide & Crisis Lifeline"
