"""`make new-practice` writes a skeleton that `make check` refuses until every placeholder is filled in."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from compassion_site.content.models import PLACEHOLDER
from compassion_site.content.scaffold import new_practice
from compassion_site.errors import ContentErrors
from compassion_site.pipeline import load_site


def test_an_untouched_skeleton_fails_naming_every_field_to_fill_in(project: Path) -> None:
    path = new_practice(project, "my-new-practice")
    assert path.read_text().startswith("# yaml-language-server: $schema=../schemas/practice.schema.json")
    with pytest.raises(ContentErrors) as caught:
        load_site(project, check_words=False)
    placeholders = [e for e in caught.value.errors if e.path == "practices/my-new-practice.yaml" and "placeholder" in e.message]
    fields = {e.field.split(".")[0] for e in placeholders if e.field}
    assert {"summary", "suits", "steps", "why", "evidence", "cautions", "variations"} <= fields
    step = next(e for e in placeholders if e.field == "steps.0")
    assert step.line == 9 and "write the first thing to do here" in step.message


def test_a_filled_in_skeleton_passes(project: Path) -> None:
    path = new_practice(project, "my-new-practice")
    text = re.sub(r'"FILL IN: ([^"]*)"', lambda m: f'"{m.group(1)[0].upper()}{m.group(1)[1:]}"', path.read_text())
    path.write_text(text)
    assert not [line for line in path.read_text().splitlines() if PLACEHOLDER in line and not line.startswith("#")]
    assert "my-new-practice" in load_site(project, check_words=False).content.items["practices"]


def test_a_list_item_indented_one_space_too_far_is_reported_with_its_line(project: Path) -> None:
    path = new_practice(project, "my-new-practice")
    text = re.sub(r'"FILL IN: ([^"]*)"', lambda m: f'"{m.group(1)[0].upper()}{m.group(1)[1:]}"', path.read_text())
    steps = "steps:\n  - Put down your phone.\n   - Think back to a kind moment.\n  - Breathe out slowly.\n"
    path.write_text(re.sub(r"steps:\n(  - .*\n)+", steps, text))
    with pytest.raises(ContentErrors) as caught:
        load_site(project, check_words=False)
    [error] = [e for e in caught.value.errors if e.path == "practices/my-new-practice.yaml"]
    assert error.field == "steps.0" and error.line == 9 and "run together" in error.message


def test_new_practice_refuses_bad_slugs_and_overwrites(project: Path) -> None:
    with pytest.raises(ValueError):
        new_practice(project, "Bad Name")
    new_practice(project, "twice")
    with pytest.raises(FileExistsError):
        new_practice(project, "twice")
