"""The build's own contrast check of the colour variables a fork sets in site.css."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from compassion_site.errors import ErrorCollector
from compassion_site.gates.contrast import PAIRS, check_contrast, colour_variables, contrast_ratio

from conftest import ROOT

SITE_CSS = ROOT / "content" / "assets" / "site.css"


def _errors(css: str, tmp_path: Path) -> list[str]:
    f = tmp_path / "site.css"
    f.write_text(css, encoding="utf-8")
    errors = ErrorCollector(tmp_path)
    check_contrast(f, errors)
    return [str(e) for e in errors.errors]


def test_wcag_ratios() -> None:
    assert contrast_ratio("#000", "#fff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("rgba(0, 0, 0, 0.87)", "#ffffff") > 12


def test_the_shipped_colours_pass_in_both_schemes(tmp_path: Path) -> None:
    errors = ErrorCollector(ROOT)
    check_contrast(SITE_CSS, errors)
    assert not errors.errors, [str(e) for e in errors.errors]
    variables = colour_variables(SITE_CSS.read_text(encoding="utf-8"))
    assert "--crisis-bg" in variables["light"]


def test_a_poor_brand_colour_fails_naming_both_variables_the_ratio_and_the_line(tmp_path: Path) -> None:
    css = ":root {\n  --crisis-bg: #fff4d6;\n  --crisis-fg: #2b2100;\n  --crisis-link: #e0a040;\n}\n"
    [message] = _errors(css, tmp_path)  # no dark scheme in this file: one message
    assert "site.css:4" in message and "--crisis-link (#e0a040) on --crisis-bg (#fff4d6)" in message
    assert "light scheme" in message and ":1" in message


def test_the_dark_scheme_is_checked_and_inherits_what_it_does_not_set(tmp_path: Path) -> None:
    css = (":root { --crisis-bg: #fff4d6; --crisis-fg: #2b2100; --crisis-link: #6a1b00; }\n"
           "@media (prefers-color-scheme: dark) {\n  :root { --crisis-bg: #3a2f00; }\n}\n")
    messages = _errors(css, tmp_path)
    assert messages and all("dark scheme" in m for m in messages)
    assert any("--crisis-fg (#2b2100) on --crisis-bg (#3a2f00)" in m for m in messages)


def test_a_colour_it_cannot_read_is_reported_not_skipped(tmp_path: Path) -> None:
    [message] = _errors(":root { --crisis-bg: papayawhip; --crisis-fg: #000; }", tmp_path)[:1]
    assert "papayawhip" in message and "#rrggbb" in message


def test_a_colour_set_from_another_variable_is_followed(tmp_path: Path) -> None:
    css = ":root { --brand: #e8b070; --crisis-bg: #fff4d6; --crisis-fg: #2b2100; --crisis-link: var(--brand); }"
    [message] = _errors(css, tmp_path)
    assert "--crisis-link (#e8b070) on --crisis-bg (#fff4d6)" in message
    assert _errors(":root { --brand: #6a1b00; --crisis-bg: #fff4d6; --crisis-fg: #2b2100; --crisis-link: var(--brand); }", tmp_path) == []
    assert _errors(":root { --crisis-bg: #fff4d6; --crisis-fg: #2b2100; --crisis-link: var(--missing, #6a1b00); }", tmp_path) == []


def test_every_pair_names_variables() -> None:
    assert all(fg.startswith("--") and bg.startswith("--") for fg, bg, _ in PAIRS)


def test_check_refuses_a_poor_brand_colour_before_any_page_is_written(project: Path) -> None:
    from conftest import run_cli

    css = project / "content" / "assets" / "site.css"
    text = css.read_text(encoding="utf-8")
    background = re.search(r"--crisis-bg: (#[0-9a-fA-F]{3,6});", text).group(1)  # the site's own banner colour
    text, changed = re.subn(r"--crisis-link: #[0-9a-fA-F]{3,6};", f"--crisis-link: {background};", text, count=1)  # 1:1, unreadable
    assert changed
    css.write_text(text, encoding="utf-8")
    result = run_cli("check", cwd=project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "content/assets/site.css" in result.stderr and f"--crisis-link ({background}) on --crisis-bg" in result.stderr
