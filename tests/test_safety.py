"""Region-aware crisis lines: the right numbers, recently verified, saying only what the data says, or no build.

Every expectation is read from the configured site (mkdocs*.yml, safety/helplines.yaml,
locales/, translations/), so a fork's own data is what these tests protect.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from compassion_site.build import editions
from compassion_site.content.models import TRANSLATED_HELPLINE_FIELDS, Channel
from compassion_site.errors import ContentErrors
from compassion_site.mkdocs_adapter.config_file import read_site_config
from compassion_site.output.harden import ScriptPolicy
from compassion_site.output.verify import Rules, verify_site
from compassion_site.pipeline import load_site
from compassion_site.safety.furniture import (
    HELPLINES,
    Safety,
    crisis_banner_html,
    disclaimer_html,
    helplines_markdown,
    load_safety,
    tel_target,
    translation_path,
)

from conftest import ROOT, run_cli

MAIN = read_site_config(ROOT / "mkdocs.yml")


def set_region(config: Path, region: str) -> None:
    text = config.read_text()
    if re.search(r"(?m)^  region: \w+$", text):
        config.write_text(re.sub(r"(?m)^  region: \w+$", f"  region: {region}", text))
    elif re.search(r"(?m)^extra:$", text):
        config.write_text(re.sub(r"(?m)^extra:$", f"extra:\n  region: {region}", text))
    else:
        config.write_text(text.rstrip("\n") + f"\nextra:\n  region: {region}\n")


def regions() -> dict:
    return yaml.safe_load((ROOT / HELPLINES).read_text())


def configured(language: str = "en", region: str | None = None) -> Safety:
    safety, errors = load_safety(ROOT, region=region or MAIN.region, language=language)
    assert safety is not None, [str(e) for e in errors.errors]
    return safety


def with_crisis_line(safety: Safety, **changes: object) -> Safety:
    line = safety.crisis_line.model_copy(update=changes)
    return Safety(safety.region_code, safety.region.model_copy(update={"lines": [line, *safety.region.lines[1:]]}), safety.locale)


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).replace("&amp;", "&")


def test_every_region_loads_and_is_verified_within_a_year() -> None:
    for region in regions():
        safety = configured(region=region)
        assert safety.tel_numbers()[-1] == tel_target(safety.region.emergency)


def test_unknown_region_fails_naming_it(project: Path) -> None:
    set_region(project / "mkdocs.yml", "ZZ")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "no entry for region 'ZZ'" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_validates_every_region_not_only_the_published_one(project: Path) -> None:
    """A broken entry for a region no edition publishes still fails `check`, with its file, line and field."""
    published = {e.config.region for e in editions(read_site_config(project / "mkdocs.yml"))}
    other = next(code for code in regions() if code not in published)
    helplines = project / HELPLINES
    lines = helplines.read_text().splitlines(keepends=True)
    start = lines.index(f"{other}:\n")
    at = next(i for i in range(start, len(lines)) if "number: " in lines[i])
    lines[at] = re.sub(r'number: "[^"]*"', 'number: "call us"', lines[at])
    helplines.write_text("".join(lines))
    result = run_cli("check", cwd=project)
    assert result.returncode == 1, result.stdout
    assert f"{HELPLINES.as_posix()}:{at + 1} (field '{other}.lines.0.channels." in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_stale_helpline_fails_the_build(project: Path) -> None:
    helplines = project / HELPLINES
    old = (date.today() - timedelta(days=730)).isoformat()
    lines = helplines.read_text().splitlines(keepends=True)
    start = lines.index(f"{MAIN.region}:\n")
    at = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("verified_on:"))
    lines[at] = re.sub(r"verified_on: .*", f"verified_on: {old}", lines[at])
    helplines.write_text("".join(lines))
    with pytest.raises(ContentErrors) as caught:
        load_site(project, region=MAIN.region)
    (error,) = caught.value.errors
    assert str(error).startswith(f"{HELPLINES.as_posix()}:{at + 1} (field '{MAIN.region}.lines.0.verified_on'): the {MAIN.region} line ")


def test_helpline_without_sources_fails(project: Path) -> None:
    helplines = project / HELPLINES
    head, region, tail = helplines.read_text().partition(f"\n{MAIN.region}:\n")  # the published region's first line
    helplines.write_text(head + region + re.sub(r"(?m)^      sources:\n(        - .*\n)+", "", tail, count=1))
    with pytest.raises(ContentErrors, match=rf"field '{MAIN.region}.lines.0.sources'.*required field"):
        load_site(project, region=MAIN.region)


def test_banner_says_free_and_24_7_only_when_the_data_does() -> None:
    safety = configured()
    free, always = safety.locale.strings["fact_free"], safety.locale.strings["fact_always_open"]
    unknown = plain(crisis_banner_html(with_crisis_line(safety, cost=None, open_24_7=None, hours=None, banner_note=None)))
    assert free not in unknown and always not in unknown and "(" not in unknown, unknown
    known = plain(crisis_banner_html(with_crisis_line(safety, cost="free", open_24_7=True)))
    assert f"{free}, {always}" in known, known


def test_a_line_without_hours_says_they_are_not_confirmed() -> None:
    safety = with_crisis_line(configured(), open_24_7=None, hours=None)
    listing = helplines_markdown(safety)
    section = listing.split("### ")[1]
    assert safety.locale.strings["help_hours_unknown"] in section
    assert safety.locale.strings["help_always_open"] not in section


def test_text_only_crisis_line_gives_an_sms_link_and_passes_the_verifier(tmp_path: Path) -> None:
    safety = configured()
    number = next(c.number for line in safety.region.lines for c in line.channels if c.kind == "text" and c.number)
    texting = with_crisis_line(safety, channels=[Channel(kind="text", number=number, keyword="HELP")])
    banner = crisis_banner_html(texting)
    assert f'href="sms:{tel_target(number)}"' in banner and "HELP" in banner
    assert texting.tel_numbers() == [tel_target(safety.region.emergency)]
    page = tmp_path / "index.html"
    page.write_text(f"<!doctype html><html lang=en><title>t</title><body>{banner}<main>x</main>{disclaimer_html(texting)}</body></html>")
    rules = Rules(ScriptPolicy(inline=frozenset(), files=frozenset()), expect_tels=tuple(texting.tel_numbers()))
    count, failures = verify_site(tmp_path, rules)
    assert (count, failures) == (1, [])


def test_banner_shows_each_number_once() -> None:
    for edition in editions(MAIN):
        safety = configured(edition.config.language, edition.config.region)
        text = plain(crisis_banner_html(safety))
        numbers = {c.number for c in safety.crisis_line.channels if c.number} | {safety.region.emergency}
        for number in numbers:
            if number in text:
                assert len(re.findall(rf"(?<![\d]){re.escape(number)}(?![\d])", text)) == 1, (number, text)


def test_disclaimer_numbers_are_links() -> None:
    for edition in editions(MAIN):
        safety = configured(edition.config.language, edition.config.region)
        html = disclaimer_html(safety)
        for tel in safety.tel_numbers():
            assert f'href="tel:{tel}"' in html, html


def test_other_editions_show_no_english_helpline_words() -> None:
    """Every word a line has in English appears in each other edition in its own language, never in English."""
    english_ui = configured().locale.strings
    for edition in editions(MAIN):
        language = edition.config.language
        if language == "en":
            continue
        english = configured("en", edition.config.region)
        local = configured(language, edition.config.region)
        shown = plain(crisis_banner_html(local) + disclaimer_html(local) + helplines_markdown(local))
        for line in english.region.lines:
            for field in (*TRANSLATED_HELPLINE_FIELDS, "banner_note"):
                words = getattr(line, field)
                if words:
                    assert words not in shown, (language, line.id, field)
        for key in ("help_always_open", "help_hours_unknown", "help_free", "help_not_called", "fact_always_open"):
            if key in english_ui and english_ui[key] != local.locale.strings[key]:
                assert english_ui[key] not in shown, (language, key)


def add_language(project: Path, language: str) -> None:
    """A scratch language: the English UI strings under another code, so any site can run these tests."""
    english = (project / "locales" / "en.yaml").read_text()
    (project / "locales" / f"{language}.yaml").write_text(re.sub(r"(?m)^language: en$", f"language: {language}", english))


def test_missing_translated_words_are_left_out_with_a_warning_naming_the_line(project: Path) -> None:
    region = regions()[MAIN.region]
    line = next(line for line in region["lines"] if any(f in line for f in TRANSLATED_HELPLINE_FIELDS))
    field = next(f for f in TRANSLATED_HELPLINE_FIELDS if f in line)
    add_language(project, "xx")
    path = project / translation_path("xx")
    path.parent.mkdir(parents=True)
    words = {other["id"]: {f: f"xx {other[f]}" for f in (*TRANSLATED_HELPLINE_FIELDS, "banner_note") if f in other} for other in region["lines"]}
    del words[line["id"]][field]
    path.write_text(yaml.safe_dump({MAIN.region: {"lines": words}}, allow_unicode=True))
    safety, errors = load_safety(project, region=MAIN.region, language="xx")
    assert safety is not None, errors.errors
    (warning,) = [w for w in safety.warnings if "language_names" not in w]
    assert warning.startswith(f"{translation_path('xx').as_posix()}:") and line["id"] in warning and field in warning, warning
    shown = next(item for item in safety.region.lines if item.id == line["id"])
    assert getattr(shown, field) is None and line[field] not in helplines_markdown(safety)


def test_a_translation_naming_an_unknown_line_fails(project: Path) -> None:
    add_language(project, "xx")
    path = project / translation_path("xx")
    path.parent.mkdir(parents=True)
    path.write_text(f"{MAIN.region}:\n  lines:\n    no-such-line:\n      notes: Hola.\n")
    _, errors = load_safety(project, region=MAIN.region, language="xx")
    assert any(e.path == translation_path("xx").as_posix() and e.line == 3 and "no-such-line" in e.message for e in errors.errors), errors.errors


def test_help_list_has_every_line_and_channel_of_the_region() -> None:
    for edition in editions(MAIN):
        safety = configured(edition.config.language, edition.config.region)
        listing = helplines_markdown(safety)
        for line in safety.region.lines:
            assert f"### {line.name.replace('&', '&amp;')}" in listing
            for channel in line.channels:
                target = {"call": "tel:", "tty": "tel:", "videophone": "tel:", "text": "sms:", "email": "mailto:"}.get(channel.kind, "")
                address = f"{target}{tel_target(channel.number)}" if channel.number else f"{target}{channel.email or channel.url}"
                assert f'href="{address}"' in listing, (line.id, channel)
            for url in line.sources:
                assert f'href="{url.replace("&", "&amp;")}"' in listing, (line.id, url)


def _edition_with_other_region(project: Path) -> tuple[str, str, str]:
    main = read_site_config(project / "mkdocs.yml")
    others = [e for e in editions(main) if e.subdir]
    if not others:
        pytest.skip("this site has a single edition")
    edition = others[0]
    language = edition.config.language
    ours = set(configured(region=main.region).tel_numbers())
    # A region whose banner numbers differ from the main one's, so the test can tell them apart.
    region = next(code for code in regions() if not set(configured(region=code).tel_numbers()) & ours)
    return language, region, str(edition.config.path)


def test_region_per_edition(project: Path) -> None:
    """`extra.region` in mkdocs.<lang>.yml gives that edition its own lines; the main edition keeps its own."""
    language, region, config = _edition_with_other_region(project)
    set_region(Path(config), region)
    english = yaml.safe_load((ROOT / HELPLINES).read_text())[region]
    if any(f in line for line in english["lines"] for f in (*TRANSLATED_HELPLINE_FIELDS, "banner_note")):
        result = run_cli("check", cwd=project)
        assert result.returncode == 0 and f"warning: {translation_path(language).as_posix()}" in result.stderr, result.stderr
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    main_safety, _ = load_safety(project, region=MAIN.region, language="en")
    local, _ = load_safety(project, region=region, language=language)
    assert main_safety is not None and local is not None
    banner = re.compile(r'<div id="crisis-banner".*?</div>', re.DOTALL)
    site = project / "site"
    for page, want, other in ((site / "index.html", main_safety, local), (site / language / "index.html", local, main_safety)):
        shown = banner.search(page.read_text()).group(0)
        for tel in want.tel_numbers():
            assert f'href="tel:{tel}"' in shown, page
        for tel in set(other.tel_numbers()) - set(want.tel_numbers()):
            assert f'href="tel:{tel}"' not in shown, page


# Lines of text a box takes: its text's client rects grouped by where they end.
_LINES = """(selector) => { const r = document.createRange(); r.selectNodeContents(document.querySelector(selector));
  const bottoms = [...r.getClientRects()].filter(b => b.width > 0).map(b => Math.round(b.bottom)).sort((a, b) => a - b);
  let lines = 0, last = -1e9; for (const b of bottoms) { if (b - last > 12) { lines++; last = b; } } return lines; }"""


@pytest.mark.parametrize("javascript", [True, False])
def test_banner_takes_at_most_two_lines_on_a_375_px_phone(site_url: str, context_factory, javascript: bool) -> None:
    """Issue 19.3: every edition's banner fits two lines at 375 px, with and without JavaScript, and keeps its help link."""
    page = context_factory(viewport={"width": 375, "height": 667}, java_script_enabled=javascript).new_page()
    for edition in editions(MAIN):
        page.goto(site_url + (edition.subdir + "/" if edition.subdir else ""))
        assert page.evaluate(_LINES, ".crisis-banner__inner") <= 2, edition.subdir or "main"
        assert page.locator("#crisis-banner .crisis-banner__help").is_visible()
        for tel in configured(edition.config.language, edition.config.region).tel_numbers():
            assert page.locator(f"#crisis-banner a[href='tel:{tel}']").is_visible()
