"""`make new-practice` writes a skeleton that passes every check as it stands."""
from __future__ import annotations

from pathlib import Path

import pytest

from compassion_site.pipeline import load_site
from compassion_site.scaffold import new_practice


def test_new_practice_skeleton_is_valid(project: Path) -> None:
    path = new_practice(project, "my-new-practice")
    assert path.read_text().startswith("# yaml-language-server: $schema=../schemas/practice.schema.json")
    assert "my-new-practice" in load_site(project).content.practices


def test_new_practice_refuses_bad_slugs_and_overwrites(project: Path) -> None:
    with pytest.raises(ValueError):
        new_practice(project, "Bad Name")
    new_practice(project, "twice")
    with pytest.raises(FileExistsError):
        new_practice(project, "twice")
