"""Translation files that Weblate and Crowdin read and write back, and freshness per string.

Each translated string is keyed by the digest of its English string, so a reordered English
list keeps every translation with its own item, and an edited one shows in English until it is
translated again: never the translation of another item.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from compassion_site.content.load import load_content
from compassion_site.content.translations import SOURCE_LANGUAGE, load_translations, template_text, translations_dir
from compassion_site.errors import ErrorCollector
from compassion_site.mkdocs_adapter.config_file import read_site_config
from compassion_site.pipeline import load_configured_site

from conftest import ROOT, run_cli


def _languages(root: Path) -> list[str]:
    """The translated editions the configured site has (mkdocs.<lang>.yml), not our defaults."""
    return sorted(read_site_config(p).language for p in root.glob("mkdocs.*.yml") if len(p.suffixes) == 2)


def _translation_files(root: Path) -> list[tuple[Path, Path]]:
    """(English base file, translated file) for every YAML file a translator edits."""
    pairs = []
    for language in _languages(root):
        for kind in ("practices", "myths"):
            for path in sorted((translations_dir(root, language) / kind).glob("*.yaml")):
                pairs.append((translations_dir(root, SOURCE_LANGUAGE) / kind / path.name, path))
        locale = root / "locales" / f"{language}.yaml"
        if locale.is_file():
            pairs.append((root / "locales" / f"{SOURCE_LANGUAGE}.yaml", locale))
    return pairs


def _round_trip(template: Path, translated: Path, work: Path) -> tuple[Path, int]:
    """yaml2po with the English file as template, then po2yaml: what Weblate does to a file.
    Returns the file written back and how many strings the PO file held."""
    from translate.convert import po2yaml, yaml2po
    from translate.storage import po as po_storage

    po, out = work / (translated.name + ".po"), work / translated.name
    with translated.open("rb") as source, po.open("wb") as target, template.open("rb") as base:
        assert yaml2po.run_converter(source, target, base) == 1, f"yaml2po {translated}"
    with po.open("rb") as source, out.open("wb") as target, template.open("rb") as base:
        assert po2yaml.run_converter(source, target, base) == 1, f"po2yaml {translated}"
    units = [u for u in po_storage.pofile.parsefile(str(po)).units if not u.isheader()]
    assert units, f"yaml2po found no strings in {translated}"
    return out, len(units)


def test_english_base_files_are_up_to_date() -> None:
    content = load_content(ROOT)
    stale = []
    for kind, items in (("practices", content.items["practices"]), ("myths", content.items["myths"])):
        for slug, source in items.items():
            path = translations_dir(ROOT, SOURCE_LANGUAGE) / kind / f"{slug}.yaml"
            if not path.is_file() or path.read_text(encoding="utf-8") != template_text(source, f"{kind}/{slug}.yaml"):
                stale.append(path.relative_to(ROOT).as_posix())
    assert not stale, f"run make i18n-templates: {stale}"


def test_every_translation_file_round_trips_through_translate_toolkit_and_builds(project: Path, tmp_path: Path) -> None:
    pairs = _translation_files(project)
    assert pairs, "the configured site has translation files"
    units = 0
    for template, translated in pairs:
        work = tmp_path / translated.parent.name / translated.parent.parent.name
        work.mkdir(parents=True, exist_ok=True)
        back, count = _round_trip(template, translated, work)
        before, after = yaml.safe_load(translated.read_text(encoding="utf-8")), yaml.safe_load(back.read_text(encoding="utf-8"))
        assert after == before, f"{translated.relative_to(project)} changed in the round trip"
        units += count
        shutil.copy2(back, translated)  # what Weblate would commit
    result = run_cli("check", cwd=project)
    assert result.returncode == 0, result.stderr
    print(f"round-tripped {len(pairs)} files, {units} strings")


@pytest.fixture
def spanish(project: Path):
    """Load the first translated edition of a scratch copy, as the build does."""
    language = _languages(project)[0]

    def load():
        config = read_site_config(next(p for p in project.glob("mkdocs.*.yml") if read_site_config(p).language == language))
        return load_configured_site(config, check_words=False)

    return language, load


def _translated_practice(project: Path, language: str) -> str:
    return sorted((translations_dir(project, language) / "practices").glob("*.yaml"))[0].stem


def test_a_reordered_english_list_keeps_each_translation_with_its_own_item(project: Path, spanish) -> None:
    language, load = spanish
    slug = _translated_practice(project, language)
    before = load().content.items["practices"][slug].steps
    source = project / "practices" / f"{slug}.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    english = list(data["steps"])
    text = source.read_text(encoding="utf-8")
    text = text.replace(english[0], "\x00").replace(english[-1], english[0]).replace("\x00", english[-1])
    source.write_text(text, encoding="utf-8")
    assert yaml.safe_load(source.read_text(encoding="utf-8"))["steps"] == [english[-1], *english[1:-1], english[0]]
    after = load().content.items["practices"][slug].steps
    assert after == [before[-1], *before[1:-1], before[0]], "each translated step moved with its English step"


def test_an_edited_english_step_shows_in_english_not_under_another_translation(project: Path, spanish) -> None:
    language, load = spanish
    slug = _translated_practice(project, language)
    before = load().content.items["practices"][slug].steps
    source = project / "practices" / f"{slug}.yaml"
    english = yaml.safe_load(source.read_text(encoding="utf-8"))["steps"]
    edited = english[1] + " Go slowly."
    source.write_text(source.read_text(encoding="utf-8").replace(english[1], edited), encoding="utf-8")
    site = load()
    steps = site.content.items["practices"][slug].steps
    assert steps[1] == edited and before[1] not in steps, "the edited step is shown in English"
    assert steps[0] == before[0] and steps[2:] == before[2:]
    assert f"practices/{slug}.yaml" in site.translations.partial
    page = site.pages[f"practices/{slug}.md"]
    assert site.safety.locale.strings["partial_notice"] in page
    states = {(s.field, s.state) for s in site.translations.strings if s.file == f"practices/{slug}.yaml"}
    assert states == {("steps[1]", "missing"), ("steps", "outdated")}


def test_a_translation_with_a_key_that_is_not_a_digest_is_refused_with_its_line(project: Path) -> None:
    language = _languages(project)[0]
    path = sorted((translations_dir(project, language) / "practices").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    first_key = next(line for line in text.splitlines() if line.startswith("  s"))
    path.write_text(text.replace(first_key, "  - " + first_key.split(":", 1)[1].strip(), 1), encoding="utf-8")
    errors = ErrorCollector(project)
    load_translations(project, language, load_content(project), "content", errors)
    assert errors.errors and errors.errors[0].path.endswith(path.name) and errors.errors[0].line


def test_lessons_and_posters_of_an_untranslated_item_carry_the_notice_and_the_source_language(project: Path, spanish) -> None:
    language, load = spanish
    slug = next(p.stem for p in sorted((project / "practices").glob("*.yaml")) if "lesson:" in p.read_text(encoding="utf-8"))
    (translations_dir(project, language) / "practices" / f"{slug}.yaml").unlink()
    site = load()
    notice = site.safety.locale.strings["fallback_notice"]
    for page in (f"practices/{slug}.md", f"lessons/{slug}.md", f"campaign/{slug}.md"):
        assert notice in site.pages[page] and f'<div lang="{SOURCE_LANGUAGE}" markdown="1">' in site.pages[page], page
    others = [uri for uri, md in site.pages.items() if notice in md]
    assert sorted(others) == sorted([f"practices/{slug}.md", f"lessons/{slug}.md", f"campaign/{slug}.md"])
